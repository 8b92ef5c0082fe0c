import DolbomNormalize

@testable import DolbomSchedule

/// SplitMix64: a tiny seeded generator so property tests are reproducible from the seed in the test name.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
    mutating func pick<T>(_ xs: [T]) -> T { xs[int(0...(xs.count - 1))] }
}

func d(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }

func at(_ iso: String, _ h: Int, _ m: Int) -> LocalDateTime { LocalDateTime(date: d(iso), hour: h, minute: m)! }

func window(_ days: ContactWindow.Days, _ ranges: [(Int, Int)]) -> ContactWindow {
    let rs = ranges.map { MinuteRange(start: $0.0 * 60, end: $0.1 * 60) }
    return ContactWindow(days: days, ranges: rs, anytime: days == .any && rs.isEmpty, text: "test")
}

let windowPresets: [ContactWindow?] = [
    nil,
    window(.any, []),
    window(.weekdays, [(9, 12)]),
    window(.any, [(14, 17)]),
    window(.weekdays, []),
    window(.weekend, []),
    window(.any, [(18, 21)]),
    window(.any, [(10, 11), (15, 16)]),
    window(.weekdays, [(12, 18)]),
]
let languagePool = ["베트남어", "중국어", "영어", "러시아어"]

/// A random but valid roster: mixed weekdays (some Saturdays), hours, optional lunch, caps incl. 0, leave.
func makeRoster(_ rng: inout SeededRandom, count: Int, start: LocalDate) -> Roster {
    let hours = ["09:00-18:00", "09:30-17:30", "10:00-16:00", "13:00-21:00", "08:00-12:00"]
    var cs: [Counselor] = []
    for i in 0..<count {
        let h = rng.pick(hours)
        let lunch: String? =
            h == "09:00-18:00" || h == "09:30-17:30"
            ? (rng.chance(0.8) ? "12:00-13:00" : nil)
            : (h == "13:00-21:00" ? "17:30-18:10" : nil)
        var wd = [1, 2, 3, 4, 5].filter { _ in rng.chance(0.85) }
        if rng.chance(0.2) { wd.append(6) }
        if wd.isEmpty { wd = [3] }
        let langs = languagePool.filter { _ in rng.chance(0.15) }
        let leave = (0..<rng.int(0...3)).map { _ in start.adding(days: rng.int(0...20)) }
        cs.append(
            Counselor(
                id: "C\(String(format3(i)))", name: "상담사\(i)", weekdays: wd, hours: h, lunch: lunch,
                maxCallsPerDay: rng.chance(0.1) ? 0 : rng.int(1...14), languages: langs, leave: leave))
    }
    return Roster(counselors: cs)
}

func format3(_ i: Int) -> String { i < 10 ? "00\(i)" : (i < 100 ? "0\(i)" : "\(i)") }

func makeRequests(_ rng: inout SeededRandom, count: Int, counselorIDs: [String], start: LocalDate) -> [ScheduleRequest]
{
    (0..<count).map { i in
        ScheduleRequest(
            applicantID: "A\(format3(i))", rank: rng.int(1...count / 2 + 1),
            window: rng.pick(windowPresets),
            language: rng.chance(0.1) ? rng.pick(languagePool) : nil,
            preferredCounselor: rng.chance(0.15) && !counselorIDs.isEmpty ? rng.pick(counselorIDs) : nil,
            notBefore: rng.chance(0.15) ? start.adding(days: rng.int(-2...12)) : nil)
    }
}

/// Every hard constraint, checked from the outside (independently of the scheduler's own grid).
func hardViolations(
    _ result: ScheduleResult, requests: [ScheduleRequest], roster: Roster, holidays: KoreanHolidays,
    policy: SchedulePolicy
) -> [String] {
    var v: [String] = []
    let byID = Dictionary(roster.counselors.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let reqByID = Dictionary(requests.map { ($0.applicantID, $0) }, uniquingKeysWith: { a, _ in a })
    var perCounselorDay: [String: [LocalDate: [Appointment]]] = [:]
    for a in result.appointments {
        guard let c = byID[a.counselorID] else {
            v.append("\(a): unknown counselor")
            continue
        }
        let date = a.start.date
        let s = a.start.hour * 60 + a.start.minute
        let e = a.end.hour * 60 + a.end.minute
        if a.end.date != date || e <= s { v.append("\(a): bad interval") }
        if holidays.isHoliday(date) { v.append("\(a): on holiday") }
        if c.leave.contains(date) { v.append("\(a): on leave") }
        if !c.weekdays.contains(date.isoWeekday) { v.append("\(a): not a working weekday") }
        if case .success(let h) = ClockText.parseRange(c.hours), s < h.start || e > h.end {
            v.append("\(a): outside hours")
        }
        if let l = c.lunch, case .success(let lr) = ClockText.parseRange(l), s < lr.end, lr.start < e {
            v.append("\(a): in lunch")
        }
        if let r = reqByID[a.applicantID], let lang = r.language, !c.languages.contains(lang) {
            v.append("\(a): language")
        }
        if date < policy.horizonStart { v.append("\(a): before horizon") }
        if let r = reqByID[a.applicantID], let nb = r.notBefore, date < nb, r.pinned != a {
            v.append("\(a): before its not-before day \(nb)")
        }
        perCounselorDay[a.counselorID, default: [:]][date, default: []].append(a)
    }
    for (cid, byDay) in perCounselorDay {
        let cap = byID[cid]!.maxCallsPerDay
        for (date, list) in byDay {
            if list.count > cap { v.append("\(cid) \(date): \(list.count) calls > cap \(cap)") }
            let sorted = list.sorted { $0.start < $1.start }
            for (x, y) in zip(sorted, sorted.dropFirst()) {
                let xe = x.end.hour * 60 + x.end.minute
                let ys = y.start.hour * 60 + y.start.minute
                if ys < xe + policy.bufferMinutes { v.append("\(cid): \(x) overlaps \(y) (with buffer)") }
            }
        }
    }
    // Every applicant exactly once (appointment xor unscheduled).
    var seen: [String: Int] = [:]
    for a in result.appointments { seen[a.applicantID, default: 0] += 1 }
    for u in result.unscheduled where u.reason != .duplicateRequest { seen[u.applicantID, default: 0] += 1 }
    for id in Set(requests.map(\.applicantID)) where seen[id] != 1 { v.append("\(id): appears \(seen[id] ?? 0) times") }
    return v
}

func inWindow(_ a: Appointment, _ w: ContactWindow?) -> Bool {
    guard let w, !w.anytime else { return true }
    let wd = a.start.date.isoWeekday
    switch w.days {
    case .weekdays where wd > 5: return false
    case .weekend where wd < 6: return false
    default: break
    }
    if w.ranges.isEmpty { return true }
    let s = a.start.hour * 60 + a.start.minute
    let e = a.end.hour * 60 + a.end.minute
    return w.ranges.contains { s >= $0.start && e <= $0.end }
}

/// The same requests, each pinned to the appointment the first run gave it.
func pinned(_ requests: [ScheduleRequest], from result: ScheduleResult) -> [ScheduleRequest] {
    let byApplicant = Dictionary(result.appointments.map { ($0.applicantID, $0) }, uniquingKeysWith: { a, _ in a })
    return requests.map { r in
        var r = r
        r.pinned = byApplicant[r.applicantID]
        return r
    }
}
