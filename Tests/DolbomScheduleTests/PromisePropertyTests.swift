import DolbomNormalize
import Testing

@testable import DolbomSchedule

/// Promised days (a callback the family asked for, a retry's due day) against generated worlds: a promise is
/// missed only when its day has no free slot left for it, and a missed one gets the nearest later slot.
@Suite("Scheduler promises (seeded)")
struct PromisePropertyTests {
    static let seeds: [UInt64] = Array(1...40)

    /// The world's requests, about a third of them with a promised day from two days before the horizon
    /// to two weeks into it (some on holidays, weekends or leave days), the rest as generated.
    static func promised(_ w: World, seed: UInt64) -> [ScheduleRequest] {
        var rng = SeededRandom(seed: seed ^ 0x5EED)
        return w.requests.map { r in
            var r = r
            guard rng.chance(0.35) else { return r }
            let day = w.policy.horizonStart.adding(days: rng.int(-2...14))
            r.promise = Promise(day: day, kind: rng.chance(0.5) ? .callback : .retry)
            // As the planner gives them: a future promised day is also the first day the family may be called.
            r.notBefore = day > w.policy.horizonStart ? day : nil
            return r
        }
    }

    @Test(arguments: seeds)
    func noPromiseMissedWhileItsDayHasAFreeSlot(_ seed: UInt64) {
        let w = World(seed: seed)
        let requests = Self.promised(w, seed: seed)
        let r = w.plan(requests)
        #expect(hardViolations(r, requests: requests, roster: w.roster, holidays: w.holidays, policy: w.policy) == [])
        let booked = Dictionary(r.appointments.map { ($0.applicantID, $0) }, uniquingKeysWith: { a, _ in a })
        let misses = Dictionary(r.promiseMisses.map { ($0.applicantID, $0) }, uniquingKeysWith: { a, _ in a })
        let free = FreeSlots(result: r, roster: w.roster, holidays: w.holidays, policy: w.policy)
        let lastDay = r.horizon.last ?? w.policy.horizonStart
        var kept = 0
        for q in requests {
            guard let p = q.promise, p.day <= lastDay else {
                #expect(misses[q.applicantID] == nil)
                continue
            }
            if let a = booked[q.applicantID], a.start.date == p.day {
                kept += 1
                #expect(misses[q.applicantID] == nil)
                continue
            }
            let miss = misses[q.applicantID]
            #expect(miss != nil, "\(q.applicantID): promised \(p.day), neither kept nor reported")
            guard let miss else { continue }
            #expect(miss.booked == booked[q.applicantID])
            if p.day < w.policy.horizonStart {
                #expect(miss.reason == .dayPassed)
                continue
            }
            #expect(miss.reason != .dayPassed)
            #expect(
                !free.exists(for: q, on: p.day),
                "\(q.applicantID): promised \(p.day) missed (\(miss.reason)) with a free slot")
            if let a = booked[q.applicantID] {
                // The nearest later slot: never earlier than the promise, and no free slot on a day in between.
                #expect(a.start.date > p.day)
                var d = p.day.adding(days: 1)
                while d < a.start.date {
                    #expect(!free.exists(for: q, on: d), "\(q.applicantID): booked \(a.start.date), free slot on \(d)")
                    d = d.adding(days: 1)
                }
            }
        }
        #expect(r.promisesKept == kept)
    }

    /// The reasons a promise was missed are the real ones, checked against the roster from outside.
    @Test(arguments: seeds)
    func missReasonsAreRight(_ seed: UInt64) {
        let w = World(seed: seed)
        let requests = Self.promised(w, seed: seed)
        let r = w.plan(requests)
        let byID = Dictionary(requests.map { ($0.applicantID, $0) }, uniquingKeysWith: { a, _ in a })
        let free = FreeSlots(result: r, roster: w.roster, holidays: w.holidays, policy: w.policy)
        for miss in r.promiseMisses {
            let q = byID[miss.applicantID]!
            let day = miss.promise.day
            let working = w.roster.counselors.filter { free.works($0, on: day) && free.speaks($0, q.language) }
            switch miss.reason {
            case .dayPassed:
                #expect(day < w.policy.horizonStart)
            case .noCounselorThatDay:
                #expect(working.isEmpty || !r.horizon.contains(day))
            case .noSlotInWindowThatDay:
                #expect(
                    !working.isEmpty
                        && working.allSatisfy { free.gridStarts($0).allSatisfy { !free.fits($0, q.window, day) } })
            case .dayFull:
                #expect(working.contains { c in free.gridStarts(c).contains { free.fits($0, q.window, day) } })
            }
        }
    }

    /// The bug the counselors met: earlier, higher-priority bookings filled the days, and a callback asked for
    /// the 18th went to a later day. A promise now goes first on its day.
    @Test func callbackTakesItsDayBeforeHigherRankedNewBookings() {
        let start = d("2024-07-16")
        let roster = Roster(counselors: [
            Counselor(
                id: "C01", name: "김하늘", weekdays: [1, 2, 3, 4, 5], hours: "09:00-10:00", lunch: nil, maxCallsPerDay: 2)
        ])
        let policy = SchedulePolicy(slotMinutes: 20, bufferMinutes: 10, horizonStart: start, horizonDays: 5)
        var requests = (1...8).map { ScheduleRequest(applicantID: "A\($0)", rank: $0) }
        requests.append(
            ScheduleRequest(
                applicantID: "CB", rank: 9, notBefore: d("2024-07-18"),
                promise: Promise(day: d("2024-07-18"), kind: .callback)))
        requests.append(
            ScheduleRequest(
                applicantID: "RT", rank: 10, notBefore: d("2024-07-17"),
                promise: Promise(day: d("2024-07-17"), kind: .retry)))
        let r = try! Scheduler(policy: policy).plan(requests: requests, roster: roster, holidays: KoreanHolidays())
        let byID = Dictionary(r.appointments.map { ($0.applicantID, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byID["CB"]?.start == at("2024-07-18", 9, 0))
        #expect(byID["RT"]?.start == at("2024-07-17", 9, 0))
        #expect(r.promisesKept == 2 && r.promiseMisses.isEmpty)
        // Two promises for one day with one slot left: the higher-ranked one keeps it, the other is told.
        requests.append(
            ScheduleRequest(applicantID: "CB2", rank: 11, promise: Promise(day: d("2024-07-18"), kind: .callback)))
        requests.append(
            ScheduleRequest(applicantID: "CB3", rank: 12, promise: Promise(day: d("2024-07-18"), kind: .callback)))
        let full = try! Scheduler(policy: policy).plan(requests: requests, roster: roster, holidays: KoreanHolidays())
        let after = Dictionary(full.appointments.map { ($0.applicantID, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(after["CB"]?.start.date == d("2024-07-18") && after["CB2"]?.start.date == d("2024-07-18"))
        #expect(full.promiseMisses.map(\.applicantID) == ["CB3"])
        #expect(full.promiseMisses.first?.reason == .dayFull)
        #expect(full.promiseMisses.first?.booked?.start.date == d("2024-07-19"))
    }

    @Test func promiseOnAHolidayOrLeaveDayGoesToTheNextWorkingDay() {
        let start = d("2024-09-13")  // Friday; 09-16..18 are 추석
        let roster = Roster(counselors: [
            Counselor(
                id: "C01", name: "김하늘", weekdays: [1, 2, 3, 4, 5], hours: "09:00-18:00", maxCallsPerDay: 5,
                leave: [d("2024-09-19")])
        ])
        let policy = SchedulePolicy(horizonStart: start, horizonDays: 5)
        let requests = [
            ScheduleRequest(applicantID: "H", rank: 1, promise: Promise(day: d("2024-09-17"), kind: .callback)),
            ScheduleRequest(applicantID: "L", rank: 2, promise: Promise(day: d("2024-09-19"), kind: .retry)),
            ScheduleRequest(applicantID: "P", rank: 3, promise: Promise(day: d("2024-09-12"), kind: .retry)),
            ScheduleRequest(
                applicantID: "W", rank: 4, window: window(.weekdays, [(19, 21)]),
                promise: Promise(day: d("2024-09-20"), kind: .callback)),
        ]
        let r = try! Scheduler(policy: policy).plan(requests: requests, roster: roster, holidays: KoreanHolidays())
        let misses = Dictionary(r.promiseMisses.map { ($0.applicantID, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(misses["H"]?.reason == .noCounselorThatDay)
        #expect(
            misses["H"]?.booked?.start.date == d("2024-09-19") || misses["H"]?.booked?.start.date == d("2024-09-20"))
        #expect(misses["L"]?.reason == .noCounselorThatDay)
        #expect(misses["L"]?.booked?.start.date == d("2024-09-20"))
        #expect(misses["P"]?.reason == .dayPassed)
        #expect(misses["P"]?.booked?.start.date == d("2024-09-13"))
        #expect(misses["W"]?.reason == .noSlotInWindowThatDay)
        #expect(misses["W"]?.booked == nil)
        #expect(r.unscheduled.map(\.applicantID) == ["W"])
    }
}

/// Free slots in a finished plan, worked out from the roster and the appointments alone (not from the
/// scheduler's own grid state): the documented grid of call starts, minus what the appointments block.
struct FreeSlots {
    let result: ScheduleResult
    let roster: Roster
    let holidays: KoreanHolidays
    let policy: SchedulePolicy

    func works(_ c: Counselor, on day: LocalDate) -> Bool {
        c.maxCallsPerDay > 0 && c.weekdays.contains(day.isoWeekday) && !c.leave.contains(day)
            && !holidays.isHoliday(day)
            && result.horizon.contains(day)
    }

    func speaks(_ c: Counselor, _ language: String?) -> Bool {
        guard let language, !language.isEmpty else { return true }
        return c.languages.contains(language)
    }

    /// Call starts from the start of hours every slot + buffer minutes, restarting after lunch.
    func gridStarts(_ c: Counselor) -> [Int] {
        guard case .success(let hours) = ClockText.parseRange(c.hours) else { return [] }
        let lunch: MinuteRange? = c.lunch.flatMap {
            if case .success(let l) = ClockText.parseRange($0) { return l } else { return nil }
        }
        var out: [Int] = []
        var t = hours.start
        while t + policy.slotMinutes <= hours.end {
            if let l = lunch, t < l.end, l.start < t + policy.slotMinutes {
                t = max(t, l.end)
                continue
            }
            out.append(t)
            t += policy.slotMinutes + policy.bufferMinutes
        }
        return out
    }

    func fits(_ t: Int, _ w: ContactWindow?, _ day: LocalDate) -> Bool {
        let probe = Appointment(
            applicantID: "", counselorID: "", start: LocalDateTime(date: day, hour: t / 60, minute: t % 60)!,
            end: LocalDateTime(date: day, hour: (t + policy.slotMinutes) / 60, minute: (t + policy.slotMinutes) % 60)!)
        return inWindow(probe, w)
    }

    /// Some counselor who speaks the request's language, works that day and is under the cap has a grid start in
    /// the request's window that no appointment blocks (with the buffer).
    func exists(for q: ScheduleRequest, on day: LocalDate) -> Bool {
        for c in roster.counselors where works(c, on: day) && speaks(c, q.language) {
            let mine = result.appointments.filter { $0.counselorID == c.id && $0.start.date == day }
            guard mine.count < c.maxCallsPerDay else { continue }
            let busy = mine.map { ($0.start.hour * 60 + $0.start.minute, $0.end.hour * 60 + $0.end.minute) }
            for t in gridStarts(c) where fits(t, q.window, day) {
                let e = t + policy.slotMinutes
                if !busy.contains(where: { t < $0.1 + policy.bufferMinutes && $0.0 < e + policy.bufferMinutes }) {
                    return true
                }
            }
        }
        return false
    }
}
