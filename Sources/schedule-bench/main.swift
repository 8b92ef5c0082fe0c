import BenchSupport
import DolbomNormalize
import DolbomSchedule

// Benchmark for the scheduling core: 10,000 households, 20 counselors, 10 working days.
// Build and run: swift build -c release && .build/release/schedule-bench [households] [counselors] [days]
#if canImport(Glibc)
    import Glibc  // links libm, which DolbomNormalize's rounding needs in a Foundation-free executable
#endif

let sizes = benchSizes(10_000, 20, 10)
let householdCount = sizes[0]
let counselorCount = sizes[1]
let horizonDays = sizes[2]

var rng = SplitMix64(state: 20_240_917)
let start = LocalDate(iso: "2025-09-29")!  // spans 개천절 and the 추석 week
let languages = ["베트남어", "중국어", "영어", "러시아어"]

var counselors: [Counselor] = []
for i in 0..<counselorCount {
    let id = "C" + (i < 10 ? "0\(i)" : "\(i)")
    let late = i % 5 == 4
    counselors.append(
        Counselor(
            id: id, name: "상담사\(i)",
            weekdays: i % 7 == 6 ? [1, 2, 3, 4, 5, 6] : [1, 2, 3, 4, 5],
            hours: late ? "12:00-21:00" : "09:00-18:00",
            lunch: late ? "17:00-18:00" : "12:00-13:00",
            maxCallsPerDay: 12 + Int(rng.next() % 5),
            languages: i % 6 == 0 ? [languages[(i / 6) % languages.count]] : [],
            leave: i % 4 == 0 ? [start.adding(days: Int(rng.next() % 14))] : []))
}
let roster = Roster(counselors: counselors)

func win(_ days: ContactWindow.Days, _ ranges: [(Int, Int)]) -> ContactWindow {
    let rs = ranges.map { MinuteRange(start: $0.0 * 60, end: $0.1 * 60) }
    return ContactWindow(days: days, ranges: rs, anytime: days == .any && rs.isEmpty, text: "")
}
let windows: [ContactWindow?] = [
    nil, nil, win(.any, []), win(.weekdays, [(9, 12)]), win(.any, [(14, 17)]),
    win(.any, [(18, 21)]), win(.weekdays, [(12, 18)]), win(.any, [(10, 11), (15, 16)]),
    win(.weekend, []),
]
var requests: [ScheduleRequest] = []
requests.reserveCapacity(householdCount)
for i in 0..<householdCount {
    let r = rng.next()
    requests.append(
        ScheduleRequest(
            applicantID: "H\(100_000 + i)", rank: 1 + Int(r % UInt64(householdCount)),
            window: windows[Int((r >> 20) % UInt64(windows.count))],
            language: (r >> 40) % 20 == 0 ? languages[Int((r >> 45) % 4)] : nil,
            preferredCounselor: (r >> 50) % 8 == 0 ? counselors[Int((r >> 53) % UInt64(counselorCount))].id : nil))
}

let holidays = KoreanHolidays()
let scheduler = Scheduler(policy: SchedulePolicy(horizonStart: start, horizonDays: horizonDays))

func measure(_ label: String, runs: Int = 7, _ body: () -> ScheduleResult) -> ScheduleResult {
    let clock = ContinuousClock()
    var times: [Duration] = []
    var last: ScheduleResult?
    for _ in 0..<runs {
        let t0 = clock.now
        last = body()
        times.append(clock.now - t0)
    }
    times.sort()
    func ms(_ d: Duration) -> String {
        let v = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
        return String(Int(v * 10) / 10) + "." + String(Int(v * 10) % 10)
    }
    print(
        "\(label): min \(ms(times[0])) ms, median \(ms(times[times.count / 2])) ms, max \(ms(times[times.count - 1])) ms (\(runs) runs)"
    )
    return last!
}

print(
    "households \(householdCount), counselors \(counselorCount), horizon \(horizonDays) working days from \(start.iso)")
let first = measure("plan (fresh)") { try! scheduler.plan(requests: requests, roster: roster, holidays: holidays) }
var reasons: [String: Int] = [:]
for u in first.unscheduled { reasons[u.reason.code, default: 0] += 1 }
print("  horizon: \(first.horizon.map(\.iso).joined(separator: " "))")
print(
    "  appointments \(first.appointments.count), unscheduled \(first.unscheduled.count) \(reasons.sorted { $0.key < $1.key })"
)
print(
    "  in window \(first.scores.placedInWindow), missed \(first.scores.windowMissed), priority inversions \(first.scores.priorityInversions)/\(first.scores.priorityPairs)"
)
print(
    "  load min \(first.scores.callsPerCounselor.values.min() ?? 0) max \(first.scores.callsPerCounselor.values.max() ?? 0), same counselor \(first.scores.sameCounselorKept) kept / \(first.scores.sameCounselorMissed) missed"
)

// Rerun with every appointment pinned, plus a holiday added on the first planned day.
let byApplicant = Dictionary(first.appointments.map { ($0.applicantID, $0) }, uniquingKeysWith: { a, _ in a })
let pinnedRequests = requests.map { r -> ScheduleRequest in
    var r = r
    r.pinned = byApplicant[r.applicantID]
    return r
}
let second = measure("rerun (all pinned)") {
    try! scheduler.plan(requests: pinnedRequests, roster: roster, holidays: holidays)
}
print(
    "  kept \(second.scores.pinnedKept), rescheduled \(second.rescheduled.count), identical \(second.appointments == first.appointments)"
)
let closed = KoreanHolidays(additions: [first.horizon[0]: "임시공휴일"])
let third = measure("rerun (new holiday on day 1)") {
    try! scheduler.plan(requests: pinnedRequests, roster: roster, holidays: closed)
}
print(
    "  kept \(third.scores.pinnedKept), rescheduled \(third.rescheduled.count) (re-placed \(third.rescheduled.filter { $0.new != nil }.count))"
)
