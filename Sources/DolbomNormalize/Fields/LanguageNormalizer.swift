/// Reads the language a family asked to be counselled in (`상담 희망 언어`, `사용 언어`, `통역 필요`).
///
/// The result is the Korean name a roster lists under `languages` (`베트남어`, `중국어`, …), so the
/// scheduler can give the family a counselor who speaks it. Korean, `없음`, `해당없음` and an empty cell
/// mean no requirement (nil). Several languages (`베트남어, 한국어 조금`) → the first one that is not
/// Korean. Text naming no known language is kept as written (trimmed) with warning `language_unknown`:
/// a roster may still list it, and if none does the household is reported unscheduled, never silently
/// given a counselor who cannot talk with the family.
public enum LanguageNormalizer {
    /// Canonical name and the words (lowercased, spaces removed) that mean it, most specific first.
    static let languages: [(name: String, words: [String])] = [
        ("베트남어", ["베트남", "vietnam", "tiếngviệt", "tiengviet", "việt", "viet"]),
        ("중국어", ["중국", "중국말", "한족", "chinese", "mandarin", "中文", "汉语", "漢語", "普通话"]),
        ("타갈로그어", ["타갈로그", "필리핀", "tagalog", "filipino", "pilipino"]),
        ("크메르어", ["크메르", "캄보디아", "khmer", "cambodia"]),
        ("태국어", ["태국", "thai", "ภาษาไทย"]),
        ("몽골어", ["몽골", "mongol"]),
        ("러시아어", ["러시아", "russian", "русский"]),
        ("우즈베크어", ["우즈베크", "우즈베키스탄", "우즈벡", "uzbek"]),
        ("카자흐어", ["카자흐", "kazakh"]),
        ("네팔어", ["네팔", "nepal"]),
        ("인도네시아어", ["인도네시아", "indonesia", "bahasa"]),
        ("일본어", ["일본", "japanese", "日本語"]),
        ("영어", ["영어", "english"]),
        ("미얀마어", ["미얀마", "버마", "myanmar", "burmese"]),
        ("아랍어", ["아랍", "arabic"]),
        ("스페인어", ["스페인", "spanish", "español"]),
    ]

    static let korean = ["한국어", "한국말", "korean", "한글", "국어"]
    static let none = ["없음", "해당없음", "없어요", "필요없음", "불필요", "아니오", "아니요", "no", "none", "x", "-", "n/a", "무"]

    public static func normalize(_ raw: String) -> Normalized<String> {
        let trimmed = raw.trimmedWhitespace
        if trimmed.isEmpty { return Normalized(value: nil) }
        let parts = trimmed.split(whereSeparator: { ",/;·、\n".contains($0) || $0 == "및" })
        // Each part's key (lowercased, spaces removed) is made once, as Characters.
        let keys = parts.map { part in Array(part.lowercased().filter { !$0.isWhitespace }) }
        for key in keys {
            if key.isEmpty || noneKeys.contains(key) { continue }
            if let language = firstLanguage(in: key) {
                // "중국어(조선족)": the family speaks Korean too; still a preference a counselor should honour.
                return .ok(languages[language].name)
            }
        }
        // Only Korean or "none" words: no requirement.
        let onlyKoreanOrNone = keys.allSatisfy { key in
            key.isEmpty || noneKeys.contains(key) || contains(key, anyOf: koreanByFirst)
        }
        if onlyKoreanOrNone { return Normalized(value: nil) }
        return .ok(
            trimmed,
            [
                .warning(
                    "language_unknown",
                    "상담 언어 '\(trimmed)'을(를) 알아보지 못했습니다. 명단의 상담사 언어와 같은 이름으로 적혀 있는지 확인해 주세요.")
            ])
    }

    // MARK: - Word search

    /// A word of the lists as Characters, with the index of its language in `languages`.
    struct Word {
        var characters: [Character]
        var language: Int
    }

    /// The words of `languages` by their first Character.
    static let wordsByFirst: [Character: [Word]] = {
        var table: [Character: [Word]] = [:]
        for (index, entry) in languages.enumerated() {
            for w in entry.words { table[w.first!, default: []].append(Word(characters: Array(w), language: index)) }
        }
        return table
    }()

    static let koreanByFirst: [Character: [Word]] = Dictionary(
        grouping: korean.map { Word(characters: Array($0), language: 0) },
        by: { $0.characters[0] })
    static let noneKeys: Set<[Character]> = Set(none.map { Array($0) })

    /// The first language (in `languages` order) one of whose words occurs in `key` — what asking
    /// `key.contains(word)` for every word of every language in turn gives, in one pass over the
    /// key instead of one per word (a hostile cell has a hundred thousand parts).
    static func firstLanguage(in key: [Character]) -> Int? {
        var best: Int?
        for i in key.indices {
            guard let words = wordsByFirst[key[i]] else { continue }
            for w in words where best.map({ w.language < $0 }) ?? true && occurs(w.characters, in: key, at: i) {
                best = w.language
            }
        }
        return best
    }

    /// Whether some word of `table` occurs in `key`.
    static func contains(_ key: [Character], anyOf table: [Character: [Word]]) -> Bool {
        for i in key.indices {
            guard let words = table[key[i]] else { continue }
            if words.contains(where: { occurs($0.characters, in: key, at: i) }) { return true }
        }
        return false
    }

    @inline(__always) static func occurs(_ word: [Character], in key: [Character], at i: Int) -> Bool {
        guard i + word.count <= key.count else { return false }
        for k in 1..<word.count where key[i + k] != word[k] { return false }
        return true
    }
}
