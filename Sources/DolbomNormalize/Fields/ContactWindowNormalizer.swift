/// A half-open range of minutes after midnight, `[start, end)`.
public struct MinuteRange: Hashable, Sendable, Codable {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }
}

/// When a family wants to be called, so counselors can plan call rounds.
public struct ContactWindow: Hashable, Sendable, Codable {
    public enum Days: String, Sendable, Codable { case any, weekdays, weekend }

    public var days: Days
    /// Sorted; empty means any time of the allowed days.
    public var ranges: [MinuteRange]
    /// No restriction at all: `days == .any && ranges.isEmpty`.
    public var anytime: Bool
    /// The cleaned original text, always shown to the counselor.
    public var text: String

    public init(days: Days, ranges: [MinuteRange], anytime: Bool, text: String) {
        self.days = days
        self.ranges = ranges
        self.anytime = anytime
        self.text = text
    }
}

/// Reads a free-text or checkbox "연락 가능 시간" cell.
///
/// Word periods: 아침 07-09, 오전 09-12, 점심(시간) 12-13, 오후 12-18, 낮 09-18,
/// 저녁/퇴근 후 18-21, 밤 20-22. A period word followed by clock times only sets
/// 오전/오후 for them (`오후 2시~5시` → 14-17). `N시 이후` ends at 21:00 (or one
/// hour later if N ≥ 21); `N시 이전/까지` starts at 09:00 (or one hour earlier);
/// a lone `N시` is one hour. Hours 1-6 without 오전/오후 are read as afternoon
/// (`3시` → 15시) with warning `contact_window_hour_assumed_pm`; 7-12 are taken as written.
/// Days apply to the whole cell (`평일 오전, 주말 오후` → any days, warning
/// `contact_window_days_merged`). Text that cannot be read never blocks a call:
/// the value is "any time" with warning `contact_window_unparsed`; parts saying
/// 불가/제외 are dropped with warning `contact_window_negation`. Empty → any time, no issue.
public enum ContactWindowNormalizer {
    public static func normalize(_ raw: String) -> Normalized<ContactWindow> {
        let cleaned = FieldText.collapseSpaces(FieldText.fold(raw))
        let text = FieldText.string(cleaned)
        if cleaned.isEmpty {
            return .ok(ContactWindow(days: .any, ranges: [], anytime: true, text: ""))
        }
        let items = scan(FieldText.compactLowered(cleaned))
        var weekdays = false
        var weekend = false
        var specificDays = false
        var ranges: [MinuteRange] = []
        var recognized = false
        var unparsedPart = false
        var negated = false
        var assumedPM = false

        // Split into segments.
        var segments: [[Item]] = [[]]
        for it in items {
            if case .sep = it { segments.append([]) } else { segments[segments.count - 1].append(it) }
        }
        for seg in segments where !seg.isEmpty {
            var segRanges: [MinuteRange] = []
            var segDays: (Bool, Bool, Bool) = (false, false, false)
            var segAnytime = false
            var segNegated = false
            var segUnknown = false
            var mer: Int? = nil
            var k = 0
            while k < seg.count {
                switch seg[k] {
                case .sep: break
                case .days(let wd, let we, let specific):
                    segDays.0 = segDays.0 || wd
                    segDays.1 = segDays.1 || we
                    segDays.2 = segDays.2 || specific
                case .anytime: segAnytime = true
                case .negation: segNegated = true
                case .unknown: segUnknown = true
                case .period(let r, let m):
                    var timeFollows = false
                    var j = k + 1
                    while j < seg.count {
                        if case .time = seg[j] {
                            timeFollows = true
                            break
                        }
                        if case .period = seg[j] { break }
                        j += 1
                    }
                    if timeFollows { mer = m } else { segRanges.append(r) }
                case .time(let h, let m):
                    let (s, a1) = resolve(h, m, mer)
                    assumedPM = assumedPM || a1
                    var next = k + 1
                    var mer2 = mer
                    if next < seg.count, case .to = seg[next] {
                        var j = next + 1
                        if j < seg.count, case .period(_, let pm) = seg[j] {
                            mer2 = pm
                            j += 1
                        }
                        if j < seg.count, case .time(let h2, let m2) = seg[j] {
                            var (e, a2) = resolve(h2, m2, mer2)
                            if e <= s && mer2 == nil && h2 < 12 {
                                e = h2 * 60 + m2 + 720
                                a2 = true
                            }
                            if a2 && !(1...6).contains(h2) { a2 = false }
                            assumedPM = assumedPM || a2
                            if e > s { segRanges.append(MinuteRange(start: s, end: e)) }
                            mer = mer2
                            k = j + 1
                            continue
                        }
                        // "10시부터", "10시~": open-ended.
                        segRanges.append(MinuteRange(start: s, end: afterEnd(s)))
                        k = next + 1
                        continue
                    }
                    if next < seg.count, case .after = seg[next] {
                        segRanges.append(MinuteRange(start: s, end: afterEnd(s)))
                        k = next + 1
                        continue
                    }
                    if next < seg.count, case .before = seg[next] {
                        segRanges.append(MinuteRange(start: s > 540 ? 540 : max(0, s - 60), end: s))
                        k = next + 1
                        continue
                    }
                    segRanges.append(MinuteRange(start: s, end: min(s + 60, 1440)))
                    next = k + 1
                    k = next
                    continue
                case .to:
                    // "~12시": until.
                    if k + 1 < seg.count, case .time(let h, let m) = seg[k + 1] {
                        let (e, a) = resolve(h, m, mer)
                        assumedPM = assumedPM || a
                        segRanges.append(MinuteRange(start: e > 540 ? 540 : max(0, e - 60), end: e))
                        k += 2
                        continue
                    }
                case .after, .before, .filler: break
                }
                k += 1
            }
            if segNegated {
                negated = true
                continue
            }
            let segRecognized = !segRanges.isEmpty || segDays.0 || segDays.1 || segAnytime
            if segRecognized {
                recognized = true
                weekdays = weekdays || segDays.0
                weekend = weekend || segDays.1
                specificDays = specificDays || segDays.2
                ranges.append(contentsOf: segRanges)
            } else if segUnknown {
                unparsedPart = true
            }
        }

        var issues: [FieldIssue] = []
        if negated {
            issues.append(
                .warning(
                    "contact_window_negation", "연락 불가 시간이 적혀 있어 그 부분은 반영하지 않았습니다. 원문('\(text)')을 보고 통화 시간을 정해 주세요."))
        }
        if !recognized {
            if !negated {
                issues.append(
                    .warning("contact_window_unparsed", "연락 가능 시간('\(text)')을 해석하지 못해 아무 때나 가능으로 두었습니다. 원문을 확인해 주세요."))
            }
            return .ok(ContactWindow(days: .any, ranges: [], anytime: true, text: text), issues)
        }
        if unparsedPart {
            issues.append(.warning("contact_window_unparsed", "연락 가능 시간 일부를 해석하지 못했습니다. 원문('\(text)')을 확인해 주세요."))
        }
        if assumedPM {
            issues.append(
                .warning("contact_window_hour_assumed_pm", "오전/오후 표시가 없는 1~6시는 오후로 보았습니다. 원문('\(text)')을 확인해 주세요."))
        }
        let days: ContactWindow.Days = weekdays == weekend ? .any : (weekdays ? .weekdays : .weekend)
        let merged = merge(ranges)
        if weekdays && weekend && !merged.isEmpty {
            issues.append(
                .warning("contact_window_days_merged", "평일과 주말의 시간이 다르게 적혀 있어 요일 구분 없이 합쳤습니다. 원문('\(text)')을 확인해 주세요."))
        }
        if specificDays {
            issues.append(
                .warning("contact_window_specific_days", "특정 요일이 적혀 있어 평일로 처리했습니다. 원문('\(text)')의 요일을 확인해 주세요."))
        }
        return .ok(
            ContactWindow(days: days, ranges: merged, anytime: days == .any && merged.isEmpty, text: text), issues)
    }

    // MARK: - Scanner

    enum Item {
        case sep, anytime, negation, unknown, to, after, before, filler
        case days(weekdays: Bool, weekend: Bool, specific: Bool)
        case period(MinuteRange, meridiem: Int?)  // 0 am, 1 pm
        case time(hour: Int, minute: Int)
    }

    static let eveningEnd = 21 * 60

    private static func afterEnd(_ s: Int) -> Int { s < eveningEnd ? eveningEnd : min(s + 60, 1440) }

    /// Minutes for an hour under a meridiem; nil meridiem reads 1-6 as PM (flagged).
    private static func resolve(_ h: Int, _ m: Int, _ mer: Int?) -> (Int, Bool) {
        var hour = h
        var assumed = false
        switch mer {
        case 1: if h < 12 { hour = h + 12 }
        case 0: hour = h  // 오전 12시 in a call window is noon (nobody asks for midnight calls)
        default:
            if (1...6).contains(h) {
                hour = h + 12
                assumed = true
            }
        }
        return (min(hour * 60 + m, 1440), assumed)
    }

    private static func merge(_ rs: [MinuteRange]) -> [MinuteRange] {
        let sorted = rs.sorted { ($0.start, $0.end) < ($1.start, $1.end) }
        var out: [MinuteRange] = []
        for r in sorted where r.end > r.start {
            if let last = out.last, r.start < last.end {
                out[out.count - 1].end = max(last.end, r.end)
            } else if out.last != r {
                out.append(r)
            }
        }
        return out
    }

    private static func r(_ a: Int, _ b: Int) -> MinuteRange { MinuteRange(start: a * 60, end: b * 60) }

    private static let keywords: [([Unicode.Scalar], Item)] = {
        let weekdays = Item.days(weekdays: true, weekend: false, specific: false)
        let weekend = Item.days(weekdays: false, weekend: true, specific: false)
        let specific = Item.days(weekdays: true, weekend: false, specific: true)
        let both = Item.days(weekdays: true, weekend: true, specific: false)
        let table: [(String, Item)] = [
            ("또는", .sep), ("혹은", .sep), ("및", .sep), ("or", .sep), ("and", .sep), ("그리고", .sep),
            ("언제든지", .anytime), ("언제든", .anytime), ("언제나", .anytime), ("언제라도", .anytime), ("아무때나", .anytime),
            ("아무시간", .anytime), ("상관없음", .anytime), ("상관없", .anytime), ("무관", .anytime), ("상시", .anytime),
            ("하루종일", .anytime), ("종일", .anytime), ("모두가능", .anytime), ("다가능", .anytime), ("전부가능", .anytime),
            ("시간관계없", .anytime), ("anytime", .anytime), ("any", .anytime),
            ("평일", weekdays), ("주중", weekdays), ("월~금", weekdays), ("월-금", weekdays), ("월요일~금요일", weekdays),
            ("월요일-금요일", weekdays), ("월~금요일", weekdays), ("weekdays", weekdays), ("weekday", weekdays),
            ("주말", weekend), ("토요일", weekend), ("일요일", weekend), ("토일", weekend), ("공휴일", weekend), ("휴일", weekend),
            ("weekend", weekend), ("매일", both),
            ("월요일", specific), ("화요일", specific), ("수요일", specific), ("목요일", specific), ("금요일", specific),
            ("아침", .period(r(7, 9), meridiem: 0)), ("오전", .period(r(9, 12), meridiem: 0)),
            ("am", .period(r(9, 12), meridiem: 0)),
            ("점심시간", .period(r(12, 13), meridiem: 1)), ("점심", .period(r(12, 13), meridiem: 1)),
            ("오후", .period(r(12, 18), meridiem: 1)), ("pm", .period(r(12, 18), meridiem: 1)),
            ("낮", .period(r(9, 18), meridiem: nil)), ("저녁", .period(r(18, 21), meridiem: 1)),
            ("퇴근후", .period(r(18, 21), meridiem: 1)), ("퇴근이후", .period(r(18, 21), meridiem: 1)),
            ("퇴근시간이후", .period(r(18, 21), meridiem: 1)), ("밤", .period(r(20, 22), meridiem: 1)),
            ("부터", .to), ("에서", .to), ("~", .to), ("-", .to), ("–", .to),
            ("이후", .after), ("후", .after), ("넘어서", .after), ("이상", .after),
            ("이전", .before), ("전", .before), ("까지", .before),
            ("불가", .negation), ("안됨", .negation), ("안돼", .negation), ("어려움", .negation), ("어렵", .negation),
            ("제외", .negation), ("피해", .negation), ("말고", .negation), ("사절", .negation),
            (",", .sep), ("/", .sep), (";", .sep), ("\n", .sep), ("|", .sep), ("、", .sep),
        ]
        let fillers = [
            "전화통화", "전화", "통화", "연락", "가능합니다", "가능해요", "가능", "시간대", "시간", "사이", "쯤", "정도", "경",
            "선호", "희망", "원함", "좋음", "좋아요", "좋습니다", "편해요", "편함", "편합니다", "주세요", "부탁", "드립니다", "요",
            "에", "는", "은", "이", "가", "도", "만", "중", "간", "때", "대", "으로", "로", "위주", "주로", "쪽", "분",
        ].map { ($0, Item.filler) }
        return (table + fillers).map { (Array($0.0.unicodeScalars), $0.1) }.sorted { $0.0.count > $1.0.count }
    }()

    /// Keywords grouped by their first scalar, longest first, so scanning is one dictionary lookup per position.
    private static let keywordsByFirst: [UInt32: [([Unicode.Scalar], Item)]] = Dictionary(
        grouping: keywords, by: { $0.0[0].value })

    static func scan(_ a: [Unicode.Scalar]) -> [Item] {
        var items: [Item] = []
        var i = 0
        let n = a.count
        while i < n {
            let c = a[i]
            if FieldText.isDigit(c) {
                var v = 0
                var j = i
                while j < n, FieldText.isDigit(a[j]) {
                    v = min(v * 10 + FieldText.digitValue(a[j]), 10_000)
                    j += 1
                }
                var minute = 0
                if j + 1 < n, a[j] == ":", FieldText.isDigit(a[j + 1]) {
                    var mm = 0
                    j += 1
                    while j < n, FieldText.isDigit(a[j]) {
                        mm = min(mm * 10 + FieldText.digitValue(a[j]), 10_000)
                        j += 1
                    }
                    minute = mm
                }
                if j < n, a[j] == "시" {
                    j += 1
                    if j < n, a[j] == "반" {
                        minute = 30
                        j += 1
                    } else {
                        var k = j
                        var mm = 0
                        while k < n, FieldText.isDigit(a[k]) {
                            mm = min(mm * 10 + FieldText.digitValue(a[k]), 10_000)
                            k += 1
                        }
                        if k > j, k < n, a[k] == "분" {
                            minute = mm
                            j = k + 1
                        }
                    }
                }
                if v <= 24 && minute < 60 && (v < 24 || minute == 0) {
                    items.append(.time(hour: v, minute: minute))
                } else {
                    items.append(.unknown)
                }
                i = j
                continue
            }
            if let candidates = keywordsByFirst[c.value],
                let (kw, item) = candidates.first(where: { FieldText.hasPrefix(a, $0.0, at: i) })
            {
                if case .filler = item {} else { items.append(item) }
                i += kw.count
                continue
            }
            if FieldText.isLetter(c) {
                if case .unknown? = items.last {} else { items.append(.unknown) }
            }
            i += 1
        }
        return items
    }
}
