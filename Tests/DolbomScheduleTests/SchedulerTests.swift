import DolbomNormalize
import Testing

@testable import DolbomSchedule

private func counselor(
    _ id: String, weekdays: [Int] = [1, 2, 3, 4, 5], hours: String = "09:00-18:00",
    lunch: String? = "12:00-13:00", cap: Int = 12, languages: [String] = [],
    leave: [LocalDate] = []
) -> Counselor {
    Counselor(
        id: id, name: id, weekdays: weekdays, hours: hours, lunch: lunch, maxCallsPerDay: cap,
        languages: languages, leave: leave)
}

private func req(
    _ id: String, _ rank: Int, window: ContactWindow? = nil, language: String? = nil,
    preferred: String? = nil, pinned: Appointment? = nil
) -> ScheduleRequest {
    ScheduleRequest(
        applicantID: id, rank: rank, window: window, language: language, preferredCounselor: preferred, pinned: pinned)
}

private func plan(
    _ requests: [ScheduleRequest], _ counselors: [Counselor], start: String = "2025-07-07", days: Int = 10,
    allowOutside: Bool = false, holidays: KoreanHolidays = KoreanHolidays()
) -> ScheduleResult {
    let policy = SchedulePolicy(horizonStart: d(start), horizonDays: days, allowOutsideWindow: allowOutside)
    return try! Scheduler(policy: policy).plan(
        requests: requests, roster: Roster(counselors: counselors), holidays: holidays)
}

private func hm(_ a: Appointment?) -> String {
    guard let a else { return "-" }
    func p(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    return "\(a.start.date.iso) \(p(a.start.hour)):\(p(a.start.minute))"
}

private func appt(_ r: ScheduleResult, _ id: String) -> Appointment? { r.appointments.first { $0.applicantID == id } }

@Suite("Scheduler, hand-written cases")
struct SchedulerTests {
    @Test func rankOrderTakesEarliestSlotsWithBuffer() {
        let r = plan([req("B", 2), req("A", 1), req("C", 3)], [counselor("C1")], days: 1)
        #expect(r.appointments.map(\.applicantID) == ["A", "B", "C"])
        #expect(r.appointments.map(hm) == ["2025-07-07 09:00", "2025-07-07 09:30", "2025-07-07 10:00"])
        #expect(r.appointments[0].end == at("2025-07-07", 9, 20))
        #expect(r.scores.priorityInversions == 0)
        #expect(r.unscheduled.isEmpty)
    }

    @Test func lunchIsSkippedAndGridRestartsAfterIt() {
        let rs = (1...8).map { req("H\($0)", $0) }
        let r = plan(rs, [counselor("C1")], days: 1)
        // 09:00 … 11:30 (6 calls), then 13:00, 13:30.
        #expect(r.appointments.map(hm).suffix(3) == ["2025-07-07 11:30", "2025-07-07 13:00", "2025-07-07 13:30"])
    }

    @Test func holidaysAreNotWorkingDays() {
        // 2025-10-03 개천절, 10-06..08 추석, 10-09 한글날.
        let r = plan((1...100).map { req("H\($0)", $0) }, [counselor("C1", cap: 10)], start: "2025-10-01", days: 5)
        #expect(r.horizon.map(\.iso) == ["2025-10-01", "2025-10-02", "2025-10-10", "2025-10-13", "2025-10-14"])
        #expect(Set(r.appointments.map(\.start.date)) == Set(r.horizon))
        #expect(r.appointments.count == 50)
        #expect(r.unscheduled.count == 50)
        #expect(r.unscheduled.allSatisfy { $0.reason == .capacityFull })
    }

    @Test func localAdditionAndLeaveHoldNothing() {
        let holidays = KoreanHolidays(additions: [d("2025-07-08"): "시 휴무일"])
        let r = plan(
            (1...60).map { req("H\($0)", $0) }, [counselor("C1", cap: 5, leave: [d("2025-07-09")])],
            days: 5, holidays: holidays)
        #expect(!r.horizon.contains(d("2025-07-08")))
        #expect(!r.appointments.contains { $0.start.date == d("2025-07-08") || $0.start.date == d("2025-07-09") })
        #expect(r.appointments.count == 20)  // 5 working days in the horizon, one on leave, cap 5
    }

    @Test func languageIsRequired() {
        let cs = [counselor("C1"), counselor("C2", languages: ["베트남어"])]
        let r = plan([req("K", 1), req("V", 2, language: "베트남어"), req("R", 3, language: "러시아어")], cs)
        #expect(appt(r, "V")?.counselorID == "C2")
        #expect(r.unscheduled == [Unscheduled(applicantID: "R", reason: .noCounselorWithLanguage)])
        #expect(r.unscheduled[0].reason.message.contains("언어"))
    }

    @Test func windowsAreHonoredAndImpossibleOnesReported() {
        let cs = [counselor("C1")]
        let r = plan(
            [
                req("PM", 1, window: window(.any, [(14, 17)])),
                req("EVE", 2, window: window(.any, [(18, 21)])),
                req("WKND", 3, window: window(.weekend, [])),
                req("SPLIT", 4, window: window(.any, [(10, 11), (15, 16)])),
            ], cs)
        #expect(hm(appt(r, "PM")) == "2025-07-07 14:00")
        #expect(hm(appt(r, "SPLIT")) == "2025-07-07 10:00")
        #expect(Set(r.unscheduled.map(\.applicantID)) == ["EVE", "WKND"])
        #expect(r.unscheduled.allSatisfy { $0.reason == .noSlotInWindow })
        #expect(r.scores.placedInWindow == 2 && r.scores.windowMissed == 0)
    }

    @Test func outsideWindowOnlyWhenAllowed() {
        let r = plan([req("EVE", 1, window: window(.any, [(18, 21)]))], [counselor("C1")], allowOutside: true)
        #expect(hm(appt(r, "EVE")) == "2025-07-07 09:00")
        #expect(r.scores.windowMissed == 1)
    }

    @Test func capacityRunsOutInRankOrder() {
        let r = plan([req("C", 3), req("A", 1), req("B", 2)], [counselor("C1", cap: 2)], days: 1)
        #expect(r.appointments.map(\.applicantID) == ["A", "B"])
        #expect(r.unscheduled == [Unscheduled(applicantID: "C", reason: .capacityFull)])
    }

    @Test func duplicateApplicantIsPlannedOnce() {
        let r = plan([req("A", 5), req("A", 1)], [counselor("C1")], days: 1)
        #expect(r.appointments.count == 1)
        #expect(r.unscheduled == [Unscheduled(applicantID: "A", reason: .duplicateRequest)])
    }

    @Test func preferredCounselorWinsWithinTheEarliestDayOnly() {
        let cs = [counselor("C1"), counselor("C2", cap: 1)]
        let r = plan([req("X", 1), req("Y", 2, preferred: "C2"), req("Z", 3, preferred: "C2")], cs)
        #expect(appt(r, "Y")?.counselorID == "C2")
        #expect(hm(appt(r, "Y")) == "2025-07-07 09:00")
        // C2 is full on day 1: Z is not delayed to keep continuity.
        #expect(appt(r, "Z")?.counselorID == "C1")
        #expect(appt(r, "Z")?.start.date == d("2025-07-07"))
        #expect(r.scores.sameCounselorKept == 1 && r.scores.sameCounselorMissed == 1)
    }

    @Test func loadIsEvenAcrossIdenticalCounselors() {
        let cs = (1...20).map { counselor("C\(format3($0))") }
        let r = plan((1...500).map { req("H\(format3($0))", $0) }, cs)
        #expect(r.scores.loadSpread <= 1)
        #expect(r.scores.priorityInversions == 0)
    }

    @Test func pinnedKeptExactlyEvenOffGrid() {
        let odd = Appointment(
            applicantID: "P", counselorID: "C1", start: at("2025-07-08", 9, 10), end: at("2025-07-08", 9, 35))
        let r = plan([req("A", 1), req("P", 2, pinned: odd), req("B", 3)], [counselor("C1", cap: 3)], days: 2)
        #expect(appt(r, "P") == odd)
        #expect(r.rescheduled.isEmpty)
        #expect(r.scores.pinnedKept == 1)
        // Day 2 then has room for one more; 09:00 and 09:30 clash with the pin (+ buffer).
        #expect(r.appointments.filter { $0.start.date == d("2025-07-08") }.count <= 3)
        #expect(
            hardViolations(
                r, requests: [req("A", 1), req("P", 2, pinned: odd), req("B", 3)],
                roster: Roster(counselors: [counselor("C1", cap: 3)]), holidays: KoreanHolidays(),
                policy: SchedulePolicy(horizonStart: d("2025-07-07"), horizonDays: 2)
            ).isEmpty)
    }

    struct PinCase: Sendable, CustomTestStringConvertible {
        let label: String
        let counselors: [Counselor]
        let holidays: [String]
        let pin: Appointment
        let language: String?
        let reason: RescheduleReason
        var testDescription: String { label }
    }

    static let pin = Appointment(
        applicantID: "P", counselorID: "C1", start: at("2025-07-09", 10, 0), end: at("2025-07-09", 10, 20))
    static let pinCases: [PinCase] = [
        PinCase(
            label: "new holiday", counselors: [counselor("C1")], holidays: ["2025-07-09"], pin: pin, language: nil,
            reason: .holiday),
        PinCase(
            label: "new leave", counselors: [counselor("C1", leave: [d("2025-07-09")])], holidays: [], pin: pin,
            language: nil, reason: .counselorLeave),
        PinCase(
            label: "weekday dropped", counselors: [counselor("C1", weekdays: [1, 2, 4, 5])], holidays: [], pin: pin,
            language: nil, reason: .counselorNotWorking),
        PinCase(
            label: "hours changed", counselors: [counselor("C1", hours: "13:00-21:00", lunch: nil)], holidays: [],
            pin: pin, language: nil, reason: .outsideHours),
        PinCase(
            label: "lunch moved", counselors: [counselor("C1", lunch: "10:00-11:00")], holidays: [], pin: pin,
            language: nil, reason: .outsideHours),
        PinCase(
            label: "counselor gone", counselors: [counselor("C2")], holidays: [], pin: pin, language: nil,
            reason: .counselorRemoved),
        PinCase(
            label: "language", counselors: [counselor("C1"), counselor("C2", languages: ["중국어"])], holidays: [],
            pin: pin, language: "중국어", reason: .languageMismatch),
        PinCase(
            label: "in the past", counselors: [counselor("C1")], holidays: [],
            pin: Appointment(
                applicantID: "P", counselorID: "C1", start: at("2025-07-04", 10, 0), end: at("2025-07-04", 10, 20)),
            language: nil, reason: .inPast),
    ]

    @Test(arguments: pinCases)
    func impossiblePinIsRescheduledAndReported(_ c: PinCase) {
        let holidays = KoreanHolidays(additions: Dictionary(uniqueKeysWithValues: c.holidays.map { (d($0), "임시 휴무") }))
        let r = plan([req("A", 1), req("P", 2, language: c.language, pinned: c.pin)], c.counselors, holidays: holidays)
        #expect(r.rescheduled.count == 1)
        #expect(r.rescheduled.first?.reason == c.reason)
        #expect(r.rescheduled.first?.old == c.pin)
        let new = r.rescheduled.first?.new
        #expect(new != nil && new != c.pin)
        #expect(appt(r, "P") == new)
        #expect(r.scores.pinnedKept == 0)
    }

    @Test func clashingPinsKeepTheHigherRankAndCapHolds() {
        let a = Appointment(
            applicantID: "A", counselorID: "C1", start: at("2025-07-07", 9, 0), end: at("2025-07-07", 9, 20))
        let b = Appointment(
            applicantID: "B", counselorID: "C1", start: at("2025-07-07", 9, 25), end: at("2025-07-07", 9, 45))
        let c = Appointment(
            applicantID: "C", counselorID: "C1", start: at("2025-07-07", 10, 0), end: at("2025-07-07", 10, 20))
        let r = plan(
            [req("B", 2, pinned: b), req("A", 1, pinned: a), req("C", 3, pinned: c)], [counselor("C1", cap: 1)], days: 2
        )
        #expect(appt(r, "A") == a)
        #expect(r.rescheduled.map(\.applicantID) == ["B", "C"])
        #expect(r.rescheduled.map(\.reason) == [.overlap, .capExceeded])
        #expect(r.rescheduled.allSatisfy { $0.new?.start.date == d("2025-07-08") || $0.new == nil })
    }

    @Test func unplaceableRescheduleIsAlsoUnscheduled() {
        let r = plan(
            [req("P", 1, pinned: Self.pin)],
            [counselor("C1", leave: (7...18).map { d("2025-07-\($0 < 10 ? "0" : "")\($0)") })])
        #expect(r.rescheduled == [Rescheduled(applicantID: "P", old: Self.pin, new: nil, reason: .counselorLeave)])
        #expect(r.unscheduled == [Unscheduled(applicantID: "P", reason: .noSlotInWindow)])
    }

    @Test func inputOrderDoesNotMatter() {
        let cs = [counselor("C2"), counselor("C1", languages: ["중국어"])]
        let rs = (1...80).map {
            req(
                "H\(format3($0))", ($0 * 7) % 13, window: windowPresets[$0 % windowPresets.count],
                language: $0 % 9 == 0 ? "중국어" : nil)
        }
        let a = plan(rs, cs, days: 3)
        let b = plan(rs.reversed(), cs.reversed(), days: 3)
        #expect(a == b)
    }

    @Test func emptyRosterOrNoWorkdays() {
        let r = plan([req("A", 1)], [])
        #expect(r.horizon.isEmpty)
        #expect(r.unscheduled == [Unscheduled(applicantID: "A", reason: .noSlotInWindow)])
        let r2 = plan([req("A", 1)], [counselor("C1", weekdays: [])])
        #expect(r2.unscheduled.map(\.reason) == [.noSlotInWindow])
    }

    @Test func reasonsHaveCodesAndKoreanMessages() {
        for r in UnscheduledReason.allCases {
            #expect(r.code.allSatisfy { $0.isLowercase || $0 == "_" })
            #expect(r.message.unicodeScalars.contains { $0.value >= 0xAC00 && $0.value <= 0xD7A3 })
        }
        for r in RescheduleReason.allCases {
            #expect(r.code.allSatisfy { $0.isLowercase || $0 == "_" })
            #expect(r.message.unicodeScalars.contains { $0.value >= 0xAC00 && $0.value <= 0xD7A3 })
        }
    }

    @Test func validPinBeyondHorizonIsKeptAndCounted() {
        let later = Appointment(
            applicantID: "P", counselorID: "C1", start: at("2025-08-01", 15, 0), end: at("2025-08-01", 15, 20))
        let r = plan([req("P", 1, window: window(.any, [(9, 12)]), pinned: later)], [counselor("C1")], days: 2)
        #expect(r.appointments == [later])
        #expect(r.rescheduled.isEmpty)
        #expect(r.scores.pinnedKept == 1)
        // The family's window changed since they were told: the pin stays, and the miss is scored.
        #expect(r.scores.windowMissed == 1)
        #expect(r.scores.callsPerCounselorDay["C1"]?[d("2025-08-01")] == 1)
    }

    @Test func inversionCounter() {
        var xs = [3, 1, 2, 2, 0]
        #expect(Inversions.count(&xs) == 7)
    }
}
