import DolbomRuntime

/// Turns a free-text Korean address from a request form into `Address`.
///
/// Forms are typed by parents on phones: short 시도 names (`충남`), old names
/// (`강원도`, `전라북도`, `경북 군위군`), missing 시도, road numbers glued to
/// the road, `101-1203` for 동/호, brackets pasted twice, full-width
/// characters. Staff need one canonical form to sort and dedupe call lists,
/// and an issue whenever something could not be decided — ambiguous names
/// like `중구` or `고성군` are resolved only with evidence, never guessed.
public struct AddressNormalizer: Sendable {
    /// The longest cell read as an address, in characters (Unicode scalars), detail and postal
    /// code included: the longest real road address with a building name and unit is well under
    /// 200. A longer cell is not an address (a pasted document, a hostile export) and is not
    /// parsed: fatal `address_too_long`, no value.
    public static let maxCharacters = 500
    static let tooLong = CellTooLong(
        code: "address_too_long", field: "주소",
        advice: "주소가 아닌 내용이 들어 있는지 원본을 확인하고 주소만 적어 주세요.")

    public let gazetteer: Gazetteer
    /// `maxCharacters`, unless lifted (tests and `scripts/bench-hostile.sh` time the parser itself).
    public let maxCharacters: Int

    public init(gazetteer: Gazetteer = .builtIn, maxCharacters: Int = AddressNormalizer.maxCharacters) {
        self.gazetteer = gazetteer
        self.maxCharacters = maxCharacters
    }

    /// Pure; never throws. Blank input is fatal (`address_missing`), and so is a cell longer than
    /// `maxCharacters` (`address_too_long`); anything else gives a value, with warnings for what
    /// staff should check.
    public func normalize(_ raw: String) -> Normalized<Address> {
        if let issue = Self.tooLong.issue(raw, limit: maxCharacters) { return .failed(issue) }
        var parser = AddressParser(gazetteer: gazetteer)
        return parser.run(raw)
    }
}

/// One piece of a tokenized address. Words and bracket groups are byte ranges of the parser's
/// `text` (a `String` is made only for what goes into the result).
enum AddressPiece: Equatable {
    case word(Range<Int>)
    case comma
    case group(Range<Int>)
    case postalMark

    var word: Range<Int>? {
        if case .word(let w) = self { return w }
        return nil
    }
}

struct AddressParser {
    typealias S = AddressScan
    let g: Gazetteer
    var issues: [FieldIssue] = []
    /// Words, commas, groups; after `walk`, only the pieces of the detail.
    var pieces: [AddressPiece] = []
    /// The bytes of every word and group; pieces are ranges of it.
    var text = AddressText()

    // Collected parts.
    var postal: String?
    var writtenSido: String?
    var gwangju = false
    var gwangjuWord = "광주"
    var sigunguName: String?
    var sigunguCandidates: [String] = []
    var emd: String?
    var ri: String?
    var road: String?
    var number: String?
    var underground = false
    var jibun: String?
    /// Bracket groups met before the walk ended (they go into the detail).
    var earlyGroups: [AddressPiece] = []
    var skipped: [String] = []
    var buildingName: String?
    var refEmd: String?
    var refRi: String?
    var recognizedAnything = false
    var afterNumber = false
    /// The index of a road word that `roadAhead` found (no comma before it): asked again from
    /// any index up to it, the answer is still yes.
    var knownRoad: Int?
    /// `roadSuffixEnd` of the last word asked (the word after the one being split, asked again
    /// for every rest).
    var suffixMemo: (word: Range<Int>, end: Int?)?
    /// Runs of name scalars and of Hangul ending at a long word's end (see `tailStart`).
    var nameTails: [TailRun] = []
    var hangulTails: [TailRun] = []
    /// The building name was read from the detail's first word (not from a bracket).
    var nameFromDetail = false

    init(gazetteer: Gazetteer) { self.g = gazetteer }

    mutating func warn(_ code: String, _ message: String) {
        if !issues.contains(where: { $0.code == code }) { issues.append(.warning(code, message)) }
    }

    /// A word or group as a `String` (for the result, or for a rule that needs Characters).
    func string(_ r: Range<Int>) -> String { text.string(r) }

    // MARK: - Tokenizing

    /// Splits into words, commas and bracket groups in one pass over the
    /// UTF-8 bytes, folding full-width forms and odd spaces; the words and
    /// (space-collapsed) groups are written one after another into `text`.
    mutating func tokenize(_ raw: String) {
        pieces.reserveCapacity(16)
        let n = raw.utf8.count
        // Folding never makes text longer: words and groups take at most `n` bytes; the rest is
        // room for words put together later.
        text = AddressText(capacity: 2 * n + 32)
        // A bracket group is gathered as written, then collapsed into `text`.
        do {
            var group = ByteText(capacity: n + 1)
            var inGroup = false
            var wordStart = 0  // where the word being read starts in `text`
            // Walks the UTF-8 bytes: a scalar `fold` changes is always one of the non-ASCII ones
            // below, and always becomes ASCII; every other scalar (Hangul: lead bytes EA–ED) is
            // copied as its bytes, without decoding.
            raw.withUTF8Span { b in
                var i = 0
                while i < n {
                    // A run of plain bytes is copied as written in one go: Hangul syllables
                    // (three-byte scalars led by EA–ED, none of them `fold` inputs) and printable
                    // ASCII other than the separators and brackets (which `fold` keeps).
                    var j = i
                    while j < n {
                        let x = b[j]
                        if x >= 0xEA && x <= 0xED { j += 3 } else if Self.isPlainASCII(x) { j += 1 } else { break }
                    }
                    if j > i {
                        let run = b.extracting(i..<j)
                        if inGroup { group.append(run) } else { text.append(run) }
                        i = j
                        continue
                    }
                    let lead = b[i]
                    var ch = -1  // the (folded) ASCII character, or -1 for a scalar kept as written
                    var len = 1
                    if lead < 0x80 {
                        ch = Int(S.fold(Unicode.Scalar(lead)).value)
                    } else {
                        len = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
                        // Lead bytes of U+0080–07FF, U+1000–3FFF and U+F000–FFFF: where `fold`'s inputs are.
                        if lead == 0xC2 || lead == 0xE1 || lead == 0xE2 || lead == 0xE3 || lead == 0xEF {
                            var v = UInt32(lead) & (len == 2 ? 0x1F : 0x0F)
                            for k in 1..<len { v = (v << 6) | UInt32(b[i + k] & 0x3F) }
                            let f = S.fold(Unicode.Scalar(v)!)
                            if f.value < 0x80 { ch = Int(f.value) }
                        }
                    }
                    defer { i += len }
                    if inGroup {
                        if ch == 0x29 || ch == 0x5D {  // ) ]
                            emitGroup(group[0..<group.count])
                            wordStart = text.count
                            group.removeAll()
                            inGroup = false
                        } else if ch == 0x28 || ch == 0x5B {  // ( [
                            // Unbalanced: the earlier "(" was text, e.g. `지층(갈현동 501-5 (갈현동)`.
                            for k in 0..<group.count {
                                let b = group[k]
                                if b == 0x20 {
                                    endWord(&wordStart)
                                } else if b == 0x2C {
                                    endWord(&wordStart)
                                    pieces.append(.comma)
                                } else {
                                    text.append(b)
                                }
                            }
                            endWord(&wordStart)
                            group.removeAll()
                        } else if ch >= 0 {
                            group.append(UInt8(ch))
                        } else {
                            for k in 0..<len { group.append(b[i + k]) }
                        }
                        continue
                    }
                    switch ch {
                    case 0x20, 0x3A, 0x3B:  // space : ;
                        endWord(&wordStart)
                    case 0x2C:  // ,
                        endWord(&wordStart)
                        pieces.append(.comma)
                    case 0x28, 0x5B:  // ( [
                        endWord(&wordStart)
                        inGroup = true
                    case 0x29, 0x5D:  // ) ]
                        if text[wordStart..<text.count].equals("우") {
                            text.truncate(to: wordStart)
                            pieces.append(.postalMark)
                        } else {
                            endWord(&wordStart)
                        }
                    case -1:
                        text.append(b.extracting(i..<i + len))
                    default:
                        text.append(UInt8(ch))
                    }
                }
            }
            endWord(&wordStart)
            if inGroup { emitGroup(group[0..<group.count]) }
        }
    }

    /// Printable ASCII that is not a separator (`,` `:` `;`) or bracket: kept as is in a word
    /// or group.
    @inline(__always) static func isPlainASCII(_ x: UInt8) -> Bool {
        guard x > 0x20 && x < 0x7F else { return false }
        switch x {
        case 0x28, 0x29, 0x2C, 0x3A, 0x3B, 0x5B, 0x5D: return false
        default: return true
        }
    }

    /// Ends the word being read (the bytes of `text` from `start`), if it has any.
    @inline(__always) mutating func endWord(_ start: inout Int) {
        if text.count > start { pieces.append(.word(start..<text.count)) }
        start = text.count
    }

    /// A closed bracket group: its bytes written into `text` with spaces collapsed.
    mutating func emitGroup(_ g: Span<UInt8>) {
        let start = text.count
        // Runs of other bytes, one space between two of them.
        var k = 0
        while k < g.count {
            if g[k] == 0x20 {
                k += 1
                continue
            }
            var end = k + 1
            while end < g.count, g[end] != 0x20 { end += 1 }
            if text.count > start { text.append(0x20) }
            text.append(g.extracting(k..<end))
            k = end
        }
        guard text.count > start else { return }
        let r = start..<text.count
        if text[r].equals("우") || text[r].equals("우편번호") {
            text.truncate(to: start)
            pieces.append(.postalMark)
            return
        }
        pieces.append(.group(r))
    }

    static func isPostal(_ w: String) -> Bool {
        let u = w.utf8
        return u.count == 5 && u.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// Five ASCII digits.
    @inline(__always) static func isPostal(_ u: ScalarBytes) -> Bool { u.count == 5 && u.allDigits(0, 5) }

    /// Whether `u` starts with an ASCII digit or with `우`, as every postal-code form does.
    @inline(__always) static func mayBePostal(_ u: ScalarBytes) -> Bool {
        guard let b = u.firstByte else { return false }
        return (b >= 0x30 && b <= 0x39) || u.starts(with: "우")
    }

    /// Whether the first byte is an ASCII digit.
    @inline(__always) static func startsWithDigit(_ u: ScalarBytes) -> Bool {
        guard let b = u.firstByte else { return false }
        return b >= 0x30 && b <= 0x39
    }

    mutating func setPostal(_ p: String) {
        if postal == nil { postal = p }
    }

    mutating func extractPostal() {
        // Usually nothing is taken out: the kept pieces are copied into `out` only from the
        // first piece that is taken out (`kept` counts them either way).
        var out: [AddressPiece]?
        var kept = 0
        var markPending = false
        for i in pieces.indices {
            let p = pieces[i]
            var keep = false
            switch p {
            case .postalMark:
                markPending = true
            case .word(let r) where !Self.mayBePostal(text[r]), .group(let r) where !Self.mayBePostal(text[r]):
                // Quick reject of the usual word: every case below needs a digit or `우` first.
                markPending = false
                keep = true
            case .word(let r) where Self.startsWithDigit(text[r]):
                // Of the forms only the bare 5-digit code can match a word starting with a digit.
                if Self.isPostal(text[r]) && (markPending || kept == 0) { setPostal(string(r)) } else { keep = true }
                markPending = false
            case .group(let r) where Self.startsWithDigit(text[r]):
                if Self.isPostal(text[r]) {
                    setPostal(string(r))
                } else {
                    markPending = false
                    keep = true
                }
            case .word(let r):
                // Starts with `우`: read as a `String` (`dropFirst` counts Characters).
                let w = string(r)
                if w.addressBytesEqual("우편번호") || w.addressBytesEqual("우편") || w.addressBytesEqual("우") {
                    markPending = true
                } else if Self.isPostal(w) && (markPending || kept == 0) {
                    setPostal(w)
                    markPending = false
                } else if w.utf8.starts(with: "우편번호".utf8) && Self.isPostal(String(w.dropFirst(4))) {
                    setPostal(String(w.dropFirst(4)))
                } else {
                    markPending = false
                    keep = true
                }
            case .group(let r):
                let c = string(r)
                if Self.isPostal(c) {
                    setPostal(c)
                } else if c.utf8.starts(with: "우편번호".utf8) && Self.isPostal(String(c.dropFirst(4)).addressTrimmed) {
                    setPostal(String(c.dropFirst(4)).addressTrimmed)
                } else if c.unicodeScalars.first == "우" && Self.isPostal(String(c.dropFirst(1)).addressTrimmed) {
                    setPostal(String(c.dropFirst(1)).addressTrimmed)
                } else {
                    markPending = false
                    keep = true
                }
            case .comma:
                markPending = false
                keep = true
            }
            if keep {
                kept += 1
                out?.append(p)
            } else if out == nil {
                // The first piece taken out: every earlier piece was kept.
                var o: [AddressPiece] = []
                o.reserveCapacity(pieces.count)
                o.append(contentsOf: pieces[..<i])
                out = o
            }
        }
        if let out { pieces = out }
        // A trailing 5-digit word is a postal code unless it is a road's number.
        if let lastWordIndex = pieces.lastIndex(where: { $0.word != nil }), let w = pieces[lastWordIndex].word,
            Self.isPostal(text[w])
        {
            var prevIsRoad = false
            if let prev = pieces[..<lastWordIndex].last(where: { $0.word != nil })?.word {
                let u = text[prev]
                prevIsRoad = S.roadEnd(u) != nil || S.roadSuffixEnd(u) != nil || u.equals("지하") || u.equals("산")
            }
            if !prevIsRoad {
                setPostal(string(w))
                pieces.remove(at: lastWordIndex)
            }
        }
    }

    // MARK: - Reference bracket `(법정동, 건물명)`

    /// What a reference bracket gives: 읍면동, 리, 건물명.
    struct Reference {
        var emd: String?
        var ri: String?
        var building: String?
    }

    /// (읍면동, 리, 건물명) when the bracket group `r` starts with a 읍면동 or 리. The group's spaces are collapsed already
    /// (`emitGroup`: no runs, none at either end), so a comma-separated part is a range of it once
    /// the spaces next to its commas are left out, and words within a part are one space apart.
    func reference(_ r: Range<Int>) -> Reference? {
        let u = text[r]
        // Cheap reject before any splitting: the first word must be a 읍면동/리.
        var firstEnd = 0
        while firstEnd < u.count, u[firstEnd] != 0x20, u[firstEnd] != 0x2C { firstEnd += 1 }
        let first = u.extracting(0..<firstEnd)
        let firstIsRi = S.isRi(first)
        guard firstIsRi || S.isEupMyeonDong(first) else { return nil }
        if firstEnd == u.count {
            return firstIsRi ? Reference(ri: string(r)) : Reference(emd: string(r))
        }
        /// The part starting at or after `from` (the bytes up to the next comma, without the
        /// spaces at its ends; nil when empty) and where the next one starts.
        func part(from: Int) -> (part: Range<Int>?, next: Int) {
            var end = from
            while end < u.count, u[end] != 0x2C { end += 1 }
            var a = from
            var b = end
            while a < b, u[a] == 0x20 { a += 1 }
            while b > a, u[b - 1] == 0x20 { b -= 1 }
            return (a < b ? a..<b : nil, end + 1)
        }
        // The first part starts with the first word (which is not empty).
        let (firstPartRange, afterFirst) = part(from: 0)
        guard let firstPart = firstPartRange else { return nil }
        /// The word of the first part starting at `from`.
        func word(from: Int) -> Range<Int> {
            var end = from
            while end < firstPart.upperBound, u[end] != 0x20 { end += 1 }
            return from..<end
        }
        var emd: String?
        var ri: String?
        // `rest`: the first part's words after the place names.
        var restStart = firstEnd + 1
        if firstIsRi {
            ri = text.string(r.lowerBound..<r.lowerBound + firstEnd)
        } else {
            if S.isBlockLetterDong(first), firstEnd < firstPart.upperBound {
                let second = word(from: firstEnd + 1)
                if S.isUnit(u.extracting(second)) { return nil }
            }
            emd = text.string(r.lowerBound..<r.lowerBound + firstEnd)
            if firstEnd < firstPart.upperBound, first.last == .v("읍") || first.last == .v("면") {
                let next = word(from: firstEnd + 1)
                if S.isRi(u.extracting(next)) {
                    ri = text.string(r.lowerBound + next.lowerBound..<r.lowerBound + next.upperBound)
                    restStart = next.upperBound + 1
                }
            }
        }
        // The parts of `rest` (ranges of `u`), joined once at the end: a bracket of many parts
        // is not copied once per part.
        var rest: [Range<Int>] = restStart < firstPart.upperBound ? [restStart..<firstPart.upperBound] : []
        var from = afterFirst
        while from < u.count {
            let (p, next) = part(from: from)
            from = next
            guard let p else { continue }
            let extra = u.extracting(p)
            if rest.isEmpty, emd != nil, ri == nil, S.isRi(extra) {
                ri = text.string(r.lowerBound + p.lowerBound..<r.lowerBound + p.upperBound)
                continue
            }
            if rest.isEmpty, emd == nil, S.isEupMyeonDong(extra), !extra.contains(0x20) {
                emd = text.string(r.lowerBound + p.lowerBound..<r.lowerBound + p.upperBound)
                continue
            }
            rest.append(p)
        }
        guard !rest.isEmpty else { return Reference(emd: emd, ri: ri, building: nil) }
        let building = AddressTextWriter.string(capacity: rest.reduce(rest.count - 1) { $0 + $1.count }) { out in
            for (k, p) in rest.enumerated() {
                if k > 0 { out.byte(0x20) }
                out.bytes(u.extracting(p))
            }
        }
        return Reference(emd: emd, ri: ri, building: building)
    }

    mutating func extractReference() {
        // Each group is read once. The last group with a reference is the chosen one; the few
        // references it supersedes are kept in `others` (by piece index) for the second pass.
        var chosen = -1
        var chosenRange = 0..<0
        var chosenRef = Reference()
        var others: [(index: Int, ref: Reference)] = []
        for k in pieces.indices {
            guard case .group(let c) = pieces[k], let ref = reference(c) else { continue }
            if chosen >= 0 { others.append((chosen, chosenRef)) }
            chosen = k
            chosenRange = c
            chosenRef = ref
        }
        guard chosen >= 0 else { return }
        refEmd = chosenRef.emd
        refRi = chosenRef.ri
        buildingName = chosenRef.building
        // Drop copies of the reference (pasted twice) and other brackets that only
        // repeat its 동, taking a building name from them when the reference has none.
        // (Kept pieces are moved down in place.)
        var kept = 0
        var nextOther = 0  // `others` is in piece order: the next one not passed yet
        for k in pieces.indices {
            let piece = pieces[k]
            if case .group(let c) = piece {
                while nextOther < others.count, others[nextOther].index < k { nextOther += 1 }
                if k == chosen || text[c].hasSameElements(as: text[chosenRange]) { continue }
                let ref = nextOther < others.count && others[nextOther].index == k ? others[nextOther].ref : nil
                if isRepeatOfReference(ref) { continue }
            }
            pieces[kept] = piece
            kept += 1
        }
        pieces.removeLast(pieces.count - kept)
    }

    /// Whether a group other than the chosen one, whose reference is `r`, only repeats the chosen
    /// reference; may take its building name.
    mutating func isRepeatOfReference(_ r: Reference?) -> Bool {
        guard let r else { return false }
        let sameEmd = r.emd.map { e in refEmd.map { $0.addressBytesEqual(e) } ?? false } ?? true
        let sameRi = r.ri.map { x in refRi.map { $0.addressBytesEqual(x) } ?? false } ?? true
        guard sameEmd, sameRi else { return false }
        guard let b = r.building else { return true }
        if let mine = buildingName { return mine.addressBytesEqual(b) }
        if b.unicodeScalars.contains(where: { $0 == "층" || $0 == "호" }) { return false }
        buildingName = b
        return true
    }

    // MARK: - Main walk

    /// `next` is a 시도 suffix written apart (`서울 특별시`).
    static func isSidoSuffix(_ u: ScalarBytes) -> Bool {
        u.equals("특별시") || u.equals("광역시") || u.equals("특별자치시") || u.equals("특별자치도") || u.equals("도") || u.equals("시")
    }

    func sidoAt(_ i: Int) -> (code: String, consumed: Int)? {
        guard let w = pieces[i].word else { return nil }
        if i + 1 < pieces.count, let next = pieces[i + 1].word, Self.isSidoSuffix(text[next]),
            let code = g.sidoAliases.value(text[w], text[next])
        {
            return (code, 2)
        }
        if let code = g.sidoAliases[bytes: text[w]] { return (code, 1) }
        return nil
    }

    /// Splits a word that glues a 시도/시군구 to what follows (`서울특별시서초구`, `아산시배방읍`):
    /// the offset in `text` where the second word starts, trying the longest head first.
    /// Only heads up to the longest name are tried: the work per word does not grow with the word
    /// (a hostile cell is one word of `아산시` repeated, split once per `아산시`).
    func splitGlued(_ w: Range<Int>) -> Int? {
        let u = text[w]
        // Four scalars or more (four bytes or more): the last two stay in the rest, and at least
        // two come before them.
        guard u.count >= 4 else { return nil }
        let lastStart = u.start(before: u.count)
        guard lastStart > 0 else { return nil }
        let restStart = u.start(before: lastStart)
        guard restStart > 0, u.start(before: restStart) > 0 else { return nil }
        let limit = min(restStart, max(g.sidoAliases.longestKeyCount, g.sigunguKeys.longestKeyCount, 9))
        // The head is the first `k` scalars, `0 ..< end`: the longest that ends by `limit`.
        var k = 0
        var end = 0
        while end < limit {
            let next = end + u.scalar(at: end).length
            if next > limit { break }
            end = next
            k += 1
        }
        while k >= 2 {
            let head = u.extracting(0..<end)
            if g.sidoAliases[bytes: head] != nil { return w.lowerBound + end }
            let last = u.scalar(at: u.start(before: end)).value
            if last == .v("시") || last == .v("군") || last == .v("구") {
                if g.sigunguKeys[bytes: head] != nil || u.extracting(0..<end).equals("광주시") {
                    return w.lowerBound + end
                }
            }
            end = u.start(before: end)
            k -= 1
        }
        return nil
    }

    mutating func roadAhead(from i: Int) -> Bool {
        // Each unknown word before a road asks; the road found first answers them all.
        if let r = knownRoad, r >= i { return true }
        var j = i
        while j < pieces.count {
            switch pieces[j] {
            case .word(let w):
                if roadEnd(w) != nil {
                    knownRoad = j
                    return true
                }
            case .comma:
                return false
            default:
                break
            }
            j += 1
        }
        return false
    }

    mutating func walk() {
        var i = 0
        region: while i < pieces.count {
            let p = pieces[i]
            guard case .word(let wr) = p else {
                if case .group = p { earlyGroups.append(p) }
                i += 1
                continue
            }
            // (`text[wr]`: read afresh each time, as the parser's state changes between the reads.)
            if road == nil, jibun == nil {
                if let sido = sidoAt(i) {
                    if writtenSido == nil {
                        writtenSido = sido.code
                    } else if writtenSido != sido.code {
                        warn("address_sido_conflict", "시도가 두 번 다르게 적혀 있습니다. 앞의 시도를 썼으니 주소의 시도를 확인해 주세요.")
                    }
                    recognizedAnything = true
                    i += sido.consumed
                    continue
                }
                if text[wr].equals("광주") || text[wr].equals("광주시") {
                    gwangju = true
                    gwangjuWord = string(wr)
                    recognizedAnything = true
                    i += 1
                    continue
                }
                if let codes = g.sigunguKeys[bytes: text[wr]] {
                    recognizedAnything = true
                    var consumed = 1
                    var found = codes
                    var second: Range<Int>?  // the second word of a two-word name (`천안시 서북구`)
                    if i + 1 < pieces.count, let next = pieces[i + 1].word,
                        let combined = g.sigunguKeys.value(text[wr], text[next], separator: 0x20)
                    {
                        found = combined
                        consumed = 2
                        second = next
                    }
                    if sigunguName == nil {
                        sigunguName = sigunguName(wr, second)
                        sigunguCandidates = found
                    } else if !found.isEmpty {
                        // `천안시 ... 서북구` apart, or `광주 북구`: narrow to the 구 under the 시.
                        let narrowed = found.filter { code in
                            sigunguCandidates.contains { parent in g.guChildren[parent]?.contains(code) == true }
                        }
                        if !narrowed.isEmpty {
                            sigunguCandidates = narrowed
                            sigunguName = sigunguName(wr, second)
                        } else if Set(found) != Set(sigunguCandidates)
                            && sigunguCandidates.allSatisfy({ g.guChildren[$0] == nil })
                        {
                            warn("address_sigungu_conflict", "시군구가 두 번 다르게 적혀 있습니다. 앞의 시군구를 썼으니 확인해 주세요.")
                        }
                    }
                    i += consumed
                    continue
                }
                if sigunguName == nil, let rs = g.renames[bytes: text[wr]],
                    rs.contains(where: { $0.kind == .sigunguRenamed || $0.kind == .sigunguMoved })
                {
                    recognizedAnything = true
                    sigunguName = string(wr)
                    sigunguCandidates = []
                    i += 1
                    continue
                }
                // Each scan once per word (below, `isEupMyeonDong` only matters when `isRi` is false).
                let isRiWord = isRi(wr)
                let isEmdWord = !isRiWord && isEupMyeonDong(wr)
                if isRiWord || isEmdWord, let split = splitGlued(wr) {
                    splitWord(at: &i, split)
                    continue
                }
                // `진각로141훈리`: a road and its number glued to the 리 after them.
                if isRiWord || isEmdWord, wr.count <= Self.longWord, let p = S.roadGluedSplit(text[wr]) {
                    splitWord(at: &i, wr.lowerBound + p)
                    continue
                }
                // `온양 1동`, `당산동 3가`, `반포 4동`: a 동 written apart from its number.
                if wr.count <= Self.longWord, joinNumberedDong(at: i, isEmdWord: isEmdWord) {
                    i += 1
                    continue
                }
                // `젊음의2거리 5`: a road named `…거리`, not a 리, when a building number follows.
                if isRiWord, text[wr].last == .v("리"), wr.count > 9,
                    (S.nameLength(text[wr], 0, text[wr].count) ?? 0) >= 4,
                    text[wr].scalar(at: text[wr].start(before: wr.count - 3)).value == .v("거"),
                    i + 1 < pieces.count, let next = pieces[i + 1].word, S.buildingNumberEnd(text[next]) != nil
                {
                    recognizedAnything = true
                    i = parseRoad(wr, nameEnd: wr.count, at: i)
                    break region
                }
                if isRiWord {
                    if ri == nil { ri = string(wr) }
                    recognizedAnything = true
                    i += 1
                    continue
                }
                if isEmdWord && !(S.isBlockLetterDong(text[wr]) && recognizedAnything && emd != nil) {
                    if emd == nil { emd = string(wr) }
                    recognizedAnything = true
                    i += 1
                    continue
                }
            }
            if road == nil, jibun == nil, let nameEnd = roadEnd(wr) {
                // `충청남도아산시번영로224번길15`, `서울마포구월드컵로10길`: the region glued to the road.
                if sigunguName == nil, !gwangju, wr.count <= Self.longWord, let split = gluedRegionSplit(wr) {
                    splitWord(at: &i, split)
                    continue
                }
                // `고덕면고덕국제대로`: a 읍/면 glued before the road, after the region.
                if emd == nil, sigunguName != nil || writtenSido != nil, wr.count <= Self.longWord,
                    let split = gluedEupMyeonSplit(wr)
                {
                    splitWord(at: &i, split)
                    continue
                }
                recognizedAnything = true
                i = parseRoad(wr, nameEnd: nameEnd, at: i)
                break region
            }
            // `번영료 224`: a road whose last syllable is one key off `로` (ㅛ ㅓ ㅜ ㅠ ㅕ beside ㅗ), after the
            // region and before a building number. Read as the road as written, with a warning: the official
            // address file corrects it when exactly one road fits; without the file a person does.
            if road == nil, jibun == nil, sigunguName != nil || emd != nil, wr.count <= Self.longWord,
                S.isRoadSuffixSlip(text[wr]), i + 1 < pieces.count, let next = pieces[i + 1].word,
                S.buildingNumberEnd(text[next]) != nil
            {
                recognizedAnything = true
                warn(
                    "address_road_suffix_unusual",
                    "도로명 '\(string(wr))'이(가) '로'나 '길'로 끝나지 않습니다. 도로명으로 읽었으니 오타인지 확인해 주세요.")
                i = parseRoad(wr, nameEnd: wr.count, at: i)
                break region
            }
            if road == nil, jibun == nil, wr.count <= Self.longWord {
                // `읍내동산51번지`, `모종동592-11`: a 읍면동/리 glued to its 지번.
                if let p = S.placeJibunSplit(text[wr]) {
                    splitWord(at: &i, wr.lowerBound + p)
                    continue
                }
                // `금제13길6금능동`: a road and its number glued to what follows.
                if let p = S.roadGluedSplit(text[wr]) {
                    splitWord(at: &i, wr.lowerBound + p)
                    continue
                }
            }
            // `신대방 1길`: a road name split before its `N길`.
            if road == nil, jibun == nil, i + 1 < pieces.count, let next = pieces[i + 1].word, isHangulWord(wr),
                roadSuffixEnd(next) != nil
            {
                recognizedAnything = true
                // The `N길` and its number are the whole next word: the two words put together, in
                // the next word's place (the pieces before `i` are behind the walk).
                let start = text.count
                text.append(wr)
                text.append(next)
                pieces[i + 1] = .word(start..<text.count)
                if let r = knownRoad, r <= i + 1 { knownRoad = nil }
                i += 1
                continue
            }
            if road == nil, jibun == nil, emd != nil || ri != nil || sigunguName != nil {
                if text[wr].equals("산"), i + 1 < pieces.count, let next = pieces[i + 1].word,
                    let form = S.jibunForm(text[next]), text[next].first != .v("산")
                {
                    jibun = "산" + form.text
                    i += 2
                    takeJibunTail(form, &i)
                    afterNumber = true
                    break region
                }
                if let form = S.jibunForm(text[wr]) {
                    jibun = form.text
                    i += 1
                    takeJibunTail(form, &i)
                    afterNumber = true
                    break region
                }
            }
            if road == nil, jibun == nil, let split = splitGlued(wr) {
                splitWord(at: &i, split)
                continue
            }
            // Unknown word.
            if !recognizedAnything || roadAhead(from: i + 1) {
                skipped.append(string(wr))
                i += 1
                continue
            }
            break region
        }
        // What is left is the detail: the early groups, then the pieces from `i` on.
        if earlyGroups.isEmpty {
            pieces.removeFirst(i)
        } else {
            pieces = earlyGroups + pieces[i...]
        }
    }

    /// A 시군구 name of one word, or of two joined by a space.
    func sigunguName(_ w: Range<Int>, _ second: Range<Int>?) -> String {
        guard let second else { return string(w) }
        return string(w) + " " + string(second)
    }

    /// The word at `i` becomes two words, split at the `text` offset `split`; `i` is then the
    /// first. The pieces before `i` are behind the walk and never read again, so the first word
    /// takes the place before `i` when there is one: a word split once per name costs no shift of
    /// the pieces after it.
    mutating func splitWord(at i: inout Int, _ split: Int) {
        guard let w = pieces[i].word else { return }
        if i > 0 {
            pieces[i - 1] = .word(w.lowerBound..<split)
            pieces[i] = .word(split..<w.upperBound)
            i -= 1
        } else {
            pieces[i] = .word(w.lowerBound..<split)
            pieces.insert(.word(split..<w.upperBound), at: i + 1)
            if let r = knownRoad, r > i { knownRoad = r + 1 }
        }
    }

    // MARK: - Long words

    /// Words up to this many bytes are read by the `AddressScan` rules as they are; longer ones
    /// (only in hostile cells) answer the rules' "all name scalars?" and "all Hangul?" from the
    /// runs at their end (`tailStart`), so that every rest of a word split again and again is not
    /// read again.
    static let longWord = 64

    /// A run of scalars that ends at byte `end` of `text` and starts at `start`, read back no
    /// further than `floor`: `[start, end)` holds only the run's scalars, and the scalar before
    /// `start` is not one of them, or `start == floor`.
    struct TailRun {
        var end: Int
        var floor: Int
        var start: Int
    }

    /// Where the run of scalars accepted by `accept` that ends at `end` starts, read back to
    /// `from` at most; remembered, so that the rests of a split word (same end, later starts) ask
    /// in constant time.
    static func tailStart(
        _ tails: inout [TailRun], in text: AddressText, from: Int, to end: Int, _ accept: (UInt32) -> Bool
    ) -> Int {
        if let t = tails.first(where: { $0.end == end && $0.floor <= from }) { return t.start }
        let u = text[0..<end]
        var start = end
        while start > from {
            let p = u.start(before: start)
            guard p >= from, accept(u.scalar(at: p).value) else { break }
            start = p
        }
        if tails.count >= 4 { tails.removeFirst() }
        tails.append(TailRun(end: end, floor: from, start: start))
        return start
    }

    /// `AddressScan.isName` of the bytes `from ..< to` of `text`, for a long word.
    mutating func isLongName(_ from: Int, _ to: Int) -> Bool {
        // Two scalars or more: the last one does not start at `from`.
        guard to > from, text[0..<to].start(before: to) > from else { return false }
        return Self.tailStart(&nameTails, in: text, from: from, to: to, S.isNameScalar) <= from
    }

    /// `S.isRi` of a word.
    mutating func isRi(_ r: Range<Int>) -> Bool {
        if r.count <= Self.longWord { return S.isRi(text[r]) }
        // A long word is read from a copy of the text, as `isLongName` keeps its memo on the way.
        let text = self.text
        return S.isPlaceName(text[r], endings: .ri, isName: { isLongName(r.lowerBound, r.lowerBound + $0) })
    }

    /// `S.isEupMyeonDong` of a word.
    mutating func isEupMyeonDong(_ r: Range<Int>) -> Bool {
        if r.count <= Self.longWord { return S.isEupMyeonDong(text[r]) }
        // A long word is read from a copy of the text, as `isLongName` keeps its memo on the way.
        let text = self.text
        return S.isEupMyeonDong(text[r], isName: { isLongName(r.lowerBound, r.lowerBound + $0) })
    }

    /// `S.roadEnd` of a word.
    mutating func roadEnd(_ r: Range<Int>) -> Int? {
        if r.count <= Self.longWord { return S.roadEnd(text[r]) }
        // A long word is read from a copy of the text, as `isLongName` keeps its memo on the way.
        let text = self.text
        return S.roadEnd(text[r], isName: { isLongName(r.lowerBound, r.lowerBound + $0) })
    }

    /// `S.isHangulWord(_, atLeast: 0)` of a word.
    mutating func isHangulWord(_ r: Range<Int>) -> Bool {
        if r.count <= Self.longWord { return S.isHangulWord(text[r], atLeast: 0) }
        return Self.tailStart(&hangulTails, in: text, from: r.lowerBound, to: r.upperBound, { S.isHangul($0) })
            <= r.lowerBound
    }

    /// `S.roadSuffixEnd` of a word, remembered for the last word asked.
    mutating func roadSuffixEnd(_ r: Range<Int>) -> Int? {
        if let m = suffixMemo, m.word == r { return m.end }
        let end = S.roadSuffixEnd(text[r])
        suffixMemo = (r, end)
        return end
    }

    mutating func skipBunji(_ i: inout Int) {
        if i < pieces.count, let w = pieces[i].word, text[w].equals("번지") { i += 1 }
    }

    /// After a 지번: a `번지` written apart, and the sub-number written as 호 after `번지`
    /// (`1784번지 3호` → `1784-3`).
    mutating func takeJibunTail(_ form: (text: String, hasSub: Bool, bunji: Bool), _ i: inout Int) {
        var bunji = form.bunji
        if i < pieces.count, let w = pieces[i].word, text[w].equals("번지") {
            i += 1
            bunji = true
        }
        guard bunji, !form.hasSub, i < pieces.count, let w = pieces[i].word, let d = S.hoNumber(text[w]) else { return }
        if !text[w].all(d.lowerBound, d.upperBound, are: 0x30) {
            jibun = (jibun ?? "") + "-" + text[w].string(d.lowerBound, d.upperBound)
        }
        i += 1
    }

    /// Joins a 동 written apart from its number (`온양 1동` → `온양1동`, `당산동 3가` → `당산동3가`)
    /// into the next word's place; true when it did.
    mutating func joinNumberedDong(at i: Int, isEmdWord: Bool) -> Bool {
        guard i + 1 < pieces.count, let next = pieces[i + 1].word, next.count <= Self.longWord else { return false }
        do {  // the two words read, then put together
            let w = text[pieces[i].word!]
            let n = text[next]
            let d = S.digitRun(n, from: 0)
            guard d >= 1, d <= 3, n.count == d + 3 || (n.count == d + 6 && n.extracting(d + 3..<n.count).equals("동"))
            else {
                return false
            }
            let unit = n.scalar(at: d).value
            if isEmdWord {
                // `당산동 3가`: only 가 follows a whole 동 name.
                guard unit == .v("가"), w.last == .v("동") else { return false }
            } else {
                guard unit == .v("동") || unit == .v("가"), let count = S.nameLength(w, 0, w.count), count >= 1,
                    count <= 4,
                    S.isHangulWord(w, atLeast: 1), let last = w.last,
                    ![
                        UInt32.v("동"), .v("리"), .v("읍"), .v("면"), .v("로"), .v("길"), .v("시"), .v("군"),
                        .v("구"),
                    ]
                    .contains(last)
                else { return false }
            }
        }
        recognizedAnything = true
        let start = text.count
        text.append(pieces[i].word!)
        text.append(next)
        pieces[i + 1] = .word(start..<text.count)
        if let r = knownRoad, r <= i + 1 { knownRoad = nil }
        return true
    }

    /// Where the road starts in a word that glues a 읍/면 before it (`고덕면고덕국제대로`): the
    /// road keeps a name of two syllables or more, so `탕정면로` stays a road.
    func gluedEupMyeonSplit(_ wr: Range<Int>) -> Int? {
        let u = text[wr]
        var i = 0
        var n = 0
        while i < u.count {
            let (v, len) = u.scalar(at: i)
            guard S.isHangul(v) else { return nil }
            i += len
            n += 1
            guard v == .v("읍") || v == .v("면"), n >= 2, i < u.count else { continue }
            let rest = u.extracting(i..<u.count)
            guard let nameEnd = S.roadEnd(rest), rest.scalarCount(0, nameEnd) >= 3 else { return nil }
            let first = rest.scalar(at: 0).value
            if first == .v("로") || first == .v("길") || rest.starts(with: "대로") { return nil }
            return wr.lowerBound + i
        }
        return nil
    }

    /// `splitGlued` of a road word in the region's place: the 시도 or 시군구 glued before it, when
    /// what is left is still a road (`서울마포구월드컵로10길` → `서울` | `마포구월드컵로10길`). A
    /// 시도 counts only with a 시군구 after it, so `세종대로`, `인천대로` stay roads.
    func gluedRegionSplit(_ wr: Range<Int>) -> Int? {
        guard let split = splitGlued(wr) else { return nil }
        let head = text[wr.lowerBound..<split]
        let rest = text[split..<wr.upperBound]
        if let sido = g.sidoAliases[bytes: head] {
            // 세종 has no 시군구: the road follows it (`세종특별자치시한누리대로2154`).
            if sido == "36" {
                guard let nameEnd = S.roadEnd(rest), rest.scalarCount(0, nameEnd) >= 3 else { return nil }
                return split
            }
            guard let second = splitGlued(split..<wr.upperBound) else { return nil }
            let head2 = text[split..<second]
            return g.sigunguKeys[bytes: head2] != nil && S.roadEnd(text[second..<wr.upperBound]) != nil ? split : nil
        }
        guard let nameEnd = S.roadEnd(rest), rest.scalarCount(0, nameEnd) >= 3 else { return nil }
        return split
    }

    /// Parses road (+ `224번길`) + [지하] + number starting at the word `start`, whose road name is
    /// its first `nameEnd` bytes (the rest a glued number); returns the next index.
    mutating func parseRoad(_ word: Range<Int>, nameEnd: Int, at start: Int) -> Int {
        var i = start + 1
        let nameRange = word.lowerBound..<word.lowerBound + nameEnd
        var name: String?  // set when the name is put together from several words
        var num = nameEnd == word.count ? nil : string(nameRange.upperBound..<word.upperBound)
        if num == nil, i < pieces.count, let next = pieces[i].word, text[nameRange].last == .v("로") {
            if let sufEnd = S.roadSuffixEnd(text[next]) {
                // (Put together first: `string` then reads the text with the new word in it.)
                let together = joined(nameRange, next.lowerBound..<next.lowerBound + sufEnd)
                name = string(together)
                num = sufEnd == next.count ? nil : string(next.lowerBound + sufEnd..<next.upperBound)
                i += 1
            } else if next.count <= Self.longWord, let (sufEnd, numEnd) = S.suffixGluedNumber(text[next]) {
                // `논현로 46번길23한국토지주택공사`: suffix, number and what follows in one word.
                // (Put together first: `string` then reads the text with the new word in it.)
                let together = joined(nameRange, next.lowerBound..<next.lowerBound + sufEnd)
                name = string(together)
                num = string(next.lowerBound + sufEnd..<next.lowerBound + numEnd)
                pieces[i] = .word(next.lowerBound + numEnd..<next.upperBound)
            } else if i + 1 < pieces.count, text[next].allDigits(0, next.count), let after = pieces[i + 1].word,
                let suf = S.roadSuffix(string(next) + string(after))
            {
                // `번영로 224 번길 15`
                name = string(nameRange) + suf.suffix
                num = suf.number
                i += 2
            }
        }
        road = name ?? string(nameRange)
        if num == nil, i < pieces.count, let next = pieces[i].word {
            // (`text[next]` is read afresh each time, as the parser's state changes between the reads.)
            if text[next].equals("지하"), i + 1 < pieces.count, let w2 = pieces[i + 1].word,
                let end = S.buildingNumberEnd(text[w2])
            {
                underground = true
                num = string(w2.lowerBound..<w2.lowerBound + end)
                i += 2
            } else if text[next].starts(with: "지하"), let n = undergroundNumber(next) {
                underground = true
                num = n
                i += 1
            } else if let end = S.buildingNumberEnd(text[next]) {
                num = string(next.lowerBound..<next.lowerBound + end)
                i += 1
            } else if next.count <= Self.longWord, let (numEnd, restStart) = S.gluedNumber(text[next]) {
                // `311상가동`, `12.3층`, `328역삼동`: the number, and the rest as the next word.
                num = string(next.lowerBound..<next.lowerBound + numEnd)
                pieces[i] = .word(next.lowerBound + restStart..<next.upperBound)
            }
        }
        number = num
        afterNumber = num != nil
        return i
    }

    /// The building number of a word `지하…` after its first two Characters. When the third
    /// byte run starts with ASCII (which never joins a Character before it) the Characters are
    /// the two syllables; otherwise the word is read as a `String`.
    func undergroundNumber(_ w: Range<Int>) -> String? {
        let restStart = w.lowerBound + 6
        if restStart == w.upperBound { return nil }
        if text[w][6] < 0x80 {
            return S.buildingNumberEnd(text[restStart..<w.upperBound]).map { string(restStart..<restStart + $0) }
        }
        return S.buildingNumber(String(string(w).dropFirst(2)))
    }

    // MARK: - Detail

    /// Appends the parts to `text` as one new word and returns its range.
    mutating func joined(_ a: Range<Int>, _ b: Range<Int>) -> Range<Int> {
        let start = text.count
        text.append(a)
        text.append(b)
        return start..<text.count
    }

    /// Appends `a` + `unit` to `text` as one new word (`101` + `동`) and returns its range.
    mutating func joined(_ a: Range<Int>, _ unit: StaticString) -> Range<Int> {
        let start = text.count
        text.append(a)
        text.append(unit)
        return start..<text.count
    }

    /// The detail's parts as ranges of `text`, taken off at the front and the back while they are read.
    struct DetailParts {
        private var ranges: [Range<Int>] = []
        private var start = 0
        init(capacity: Int) { ranges.reserveCapacity(capacity) }
        var isEmpty: Bool { start == ranges.count }
        var count: Int { ranges.count - start }
        var first: Range<Int>? { isEmpty ? nil : ranges[start] }
        var last: Range<Int>? {
            get { isEmpty ? nil : ranges[ranges.count - 1] }
            set { ranges[ranges.count - 1] = newValue! }
        }
        mutating func append(_ r: Range<Int>) { ranges.append(r) }
        mutating func removeFirst() { start += 1 }
        mutating func removeLast() { ranges.removeLast() }
        var all: ArraySlice<Range<Int>> { ranges[start...] }
    }

    /// The detail parts are ranges of `text`; parts made here (`101동` of `101-1203`) are appended to it.
    mutating func buildDetail() -> String? {
        // Each piece makes at most two parts.
        var out = DetailParts(capacity: 2 * pieces.count + 1)
        var firstWord = true
        var tookName = false
        var i = 0
        let ps = pieces  // the detail pieces, after `walk`
        // `isUnit` of the last part, remembered: every `호` after `1203호` asks it again.
        var unitMemo: (part: Range<Int>, isUnit: Bool)?
        // Which parts a comma follows (indexes of `out`), and whether a unit was seen yet.
        var commaAfter: [Int] = []
        var sawUnit = false
        nameFromDetail = false
        func isUnitPart(_ p: Range<Int>) -> Bool {
            if let m = unitMemo, m.part == p { return m.isUnit }
            let v = S.isUnit(text[p])
            unitMemo = (p, v)
            return v
        }
        while i < ps.count {
            defer { i += 1 }
            switch ps[i] {
            case .comma:
                if !out.isEmpty, commaAfter.last != out.count - 1 { commaAfter.append(out.count - 1) }
                continue
            case .postalMark:
                continue
            case .group(let r):
                // Characters: a space or 층 that combines with what follows is not one.
                let c = string(r)
                if buildingName == nil, S.isBuildingName(c.filter { $0 != " " }),
                    !c.contains(where: { $0 == "층" || $0 == "호" })
                {
                    buildingName = c
                } else {
                    let start = text.count
                    text.append("(")
                    text.append(r)
                    text.append(")")
                    out.append(start..<text.count)
                }
                firstWord = false
            case .word(let r):
                let wasNameJustTaken = tookName
                tookName = false
                defer { firstWord = false }
                // (`text[r]` is read afresh each time, as the parser's state changes between the reads.)
                if text[r].equals("번지") { continue }
                // An apartment name written inline before its units (`권곡동한라비발디 211동 1502호`,
                // `온천동한신휴플러스 203-2004`) is the building name, not part of the detail.
                // (A word ending in 동 before a unit is a block of the building: `상가동 2층`.)
                if firstWord, buildingName == nil, out.isEmpty, S.isHangulWord(text[r], atLeast: 3), !S.isUnit(text[r]),
                    text[r].last != .v("동"),
                    i + 1 < ps.count, let next = ps[i + 1].word,
                    Self.dashPair(text[next]) != nil || S.splitDongHo(text[next]) != nil || S.isUnit(text[next])
                {
                    buildingName = string(r)
                    tookName = true
                    nameFromDetail = true
                    continue
                }
                if firstWord || wasNameJustTaken || !sawUnit, afterNumber, let dash = Self.dashPair(text[r]) {
                    let d = r.lowerBound + dash
                    out.append(joined(r.lowerBound..<d, "동"))
                    out.append(joined(d + 1..<r.upperBound, "호"))
                    sawUnit = true
                    continue
                }
                if let (dong, digitsEnd) = S.splitDongHo(text[r]) {
                    // Head and rest are ASCII or one syllable: upper-casing the bytes is `upperLatin`.
                    let start = text.count
                    text.appendUppercased(r.lowerBound..<r.lowerBound + dong)
                    text.append("동")
                    out.append(start..<text.count)
                    out.append(joined(r.lowerBound + dong + 3..<r.lowerBound + digitsEnd, "호"))
                    sawUnit = true
                    continue
                }
                if text[r].equals("지하"), i + 1 < ps.count, let next = ps[i + 1].word, text[next].last == .v("층"),
                    text[next].allDigits(0, next.count - 3)
                {
                    out.append(joined(r, next))
                    i += 1
                    continue
                }
                // (One scalar, 호/층/동: three bytes.)
                if text[r].count == 3, let unit = text[r].last,
                    unit == .v("호") || unit == .v("층") || unit == .v("동"),
                    let prev = out.last
                {
                    if text[prev].allDigits(0, prev.count) {
                        out.last = joined(prev, r)
                        continue
                    }
                    if text[prev].last == unit, isUnitPart(prev) { continue }
                }
                // (All digits: as many bytes as scalars.)
                if text[r].count <= 4, text[r].allDigits(0, text[r].count), let prev = out.last,
                    text[prev].last == .v("동"), isUnitPart(prev)
                {
                    out.append(joined(r, "호"))
                    continue
                }
                if S.isUnit(text[r]) {
                    sawUnit = true
                    if S.hasLowerLatin(text[r]) {
                        let start = text.count
                        text.appendUppercased(r)
                        out.append(start..<text.count)
                    } else {
                        out.append(r)
                    }
                    continue
                }
                out.append(r)
            }
        }
        if !skipped.isEmpty {
            warn("address_words_unplaced", "주소에서 자리를 정하지 못한 말이 있어 상세주소에 그대로 두었습니다. 시군구·도로명 철자를 확인해 주세요.")
        }
        let parts = out.isEmpty ? [] : sortDetail(out.all, commaAfter: commaAfter)
        if parts.isEmpty && skipped.isEmpty { return nil }
        // `skipped + parts` joined with spaces, written at the end of `text`.
        let start = text.count
        for s in skipped {
            if text.count > start { text.append(0x20) }
            s.withUTF8Span { text.append($0) }
        }
        for r in parts {
            if text.count > start { text.append(0x20) }
            text.append(r)
        }
        return string(start..<text.count)
    }

    /// What a detail part is: a unit (동/층/호), a 읍면동 or 리, a 지번, or a name.
    enum DetailKind { case unit, place, jibun, name }

    struct DetailItem {
        var range: Range<Int>
        var kind: DetailKind
        /// A `-` or a comma followed it: what a bracket left when it was lost (`3층마장동-`).
        var closed: Bool
    }

    /// Sorts the detail parts (ranges of `text`) as a mail carrier reads them: units stay in the
    /// detail; a 읍면동/리 standing alone (`역삼동,`, `장안동 416-6`) fills the 읍면동/리 and the
    /// 지번 after it, when none was written; names (`논현2문화센터`, `(배방휴먼시아)`) are the
    /// building name when none was given in the bracket. Returns the detail's parts.
    mutating func sortDetail(_ out: some RandomAccessCollection<Range<Int>>, commaAfter: [Int]) -> [Range<Int>] {
        var items: [DetailItem] = []
        items.reserveCapacity(out.count + 2)
        var nextComma = 0
        for (k, r0) in out.enumerated() {
            var comma = false
            while nextComma < commaAfter.count, commaAfter[nextComma] <= k {
                if commaAfter[nextComma] == k { comma = true }
                nextComma += 1
            }
            var r = r0
            var dash = false
            while !r.isEmpty, text[r][r.count - 1] == 0x2D {
                r = r.lowerBound..<r.upperBound - 1
                dash = true
            }
            if r.isEmpty {
                if !items.isEmpty { items[items.count - 1].closed = true }
                continue
            }
            let before = items.count
            splitDetailPart(r, into: &items)
            if dash || comma, items.count > before { items[items.count - 1].closed = true }
        }
        var units: [Range<Int>] = []
        var names: [Range<Int>] = []
        var all: [Range<Int>] = []
        func add(_ r: Range<Int>, _ list: inout [Range<Int>]) {
            // (Compared with the first few only: a hostile cell of thousands of parts stays linear.)
            if list.prefix(8).contains(where: { text[$0].hasSameElements(as: text[r]) }) { return }
            list.append(r)
            all.append(r)
        }
        var k = 0
        while k < items.count {
            let item = items[k]
            k += 1
            let next = k < items.count ? items[k] : nil
            switch item.kind {
            case .unit, .jibun:
                add(item.range, &units)
            case .name:
                if let b = buildingName, text[item.range].hasSameBytes(as: b) { continue }
                add(item.range, &names)
            case .place:
                // `가동 101호`, `하동 363-1`: a block letter unless a 지번 follows.
                if S.isBlockLetterDong(text[item.range]), next?.kind != .jibun {
                    add(item.range, &units)
                    continue
                }
                // `상가동 2층` is a block of the building; `구로4동 주민센터` names a building.
                if !item.closed, let next, next.kind == .unit || next.kind == .name {
                    if next.kind == .unit, text[item.range].last == .v("동") {
                        add(item.range, &units)
                    } else {
                        add(item.range, &names)
                    }
                    continue
                }
                let isRiPart = S.isRi(text[item.range])
                let value = string(item.range)
                var placed = false
                if isRiPart {
                    if ri == nil, refRi == nil {
                        refRi = value
                        placed = true
                    } else {
                        placed = (ri ?? refRi)?.addressBytesEqual(value) == true
                    }
                } else {
                    if emd == nil, refEmd == nil {
                        refEmd = value
                        placed = true
                    } else {
                        placed = (emd ?? refEmd)?.addressBytesEqual(value) == true
                    }
                }
                if !placed {
                    add(item.range, &names)
                    continue
                }
                if let next, next.kind == .jibun, let form = S.jibunForm(text[next.range]) {
                    if jibun == nil { jibun = form.text }
                    k += 1
                }
            }
        }
        guard !names.isEmpty else { return units }
        if nameFromDetail, let first = buildingName {
            let start = text.count
            first.withUTF8Span { text.append($0) }
            for r in names {
                text.append(0x20)
                text.append(r)
            }
            buildingName = string(start..<text.count)
            return units
        }
        if buildingName == nil {
            if names.count == 1, text[names[0]].firstByte == 0x28, text[names[0]].lastByte == 0x29 {
                buildingName = string(names[0].lowerBound + 1..<names[0].upperBound - 1)
            } else {
                let start = text.count
                for r in names {
                    if text.count > start { text.append(0x20) }
                    text.append(r)
                }
                buildingName = string(start..<text.count)
            }
            return units
        }
        return all
    }

    /// Appends the items of one detail word, split where people glue parts together.
    func splitDetailPart(_ r: Range<Int>, into items: inout [DetailItem]) {
        let u = text[r]
        if u.firstByte == 0x28 {
            // A bracket kept in the detail: a unit when it holds a floor or room (`3층`, `201호`;
            // not the 호 of `호려울마을`).
            var hasUnit = false
            for unit in [UInt32.v("층"), .v("호")] {
                var from = 0
                while !hasUnit, let at = u.firstIndex(ofScalar: unit, from: from) {
                    hasUnit = at > 0 && u[at - 1] >= 0x30 && u[at - 1] <= 0x39
                    from = at + 3
                }
            }
            items.append(DetailItem(range: r, kind: hasUnit ? .unit : .name, closed: true))
            return
        }
        if r.count <= Self.longWord {
            // `충무공동-국민건강보험공단`: a dash between two words.
            var k = 1
            while k + 1 < u.count {
                if u[k] == 0x2D, u[k - 1] >= 0x80, u[k + 1] >= 0x80 {
                    splitDetailPart(r.lowerBound..<r.lowerBound + k, into: &items)
                    items[items.count - 1].closed = true
                    splitDetailPart(r.lowerBound + k + 1..<r.upperBound, into: &items)
                    return
                }
                k += 1
            }
            if let p = S.unitNameSplit(u) {
                // (`3층마장동`: what follows a unit glued to it was in a bracket that was lost.)
                items.append(DetailItem(range: r.lowerBound..<r.lowerBound + p, kind: .unit, closed: false))
                splitDetailPart(r.lowerBound + p..<r.upperBound, into: &items)
                items[items.count - 1].closed = true
                return
            }
            if u.starts(with: "지층"), u.count > 6, S.hoNumber(u.extracting(6..<u.count)) != nil {
                items.append(DetailItem(range: r.lowerBound..<r.lowerBound + 6, kind: .unit, closed: false))
                items.append(DetailItem(range: r.lowerBound + 6..<r.upperBound, kind: .unit, closed: false))
                return
            }
            if !S.isUnitLike(u), let p = S.nameUnitSplit(u) {
                splitDetailPart(r.lowerBound..<r.lowerBound + p, into: &items)
                items.append(DetailItem(range: r.lowerBound + p..<r.upperBound, kind: .unit, closed: false))
                return
            }
            if let p = S.placeJibunSplit(u) {
                items.append(DetailItem(range: r.lowerBound..<r.lowerBound + p, kind: .place, closed: false))
                items.append(DetailItem(range: r.lowerBound + p..<r.upperBound, kind: .jibun, closed: false))
                return
            }
        }
        let kind: DetailKind
        if S.isUnitLike(u) {
            kind = .unit
        } else if r.count <= Self.longWord, S.isEupMyeonDong(u) || S.isRi(u) {
            kind = .place
        } else if r.count <= Self.longWord, S.isJibunWord(u) {
            kind = .jibun
        } else {
            kind = .name
        }
        items.append(DetailItem(range: r, kind: kind, closed: false))
    }

    /// `101-1203` right after the building number (101동 1203호): where the dash is.
    static func dashPair(_ u: ScalarBytes) -> Int? {
        guard let dash = u.firstIndex(of: 0x2D) else { return nil }
        let after = u.count - dash - 1
        guard (1...4).contains(dash), (3...4).contains(after), u.allDigits(0, dash), u.allDigits(dash + 1, u.count)
        else { return nil }
        return dash
    }

    // MARK: - Resolution

    /// The 시도 code of a 시군구/법정동 code: its first two Characters (two bytes, for a code of
    /// ASCII digits, made without a `Substring`).
    static func sidoOf(_ code: String) -> String {
        let digits: String? = code.withUTF8Span { c in
            guard c.count >= 3, S.isDigit(UInt32(c[0])), S.isDigit(UInt32(c[1])), S.isDigit(UInt32(c[2])) else {
                return nil
            }
            return c.string(0..<2)
        }
        return digits ?? String(code.prefix(2))
    }

    /// `sidoOf(code) == sido`, without making a `String` when the code starts with three ASCII
    /// digits (then its first two Characters are its first two bytes).
    static func isIn(_ code: String, sido: String) -> Bool {
        Self.isInOnBytes(code, sido: sido) ?? (Self.sidoOf(code) == sido)
    }

    /// `isIn` decided on the bytes, or nil when the code does not start with three ASCII digits.
    static func isInOnBytes(_ code: String, sido: String) -> Bool? {
        code.withUTF8Span { c in
            guard c.count >= 3, S.isDigit(UInt32(c[0])), S.isDigit(UInt32(c[1])), S.isDigit(UInt32(c[2])) else {
                return nil
            }
            return sido.withUTF8Span { s in s.count == 2 && s[0] == c[0] && s[1] == c[1] }
        }
    }

    /// `sidoOf(code)`, or `known` itself when it is byte for byte the code's first two digits.
    static func sidoOf(_ code: String, reusing known: String?) -> String {
        if let known, Self.isInOnBytes(code, sido: known) == true { return known }
        return Self.sidoOf(code)
    }

    /// Renames and moves of the 시군구 `name`.
    func sigunguRenames(of name: String) -> [Gazetteer.Rename] {
        (g.renames[name] ?? []).filter { $0.kind == .sigunguRenamed || $0.kind == .sigunguMoved }
    }

    /// Codes of `code5` and its 일반구, for 법정동 lookups.
    func withChildren(_ code5: String) -> [String] {
        [code5] + (g.guChildren[code5] ?? [])
    }

    func legalHas(_ code5: String, emd: String?, ri: String?) -> Bool {
        guard let legal = g.legal else { return false }
        for c in withChildren(code5) {
            if let e = emd {
                if legal.emd[c]?[e] != nil || legal.emd[c]?[Self.legalDongGuess(e)] != nil { return true }
            }
            if let r = ri, legal.ri[c]?[r] != nil { return true }
        }
        return false
    }

    /// 행정동 `상계1동` → 법정동 `상계동` guess; `신당5동` → `신당동`.
    static func legalDongGuess(_ e: String) -> String {
        var u = Array(e.unicodeScalars)
        guard u.last == "동", u.count >= 3 else { return e }
        u.removeLast()
        var changed = false
        while let l = u.last, S.isDigit(l) || l == "·" || l == "." {
            u.removeLast()
            changed = true
        }
        if u.last == "제" { u.removeLast() }
        return changed && u.count >= 1 ? S.string(u) + "동" : e
    }

    mutating func resolve() -> (sidoCode: String?, sigunguCode: String?) {
        let postalSido = postal.flatMap { g.sidoCode(postalCode: $0) }
        let emdAll = emd ?? refEmd
        let riAll = ri ?? refRi
        var sido = writtenSido
        var cands = sigunguCandidates
        var resolved: String?
        var ambiguous = false

        // 광주: 광주광역시 or 경기도 광주시.
        if gwangju {
            let gyeonggiGwangju = "41610"
            if cands.contains(where: { Self.isIn($0, sido: "29") }) && (sido == nil || sido == "29") {
                sido = "29"
            } else if sigunguName == nil {
                let emdIsEupMyeon = emdAll.map { $0.hasSuffix("읍") || $0.hasSuffix("면") } ?? false
                if sido == "41" || postalSido == "41" || emdIsEupMyeon || riAll != nil
                    || legalHas(gyeonggiGwangju, emd: emdAll, ri: riAll)
                {
                    sido = "41"
                    cands = [gyeonggiGwangju]
                    sigunguName = "광주시"
                } else if sido == "29" || postalSido == "29" {
                    sido = "29"
                } else if let e = emdAll, let legal = g.legal,
                    let inGwangju = legal.emdSigungu[e]?.filter({ Self.isIn($0, sido: "29") }), inGwangju.count == 1
                {
                    sido = "29"
                    cands = inGwangju
                    sigunguName = g.sigungus[inGwangju[0]]?.name
                } else {
                    ambiguous = true
                    warn(
                        "address_sido_ambiguous", "‘광주’만으로는 광주광역시인지 경기도 광주시인지 알 수 없습니다. 주소에 시도(예: 광주광역시, 경기도)를 적어 주세요.")
                }
            }
        }

        if let name = sigunguName {
            var mismatch = false
            if let s = sido {
                // (`cands` itself, not a new array, when all are kept.)
                let f = cands.allSatisfy({ Self.isIn($0, sido: s) }) ? cands : cands.filter { Self.isIn($0, sido: s) }
                if !f.isEmpty {
                    cands = f
                } else {
                    let renames = sigunguRenames(of: name)
                    if let r = renames.first(where: { $0.oldSidoCode == s || Self.isIn($0.newCode, sido: s) }) {
                        cands = [r.newCode]
                        noteRename(r, name: name)
                    } else if cands.isEmpty, renames.count == 1 {
                        cands = [renames[0].newCode]
                        noteRename(renames[0], name: name)
                    } else {
                        mismatch = true
                    }
                }
            } else if cands.isEmpty {
                let renames = sigunguRenames(of: name)
                if renames.count == 1 {
                    cands = [renames[0].newCode]
                    noteRename(renames[0], name: name)
                }
            }
            if cands.count > 1, let ps = postalSido {
                let f = cands.allSatisfy({ Self.isIn($0, sido: ps) }) ? cands : cands.filter { Self.isIn($0, sido: ps) }
                if !f.isEmpty { cands = f }
            }
            if cands.count > 1, g.legal != nil, emdAll != nil || riAll != nil {
                let f = cands.filter { legalHas($0, emd: emdAll, ri: riAll) }
                if !f.isEmpty { cands = f }
            }
            if cands.count == 1 {
                resolved = cands[0]
                let newSido = Self.sidoOf(cands[0], reusing: sido)
                if mismatch, let s = sido, s != newSido {
                    warn(
                        "address_sido_sigungu_mismatch",
                        "적힌 시도에 ‘\(name)’이(가) 없어 \(g.sidoNames[newSido] ?? "다른 시도")(으)로 고쳤습니다. 주소의 시도를 확인해 주세요.")
                }
                sido = newSido
            } else if cands.count > 1 {
                ambiguous = true
                let sidos = Set(cands.map(Self.sidoOf))
                if sidos.count == 1 { sido = sidos.first } else if !mismatch { sido = nil }
                if mismatch { sido = nil }
                if sidos.count > 1 {
                    warn(
                        "address_sido_ambiguous",
                        "‘\(name)’만으로는 시도를 알 수 없습니다. 주소에 시도(예: \(exampleSido(cands)))를 적어 주세요.")
                } else {
                    warn("address_sigungu_ambiguous", "‘\(name)’이(가) 여러 곳에 있어 시군구를 정할 수 없습니다. 구까지 적어 주세요.")
                }
            } else {
                warn("address_sigungu_unknown", "‘\(name)’을(를) 시군구 목록에서 찾지 못했습니다. 시군구 이름을 확인해 주세요.")
            }
        } else if sido == nil, let ps = postalSido, !ambiguous {
            sido = ps
        }

        if sido == nil, postalSido != nil, !ambiguous, resolved == nil { sido = postalSido }
        // 시군구 not written: infer from a 법정동 unique in the 시도 (or the country).
        if resolved == nil, sigunguName == nil, !ambiguous, sido != "36", let legal = g.legal {
            var found: [String] = []
            if let e = emdAll { found = legal.emdSigungu[e] ?? legal.emdSigungu[Self.legalDongGuess(e)] ?? [] }
            if found.isEmpty, let r = riAll { found = legal.riSigungu[r] ?? [] }
            if let s = sido ?? postalSido { found = found.filter { Self.isIn($0, sido: s) } }
            let uniq = Array(Set(found))
            if uniq.count == 1 {
                resolved = uniq[0]
                sido = Self.sidoOf(uniq[0])
            }
        }
        if let ps = postalSido, let s = sido, ps != s {
            warn("address_postal_code_mismatch", "우편번호(\(postal ?? ""))가 시도와 맞지 않습니다. 우편번호나 시도를 확인해 주세요.")
        }
        if resolved == nil, sido == "36" { resolved = "36110" }
        if !ambiguous, !gwangju || sido != nil {
            if sido == nil, recognizedAnything || road != nil {
                warn("address_sido_missing", "시도를 알 수 없습니다. 주소 앞에 시도와 시군구(예: 충청남도 아산시)를 적어 주세요.")
            } else if resolved == nil, sido != nil, sigunguName == nil {
                warn("address_sigungu_missing", "시군구가 없습니다. 시도 다음에 시군구(예: 아산시, 강남구)를 적어 주세요.")
            }
        }
        return (sido, resolved)
    }

    func exampleSido(_ cands: [String]) -> String {
        var seen: [String] = []
        for c in cands {
            if let n = g.sidoNames[Self.sidoOf(c)], !seen.contains(n) { seen.append(n) }
        }
        return seen.prefix(2).joined(separator: ", ")
    }

    mutating func noteRename(_ r: Gazetteer.Rename, name: String) {
        let newSgg = g.sigungus[r.newCode]
        let newName =
            newSgg.map { (g.sidoNames[$0.sidoCode] ?? "") + " " + $0.name }
            ?? (g.sidoNames[Self.sidoOf(r.newCode)] ?? r.newCode)
        switch r.kind {
        case .sigunguMoved:
            warn(
                "address_sigungu_moved",
                "‘\(name)’은(는) \(r.effective.iso)부터 \(newName)(으)로 바뀌었습니다(시도 변경). 새 주소로 고쳤으니 확인해 주세요.")
        case .sigunguRenamed:
            warn("address_sigungu_renamed", "‘\(name)’은(는) \(r.effective.iso)부터 \(newName)입니다. 새 이름으로 고쳤으니 확인해 주세요.")
        case .sidoRenamed, .guCreated:
            break
        }
    }

    // MARK: - Run

    mutating func run(_ raw: String) -> Normalized<Address> {
        tokenize(raw)
        if pieces.isEmpty {
            return .failed(.fatal("address_missing", "주소가 비어 있습니다. 도로명주소(예: 충청남도 아산시 번영로 15)를 적어 주세요."))
        }
        extractPostal()
        extractReference()
        walk()

        let detail = buildDetail()
        let (sidoCode, sgCode) = resolve()
        // Built as parts and boxed once at the end (each property set on an `Address` makes a new box).
        var a = Address.Fields(
            sido: sidoCode.flatMap { g.sidoNames[$0] },
            sigungu: sgCode.flatMap { c in c != "36110" ? g.sigungus[c]?.name : nil },
            eupmyeondong: emd ?? refEmd, ri: ri ?? refRi, road: road, buildingNumber: number, underground: underground,
            jibun: jibun, detail: detail, buildingName: buildingName, postalCode: postal, text: "", kind: .partial,
            sigunguCode: sgCode)
        if road != nil { recognizedAnything = true }

        completeLegalDong(&a)

        if road != nil, number == nil {
            warn("address_building_number_missing", "도로명 뒤에 건물번호가 없습니다. 건물번호(예: 번영로 15)를 적어 주세요.")
        }
        if road != nil && number != nil {
            a.kind = .road
        } else if jibun != nil {
            a.kind = .jibun
        } else {
            a.kind = .partial
        }
        // A lone 읍면동/리-looking word (`홍길동`) is not enough to call it an address.
        let nothing =
            a.sido == nil && a.sigungu == nil && a.road == nil && a.jibun == nil && sigunguName == nil && !gwangju
        if nothing {
            a = Address.Fields(underground: false, postalCode: postal, text: Self.cleaned(raw), kind: .partial)
            issues.removeAll {
                $0.code == "address_sido_missing" || $0.code == "address_sigungu_missing"
                    || $0.code == "address_building_number_missing" || $0.code == "address_words_unplaced"
            }
            warn("address_unrecognized", "주소로 읽을 수 있는 부분이 없습니다. 시도·시군구·도로명과 건물번호를 적어 주세요.")
        } else {
            if a.kind == .partial, road == nil {
                warn("address_incomplete", "도로명과 건물번호(또는 읍면동과 지번)가 없습니다. 전체 주소를 적어 주세요.")
            }
            a.text = render(a)
        }
        return .ok(Address(fields: a), issues)
    }

    /// With a 법정동 list: check and complete 읍면동/리 and set the 10-digit code.
    mutating func completeLegalDong(_ a: inout Address.Fields) {
        guard let legal = g.legal, let code5 = a.sigunguCode else { return }
        let codes = withChildren(code5)
        func settle(_ c5: String) {
            if c5 != code5, let s = g.sigungus[c5] {
                a.sigunguCode = c5
                a.sigungu = s.name
            }
        }
        if let e = a.eupmyeondong {
            let guess = Self.legalDongGuess(e)
            for c in codes {
                if let emdCode = legal.emd[c]?[e] ?? legal.emd[c]?[guess] {
                    settle(c)
                    a.legalDongCode = emdCode
                    if let r = a.ri {
                        if let hit = legal.ri[c]?[r]?.first(where: { $0.emd == e || $0.emd == guess }) {
                            a.legalDongCode = hit.code
                        } else {
                            warn("address_ri_unknown", "‘\(r)’은(는) ‘\(e)’에 없는 리입니다. 리 이름을 확인해 주세요.")
                        }
                    }
                    return
                }
            }
            // Bracket gave a 리-less 읍면 name that is really a 리? Try 리.
            warn("address_eupmyeondong_unknown", "‘\(e)’을(를) 이 시군구의 법정동 목록에서 찾지 못했습니다. 읍면동 이름을 확인해 주세요.")
            return
        }
        if let r = a.ri {
            var hits: [(String, LegalDongIndex.RiEntry)] = []
            for c in codes { for h in legal.ri[c]?[r] ?? [] { hits.append((c, h)) } }
            if hits.count == 1 {
                settle(hits[0].0)
                a.eupmyeondong = hits[0].1.emd
                a.legalDongCode = hits[0].1.code
            } else if hits.isEmpty {
                warn("address_ri_unknown", "‘\(r)’을(를) 이 시군구의 리 목록에서 찾지 못했습니다. 리 이름을 확인해 주세요.")
            } else {
                warn("address_eupmyeondong_missing", "‘\(r)’이(가) 여러 읍면에 있어 읍면을 정할 수 없습니다. 읍면을 적어 주세요.")
            }
        }
    }

    func render(_ a: Address.Fields) -> String {
        let unresolved = a.sigungu == nil && a.sigunguCode == nil ? (sigunguName ?? (gwangju ? gwangjuWord : nil)) : nil
        return Address.render(a, unresolvedSigungu: unresolved)
    }

    static func cleaned(_ raw: String) -> String {
        var v = String.UnicodeScalarView()
        var space = false
        for s0 in raw.unicodeScalars {
            let s = S.fold(s0)
            if s == " " {
                space = !v.isEmpty
                continue
            }
            if space {
                v.append(" ")
                space = false
            }
            v.append(s)
        }
        return String(v)
    }
}

extension String {
    var addressTrimmed: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
