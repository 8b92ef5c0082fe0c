import DolbomNormalize
import Testing

@testable import DolbomSchedule

/// One generated world: roster, households, holidays and policy, all from a seed.
struct World {
    let roster: Roster
    let requests: [ScheduleRequest]
    let policy: SchedulePolicy
    let holidays: KoreanHolidays

    init(seed: UInt64, households: ClosedRange<Int> = 50...400, identicalGroups: Bool = false) {
        var rng = SeededRandom(seed: seed)
        let starts = [
            "2024-09-12", "2024-09-30", "2025-01-24", "2025-04-28", "2025-10-01", "2026-02-13",
            "2026-09-21", "2027-02-05", "2028-09-29", "2030-06-03", "2025-07-07",
        ]
        let start = d(rng.pick(starts)).adding(days: rng.int(0...3))
        roster = makeRoster(&rng, count: rng.int(3...8), start: start)
        let ids = roster.counselors.map(\.id)
        let n = rng.int(households)
        if identicalGroups {
            // Groups of households identical except for rank and id.
            var rs: [ScheduleRequest] = []
            var g = 0
            while rs.count < n {
                let w = rng.pick(windowPresets)
                let lang: String? = rng.chance(0.15) ? rng.pick(languagePool) : nil
                let pref: String? = rng.chance(0.2) ? rng.pick(ids) : nil
                for j in 0..<rng.int(2...12) {
                    rs.append(
                        ScheduleRequest(
                            applicantID: "G\(format3(g))-\(format3(j))", rank: rng.int(1...n),
                            window: w, language: lang, preferredCounselor: pref))
                }
                g += 1
            }
            requests = rs
        } else {
            requests = makeRequests(&rng, count: n, counselorIDs: ids, start: start)
        }
        policy = SchedulePolicy(
            slotMinutes: rng.pick([20, 20, 15, 30]), bufferMinutes: rng.pick([10, 10, 5, 0]),
            horizonStart: start, horizonDays: rng.int(2...10))
        let extra = rng.chance(0.5) ? [start.adding(days: rng.int(0...6)): "시 휴무일"] : [:]
        holidays = KoreanHolidays(additions: extra)
    }

    func plan(_ requests: [ScheduleRequest]? = nil, holidays: KoreanHolidays? = nil, roster: Roster? = nil)
        -> ScheduleResult
    {
        try! Scheduler(policy: policy).plan(
            requests: requests ?? self.requests, roster: roster ?? self.roster,
            holidays: holidays ?? self.holidays)
    }
}

@Suite("Scheduler properties (seeded)")
struct SchedulerPropertyTests {
    static let seeds: [UInt64] = Array(1...30)

    @Test(arguments: seeds)
    func hardConstraintsAndWindowsHold(_ seed: UInt64) {
        let w = World(seed: seed)
        let r = w.plan()
        #expect(hardViolations(r, requests: w.requests, roster: w.roster, holidays: w.holidays, policy: w.policy) == [])
        let byID = Dictionary(w.requests.map { ($0.applicantID, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(r.appointments.allSatisfy { inWindow($0, byID[$0.applicantID]!.window) })
        #expect(r.scores.windowMissed == 0)
        #expect(r.scores.placedInWindow == r.appointments.count)
        #expect(r.appointments.allSatisfy { r.horizon.contains($0.start.date) })
        #expect(r.appointments == r.appointments.sorted { ($0.counselorID, $0.start) < ($1.counselorID, $1.start) })
        #expect(r.scores.callsPerCounselor.values.reduce(0, +) == r.appointments.count)
        #expect(r.horizon.allSatisfy { !w.holidays.isHoliday($0) })
    }

    @Test(arguments: seeds)
    func deterministicAndOrderIndependent(_ seed: UInt64) {
        let w = World(seed: seed)
        let a = w.plan()
        #expect(a == w.plan())
        var rng = SeededRandom(seed: seed ^ 0xABCD)
        let shuffledRequests = w.requests.shuffled(using: &rng)
        let shuffledRoster = Roster(counselors: w.roster.counselors.shuffled(using: &rng))
        #expect(a == w.plan(shuffledRequests, roster: shuffledRoster))
    }

    @Test(arguments: seeds)
    func rerunKeepsPinnedAppointments(_ seed: UInt64) {
        let w = World(seed: seed)
        let first = w.plan()
        let second = w.plan(pinned(w.requests, from: first))
        #expect(second.appointments == first.appointments)
        #expect(second.rescheduled.isEmpty)
        #expect(second.unscheduled.map(\.applicantID) == first.unscheduled.map(\.applicantID))
        #expect(second.scores.pinnedKept == first.appointments.count)
    }

    @Test(arguments: seeds)
    func newHolidayOrLeaveReschedulesOnlyAffectedPins(_ seed: UInt64) {
        let w = World(seed: seed)
        let first = w.plan()
        guard let victim = first.appointments.first else { return }
        let day = victim.start.date
        let rerunRequests = pinned(w.requests, from: first)

        // A holiday added on a day that had appointments.
        var additions: [LocalDate: String] = [day: "임시공휴일"]
        for h in w.holidays.holidays(in: w.policy.horizonStart...w.policy.horizonStart.adding(days: 60)) {
            additions[h.date] = h.name
        }
        let holidays = KoreanHolidays(additions: additions)
        let r = w.plan(rerunRequests, holidays: holidays)
        let onDay = Set(first.appointments.filter { $0.start.date == day }.map(\.applicantID))
        #expect(Set(r.rescheduled.map(\.applicantID)) == onDay)
        #expect(r.rescheduled.allSatisfy { $0.reason == .holiday && $0.new?.start.date != day })
        let newByID = Dictionary(r.appointments.map { ($0.applicantID, $0) }, uniquingKeysWith: { a, _ in a })
        for a in first.appointments where a.start.date != day { #expect(newByID[a.applicantID] == a) }
        #expect(
            hardViolations(r, requests: rerunRequests, roster: w.roster, holidays: holidays, policy: w.policy) == [])
        for x in r.rescheduled where x.new == nil {
            #expect(r.unscheduled.contains { $0.applicantID == x.applicantID })
        }

        // Leave for one counselor on that day.
        var roster = w.roster
        let ci = roster.counselors.firstIndex { $0.id == victim.counselorID }!
        roster.counselors[ci].leave.append(day)
        let r2 = w.plan(rerunRequests, roster: roster)
        let hit = Set(
            first.appointments.filter { $0.start.date == day && $0.counselorID == victim.counselorID }.map(
                \.applicantID))
        #expect(Set(r2.rescheduled.map(\.applicantID)) == hit)
        #expect(r2.rescheduled.allSatisfy { $0.reason == .counselorLeave })
        #expect(!r2.appointments.contains { $0.counselorID == victim.counselorID && $0.start.date == day })
        #expect(
            hardViolations(r2, requests: rerunRequests, roster: roster, holidays: w.holidays, policy: w.policy) == [])
    }

    /// capacity_full means "alone it would fit"; no_slot_in_window means "not even alone".
    @Test(arguments: seeds)
    func unscheduledReasonsAreRight(_ seed: UInt64) {
        let w = World(seed: seed)
        let r = w.plan()
        let byID = Dictionary(w.requests.map { ($0.applicantID, $0) }, uniquingKeysWith: { a, _ in a })
        for u in r.unscheduled.prefix(25) {
            let req = byID[u.applicantID]!
            switch u.reason {
            case .noCounselorWithLanguage:
                #expect(!w.roster.counselors.contains { $0.languages.contains(req.language ?? "") })
            case .capacityFull:
                #expect(w.plan([req]).appointments.count == 1, "\(u.applicantID) would fit alone")
            case .noSlotInWindow:
                #expect(w.plan([req]).unscheduled.map(\.reason) == [.noSlotInWindow])
            case .duplicateRequest:
                Issue.record("no duplicates were generated")
            }
        }
    }

    /// Households identical except for rank: the higher-priority one never starts later (by day when they
    /// have a preferred counselor, by start time otherwise), and never loses its place to a lower one.
    @Test(arguments: seeds)
    func higherRankNeverLater(_ seed: UInt64) {
        let w = World(seed: seed, households: 100...600, identicalGroups: true)
        let r = w.plan()
        #expect(hardViolations(r, requests: w.requests, roster: w.roster, holidays: w.holidays, policy: w.policy) == [])
        let placed = Dictionary(r.appointments.map { ($0.applicantID, $0) }, uniquingKeysWith: { a, _ in a })
        let groups = Dictionary(grouping: w.requests) { String($0.applicantID.prefix(4)) }
        for (_, members) in groups {
            let ordered = members.sorted { ($0.rank, $0.applicantID) < ($1.rank, $1.applicantID) }
            for (hi, lo) in zip(ordered, ordered.dropFirst()) {
                let a = placed[hi.applicantID]
                let b = placed[lo.applicantID]
                if a == nil { #expect(b == nil, "\(lo.applicantID) placed while higher \(hi.applicantID) was not") }
                if let a, let b {
                    if hi.preferredCounselor != nil {
                        #expect(a.start.date <= b.start.date, "\(hi.applicantID) \(a) after \(lo.applicantID) \(b)")
                    } else {
                        #expect(a.start <= b.start, "\(hi.applicantID) \(a) after \(lo.applicantID) \(b)")
                    }
                }
            }
        }
    }

    @Test(arguments: [UInt64(3), 7, 11])
    func allowOutsideWindowStillHard(_ seed: UInt64) {
        let w = World(seed: seed)
        var p = w.policy
        p.allowOutsideWindow = true
        let r = try! Scheduler(policy: p).plan(requests: w.requests, roster: w.roster, holidays: w.holidays)
        #expect(hardViolations(r, requests: w.requests, roster: w.roster, holidays: w.holidays, policy: p) == [])
        let byID = Dictionary(w.requests.map { ($0.applicantID, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(r.appointments.filter { !inWindow($0, byID[$0.applicantID]!.window) }.count == r.scores.windowMissed)
        #expect(r.appointments.count >= w.plan().appointments.count)
    }
}
