import DolbomNormalize

/// One phone counselor as the city's roster file describes them.
///
/// Times stay as the text staff typed (`"09:00-18:00"`) so a roster round-trips unchanged; `Roster.validate()`
/// turns them into minutes once and names the counselor and field when the text is wrong.
public struct Counselor: Codable, Sendable, Hashable {
    public var id: String
    public var name: String
    /// ISO weekdays, 1 = Monday ... 7 = Sunday.
    public var weekdays: [Int]
    /// `"HH:MM-HH:MM"` (also `~`, `H:MM`), end exclusive; calls must end by then.
    public var hours: String
    /// Same format as `hours`; no call may overlap it.
    public var lunch: String?
    /// Counts every call that day, kept (pinned) ones included.
    public var maxCallsPerDay: Int
    /// Languages besides Korean the counselor can counsel in (`베트남어`, `중국어`); compared after trimming.
    public var languages: [String]
    /// Whole days off (연차, 교육); appointments on them are impossible and get rescheduled.
    public var leave: [LocalDate]

    public init(
        id: String, name: String, weekdays: [Int] = [1, 2, 3, 4, 5], hours: String = "09:00-18:00",
        lunch: String? = "12:00-13:00", maxCallsPerDay: Int, languages: [String] = [], leave: [LocalDate] = []
    ) {
        self.id = id
        self.name = name
        self.weekdays = weekdays
        self.hours = hours
        self.lunch = lunch
        self.maxCallsPerDay = maxCallsPerDay
        self.languages = languages
        self.leave = leave
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, name, weekdays, hours, lunch, languages, leave
        case maxCallsPerDay = "max_calls_per_day"
    }

    /// The keys a counselor may have in the roster file; any other is a typo to report.
    public static var fileKeys: [String] { CodingKeys.allCases.map(\.rawValue) }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        if let numbers = try? c.decodeIfPresent([Int].self, forKey: .weekdays) {
            weekdays = numbers
        } else if let text = (try? c.decodeIfPresent(String.self, forKey: .weekdays))
            ?? (try? c.decodeIfPresent([String].self, forKey: .weekdays))?.joined(separator: ",")
        {
            guard let days = WeekdayText.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .weekdays, in: c,
                    debugDescription: "근무 요일 '\(text)'을(를) 읽을 수 없습니다. '월-금', '월,수,금' 또는 [1, 2, 3]처럼 적어 주세요.")
            }
            weekdays = days
        } else {
            weekdays = [1, 2, 3, 4, 5]
        }
        hours = try c.decode(String.self, forKey: .hours)
        lunch = try c.decodeIfPresent(String.self, forKey: .lunch)
        maxCallsPerDay = try c.decode(Int.self, forKey: .maxCallsPerDay)
        languages = try c.decodeIfPresent([String].self, forKey: .languages) ?? []
        leave = try c.decodeIfPresent([LocalDate].self, forKey: .leave) ?? []
    }
}

/// The counselors a plan may use; validated before planning so a typo fails loudly instead of silently
/// giving a counselor no slots.
public struct Roster: Codable, Sendable, Hashable {
    public var counselors: [Counselor]

    public init(counselors: [Counselor]) { self.counselors = counselors }

    /// Every problem, in roster order, so staff can fix the file in one pass.
    public func validate() -> [RosterIssue] {
        var issues: [RosterIssue] = []
        var seen: Set<String> = []
        for c in counselors { _ = Self.check(c, seen: &seen, issues: &issues) }
        return issues
    }

    /// Parsed counselors sorted by id (the scheduler's counselor tie-break), or all issues.
    func resolved() throws(RosterValidationError) -> [ResolvedCounselor] {
        var issues: [RosterIssue] = []
        var seen: Set<String> = []
        var out: [ResolvedCounselor] = []
        for c in counselors {
            if let r = Self.check(c, seen: &seen, issues: &issues) { out.append(r) }
        }
        guard issues.isEmpty else { throw RosterValidationError(issues: issues) }
        return out.sorted { $0.id < $1.id }
    }

    private static func check(_ c: Counselor, seen: inout Set<String>, issues: inout [RosterIssue])
        -> ResolvedCounselor?
    {
        let before = issues.count
        func issue(_ field: String, _ code: RosterIssue.Code, _ message: String) {
            issues.append(RosterIssue(counselorID: c.id, field: field, code: code, message: message))
        }
        let id = c.id.trimmedWhitespace
        if id.isEmpty { issue("id", .emptyID, "상담사 id가 비어 있습니다.") }
        if !seen.insert(id).inserted { issue("id", .duplicateID, "상담사 id '\(id)'가 두 번 이상 나옵니다.") }
        var mask: UInt8 = 0
        for w in c.weekdays {
            if (1...7).contains(w) {
                mask |= 1 << UInt8(w)
            } else {
                issue("weekdays", .unknownWeekday, "요일 \(w)은(는) 알 수 없습니다. 1(월)~7(일)로 적어 주세요.")
            }
        }
        var hours: MinuteRange?
        switch ClockText.parseRange(c.hours) {
        case .success(let r): hours = r
        case .failure(let f): issue("hours", f.code, f.message(field: "근무 시간", text: c.hours))
        }
        var lunch: MinuteRange?
        if let text = c.lunch, !text.trimmedWhitespace.isEmpty {
            switch ClockText.parseRange(text) {
            case .success(let r):
                lunch = r
                if let h = hours, r.start < h.start || r.end > h.end {
                    issue("lunch", .lunchOutsideHours, "점심 시간 '\(text)'이 근무 시간 '\(c.hours)' 밖에 있습니다.")
                }
            case .failure(let f): issue("lunch", f.code, f.message(field: "점심 시간", text: text))
            }
        }
        if c.maxCallsPerDay < 0 {
            issue("max_calls_per_day", .negativeCap, "하루 최대 통화 수(\(c.maxCallsPerDay))는 0 이상이어야 합니다.")
        }
        guard issues.count == before, let h = hours else { return nil }
        return ResolvedCounselor(
            id: id, weekdayMask: mask, hours: h, lunch: lunch, cap: c.maxCallsPerDay,
            languages: Set(c.languages.map(\.trimmedWhitespace)),
            leave: Set(c.leave.map(\.daysSinceEpoch)))
    }
}

/// One roster problem, naming the counselor and the field so staff can find the line to fix.
public struct RosterIssue: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, Codable {
        case emptyID = "empty_id"
        case duplicateID = "duplicate_id"
        case badTimeText = "bad_time_text"
        case endBeforeStart = "end_before_start"
        case unknownWeekday = "unknown_weekday"
        case lunchOutsideHours = "lunch_outside_hours"
        case negativeCap = "negative_cap"
    }
    public let counselorID: String
    /// The snake_case key as written in the roster file (`hours`, `lunch`, `weekdays`, `max_calls_per_day`).
    public let field: String
    public let code: Code
    /// Korean, for the staff member who edits the roster.
    public let message: String

    public var description: String { "counselor \(counselorID) \(field): \(code.rawValue) — \(message)" }
}

/// Thrown by `Scheduler.plan` so an invalid roster never yields a silently smaller schedule.
public struct RosterValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    public let issues: [RosterIssue]
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}

/// Weekdays as staff write them in a roster: `월-금`, `월~토`, `월,수,금`, `월수금`, `평일`, `매일`.
public enum WeekdayText {
    static let names: [Character: Int] = ["월": 1, "화": 2, "수": 3, "목": 4, "금": 5, "토": 6, "일": 7]

    /// ISO weekdays (1 = Monday), sorted and unique; nil when any part is not a weekday.
    public static func parse(_ text: String) -> [Int]? {
        // `월요일, 수요일` → `월,수`: drop whitespace and every `요일` (its `일` is not Sunday).
        var kept: [Character] = []
        var skipNext = false
        for ch in text where !ch.isWhitespace {
            if skipNext {
                skipNext = false
                if ch == "일" { continue }
            }
            if ch == "요" {
                skipNext = true
                continue
            }
            kept.append(ch)
        }
        let compact = String(kept)
        if compact.isEmpty { return nil }
        switch compact {
        case "평일", "주중": return [1, 2, 3, 4, 5]
        case "매일", "전체": return [1, 2, 3, 4, 5, 6, 7]
        case "주말": return [6, 7]
        default: break
        }
        var days: Set<Int> = []
        let separators: Set<Character> = [",", "·", "/", "、"]
        let dashes: Set<Character> = ["-", "~", "–"]
        for part in compact.split(whereSeparator: { separators.contains($0) }) {
            let chars = Array(part)
            if chars.count == 3, dashes.contains(chars[1]) {
                guard let a = names[chars[0]], let b = names[chars[2]], a <= b else { return nil }
                days.formUnion(a...b)
            } else if let n = Int(part), (1...7).contains(n) {
                days.insert(n)
            } else {
                for ch in chars {
                    guard let n = names[ch] else { return nil }
                    days.insert(n)
                }
            }
        }
        return days.isEmpty ? nil : days.sorted()
    }
}

/// Parsing of the `HH:MM-HH:MM` texts in rosters.
public enum ClockText {
    public struct Failure: Error, Sendable, Hashable {
        public let code: RosterIssue.Code
        func message(field: String, text: String) -> String {
            switch code {
            case .endBeforeStart: return "\(field) '\(text)'의 끝 시각이 시작 시각보다 빠르거나 같습니다."
            default: return "\(field) '\(text)'을(를) 읽을 수 없습니다. '09:00-18:00'처럼 적어 주세요."
            }
        }
    }

    /// `"09:00-18:00"` → 540..<1080 minutes. Accepts `-`, `~`, `–`, spaces, `H:MM`; hours 0-23.
    public static func parseRange(_ text: String) -> Result<MinuteRange, Failure> {
        let scalars = Array(text.unicodeScalars.filter { $0 != " " && $0 != "\t" })
        guard let sep = scalars.firstIndex(where: { $0 == "-" || $0 == "~" || $0 == "–" }) else {
            return .failure(Failure(code: .badTimeText))
        }
        guard let a = parseTime(scalars[..<sep]), let b = parseTime(scalars[(sep + 1)...]) else {
            return .failure(Failure(code: .badTimeText))
        }
        guard b > a else { return .failure(Failure(code: .endBeforeStart)) }
        return .success(MinuteRange(start: a, end: b))
    }

    /// `"9:05"` → 545; nil unless `H:MM`/`HH:MM` with hour 0-23, minute 0-59.
    public static func parseTime<S: Collection>(_ s: S) -> Int? where S.Element == Unicode.Scalar {
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2 else { return nil }
        func num(_ p: S.SubSequence) -> Int? {
            var v = 0
            for u in p {
                guard u >= "0" && u <= "9" else { return nil }
                v = v * 10 + Int(u.value - 48)
            }
            return v
        }
        guard let h = num(parts[0]), let m = num(parts[1]), h < 24, m < 60 else { return nil }
        return h * 60 + m
    }
}

/// A counselor with times in minutes and sets for O(1) checks in the planner's inner loop.
struct ResolvedCounselor: Sendable {
    let id: String
    let weekdayMask: UInt8  // bit w set for ISO weekday w
    let hours: MinuteRange
    let lunch: MinuteRange?
    let cap: Int
    let languages: Set<String>
    let leave: Set<Int>  // daysSinceEpoch

    func works(weekday: Int) -> Bool { weekdayMask & (1 << UInt8(weekday)) != 0 }

    /// A call `[start, end)` fits the working hours and avoids lunch.
    func fits(start: Int, end: Int) -> Bool {
        guard start >= hours.start, end <= hours.end, end > start else { return false }
        if let l = lunch, start < l.end, l.start < end { return false }
        return true
    }
}
