import DolbomNormalize

/// Turns the ranked call list into appointments.
///
/// Algorithm (deterministic greedy, no search, no randomness, no time limit):
/// 1. The horizon is the first `horizonDays` working days from `horizonStart` (see `SchedulePolicy`).
/// 2. Each counselor gets a fixed grid of slot starts per day: from the start of their hours every
///    `slotMinutes + bufferMinutes`, restarting after lunch, keeping only calls that end by the end of hours
///    and avoid lunch. Grid slots never clash with each other, so placing one is an O(1) bit flip.
///    Cells (counselor × day) on holidays, leave days and days off simply have no open slots.
/// 3. Pinned appointments are checked first, in (rank, applicant id) order: kept exactly if the counselor
///    still exists, works that weekday, is not on leave, the day is no holiday, the call fits hours and
///    lunch, the language still matches, it does not clash (with buffer) with an earlier kept pin and the
///    daily cap holds. Kept pins take capacity and block the grid slots they touch; the others are
///    reported in `rescheduled` and re-placed below like new requests.
/// 4. Households with a promised day (`ScheduleRequest.promise`), in (rank, applicant id) order, take the best
///    free in-window slot on exactly that day, before anyone without a promise is placed: a promise is missed
///    only when no such slot is left on its day. Then the missed ones, in the same order, take the nearest
///    later slot (never an earlier day: the family asked for that day, a retry waits its delay) and are
///    reported in `promiseMisses` with the reason.
/// 5. Every other household, in (rank, applicant id) order, takes the minimum of
///    (day, preferred counselor first, start time, counselor's calls so far, counselor id) over the free
///    in-window slots (on or after its `notBefore` day) of counselors that speak its language and are under
///    their cap that day. Earliest day
///    first puts vulnerable families first; start time then load spreads a day's calls across counselors
///    round-robin; the preferred counselor wins only within the earliest possible day, so continuity never
///    delays a call by a day and identical households never overtake each other.
/// Cost: O(households × counselors × days × slots per day) in the worst case, with array lookups only;
/// the scan stops at the first day that has a candidate and skips full cells in O(1).
public struct Scheduler: Sendable {
    public var policy: SchedulePolicy

    public init(policy: SchedulePolicy) { self.policy = policy }

    /// Throws only for an invalid roster; households that cannot be placed are reported in the result.
    public func plan(requests: [ScheduleRequest], roster: Roster, holidays: KoreanHolidays)
        throws(RosterValidationError) -> ScheduleResult
    {
        let counselors = try roster.resolved()
        var engine = Engine(policy: policy, counselors: counselors, holidays: holidays)
        return engine.run(requests)
    }
}

extension Scheduler {
    /// The working days a plan with this roster covers (see `SchedulePolicy.horizonDays`); empty for an invalid roster.
    public func horizon(roster: Roster, holidays: KoreanHolidays) -> [LocalDate] {
        guard let counselors = try? roster.resolved() else { return [] }
        return Self.workingDays(policy: policy, counselors: counselors, holidays: holidays).map {
            LocalDate(daysSinceEpoch: $0.day)
        }
    }

    static func workingDays(policy: SchedulePolicy, counselors: [ResolvedCounselor], holidays: KoreanHolidays)
        -> [(day: Int, weekday: Int)]
    {
        var anyWeekday: UInt8 = 0
        for c in counselors { anyWeekday |= c.weekdayMask }
        var out: [(day: Int, weekday: Int)] = []
        guard anyWeekday != 0 else { return out }
        var d = policy.horizonStart.daysSinceEpoch
        let limit = d + 7 * max(policy.horizonDays, 1) + 400  // holidays can't eat more than that
        while out.count < policy.horizonDays && d < limit {
            let w = LocalDate(daysSinceEpoch: d).isoWeekday
            if anyWeekday & (1 << UInt8(w)) != 0 && !holidays.isHoliday(daysSinceEpoch: d) { out.append((d, w)) }
            d += 1
        }
        return out
    }
}

/// Mutable planning state, local to one `plan` call (no shared state between calls).
private struct Engine {
    let policy: SchedulePolicy
    let counselors: [ResolvedCounselor]
    let holidays: KoreanHolidays
    let indexByID: [String: Int]
    let slot: Int  // call length, ≥ 1
    let buffer: Int  // gap after a call, ≥ 0
    let step: Int
    // Horizon.
    let days: [Int]  // daysSinceEpoch
    let weekdays: [Int]
    let dayIndex: [Int: Int]
    // Grid: cell = c * dayCount + k.
    let slotStarts: [[Int]]  // per counselor
    let cellBase: [Int]  // offset of the cell's slots in `taken`
    var open: [Bool]
    var taken: [Bool]
    var firstFree: [Int]
    var count: [Int]
    var load: [Int]  // per counselor, whole plan incl. pins outside the horizon

    init(policy: SchedulePolicy, counselors: [ResolvedCounselor], holidays: KoreanHolidays) {
        self.policy = policy
        self.counselors = counselors
        self.holidays = holidays
        var idx: [String: Int] = [:]
        for (i, c) in counselors.enumerated() { idx[c.id] = i }
        indexByID = idx
        let slot = max(1, policy.slotMinutes)
        self.slot = slot
        buffer = max(0, policy.bufferMinutes)
        step = slot + buffer

        let horizon = Scheduler.workingDays(policy: policy, counselors: counselors, holidays: holidays)
        let days = horizon.map(\.day)
        let weekdays = horizon.map(\.weekday)
        self.days = days
        self.weekdays = weekdays
        var di: [Int: Int] = [:]
        for (k, d) in days.enumerated() { di[d] = k }
        dayIndex = di

        var starts: [[Int]] = []
        for c in counselors {
            var s: [Int] = []
            var t = c.hours.start
            while t + slot <= c.hours.end {
                if let l = c.lunch, t < l.end, l.start < t + slot {
                    t = max(t, l.end)  // restart the grid after lunch
                    continue
                }
                s.append(t)
                t += step
            }
            starts.append(s)
        }
        slotStarts = starts

        let dayCount = days.count
        var base: [Int] = []
        var open: [Bool] = []
        var total = 0
        base.reserveCapacity(counselors.count * dayCount)
        for (c, rc) in counselors.enumerated() {
            for k in 0..<dayCount {
                base.append(total)
                total += starts[c].count
                open.append(rc.cap > 0 && rc.works(weekday: weekdays[k]) && !rc.leave.contains(days[k]))
            }
        }
        cellBase = base
        self.open = open
        taken = Array(repeating: false, count: total)
        firstFree = Array(repeating: 0, count: counselors.count * dayCount)
        count = Array(repeating: 0, count: counselors.count * dayCount)
        load = Array(repeating: 0, count: counselors.count)
    }

    // MARK: - Run

    struct Placed {
        let request: Int  // index into the sorted requests
        let counselor: Int
        let day: Int  // daysSinceEpoch
        let start: Int
        let end: Int
        let inWindow: Bool
    }

    mutating func run(_ input: [ScheduleRequest]) -> ScheduleResult {
        let order = input.indices.sorted {
            let a = input[$0]
            let b = input[$1]
            if a.rank != b.rank { return a.rank < b.rank }
            if a.applicantID != b.applicantID { return a.applicantID < b.applicantID }
            return $0 < $1
        }
        let reqs = order.map { input[$0] }
        var unscheduled: [Int: UnscheduledReason] = [:]
        var seen: Set<String> = []
        var active: [Bool] = Array(repeating: true, count: reqs.count)
        for (i, r) in reqs.enumerated() where !seen.insert(r.applicantID).inserted {
            active[i] = false
            unscheduled[i] = .duplicateRequest
        }

        // Pass 1: pinned appointments.
        var placed: [Placed] = []
        var pinReason: [Int: RescheduleReason] = [:]
        var keptPins: [Int: [(start: Int, end: Int)]] = [:]  // key: c << 32 | day
        var keptCount: [Int: Int] = [:]
        var keptRequest: [Bool] = Array(repeating: false, count: reqs.count)
        for (i, r) in reqs.enumerated() where active[i] {
            guard let pin = r.pinned else { continue }
            switch checkPin(pin, request: r, kept: keptPins, keptCount: keptCount) {
            case .bad(let reason):
                pinReason[i] = reason
            case .ok(let c, let day, let s, let e):
                let key = c << 32 | (day & 0xFFFF_FFFF)
                keptPins[key, default: []].append((s, e))
                keptCount[key, default: 0] += 1
                keptRequest[i] = true
                load[c] += 1
                if let k = dayIndex[day] { occupy(cell: c * days.count + k, start: s, end: e) }
                placed.append(
                    Placed(
                        request: i, counselor: c, day: day, start: s, end: e,
                        inWindow: Self.inWindow(
                            r.window, weekday: LocalDate(daysSinceEpoch: day).isoWeekday,
                            start: s, end: e)))
            }
        }

        // Pass 2: promised days, each on its own day before anyone unpromised takes the slots.
        var memo: [StructKey: Bool] = [:]
        var newByRequest: [Int: Int] = [:]  // request index → index in `placed`
        var missed: [Int: PromiseMissReason] = [:]
        let lastDay = days.last ?? Int.min
        for (i, r) in reqs.enumerated() where active[i] && !keptRequest[i] {
            guard let promise = r.promise, promise.day.daysSinceEpoch <= lastDay else { continue }
            if promise.day < policy.horizonStart {
                missed[i] = .dayPassed
                continue
            }
            let eligible = eligibleCounselors(language: r.language)
            guard let k = dayIndex[promise.day.daysSinceEpoch], !eligible.isEmpty else {
                missed[i] = .noCounselorThatDay
                continue
            }
            let pref = r.preferredCounselor.flatMap { indexByID[$0.trimmedWhitespace] }
            if let p = place(r, eligible: eligible, preferred: pref, honorWindow: true, onlyDay: k) {
                newByRequest[i] = placed.count
                placed.append(
                    Placed(
                        request: i, counselor: p.c, day: days[p.k], start: p.start, end: p.start + slot,
                        inWindow: p.inWindow))
            } else {
                missed[i] = missReason(r.window, eligible: eligible, day: k)
            }
        }
        // Pass 3: the missed promises on their nearest later day, then everyone else, in call-list order.
        let rest = reqs.indices.filter { active[$0] && !keptRequest[$0] && newByRequest[$0] == nil }
        for i in rest.filter({ missed[$0] != nil }) + rest.filter({ missed[$0] == nil }) {
            var r = reqs[i]
            // A promise is never kept early: not before its day (unless that day has passed).
            if let p = r.promise, missed[i] != .dayPassed { r.notBefore = max(r.notBefore ?? p.day, p.day) }
            let eligible = eligibleCounselors(language: r.language)
            if eligible.isEmpty, let lang = r.language?.trimmedWhitespace, !lang.isEmpty {
                unscheduled[i] = .noCounselorWithLanguage
                continue
            }
            let pref = r.preferredCounselor.flatMap { indexByID[$0.trimmedWhitespace] }
            if let p = place(r, eligible: eligible, preferred: pref, honorWindow: true)
                ?? (policy.allowOutsideWindow ? place(r, eligible: eligible, preferred: pref, honorWindow: false) : nil)
            {
                newByRequest[i] = placed.count
                placed.append(
                    Placed(
                        request: i, counselor: p.c, day: days[p.k], start: p.start, end: p.start + slot,
                        inWindow: p.inWindow))
                continue
            }
            let w = policy.allowOutsideWindow ? nil : r.window
            let key = StructKey(
                days: w?.days, ranges: w?.ranges ?? [], anytime: w?.anytime ?? true,
                language: r.language?.trimmedWhitespace, notBefore: r.notBefore?.daysSinceEpoch)
            let exists: Bool
            if let m = memo[key] {
                exists = m
            } else {
                exists = structurallyPossible(window: w, eligible: eligible, notBefore: r.notBefore)
                memo[key] = exists
            }
            unscheduled[i] = exists ? .capacityFull : .noSlotInWindow
        }

        return assemble(
            reqs: reqs, placed: placed, unscheduled: unscheduled, pinReason: pinReason, newByRequest: newByRequest,
            missed: missed)
    }

    /// Why no free slot was found on horizon day `k` for a household with this window: nobody eligible works
    /// then, nobody works within the window, or the slots are all taken.
    func missReason(_ w: ContactWindow?, eligible: [Int], day k: Int) -> PromiseMissReason {
        let dayCount = days.count
        let working = eligible.filter { open[$0 * dayCount + k] }
        if working.isEmpty { return .noCounselorThatDay }
        for c in working {
            for t in slotStarts[c] where Self.inWindow(w, weekday: weekdays[k], start: t, end: t + slot) {
                return .dayFull
            }
        }
        return .noSlotInWindowThatDay
    }

    // MARK: - Pins

    enum PinCheck {
        case ok(Int, Int, Int, Int)  // counselor, day, start, end
        case bad(RescheduleReason)
    }

    func checkPin(
        _ pin: Appointment, request r: ScheduleRequest, kept: [Int: [(start: Int, end: Int)]],
        keptCount: [Int: Int]
    ) -> PinCheck {
        let s = pin.start.hour * 60 + pin.start.minute
        let e = pin.end.hour * 60 + pin.end.minute + (pin.end.second > 0 ? 1 : 0)
        guard pin.applicantID == r.applicantID, pin.start.date == pin.end.date, e > s else { return .bad(.invalid) }
        let date = pin.start.date
        let day = date.daysSinceEpoch
        if date < policy.horizonStart { return .bad(.inPast) }
        guard let c = indexByID[pin.counselorID.trimmedWhitespace] else { return .bad(.counselorRemoved) }
        let rc = counselors[c]
        if holidays.isHoliday(daysSinceEpoch: day) { return .bad(.holiday) }
        if rc.leave.contains(day) { return .bad(.counselorLeave) }
        if !rc.works(weekday: date.isoWeekday) { return .bad(.counselorNotWorking) }
        if !rc.fits(start: s, end: e) { return .bad(.outsideHours) }
        if let lang = r.language?.trimmedWhitespace, !lang.isEmpty, !rc.languages.contains(lang) {
            return .bad(.languageMismatch)
        }
        let key = c << 32 | (day & 0xFFFF_FFFF)
        for o in kept[key] ?? [] where s < o.end + buffer && o.start < e + buffer { return .bad(.overlap) }
        if keptCount[key, default: 0] >= rc.cap { return .bad(.capExceeded) }
        return .ok(c, day, s, e)
    }

    /// Blocks every grid slot within `buffer` of a kept call and counts it against the cap.
    mutating func occupy(cell: Int, start s: Int, end e: Int) {
        count[cell] += 1
        let c = cell / days.count
        let base = cellBase[cell]
        for (j, t) in slotStarts[c].enumerated() where t < e + buffer && s < t + slot + buffer {
            taken[base + j] = true
        }
        var f = firstFree[cell]
        while f < slotStarts[c].count && taken[base + f] { f += 1 }
        firstFree[cell] = f
    }

    // MARK: - Placement

    func eligibleCounselors(language: String?) -> [Int] {
        guard let lang = language?.trimmedWhitespace, !lang.isEmpty else { return Array(counselors.indices) }
        return counselors.indices.filter { counselors[$0].languages.contains(lang) }
    }

    static func dayAllowed(_ w: ContactWindow?, weekday: Int) -> Bool {
        switch w?.days ?? .any {
        case .any: return true
        case .weekdays: return weekday <= 5
        case .weekend: return weekday >= 6
        }
    }

    static func inWindow(_ w: ContactWindow?, weekday: Int, start: Int, end: Int) -> Bool {
        guard let w, !w.anytime else { return true }
        guard dayAllowed(w, weekday: weekday) else { return false }
        if w.ranges.isEmpty { return true }
        for r in w.ranges where start >= r.start && end <= r.end { return true }
        return false
    }

    /// Finds the best free slot and takes it; nil when no eligible cell has one.
    /// With `onlyDay`, only that horizon day is searched.
    mutating func place(_ r: ScheduleRequest, eligible: [Int], preferred: Int?, honorWindow: Bool, onlyDay: Int? = nil)
        -> (c: Int, k: Int, start: Int, inWindow: Bool)?
    {
        let window = honorWindow ? r.window : nil
        let ranges: [MinuteRange] = (window?.anytime ?? true) ? [] : window!.ranges
        let dayCount = days.count
        let earliest = r.notBefore?.daysSinceEpoch ?? Int.min
        for k in onlyDay.map({ $0..<($0 + 1) }) ?? 0..<dayCount {
            if days[k] < earliest { continue }
            if let w = window, !w.anytime, !Self.dayAllowed(w, weekday: weekdays[k]) { continue }
            var best: (pref: Bool, time: Int, load: Int, c: Int, j: Int)? = nil
            for c in eligible {
                let cell = c * dayCount + k
                guard open[cell], count[cell] < counselors[c].cap else { continue }
                let starts = slotStarts[c]
                let base = cellBase[cell]
                var j = firstFree[cell]
                var found = -1
                while j < starts.count {
                    if !taken[base + j] {
                        let t = starts[j]
                        if ranges.isEmpty {
                            found = j
                            break
                        }
                        var ok = false
                        var past = true
                        for rg in ranges {
                            if t >= rg.start && t + slot <= rg.end {
                                ok = true
                                break
                            }
                            if t + slot <= rg.end { past = false }
                        }
                        if ok {
                            found = j
                            break
                        }
                        if past { break }  // every range ends before this slot
                    }
                    j += 1
                }
                guard found >= 0 else { continue }
                let cand = (pref: c == preferred, time: starts[found], load: load[c], c: c, j: found)
                if let b = best {
                    // Preferred first, then earlier, then lighter load, then counselor id (= index order).
                    if (cand.pref && !b.pref)
                        || (cand.pref == b.pref && (cand.time, cand.load, cand.c) < (b.time, b.load, b.c))
                    {
                        best = cand
                    }
                } else {
                    best = cand
                }
            }
            if let b = best {
                let cell = b.c * dayCount + k
                let base = cellBase[cell]
                taken[base + b.j] = true
                count[cell] += 1
                load[b.c] += 1
                var f = firstFree[cell]
                while f < slotStarts[b.c].count && taken[base + f] { f += 1 }
                firstFree[cell] = f
                let inWin =
                    honorWindow || Self.inWindow(r.window, weekday: weekdays[k], start: b.time, end: b.time + slot)
                return (b.c, k, b.time, inWin)
            }
        }
        return nil
    }

    /// The window without its free text, so households with differently worded but equal windows share a memo entry.
    struct StructKey: Hashable {
        let days: ContactWindow.Days?
        let ranges: [MinuteRange]
        let anytime: Bool
        let language: String?
        let notBefore: Int?
    }

    /// Whether any eligible counselor has an open in-window grid slot in the horizon, ignoring what is taken:
    /// tells "full" from "never possible" for the unscheduled reason.
    func structurallyPossible(window: ContactWindow?, eligible: [Int], notBefore: LocalDate?) -> Bool {
        let dayCount = days.count
        let earliest = notBefore?.daysSinceEpoch ?? Int.min
        for k in 0..<dayCount where days[k] >= earliest {
            for c in eligible where open[c * dayCount + k] {
                for t in slotStarts[c] where Self.inWindow(window, weekday: weekdays[k], start: t, end: t + slot) {
                    return true
                }
            }
        }
        return false
    }

    // MARK: - Result

    func appointment(_ p: Placed, applicantID: String) -> Appointment {
        let date = LocalDate(daysSinceEpoch: p.day)
        return Appointment(
            applicantID: applicantID, counselorID: counselors[p.counselor].id,
            start: LocalDateTime(date: date, hour: p.start / 60, minute: p.start % 60)!,
            end: LocalDateTime(date: date, hour: min(p.end, 1439) / 60, minute: min(p.end, 1439) % 60)!)
    }

    func assemble(
        reqs: [ScheduleRequest], placed: [Placed], unscheduled: [Int: UnscheduledReason],
        pinReason: [Int: RescheduleReason], newByRequest: [Int: Int], missed: [Int: PromiseMissReason]
    ) -> ScheduleResult {
        var appts: [(p: Placed, a: Appointment)] = []
        appts.reserveCapacity(placed.count)
        var scores = ScheduleScores()
        for c in counselors { scores.callsPerCounselor[c.id] = 0 }
        for p in placed {
            let r = reqs[p.request]
            // A kept pin is returned exactly as given (seconds and all).
            let a =
                (r.pinned != nil && pinReason[p.request] == nil)
                ? r.pinned! : appointment(p, applicantID: r.applicantID)
            appts.append((p, a))
            if p.inWindow { scores.placedInWindow += 1 } else { scores.windowMissed += 1 }
            let cid = counselors[p.counselor].id
            scores.callsPerCounselor[cid, default: 0] += 1
            scores.callsPerCounselorDay[cid, default: [:]][a.start.date, default: 0] += 1
            if let pref = r.preferredCounselor?.trimmedWhitespace {
                if pref == cid { scores.sameCounselorKept += 1 } else { scores.sameCounselorMissed += 1 }
            }
        }
        scores.pinnedKept = placed.count - newByRequest.count
        // Priority inversions over appointments in call-list order.
        var keys = appts.sorted { $0.p.request < $1.p.request }.map { $0.p.day * 1440 + $0.p.start }
        scores.priorityPairs = keys.count * (keys.count - 1) / 2
        scores.priorityInversions = Inversions.count(&keys)

        let sorted = appts.map(\.a).sorted {
            ($0.counselorID, $0.start, $0.applicantID) < ($1.counselorID, $1.start, $1.applicantID)
        }
        let uns = unscheduled.keys.sorted().map {
            Unscheduled(applicantID: reqs[$0].applicantID, reason: unscheduled[$0]!)
        }
        let res = pinReason.keys.sorted().map { i in
            Rescheduled(
                applicantID: reqs[i].applicantID, old: reqs[i].pinned!,
                new: newByRequest[i].map { appointment(placed[$0], applicantID: reqs[i].applicantID) },
                reason: pinReason[i]!)
        }
        var promisesKept = 0
        for p in placed where reqs[p.request].promise?.day.daysSinceEpoch == p.day { promisesKept += 1 }
        let misses = missed.keys.sorted().map { i in
            PromiseMiss(
                applicantID: reqs[i].applicantID, promise: reqs[i].promise!, reason: missed[i]!,
                booked: newByRequest[i].map { appointment(placed[$0], applicantID: reqs[i].applicantID) })
        }
        return ScheduleResult(
            appointments: sorted, unscheduled: uns, rescheduled: res, scores: scores,
            horizon: days.map { LocalDate(daysSinceEpoch: $0) }, promisesKept: promisesKept,
            promiseMisses: misses)
    }
}

enum Inversions {
    /// Pairs i < j with a[i] > a[j] (strictly), by merge sort: O(n log n).
    static func count(_ a: inout [Int]) -> Int {
        guard a.count > 1 else { return 0 }
        var buf = a
        func sort(_ lo: Int, _ hi: Int) -> Int {
            if hi - lo < 2 { return 0 }
            let mid = (lo + hi) / 2
            var inv = sort(lo, mid) + sort(mid, hi)
            var i = lo
            var j = mid
            var o = lo
            while i < mid && j < hi {
                if a[i] <= a[j] {
                    buf[o] = a[i]
                    i += 1
                } else {
                    buf[o] = a[j]
                    j += 1
                    inv += mid - i
                }
                o += 1
            }
            while i < mid {
                buf[o] = a[i]
                i += 1
                o += 1
            }
            while j < hi {
                buf[o] = a[j]
                j += 1
                o += 1
            }
            for x in lo..<hi { a[x] = buf[x] }
            return inv
        }
        return sort(0, a.count)
    }
}
