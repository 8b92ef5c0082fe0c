/// A person's name as written on the form, cleaned for the call list.
public struct PersonName: Hashable, Sendable, Codable {
    public enum Script: String, Sendable, Codable { case hangul, latin, mixed }

    /// The name without honorifics or role words, e.g. `김민준`, `Nguyen Thi Lan`.
    public var name: String
    /// Relationship written next to the name, normalized: `모`, `부`, `조모`, `조부`,
    /// `외조모`, `외조부`, `이모`, `고모`, `삼촌`; nil when none was written.
    public var role: String?
    public var script: Script

    public init(name: String, role: String? = nil, script: Script) {
        self.name = name
        self.role = role
        self.script = script
    }
}

/// Cleans a name cell so counselors can greet the right person.
///
/// Strips `님`/`씨` and role words (`(모)`, `어머니`, `김민준 엄마`) into `role`,
/// joins split Korean names (`김 민준`, `남궁 민`), keeps Latin names as written,
/// recovers Hangul typed in English mode (`rlaalswns` → `김민준`, warning
/// `name_keyboard_recovered`) only when the whole cell composes into a
/// plausible 2-4 syllable name with a Korean surname, and flags test rows
/// (`name_placeholder`, a warning: the pipeline decides). Fatal: `name_missing`, `name_invalid`,
/// `name_too_long` (a cell over `maxCharacters`, not read).
public enum NameNormalizer: LengthCappedNormalizer {
    /// The longest name cell read, in characters (Unicode scalars): a long Latin name with a role
    /// annotation (`Nguyen Thi Thanh Huong (어머니)`) has under 40.
    public static let maxCharacters = 100

    public static let tooLong = CellTooLong(
        code: "name_too_long", field: "이름",
        advice: "이름 외의 내용이 들어 있는지 원본을 확인하고 이름만 적어 주세요.")

    public static func normalizeWithinCap(_ raw: String) -> Normalized<PersonName> {
        return plainName(raw) ?? generalNormalize(raw)
    }

    /// Every rule, on scalars; `plainName` gives the same result for the cells it reads.
    static func generalNormalize(_ raw: String) -> Normalized<PersonName> {
        var a = FieldText.collapseSpaces(FieldText.fold(raw))
        if a.isEmpty {
            return .failed(.fatal("name_missing", "이름이 비어 있습니다. 보호자(신청인) 이름을 입력해 주세요."))
        }
        var warnings: [FieldIssue] = []
        var role: String?

        // 1. Parenthesized annotations: (모), (엄마), [보호자] ...
        var stripped: [Unicode.Scalar] = []
        var i = 0
        var removedAnnotation = false
        while i < a.count {
            let c = a[i]
            if c == "(" || c == "[" {
                let close: Unicode.Scalar = c == "(" ? ")" : "]"
                var j = i + 1
                while j < a.count && a[j] != close { j += 1 }
                let inner = FieldText.collapseSpaces(Array(a[(i + 1)..<min(j, a.count)]))
                if let r = roleWords[inner] {
                    role = r
                } else if !inner.isEmpty && !dropWords.contains(inner) {
                    removedAnnotation = true
                }
                i = j + 1
                continue
            }
            stripped.append(c)
            i += 1
        }
        a = FieldText.collapseSpaces(stripped)
        if removedAnnotation {
            warnings.append(.warning("name_annotation_removed", "이름 옆 괄호 안의 내용을 빼고 이름만 남겼습니다. 원본을 확인해 주세요."))
        }
        if a.isEmpty {
            return .failed(.fatal("name_missing", "이름 없이 관계(예: 엄마)만 적혀 있습니다. 보호자 이름을 입력해 주세요."))
        }

        // 2. Nicknames such as 민준맘 / 민준이엄마: no real name to recover.
        if isNickname(a) {
            warnings.append(.warning("name_nickname", "'OO맘'처럼 별칭으로 적혀 있어 그대로 두었습니다. 통화할 때 보호자 실명을 확인해 주세요."))
            return .ok(PersonName(name: FieldText.string(a), role: role, script: script(of: a)), warnings)
        }

        // 3. Honorifics and role words around the name, taken off one at a time. The name is the
        // window `lo ..< hi` of `a` (words one space apart), so taking a word off copies nothing;
        // `spaces[firstSpace ... lastSpace]` are the spaces inside the window.
        // (Both tables are made only when asked for: most names need neither.)
        let spaces = a.contains(" ") ? a.indices.filter { a[$0] == " " } : []
        var firstSpace = 0
        var lastSpace = spaces.count - 1
        var lo = 0
        var hi = a.count
        // `nonHangul[k]`: how many of `a[..<k]` are not Hangul syllables.
        var nonHangul: [Int] = []
        func allHangul(_ from: Int, _ to: Int) -> Bool {
            if nonHangul.isEmpty {
                nonHangul.reserveCapacity(a.count + 1)
                nonHangul.append(0)
                for c in a {
                    nonHangul.append(nonHangul[nonHangul.count - 1] + (FieldText.isHangulSyllable(c) ? 0 : 1))
                }
            }
            return nonHangul[to] == nonHangul[from]
        }
        /// The word `from ..< to` when it may be in the word lists (none is longer than `longestListedWord`).
        func listed(_ from: Int, _ to: Int) -> [Unicode.Scalar]? {
            to - from <= longestListedWord ? Array(a[from..<to]) : nil
        }
        var changed = true
        while changed {
            changed = false
            if firstSpace <= lastSpace {
                let lastStart = spaces[lastSpace] + 1
                let firstEnd = spaces[firstSpace]
                let last = listed(lastStart, hi)
                if let last, honorifics.contains(last) {
                    hi = lastStart - 1
                    lastSpace -= 1
                    changed = true
                    continue
                }
                if let last, let r = roleWords[last] ?? (dropWords.contains(last) ? "" : nil) {
                    if !r.isEmpty { role = r }
                    hi = lastStart - 1
                    lastSpace -= 1
                    changed = true
                    continue
                }
                if let first = listed(lo, firstEnd), let r = roleWords[first] ?? (dropWords.contains(first) ? "" : nil),
                    first.count >= 2
                {
                    if !r.isEmpty { role = r }
                    lo = firstEnd + 1
                    firstSpace += 1
                    changed = true
                    continue
                }
            }
            // Attached forms, only when a name of 2+ syllables stays.
            for (suffix, r) in attachedRoleSuffixes
            where hi - lo >= suffix.count + 2 && FieldText.hasSuffix(a, suffix, end: hi) {
                if allHangul(lo, hi - suffix.count) {
                    hi -= suffix.count
                    role = r
                    changed = true
                    break
                }
            }
            if changed { continue }
            if a[hi - 1] == "님", hi - lo >= 3, allHangul(lo, hi - 1) {
                hi -= 1
                changed = true
                continue
            }
        }
        a = Array(a[lo..<hi])
        a = FieldText.collapseSpaces(a)
        if a.isEmpty || dropWords.contains(a) || roleWords[a] != nil {
            return .failed(.fatal("name_missing", "이름 없이 호칭이나 관계(예: 보호자, 엄마)만 적혀 있습니다. 보호자 이름을 입력해 주세요."))
        }

        // 4. Compatibility-jamo only cells: ㅇㅇㅇ, ㄱ, or spelled-out jamo.
        if a.allSatisfy(FieldText.isCompatJamo) {
            if a.count == 1 {
                return .failed(.fatal("name_invalid", "이름에 자음/모음 한 글자만 있습니다. 보호자 이름을 정확히 입력해 주세요."))
            }
            if let composed = HangulKeyboard.compose(a), (2...4).contains(composed.count), hasSurname(composed) {
                warnings.append(
                    .warning(
                        "name_jamo_composed",
                        "자음·모음으로 풀어 쓴 이름을 합쳐 '\(FieldText.string(composed))'(으)로 읽었습니다. 맞는지 확인해 주세요."))
                return .ok(PersonName(name: FieldText.string(composed), role: role, script: .hangul), warnings)
            }
            if placeholders.contains(a) || a.allSatisfy({ $0 == a[0] }) {
                warnings.append(placeholderWarning)
                return .ok(PersonName(name: FieldText.string(a), role: role, script: .hangul), warnings)
            }
            return .failed(.fatal("name_invalid", "이름이 자음/모음만으로 되어 있어 읽을 수 없습니다. 보호자 이름을 정확히 입력해 주세요."))
        }
        // 5. Test rows.
        let key = placeholderKey(a)
        if placeholders.contains(key) {
            warnings.append(placeholderWarning)
            return .ok(PersonName(name: FieldText.string(a), role: role, script: script(of: a)), warnings)
        }

        // 6. Hangul typed on an English keyboard.
        if a.count >= 4, a.count <= 16, a.allSatisfy({ $0.isASCII && FieldText.isLatinLetter($0) }),
            let syllables = HangulKeyboard.recover(keys: a), (2...4).contains(syllables.count), hasSurname(syllables)
        {
            warnings.append(
                .warning(
                    "name_keyboard_recovered",
                    "영문 자판으로 입력된 '\(FieldText.string(a))'을(를) '\(FieldText.string(syllables))'(으)로 바꿨습니다. 통화할 때 이름을 확인해 주세요."
                ))
            return .ok(PersonName(name: FieldText.string(syllables), role: role, script: .hangul), warnings)
        }

        // 7. Script, spacing and oddities.
        let sc = script(of: a)
        let hasHangul = a.contains(where: FieldText.isHangulSyllable)
        if hasHangul
            && a.contains(where: {
                FieldText.isCompatJamo($0) || $0 == "*" || $0 == "○" || $0 == "O" || $0 == "x" || $0 == "X" || $0 == "●"
            })
        {
            warnings.append(.warning("name_masked", "이름 일부가 가려져 있습니다(예: 김ㅇㅇ, 김*준). 통화할 때 실명을 확인해 주세요."))
            return .ok(PersonName(name: FieldText.string(a), role: role, script: .hangul), warnings)
        }
        // Combining accents (a decomposed `ễ`) belong to the letter before them.
        if a.contains(where: {
            !FieldText.isLetter($0) && $0 != " " && $0 != "-" && $0 != "'" && $0 != "." && $0 != "·"
                && !(0x300...0x36F).contains($0.value)
        }) {
            warnings.append(.warning("name_unexpected_characters", "이름에 숫자나 기호가 들어 있습니다. 이름을 확인해 주세요."))
        }
        if sc == .hangul {
            let syllableCount = a.filter(FieldText.isHangulSyllable).count
            if a.contains(" ") {
                if syllableCount <= 4 {
                    a = a.filter { $0 != " " }
                } else {
                    warnings.append(
                        .warning("name_multiple_words", "이름이 여러 단어로 되어 있습니다(두 사람 이름일 수 있음). 신청인 이름을 확인해 주세요."))
                }
            }
            if syllableCount == 1 || (syllableCount >= 6 && !a.contains(" ")) {
                warnings.append(
                    .warning("name_unusual_length", "이름 길이(\(syllableCount)글자)가 일반적이지 않습니다. 성과 이름이 모두 있는지 확인해 주세요."))
            }
        }
        return .ok(PersonName(name: FieldText.string(a), role: role, script: sc), warnings)
    }

    // MARK: - Tables

    private static let placeholderWarning = FieldIssue.warning(
        "name_placeholder",
        "테스트용이나 임의로 넣은 이름으로 보입니다(예: 테스트, 홍길동). 실제 신청인지 확인해 주세요.")

    /// Words next to a name that carry no role.
    static let dropWords = FieldText.keys(["보호자", "신청인", "님", "신청자", "학부모", "씨"])

    /// Role word → normalized role.
    static let roleWords: [[Unicode.Scalar]: String] = Dictionary(
        uniqueKeysWithValues: roleTable.map { (Array($0.key.unicodeScalars), $0.value) })

    private static let roleTable: [String: String] = [
        "모": "모", "母": "모", "엄마": "모", "어머니": "모", "어머님": "모", "mother": "모", "mom": "모",
        "부": "부", "父": "부", "아빠": "부", "아버지": "부", "아버님": "부", "father": "부", "dad": "부",
        "조모": "조모", "할머니": "조모", "할머님": "조모", "조부": "조부", "할아버지": "조부", "할아버님": "조부",
        "외조모": "외조모", "외할머니": "외조모", "외조부": "외조부", "외할아버지": "외조부",
        "이모": "이모", "고모": "고모", "삼촌": "삼촌",
    ]

    private static let honorifics = FieldText.keys(["님", "씨", "귀하", "보호자님"])

    /// The length of the longest word of `honorifics`, `roleWords` and `dropWords`.
    private static let longestListedWord = (Array(honorifics) + Array(roleWords.keys) + Array(dropWords)).map(\.count)
        .max()!

    /// Formal role words that may be written attached (`김민준어머님`); longest first.
    private static let attachedRoleSuffixes: [([Unicode.Scalar], String)] = [
        ("외할아버지", "외조부"), ("외할머니", "외조모"), ("할아버지", "조부"), ("할아버님", "조부"),
        ("할머니", "조모"), ("할머님", "조모"), ("어머니", "모"), ("어머님", "모"), ("아버지", "부"), ("아버님", "부"),
    ].map { (Array($0.0.unicodeScalars), $0.1) }

    private static let nicknameSuffixes: [[Unicode.Scalar]] = ["맘", "엄마", "아빠", "파파", "대디"].map {
        Array($0.unicodeScalars)
    }

    /// `민준맘`, `민준이엄마`: an informal parent nickname attached to the child's name.
    private static func isNickname(_ a: [Unicode.Scalar]) -> Bool {
        guard !a.contains(" ") else { return false }
        for s in nicknameSuffixes where a.count > s.count && FieldText.hasSuffix(a, s) {
            if a[0..<(a.count - s.count)].allSatisfy(FieldText.isHangulSyllable) { return true }
        }
        return false
    }

    static let placeholders = FieldText.keys([
        "테스트", "테스트입니다", "테스트용", "시험", "test", "tester", "testing", "asdf", "asdfg", "qwer", "qwerty",
        "홍길동", "ㅇㅇㅇ", "ㅇㅇ", "ㅁㄴㅇㄹ", "ㅋㅋㅋ", "ㅎㅎㅎ", "아무개", "김아무개", "무명", "익명", "이름", "성명",
        "없음", "미상", "abc", "aaa", "xxx", "가나다", "sample", "샘플",
    ])

    /// Lower-cased, spaces and trailing digits removed: `TEST 1` → `test`.
    private static func placeholderKey(_ a: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var k = FieldText.compactLowered(a)
        while let l = k.last, FieldText.isDigit(l) { k.removeLast() }
        return k
    }

    static func script(of a: [Unicode.Scalar]) -> PersonName.Script {
        var hangul = false
        var latin = false
        var other = false
        for c in a {
            if FieldText.isHangulSyllable(c) || FieldText.isCompatJamo(c) {
                hangul = true
            } else if FieldText.isLatinLetter(c) {
                latin = true
            } else if FieldText.isHan(c) {
                other = true
            }
        }
        if hangul && !latin && !other { return .hangul }
        if latin && !hangul && !other { return .latin }
        if !hangul && !latin && !other { return .latin }
        return .mixed
    }

    private static let singleSurnames: Set<Unicode.Scalar> = Set(
        ("김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구민진나지엄채원천방공현함변염여추도소석선설마길연위표명기반라왕금옥육인맹제모탁국어은편용예경봉사부가복태목형피두감음빈동온호범좌팽승간상갈단견당화창옹순빙곡")
            .unicodeScalars)
    private static let doubleSurnames = FieldText.keys(["남궁", "황보", "제갈", "선우", "독고", "사공", "서문", "동방", "망절", "어금"])

    static func hasSurname(_ s: [Unicode.Scalar]) -> Bool {
        guard let f = s.first else { return false }
        if singleSurnames.contains(f) { return true }
        return s.count >= 3 && doubleSurnames.contains(Array(s.prefix(2)))
    }
}

// MARK: - Plain names on UTF-8 bytes

extension NameNormalizer {
    /// The common name cells, read straight from their UTF-8 bytes:
    /// - one to four Hangul syllables (precomposed or decomposed NFD), as one word or several
    ///   separated by single spaces (`김민준`, `김 민준`), optionally followed by `님` (one word of
    ///   3-4 syllables) or by the word `님`/`씨` (`박현정 님`);
    /// - Latin names of two or more ASCII words (`Nguyen Thi Lan`);
    /// - either followed by one role annotation closing the cell (`(엄마)`, ` (母)`).
    ///
    /// For these the rules of `normalize` reduce to: take the role from the annotation, drop the
    /// honorific, join Hangul words. Whenever any other rule could apply (a nickname ending, a
    /// word that is a role, honorific, drop word or placeholder, anything else in the cell) this
    /// returns nil and the general path decides, so the result is always the one the general path
    /// would give.
    static func plainName(_ raw: String) -> Normalized<PersonName>? {
        var text = raw
        return text.withUTF8 { b -> Normalized<PersonName>? in
            guard let last = b.last else { return nil }
            var end = b.count
            var role: String?
            if last == 0x29 {  // `)`: the annotation; the name part must hold no brackets at all
                guard let open = b.lastIndex(of: 0x28), open + 2 < end,
                    let r = plainRole(b[(open + 1)..<(end - 1)])
                else { return nil }
                role = r
                end = open > 0 && b[open - 1] == 0x20 ? open - 1 : open
            }
            let name = b[0..<end]  // indexed from 0, as the readers below take it
            guard let first = name.first else { return nil }
            return first < 0x80 ? plainLatinName(name, role: role) : plainHangulName(name, role: role)
        }
    }

    /// See `plainName`: the Hangul part, without the annotation.
    private static func plainHangulName<Bytes: RandomAccessCollection>(_ b: Bytes, role: String?) -> Normalized<
        PersonName
    >? where Bytes.Element == UInt8, Bytes.Index == Int {
        let n = b.count
        var i = 0
        var words = 0
        var firstWord: UInt64 = 0
        var previousWord: UInt64 = 0
        var word: UInt64 = 0
        var count = 0  // the word being read
        var before: UInt64 = 0
        var beforeCount = 0  // the words before it, joined
        while true {
            guard let first = SyllableKey.syllable(b, at: i) else { return nil }
            if words > 0 {
                previousWord = word
                before = before << (SyllableKey.bits * UInt64(count)) | word
                beforeCount += count
            }
            word = first.key
            count = 1
            i += first.length
            while let s = SyllableKey.syllable(b, at: i) {
                guard beforeCount + count < 5 else { return nil }
                word = word << SyllableKey.bits | s.key
                count += 1
                i += s.length
            }
            if words == 0 { firstWord = word }
            words += 1
            guard beforeCount + count <= 5 else { return nil }
            if i == n { break }
            guard b[i] == 0x20 else { return nil }
            i += 1
        }
        // `박현정 님`: the honorific word goes, what is before it is the name.
        if words >= 2 && count == 1 && (word == SyllableKey.nim || word == SyllableKey.ssi) {
            words -= 1
            word = previousWord
        } else {
            before = before << (SyllableKey.bits * UInt64(count)) | word
            beforeCount += count
        }
        guard beforeCount <= 4 else { return nil }
        let tables = plainTables
        var key = before
        var syllables = beforeCount
        if words == 1 {
            guard syllables >= 2, !tables.isNicknameEnding(key, count: syllables) else { return nil }
            if key & SyllableKey.lastMask == SyllableKey.nim && syllables >= 3 {
                key >>= SyllableKey.bits
                syllables -= 1
                guard key & SyllableKey.lastMask != SyllableKey.nim else { return nil }
            }
            guard !tables.isReserved(key) else { return nil }
        } else {
            guard !tables.isReserved(firstWord), !tables.isReserved(word), !tables.isReserved(key) else { return nil }
        }
        return .ok(PersonName(name: SyllableKey.string(key, count: syllables), role: role, script: .hangul), [])
    }

    /// See `plainName`: two or more words of ASCII letters, single spaces between them, none of
    /// them a role word and the whole not a placeholder; kept as written.
    private static func plainLatinName<Bytes: RandomAccessCollection>(_ b: Bytes, role: String?) -> Normalized<
        PersonName
    >? where Bytes.Element == UInt8, Bytes.Index == Int {
        var wordStart = 0
        var words = 0
        for k in 0...b.count {
            if k < b.count {
                let c = b[k] | 0x20  // lower-cases ASCII letters
                if c >= 0x61 && c <= 0x7A { continue }
                guard b[k] == 0x20 else { return nil }
            }
            let w = b[wordStart..<k]
            guard !w.isEmpty else { return nil }
            // A role word first or last moves into `role`: the general path does that.
            if plainTables.latinRoleWords.contains(where: { Self.equalsLowercased(w, $0) }) { return nil }
            words += 1
            wordStart = k + 1
        }
        guard words >= 2 else { return nil }
        if plainTables.latinPlaceholders.contains(where: { Self.equalsLowercasedIgnoringSpaces(b, $0) }) { return nil }
        return .ok(PersonName(name: String(decoding: b, as: UTF8.self), role: role, script: .latin), [])
    }

    private static func equalsLowercased<Word: Collection>(_ w: Word, _ lower: [UInt8]) -> Bool
    where Word.Element == UInt8 {
        w.count == lower.count && zip(w, lower).allSatisfy { $0 | 0x20 == $1 }
    }

    private static func equalsLowercasedIgnoringSpaces<Text: Collection>(_ b: Text, _ lower: [UInt8]) -> Bool
    where Text.Element == UInt8 {
        var k = 0
        for c in b where c != 0x20 {
            guard k < lower.count, c | 0x20 == lower[k] else { return false }
            k += 1
        }
        return k == lower.count
    }

    /// The role of an annotation's inner text when it is exactly one of the role words.
    private static func plainRole<Inner: Collection>(_ inner: Inner) -> String? where Inner.Element == UInt8 {
        for (utf8, role) in plainTables.roles where utf8.count == inner.count && utf8.elementsEqual(inner) {
            return role
        }
        return nil
    }

    /// The word lists as the fast path needs them, built once from the lists above.
    private struct PlainTables {
        /// Keys of every word that some rule treats specially (drop words, role words, honorifics,
        /// placeholders) and that is 1-4 Hangul syllables; sorted.
        let reserved: [UInt64]
        /// Nickname endings (`맘`, `엄마`, ...) as keys with their syllable counts.
        let nicknameEndings: [(key: UInt64, count: Int)]
        /// Role words as UTF-8, for annotations.
        let roles: [(utf8: [UInt8], role: String)]
        /// ASCII words of the lists, lower-cased: a Latin name holding one is left to the general path.
        let latinRoleWords: [[UInt8]]
        let latinPlaceholders: [[UInt8]]

        init() {
            var words: [[Unicode.Scalar]] =
                Array(dropWords) + Array(roleWords.keys) + Array(honorifics) + Array(placeholders)
            words.removeAll { $0.isEmpty || $0.count > 4 || !$0.allSatisfy(FieldText.isHangulSyllable) }
            reserved = Array(Set(words.map(SyllableKey.key))).sorted()
            nicknameEndings = nicknameSuffixes.map { (SyllableKey.key($0), $0.count) }
            roles = roleTable.map { (Array($0.key.utf8), $0.value) }.sorted {
                $0.utf8.lexicographicallyPrecedes($1.utf8)
            }
            func ascii(_ set: some Sequence<[Unicode.Scalar]>) -> [[UInt8]] {
                set.filter { $0.allSatisfy(\.isASCII) }.map { $0.map { UInt8($0.value) | 0x20 } }.sorted {
                    $0.lexicographicallyPrecedes($1)
                }
            }
            latinRoleWords = ascii(Array(roleWords.keys) + Array(dropWords) + Array(honorifics))
            latinPlaceholders = ascii(placeholders)
        }

        func isReserved(_ key: UInt64) -> Bool { reserved.sortedContains(key) }

        /// `isNickname` for a one-word name of `count` syllables.
        func isNicknameEnding(_ key: UInt64, count: Int) -> Bool {
            for e in nicknameEndings where count > e.count {
                let mask: UInt64 = (1 << (SyllableKey.bits * UInt64(e.count))) - 1
                if key & mask == e.key { return true }
            }
            return false
        }
    }

    private static let plainTables = PlainTables()
}

/// Up to four Hangul syllables packed into an integer, 14 bits each (syllable index + 1, so keys of
/// different lengths never collide), to compare a word with the word lists without an array.
enum SyllableKey {
    static let bits: UInt64 = 14
    static let lastMask: UInt64 = (1 << bits) - 1
    /// `님` and `씨`.
    static let nim = UInt64(0xB2D8 - 0xAC00 + 1)
    static let ssi = UInt64(0xC528 - 0xAC00 + 1)

    /// The Hangul syllable whose UTF-8 starts at `i`, as `FieldText.fold` reads it: a precomposed
    /// syllable (3 bytes), or conjoining jamo initial + medial (+ final) (6 or 9 bytes, NFD text).
    /// `b` is indexed from 0.
    @inline(__always)
    static func syllable<Bytes: RandomAccessCollection>(_ b: Bytes, at i: Int) -> (key: UInt64, length: Int)?
    where Bytes.Element == UInt8, Bytes.Index == Int {
        guard let v = scalar3(b, at: i) else { return nil }
        if v >= 0xAC00 && v <= 0xD7A3 { return (UInt64(v - 0xAC00 + 1), 3) }
        guard v >= 0x1100 && v <= 0x1112, let m = scalar3(b, at: i + 3), m >= 0x1161 && m <= 0x1175 else { return nil }
        var s = 0xAC00 + (v - 0x1100) * 588 + (m - 0x1161) * 28
        var length = 6
        if let t = scalar3(b, at: i + 6), t >= 0x11A8 && t <= 0x11C2 {
            s += t - 0x11A7
            length = 9
        }
        return (UInt64(s - 0xAC00 + 1), length)
    }

    /// The scalar of a 3-byte UTF-8 sequence at `i` (the text is valid UTF-8), or nil.
    @inline(__always)
    private static func scalar3<Bytes: RandomAccessCollection>(_ b: Bytes, at i: Int) -> UInt32?
    where Bytes.Element == UInt8, Bytes.Index == Int {
        guard i + 2 < b.count, b[i] & 0xF0 == 0xE0 else { return nil }
        return UInt32(b[i] & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F)
    }

    static func key(_ word: [Unicode.Scalar]) -> UInt64 {
        word.reduce(0) { $0 << bits | UInt64($1.value - 0xAC00 + 1) }
    }

    /// The syllables of a key as a String (at most 12 bytes: a small string, no allocation).
    static func string(_ key: UInt64, count: Int) -> String {
        String(unsafeUninitializedCapacity: count * 3) { out in
            for k in 0..<count {
                let v = UInt32((key >> (bits * UInt64(count - 1 - k))) & lastMask) - 1 + 0xAC00
                out[3 * k] = 0xE0 | UInt8(v >> 12)
                out[3 * k + 1] = 0x80 | UInt8((v >> 6) & 0x3F)
                out[3 * k + 2] = 0x80 | UInt8(v & 0x3F)
            }
            return count * 3
        }
    }
}
