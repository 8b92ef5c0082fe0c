/// What a form told us about a child's age, reduced to what eligibility and
/// call priority need: full age (만 나이) and elementary grade.
public struct ChildAge: Hashable, Sendable, Codable {
    /// Which input the other fields were derived from.
    /// `koreanAge` is also used when only the birth year is known (`2017년생`).
    public enum Basis: String, Sendable, Codable { case birthDate, fullAge, koreanAge, schoolGrade }

    // Small integers with a "none" value instead of `Int?`s: 20 bytes instead of 56, and a run holds one
    // per child row (over a million at 1M rows).
    private static let noAge = Int32.min
    private static let noSmall = Int16.min
    private var storedAge: Int32
    private var storedGrade: Int16
    private var storedPreschool: Int16

    public var birthDate: LocalDate?
    public var basis: Basis

    /// Full age (만 나이) on `asOf`; for Korean-age/birth-year input, the year age (asOf.year - birth year).
    public var age: Int? {
        get { storedAge == Self.noAge ? nil : Int(storedAge) }
        set { storedAge = newValue.map { Int32(clamping: $0) } ?? Self.noAge }
    }
    /// Elementary grade 1...6 in the school year containing `asOf`, else nil.
    public var schoolGrade: Int? {
        get { storedGrade == Self.noSmall ? nil : Int(storedGrade) }
        set { storedGrade = newValue.map { Int16(clamping: $0) } ?? Self.noSmall }
    }
    /// Preschoolers: how many March 1sts until grade 1 (`예비초1`/`7세반` → 1).
    public var preschoolYearsToGrade1: Int? {
        get { storedPreschool == Self.noSmall || storedPreschool == Self.bandOnly ? nil : Int(storedPreschool) }
        set { storedPreschool = newValue.map { Int16(clamping: $0) } ?? Self.noSmall }
    }
    /// Not yet in school (`미취학`, `유치원`, `어린이집`): an age band, 0 to 6, when no age or birth date says more.
    public var preschoolBand: Bool { storedPreschool == Self.bandOnly }
    private static let bandOnly: Int16 = -1

    public init(
        birthDate: LocalDate? = nil, age: Int? = nil, schoolGrade: Int? = nil, preschoolYearsToGrade1: Int? = nil,
        preschoolBand: Bool = false, basis: Basis
    ) {
        self.birthDate = birthDate
        self.basis = basis
        storedAge = age.map { Int32(clamping: $0) } ?? Self.noAge
        storedGrade = schoolGrade.map { Int16(clamping: $0) } ?? Self.noSmall
        storedPreschool =
            preschoolYearsToGrade1.map { Int16(clamping: $0) } ?? (preschoolBand ? Self.bandOnly : Self.noSmall)
    }

    /// The struct of optionals `ChildAge` was: its synthesized `Codable` is the stored form, so state payloads
    /// are unchanged (`preschoolBand` is written only when true).
    private struct Stored: Codable {
        var birthDate: LocalDate?
        var age: Int?
        var schoolGrade: Int?
        var preschoolYearsToGrade1: Int?
        var preschoolBand: Bool?
        var basis: Basis
    }

    public init(from decoder: any Decoder) throws {
        let s = try Stored(from: decoder)
        self.init(
            birthDate: s.birthDate, age: s.age, schoolGrade: s.schoolGrade,
            preschoolYearsToGrade1: s.preschoolYearsToGrade1, preschoolBand: s.preschoolBand ?? false, basis: s.basis)
    }

    public func encode(to encoder: any Encoder) throws {
        try Stored(
            birthDate: birthDate, age: age, schoolGrade: schoolGrade, preschoolYearsToGrade1: preschoolYearsToGrade1,
            preschoolBand: preschoolBand ? true : nil, basis: basis
        ).encode(to: encoder)
    }
}

/// Reads children's birth dates, ages and grades as of a fixed date.
///
/// `asOf` is a parameter (not "today") so a run is reproducible. The school
/// year starts on 1 March: a child born in year Y starts grade 1 in March of
/// Y+7, so in school year S (S = asOf.year from March, else asOf.year - 1)
/// the grade is S - Y - 6.
///
/// Decisions: `n살` is read as full age with warning `age_ambiguous_sal`,
/// unless `koreanAgeWording` is set (or the cell says 한국나이/세는나이): then it is
/// Korean age, birth year = asOf.year - n + 1, age = n - 1 (the year age) with
/// warning `age_korean_age_approximate`. `n세` is always full age.
/// `3/5/2017` is read as M/D/YYYY (US spreadsheet export) and warned as
/// `birth_date_order_ambiguous` when D/M would also be a date; `13/5/2017` is D/M.
/// Fatal: `age_missing`, `age_unparsed`, `birth_date_invalid`, `grade_invalid`, `age_too_long` (a cell
/// over `maxCharacters`, not read).
public struct ChildAgeNormalizer: Sendable {
    /// The longest age, birth-date or grade cell read, in characters (Unicode scalars):
    /// `만 7세(2017년 3월 5일생, 초등학교 2학년)` has 30.
    public static let maxCharacters = 100
    static let tooLong = CellTooLong(
        code: "age_too_long", field: "아동 나이(생년월일)",
        advice: "생년월일이나 나이만 적어 주세요.")

    public let asOf: LocalDate
    public let koreanAgeWording: Bool
    public let servedAges: ClosedRange<Int>
    /// `maxCharacters`, unless lifted (tests and `scripts/bench-hostile.sh` time the parser itself).
    public let maxCharacters: Int

    public init(
        asOf: LocalDate, koreanAgeWording: Bool = false, servedAges: ClosedRange<Int> = 0...12,
        maxCharacters: Int = ChildAgeNormalizer.maxCharacters
    ) {
        self.asOf = asOf
        self.koreanAgeWording = koreanAgeWording
        self.servedAges = servedAges
        self.maxCharacters = maxCharacters
    }

    /// One cell that may hold a birth date, an age, a grade, or a combination (`만 7세(2017년생)`).
    public func normalize(_ raw: String) -> Normalized<ChildAge> {
        switch parse(raw) {
        case .empty:
            return .failed(.fatal("age_missing", "아동 나이(생년월일)가 비어 있습니다. 생년월일이나 나이를 입력해 주세요."))
        case .failed(let issue):
            return .failed(issue)
        case .facts(let f):
            return merge(f)
        }
    }

    /// Separate birth-date / age / grade columns; the birth date wins, the others are checked against it
    /// (`age_birth_mismatch`, `grade_birth_mismatch`, `grade_age_mismatch`). A column that cannot be read
    /// while another can is reported as warning `age_column_ignored`.
    public func normalize(birth: String?, age: String?, grade: String?) -> Normalized<ChildAge> {
        var all = Facts()
        var firstFatal: FieldIssue?
        var ignored: [FieldIssue] = []
        var any = false
        for (label, cell, bareIsGrade) in [("생년월일", birth, false), ("나이", age, false), ("학년", grade, true)] {
            guard let cell else { continue }
            switch parse(cell, bareNumberIsGrade: bareIsGrade) {
            case .empty: continue
            case .failed(let issue):
                any = true
                if firstFatal == nil { firstFatal = issue }
                ignored.append(.warning("age_column_ignored", "\(label) 칸을 읽지 못해 다른 칸으로 판단했습니다: \(issue.message)"))
            case .facts(let f):
                any = true
                all.absorb(f)
            }
        }
        if !any {
            return .failed(.fatal("age_missing", "아동 생년월일·나이·학년이 모두 비어 있습니다. 하나 이상 입력해 주세요."))
        }
        if all.isEmpty {
            return .failed(
                firstFatal ?? .fatal("age_unparsed", "아동 나이를 읽을 수 없습니다. 생년월일(예: 2017-03-05)이나 만 나이를 입력해 주세요."))
        }
        var result = merge(all)
        result.issues.insert(contentsOf: ignored, at: 0)
        return result
    }

    // MARK: - Facts

    enum AgeKind { case full, korean, sal }

    struct Facts {
        var birthDate: LocalDate?
        var birthYear: Int?  // from `2017년생`
        var statedAge: Int?
        var ageKind: AgeKind = .full
        var grade: Int?
        var nonElementaryGrade: String?
        var preschoolYears: Int?
        /// `미취학`, `유치원`, `어린이집`: not in school yet, no more said.
        var preschoolBand = false
        var warnings: [FieldIssue] = []

        var isEmpty: Bool {
            birthDate == nil && birthYear == nil && statedAge == nil && grade == nil && nonElementaryGrade == nil
                && preschoolYears == nil
                && !preschoolBand
        }

        mutating func absorb(_ o: Facts) {
            if birthDate == nil { birthDate = o.birthDate }
            if birthYear == nil { birthYear = o.birthYear }
            if statedAge == nil, let a = o.statedAge {
                statedAge = a
                ageKind = o.ageKind
            }
            if grade == nil { grade = o.grade }
            if nonElementaryGrade == nil { nonElementaryGrade = o.nonElementaryGrade }
            if preschoolYears == nil { preschoolYears = o.preschoolYears }
            preschoolBand = preschoolBand || o.preschoolBand
            for w in o.warnings where !warnings.contains(where: { $0.code == w.code }) { warnings.append(w) }
        }
    }

    enum Parsed {
        case empty
        case failed(FieldIssue)
        case facts(Facts)
    }

    var schoolYear: Int { asOf.month >= 3 ? asOf.year : asOf.year - 1 }

    /// Elementary grade of a child born in `year`, or nil outside 1...6.
    func grade(bornIn year: Int) -> Int? {
        let g = schoolYear - year - 6
        return (1...6).contains(g) ? g : nil
    }

    func preschoolYears(bornIn year: Int) -> Int? {
        let g = schoolYear - year - 6
        return (-6...0).contains(g) ? 1 - g : nil
    }

    /// The common shapes of an age cell, read straight from the UTF-8 bytes: a plain birth date
    /// (`2017-03-05`, `2017.3.5`, `2017. 3. 5.`, `2017/03/05`, `20170305`, `170305`, `17.03.05`,
    /// `2017년 3월 5일(생)`, Excel serial `42799`), an age (`7`, `7세`, `만 7세`, `7살`) or a grade
    /// (`초2`, `초등 2학년`, `초등학교 2학년`, `2학년`). nil for anything else (the general path),
    /// including dates that do not exist, lie after `asOf` or before 1900, and grades outside 1-6:
    /// for these texts the general path finds exactly these facts and nothing else.
    func plainFacts(_ raw: String, bareNumberIsGrade: Bool) -> Facts? {
        var text = raw
        return text.withUTF8 { bytes -> Facts? in
            guard let first = bytes.first else { return nil }
            if first >= 0x30 && first <= 0x39 {
                if let date = plainBirthDate(bytes) { return Facts(birthDate: date) }
                return plainNumberFacts(bytes, bareNumberIsGrade: bareNumberIsGrade)
            }
            return plainWordFacts(bytes)
        }
    }

    /// See `plainFacts`: the birth dates.
    private func plainBirthDate<Bytes: RandomAccessCollection>(_ bytes: Bytes) -> LocalDate?
    where Bytes.Element == UInt8, Bytes.Index == Int {
        var cursor = ByteCursor(bytes)
        func separator() -> Bool {
            guard cursor.skip(anyOf: "-./") else { return false }
            _ = cursor.skip(0x20)
            return true
        }
        var leadingDigits = 0
        while leadingDigits < bytes.count, bytes[leadingDigits] >= 0x30 && bytes[leadingDigits] <= 0x39 {
            leadingDigits += 1
        }
        let year: Int
        let month: Int
        let day: Int
        switch leadingDigits {
        case 8 where bytes.count == 8:
            let v = cursor.number(8, 8)!
            (year, month, day) = (v / 10000, (v / 100) % 100, v % 100)
        case 6 where bytes.count == 6:
            // `170305`: two-digit years up to asOf's are this century.
            let v = cursor.number(6, 6)!
            (year, month, day) = (century(v / 10000), (v / 100) % 100, v % 100)
        case 5 where bytes.count == 5:
            // An Excel serial date, accepted only within 30 years before asOf.
            guard let d = DateScan.excelDate(serial: cursor.number(5, 5)!), d <= asOf, d.year >= asOf.year - 30 else {
                return nil
            }
            return d
        case 4:
            let y = cursor.number(4, 4)!
            if cursor.skip("년") {
                // `2017년 3월 5일`, `2017년3월5일생`.
                _ = cursor.skip(0x20)
                guard let m = cursor.number(1, 2), cursor.skip("월") else { return nil }
                _ = cursor.skip(0x20)
                guard let d = cursor.number(1, 2) else { return nil }
                _ = cursor.skip("일")
                _ = cursor.skip("생")
                guard cursor.atEnd else { return nil }
                (year, month, day) = (y, m, d)
            } else {
                guard separator(), let m = cursor.number(1, 2), separator(), let d = cursor.number(1, 2) else {
                    return nil
                }
                _ = cursor.skip(0x2E)  // `2017. 3. 5.`
                guard cursor.atEnd else { return nil }
                (year, month, day) = (y, m, d)
            }
        case 2:
            // `17.03.05`, `17.3.5.`
            let yy = cursor.number(2, 2)!
            guard separator(), let m = cursor.number(1, 2), separator(), let d = cursor.number(1, 2) else { return nil }
            _ = cursor.skip(0x2E)
            guard cursor.atEnd else { return nil }
            (year, month, day) = (century(yy), m, d)
        default:
            return nil
        }
        guard year >= 1900, let date = LocalDate(year: year, month: month, day: day), date <= asOf else { return nil }
        return date
    }

    /// Two-digit years up to asOf's are 20YY, others 19YY (as `DateScan` reads them).
    private func century(_ yy: Int) -> Int { yy <= asOf.year % 100 ? 2000 + yy : 1900 + yy }

    /// See `plainFacts`: `7`, `7세`, `7살`, `2학년`.
    private func plainNumberFacts<Bytes: RandomAccessCollection>(_ bytes: Bytes, bareNumberIsGrade: Bool) -> Facts?
    where Bytes.Element == UInt8, Bytes.Index == Int {
        var cursor = ByteCursor(bytes)
        guard let n = cursor.number(1, 2) else { return nil }
        if cursor.atEnd {
            if bareNumberIsGrade { return (1...6).contains(n) ? Facts(grade: n) : nil }
            return Facts(statedAge: n, ageKind: .full)
        }
        if cursor.skip("세"), cursor.atEnd { return Facts(statedAge: n, ageKind: .full) }
        if cursor.skip("살"), cursor.atEnd { return Facts(statedAge: n, ageKind: koreanAgeWording ? .korean : .sal) }
        if cursor.skip("학년"), cursor.atEnd, (1...6).contains(n) { return Facts(grade: n) }
        return nil
    }

    /// See `plainFacts`: `만 7세`, `만7살`, `초2`, `초등 2학년`, `초등학교 2학년`.
    private func plainWordFacts<Bytes: RandomAccessCollection>(_ bytes: Bytes) -> Facts?
    where Bytes.Element == UInt8, Bytes.Index == Int {
        var cursor = ByteCursor(bytes)
        if cursor.skip("만") {
            _ = cursor.skip(0x20)
            guard let n = cursor.number(1, 2), cursor.skip("세") || cursor.skip("살"), cursor.atEnd else { return nil }
            return Facts(statedAge: n, ageKind: .full)
        }
        if cursor.skip("초") {
            if cursor.skip("등") { _ = cursor.skip("학교") }
            _ = cursor.skip(0x20)
            guard let n = cursor.number(1, 2), (1...6).contains(n) else { return nil }
            _ = cursor.skip("학년")
            guard cursor.atEnd else { return nil }
            return Facts(grade: n)
        }
        return nil
    }

    func parse(_ raw: String, bareNumberIsGrade: Bool = false) -> Parsed {
        if let issue = Self.tooLong.issue(raw, limit: maxCharacters) { return .failed(issue) }
        if let f = plainFacts(raw, bareNumberIsGrade: bareNumberIsGrade) { return .facts(f) }
        return generalParse(raw, bareNumberIsGrade: bareNumberIsGrade)
    }

    /// Every rule, on tokens; `plainFacts` finds the same facts for the cells it reads.
    func generalParse(_ raw: String, bareNumberIsGrade: Bool = false) -> Parsed {
        let a = FieldText.collapseSpaces(FieldText.fold(raw))
        if a.isEmpty { return .empty }
        let t = FieldToken.tokenize(a)
        var f = Facts()
        var full = false  // saw 만
        var korean = false  // saw 한국나이 / 세는나이
        var level = 0  // 1 elementary, 2 middle, 3 high
        var preschoolWord = false
        var multiple = false  // a second birth date, or an age differing by more than the 만/한국 나이 gap
        var i = 0
        let pivot = asOf.year % 100
        func text() -> String { FieldText.string(a) }
        // A middle- or high-school grade keeps the cell's text, set once after the loop (a hostile
        // cell names a grade per token, and the text was made for each).
        var notElementary = false
        while i < t.count {
            let tok = t[i]
            if tok.kind == .number {
                if let m = DateScan.match(t, at: i, pivotYY: pivot) {
                    guard let d = LocalDate(year: m.year, month: m.month, day: m.day), m.year >= 1900 else {
                        return .failed(.fatal("birth_date_invalid", "'\(text())'은(는) 없는 날짜입니다. 생년월일을 다시 확인해 주세요."))
                    }
                    if d > asOf {
                        return .failed(
                            .fatal("birth_date_invalid", "생년월일 \(d.iso)이(가) 기준일(\(asOf.iso))보다 뒤입니다. 생년월일을 다시 확인해 주세요.")
                        )
                    }
                    // (Only for the date that is used: a message per date of a cell of many dates,
                    // each quoting the cell, grew with the square of its length.)
                    if m.orderAmbiguous, f.birthDate == nil {
                        f.warnings.append(
                            .warning(
                                "birth_date_order_ambiguous",
                                "'\(text())'을(를) 월/일/연도 순서로 보고 \(d.iso)(으)로 읽었습니다. 일/월 순서라면 고쳐 주세요."))
                    }
                    if let prev = f.birthDate, prev != d { multiple = true } else { f.birthDate = d }
                    i = m.next
                    continue
                }
                let n = tok.value
                if let prev = f.statedAge, abs(prev - n) > 1, i + 1 < t.count,
                    t[i + 1].isWord("세") || t[i + 1].isWord("살")
                {
                    multiple = true
                }
                let nextWord = i + 1 < t.count && t[i + 1].kind == .word ? t[i + 1].word : nil
                switch nextWord {
                case "세", "세이고", "세입니다", "세요":
                    if f.statedAge == nil {
                        f.statedAge = n
                        f.ageKind = korean ? .korean : .full
                    }
                    i += 2
                    continue
                case "살", "살이고", "살입니다", "살이에요":
                    if f.statedAge == nil {
                        f.statedAge = n
                        f.ageKind = full ? .full : ((korean || koreanAgeWording) ? .korean : .sal)
                    }
                    i += 2
                    continue
                case "개월":
                    if f.statedAge == nil {
                        f.statedAge = n / 12
                        f.ageKind = .full
                    }
                    i += 2
                    continue
                case "세반", "살반":
                    guard (3...7).contains(n) else {
                        return .failed(.fatal("grade_invalid", "'\(text())'의 반 나이를 알 수 없습니다. 생년월일을 입력해 주세요."))
                    }
                    f.preschoolYears = 8 - n
                    i += 2
                    continue
                case "학년":
                    if level >= 2 {
                        notElementary = true
                    } else if preschoolWord {
                        f.preschoolYears = 1
                    } else if (1...6).contains(n) {
                        f.grade = n
                    } else {
                        return .failed(.fatal("grade_invalid", "'\(text())'은(는) 초등학교 학년(1~6)이 아닙니다. 학년을 다시 확인해 주세요."))
                    }
                    i += 2
                    continue
                case "년생", "년", "생":
                    var y = n
                    if tok.digitCount == 2 { y = n <= pivot ? 2000 + n : 1900 + n }
                    guard tok.digitCount == 2 || tok.digitCount == 4, y <= asOf.year, y >= 1900 else {
                        return .failed(.fatal("birth_date_invalid", "'\(text())'의 출생연도를 알 수 없습니다. 생년월일을 다시 확인해 주세요."))
                    }
                    f.birthYear = y
                    i += 2
                    // `2017년 3월(생)`: the month does not change the year-based reading.
                    if i + 1 < t.count, t[i].kind == .number, t[i + 1].isWord("월") || t[i + 1].isWord("월생") { i += 2 }
                    continue
                default:
                    break
                }
                if level >= 2 {
                    notElementary = true
                    i += 1
                    continue
                }
                if level == 1 || preschoolWord {
                    if preschoolWord {
                        f.preschoolYears = 1
                    } else if (1...6).contains(n) {
                        f.grade = n
                    } else {
                        return .failed(.fatal("grade_invalid", "'\(text())'은(는) 초등학교 학년(1~6)이 아닙니다. 학년을 다시 확인해 주세요."))
                    }
                    level = 0
                    i += 1
                    continue
                }
                // Year and month only: 2017-03, 2017.3, 2017년 3월.
                if tok.digitCount == 4, (1900...asOf.year).contains(n), i + 2 < t.count,
                    t[i + 1].isSymbol("-") || t[i + 1].isSymbol(".") || t[i + 1].isSymbol("/") || t[i + 1].isWord("년"),
                    t[i + 2].kind == .number, (1...12).contains(t[i + 2].value), t[i + 2].digitCount <= 2
                {
                    f.birthYear = n
                    i += 3
                    if i < t.count, t[i].isWord("월") || t[i].isWord("월생") || t[i].isSymbol(".") { i += 1 }
                    continue
                }
                // A bare number.
                if tok.digitCount <= 2, bareNumberIsGrade {
                    guard (1...6).contains(n) else {
                        return .failed(.fatal("grade_invalid", "'\(text())'은(는) 초등학교 학년(1~6)이 아닙니다. 학년을 다시 확인해 주세요."))
                    }
                    f.grade = n
                    i += 1
                    continue
                }
                if tok.digitCount <= 2 {
                    if f.statedAge == nil {
                        f.statedAge = n
                        f.ageKind = .full
                    }
                    i += 1
                    continue
                }
                if tok.digitCount == 4, (1900...asOf.year).contains(n) {
                    f.birthYear = n
                    i += 1
                    continue
                }
                if tok.digitCount == 5 {
                    // Excel serial, optionally with a `.0` fraction.
                    var next = i + 1
                    if next + 1 < t.count, t[next].isSymbol("."), t[next + 1].kind == .number, t[next + 1].value == 0 {
                        next += 2
                    }
                    if let d = DateScan.excelDate(serial: n), d <= asOf, d.year >= asOf.year - 30 {
                        f.birthDate = d
                        i = next
                        continue
                    }
                }
                return .failed(
                    .fatal("age_unparsed", "'\(text())'을(를) 나이나 생년월일로 읽을 수 없습니다. 생년월일(예: 2017-03-05)이나 만 나이를 입력해 주세요."))
            }
            if tok.kind == .word {
                switch tok.word {
                case "만": full = true
                case "한국나이", "세는나이", "한국식나이", "한국": korean = true
                case "초", "초등", "초등학교", "초등학생", "초교": level = 1
                case "중", "중학교", "중학생": level = 2
                case "고", "고등", "고등학교", "고등학생": level = 3
                case "예비초", "예비초등", "예비초등학생", "예비":
                    preschoolWord = true
                    f.preschoolYears = 1
                case "중학생이상", "중학교이상": notElementary = true
                case "미취학", "미취학아동", "취학전", "유치원", "유치원생", "어린이집", "어린이집생", "영유아", "유아", "영아":
                    f.preschoolBand = true
                default: break
                }
            }
            i += 1
        }
        if notElementary { f.nonElementaryGrade = text() }
        if multiple {
            f.warnings.append(
                .warning(
                    "age_multiple_values", "'\(text())'에 나이나 생년월일이 여러 개 있어 첫 번째 값을 썼습니다. 아동이 여러 명이면 아동별로 나눠 입력해 주세요."))
        }
        if f.isEmpty {
            return .failed(
                .fatal("age_unparsed", "'\(text())'을(를) 나이나 생년월일로 읽을 수 없습니다. 생년월일(예: 2017-03-05)이나 만 나이를 입력해 주세요."))
        }
        return .facts(f)
    }

    // MARK: - Merge

    func merge(_ f: Facts) -> Normalized<ChildAge> {
        var w = f.warnings
        var value: ChildAge
        if let b = f.birthDate {
            value = ChildAge(
                birthDate: b, age: b.fullAge(on: asOf), schoolGrade: grade(bornIn: b.year),
                preschoolYearsToGrade1: preschoolYears(bornIn: b.year), basis: .birthDate)
            if let stated = f.statedAge {
                let compare = f.ageKind == .korean ? stated - 1 : stated
                if abs(compare - value.age!) > 1 {
                    w.append(
                        .warning(
                            "age_birth_mismatch",
                            "적힌 나이(\(stated))와 생년월일(\(b.iso), 만 \(value.age!)세)이 맞지 않습니다. 생년월일 기준으로 처리했으니 확인해 주세요."))
                }
            }
            if let g = f.grade, g != value.schoolGrade {
                w.append(
                    .warning(
                        "grade_birth_mismatch", "적힌 학년(\(g)학년)과 생년월일(\(b.iso))로 계산한 학년이 다릅니다. 생년월일 기준으로 처리했으니 확인해 주세요.")
                )
            }
        } else if let y = f.birthYear ?? ((f.ageKind == .korean) ? f.statedAge.map { asOf.year - $0 + 1 } : nil) {
            let fromYearOnly = f.birthYear != nil
            value = ChildAge(
                birthDate: nil, age: asOf.year - y, schoolGrade: grade(bornIn: y),
                preschoolYearsToGrade1: preschoolYears(bornIn: y), basis: .koreanAge)
            if fromYearOnly {
                w.append(
                    .warning(
                        "birth_year_only", "출생연도(\(y)년)만 있어 나이를 연 나이(\(asOf.year - y)세)로 계산했습니다. 정확한 생년월일을 확인해 주세요."))
                if let stated = f.statedAge {
                    let compare = f.ageKind == .korean ? stated - 1 : stated
                    if abs(compare - (asOf.year - y)) > 1 {
                        w.append(
                            .warning(
                                "age_birth_mismatch", "적힌 나이(\(stated))와 출생연도(\(y)년)가 맞지 않습니다. 출생연도 기준으로 처리했으니 확인해 주세요."
                            ))
                    }
                }
            } else {
                w.append(
                    .warning(
                        "age_korean_age_approximate",
                        "한국식 나이(\(f.statedAge!)살)로 보고 \(y)년생, 연 나이 \(asOf.year - y)세로 계산했습니다. 만 나이는 생일에 따라 1살 적을 수 있으니 생년월일을 확인해 주세요."
                    ))
            }
            if let g = f.grade, g != value.schoolGrade {
                w.append(.warning("grade_birth_mismatch", "적힌 학년(\(g)학년)과 출생연도(\(y)년)로 계산한 학년이 다릅니다. 확인해 주세요."))
            }
        } else if let pre = f.preschoolYears, f.grade == nil {
            value = ChildAge(preschoolYearsToGrade1: pre, basis: .schoolGrade)
            if let stated = f.statedAge {
                // 예비초 / 7세반 children: full age and class (Korean) age are both fine.
                let y = schoolYear + pre - 7
                let lo = asOf.year - y - 1
                let hi = asOf.year - y + 1
                if stated < lo || stated > hi {
                    w.append(.warning("grade_age_mismatch", "적힌 나이(\(stated))와 취학 예정 정보가 맞지 않습니다. 생년월일을 확인해 주세요."))
                }
            }
        } else if let stated = f.statedAge {
            value = ChildAge(age: stated, schoolGrade: f.grade, basis: .fullAge)
            if f.ageKind == .sal {
                w.append(
                    .warning("age_ambiguous_sal", "'\(stated)살'을 만 나이로 보았습니다. 한국식 나이라면 만 나이가 1~2살 적으니 생년월일을 확인해 주세요."))
            }
            if let g = f.grade, f.ageKind == .full {
                let y = schoolYear - g - 6
                if stated < asOf.year - y - 1 || stated > asOf.year - y {
                    w.append(.warning("grade_age_mismatch", "적힌 나이(만 \(stated)세)와 학년(\(g)학년)이 맞지 않습니다. 생년월일을 확인해 주세요."))
                }
            }
        } else if let g = f.grade {
            value = ChildAge(schoolGrade: g, basis: .schoolGrade)
        } else if f.preschoolBand {
            value = ChildAge(preschoolBand: true, basis: .schoolGrade)
        } else {
            value = ChildAge(basis: .schoolGrade)
        }
        if f.nonElementaryGrade != nil && value.schoolGrade == nil && value.age == nil {
            w.append(.warning("grade_not_elementary", "초등학생이 아닌 학년(중·고등학생)으로 적혀 있습니다. 돌봄 대상인지 확인해 주세요."))
        }
        if let age = value.age, !servedAges.contains(age) {
            w.append(
                .warning(
                    "age_out_of_range",
                    "나이(만 \(age)세)가 지원 대상(\(servedAges.lowerBound)~\(servedAges.upperBound)세) 밖입니다. 보호자 생년월일을 잘못 적은 것은 아닌지 확인해 주세요."
                ))
        }
        return .ok(value, w)
    }
}
