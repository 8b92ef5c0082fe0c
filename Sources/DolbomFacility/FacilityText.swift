import DolbomNormalize

/// The pure readers of a facility list's cells: times, Y/N flags, age bands, fees, counts, programmes and
/// languages. Each returns nil for text it cannot read (the registry reader turns that into a warning, or a
/// reject where the field is required), never a guess.
public enum FacilityText {
    /// `0900`, `900`, `09:00`, `9:00`, `9시`, `18시 30분`, `오후 6시`, `24:00` → minutes after midnight.
    public static func clock(_ raw: String) -> Int? {
        var s = raw.trimmedWhitespace.replacingAll(" ", with: "")
        guard !s.isEmpty else { return nil }
        var pm = false
        if s.hasPrefix("오후") {
            pm = true
            s.removeFirst(2)
        } else if s.hasPrefix("오전") {
            s.removeFirst(2)
        }
        var h: Int
        var m: Int
        if s.allSatisfy(\.isASCIIDigit) {
            guard (3...4).contains(s.count), let v = Int(s) else {
                guard let v = Int(s), s.count <= 2 else { return nil }
                h = v
                m = 0
                return valid(pm && h < 12 ? h + 12 : h, m)
            }
            h = v / 100
            m = v % 100
        } else if let colon = s.firstIndex(where: { $0 == ":" || $0 == "." }) {
            guard let hh = Int(s[..<colon].filter(\.isASCIIDigit)), let mm = Int(s[s.index(after: colon)...].prefix(2))
            else { return nil }
            h = hh
            m = mm
        } else if let si = s.firstIndex(of: "시") {
            guard let hh = Int(s[..<si]) else { return nil }
            h = hh
            let rest = s[s.index(after: si)...]
            if rest.isEmpty {
                m = 0
            } else if rest == "반" {
                m = 30
            } else if rest.hasSuffix("분"), let mm = Int(rest.dropLast()) {
                m = mm
            } else {
                return nil
            }
        } else {
            return nil
        }
        if pm && h < 12 { h += 12 }
        return valid(h, m)
    }

    private static func valid(_ h: Int, _ m: Int) -> Int? {
        guard (0...24).contains(h), (0..<60).contains(m), h * 60 + m <= 24 * 60 else { return nil }
        return h * 60 + m
    }

    /// Start and end cells → a range; nil when either is empty or unreadable, or the end is not after the start.
    public static func range(_ start: String?, _ end: String?) -> MinuteRange? {
        guard let start, let end, let a = clock(start), let b = clock(end), b > a else { return nil }
        return MinuteRange(start: a, end: b)
    }

    /// One cell holding both ends: `09:00~18:00`, `9시-18시`, `13:00 ~ 19:00`.
    public static func range(_ text: String) -> MinuteRange? {
        let parts = text.split(whereSeparator: { $0 == "~" || $0 == "-" || $0 == "–" || $0 == "〜" || $0 == "∼" })
        guard parts.count == 2 else { return nil }
        return range(String(parts[0]), String(parts[1]))
    }

    /// `Y`/`N`, `예`/`아니오`, `운영`/`미운영`, `O`/`X`, `무료`/`유료`, `true`/`false`, `1`/`0`; nil otherwise.
    public static func yesNo(_ raw: String) -> Bool? {
        let s = raw.trimmedWhitespace.lowercased().replacingAll(" ", with: "")
        if ["y", "yes", "예", "네", "o", "○", "운영", "있음", "가능", "무료", "true", "1", "해당"].contains(s) { return true }
        if ["n", "no", "아니오", "아니요", "x", "×", "미운영", "없음", "불가", "불가능", "유료", "false", "0", "해당없음", "휴무"].contains(s) {
            return false
        }
        return nil
    }

    /// A whole number in a cell (`25`, `25명`, `1,200`); nil for empty or other text.
    public static func count(_ raw: String) -> Int? {
        var s = raw.trimmedWhitespace.replacingAll(",", with: "").replacingAll(" ", with: "")
        for suffix in ["명", "개", "석", "인"] where s.hasSuffix(suffix) { s.removeLast() }
        guard !s.isEmpty, s.count <= 7, s.allSatisfy(\.isASCIIDigit) else { return nil }
        return Int(s)
    }

    /// A fee in won: `50000`, `50,000원`, `5만원`, `5만 원`, `무료` → 0.
    public static func won(_ raw: String) -> Int? {
        var s = raw.trimmedWhitespace.replacingAll(",", with: "").replacingAll(" ", with: "")
        if s == "무료" || s == "없음" { return 0 }
        if s.hasPrefix("월") { s.removeFirst() }
        if s.hasSuffix("원") { s.removeLast() }
        if s.hasSuffix("만"), let v = Double(s.dropLast()) { return Int((v * 10_000).rounded()) }
        guard !s.isEmpty, s.count <= 9, s.allSatisfy(\.isASCIIDigit) else { return nil }
        return Int(s)
    }

    /// Whom a facility serves, as lists write it: `초등학생` → grades 1–6, `초중생` → 1–9, `중학생` → 7–9,
    /// `영유아`/`미취학` → 만 0–5세, `초등 1~3학년`/`초1-3` → grades 1–3, `만 6~12세`/`6-12세` → ages,
    /// `아동`/`18세 미만` → 만 0–17세; several parts (`초등학생, 중학생`) join. Nil for text naming none.
    public static func band(_ raw: String) -> Facility.Band? {
        let s = raw.trimmedWhitespace.replacingAll(" ", with: "")
        guard !s.isEmpty else { return nil }
        var ages: ClosedRange<Int>?
        var grades: ClosedRange<Int>?
        func addAges(_ r: ClosedRange<Int>) {
            ages = ages.map { min($0.lowerBound, r.lowerBound)...max($0.upperBound, r.upperBound) } ?? r
        }
        func addGrades(_ r: ClosedRange<Int>) {
            grades = grades.map { min($0.lowerBound, r.lowerBound)...max($0.upperBound, r.upperBound) } ?? r
        }
        let numbers = numberRuns(s)
        if s.contains("세") || s.contains("살") {
            if s.contains("미만"), let n = numbers.last {
                addAges(0...max(0, n - 1))
            } else if s.contains("이하"), let n = numbers.last {
                addAges(0...n)
            } else if numbers.count >= 2 {
                addAges(min(numbers[0], numbers[1])...max(numbers[0], numbers[1]))
            } else if let n = numbers.first {
                addAges(n...n)
            }
        } else if s.contains("학년") || (numbers.count >= 1 && (s.hasPrefix("초") || s.hasPrefix("중"))) {
            let base = s.hasPrefix("중") ? 6 : 0
            if numbers.count >= 2 {
                addGrades(base + min(numbers[0], numbers[1])...base + max(numbers[0], numbers[1]))
            } else if let n = numbers.first {
                addGrades(base + n...base + n)
            }
        } else {
            if s.contains("초중") || s.contains("초·중") {
                addGrades(1...9)
            } else {
                if s.contains("초등") || s == "초" { addGrades(1...6) }
                if s.contains("중학") || s.contains("중등") { addGrades(7...9) }
                if s.contains("고등") || s.contains("고교") { addGrades(10...12) }
            }
            if s.contains("영유아") || s.contains("미취학") || s.contains("유아") || s.contains("영아") { addAges(0...5) }
            if s.contains("청소년") { addGrades(7...12) }
            if ages == nil && grades == nil && (s.contains("아동") || s.contains("전체") || s.contains("누구나")) {
                addAges(0...17)
            }
        }
        // A preschool band beside school grades: the grades' ages too, so a 만 8세 child (grade unknown) fits.
        if let a = ages, let g = grades {
            addAges(a.lowerBound...max(a.upperBound, g.upperBound + 6))
            grades = nil
        }
        guard ages != nil || grades != nil else { return nil }
        return Facility.Band(ages: ages, grades: grades)
    }

    private static func numberRuns(_ s: String) -> [Int] {
        var out: [Int] = []
        var current = ""
        for c in s {
            if c.isASCIIDigit {
                current.append(c)
            } else if !current.isEmpty {
                out.append(Int(current) ?? 0)
                current = ""
            }
        }
        if !current.isEmpty { out.append(Int(current) ?? 0) }
        return out
    }

    /// Programmes a cell (or a name, or a memo) names. Key words, spaces removed:
    /// 느린학습자/경계선/학습지원 → 느린학습자; 장애/통합/특수 → 장애 통합; 다문화/이중언어/통역/한국어교실 → 다문화/언어;
    /// 주말/토요일/방학 → 주말·방학; 저녁/야간/연장 → 저녁 돌봄.
    public static func programmes(_ raw: String) -> [Facility.Programme] {
        var bytes = Array(raw.utf8)
        bytes.removeAll { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        return programmes(bytes: bytes)
    }

    /// `programmes` on UTF-8 bytes with the spaces already removed.
    static func programmes(bytes: [UInt8]) -> [Facility.Programme] {
        guard !bytes.isEmpty else { return [] }
        var out: [Facility.Programme] = []
        for (words, p) in programmeByteWords where words.contains(where: { ByteSearch.contains(bytes, $0) }) {
            out.append(p)
        }
        return out.sorted()
    }

    private static let programmeByteWords = programmeWords.map { ($0.0.map { Array($0.utf8) }, $0.1) }

    static let programmeWords: [([String], Facility.Programme)] = [
        (["느린학습", "경계선", "학습지원", "학습부진", "기초학력"], .느린학습자),
        (["장애", "통합", "특수", "발달지연"], .장애통합),
        (["다문화", "이중언어", "통역", "한국어교실", "한국어지원", "외국어"], .다문화),
        (["주말", "토요", "방학"], .주말방학),
        (["저녁", "야간", "연장", "늦은시간"], .저녁),
    ]

    /// Languages a cell names (`베트남어, 중국어`, `베트남·영어`), as the roster names them; Korean left out.
    public static func languages(_ raw: String) -> [String] {
        var out: [String] = []
        for part in raw.split(whereSeparator: { ",/;·、\n|".contains($0) }) {
            let n = LanguageNormalizer.normalize(String(part))
            if let v = n.value, !n.issues.contains(where: { $0.code == "language_unknown" }), !out.contains(v) {
                out.append(v)
            }
        }
        return out
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard contains(target) else { return self }
        return split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

/// Substring search on UTF-8 bytes (self-synchronizing: a Korean word's bytes match only that word).
enum ByteSearch {
    static func contains(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
        firstPosition(of: needle, in: hay, from: 0) != nil
    }

    /// Where `needle` starts in `hay`, each place (overlapping ones too), in order.
    static func positions(of needle: [UInt8], in hay: [UInt8]) -> [Int] {
        var out: [Int] = []
        var from = 0
        while let at = firstPosition(of: needle, in: hay, from: from) {
            out.append(at)
            from = at + 1
        }
        return out
    }

    static func firstPosition(of needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        hay.span.firstIndex(of: needle.span, from: from)
    }
}
