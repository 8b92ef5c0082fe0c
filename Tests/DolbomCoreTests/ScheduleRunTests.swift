import DolbomNormalize
import DolbomSchedule
import Foundation
import GRDB
import Testing

@testable import DolbomCore

/// `dolbom run` with a roster: appointments in the state, pinned across reruns, moved only when they
/// became impossible, and the files counselors and machines read.
@Suite("Appointments across runs")
struct ScheduleRunTests {
    let asOf = LocalDate(iso: "2024-07-30")!  // a Tuesday

    static let roster = """
        counselors:
          - id: C01
            name: 김하늘
            weekdays: 월-금
            hours: "13:00-18:00"
            max_calls_per_day: 3
          - id: C02
            name: 이서준
            weekdays: [1, 2, 3, 4, 5]
            hours: "13:00-18:00"
            max_calls_per_day: 3
            leave: [%LEAVE%]
        """

    @discardableResult
    func roster(_ folder: TempFolder, leave: String = "2024-01-01") -> URL {
        folder.write("roster.yaml", utf8: Self.roster.replacingOccurrences(of: "%LEAVE%", with: leave))
    }

    func run(
        _ folder: TempFolder, _ inputs: [URL], out: String, asOf: LocalDate? = nil, state: String? = "state.db",
        holidays: [String: String] = [:], dryRun: Bool = false
    ) throws -> RunResult {
        var config = DolbomConfiguration()
        config.schedule = DolbomConfiguration.Schedule(roster: folder.url.appendingPathComponent("roster.yaml").path)
        config.schedule?.holidays = holidays
        let options = RunOptions(
            inputs: inputs.map(\.path), output: folder.url.appendingPathComponent(out).path, asOf: asOf ?? self.asOf,
            configuration: config, dryRun: dryRun, statePath: state.map { folder.url.appendingPathComponent($0).path })
        return try DolbomRun(options: options).run(diagnostics: DiagnosticsCollector())
    }

    func lines(_ folder: TempFolder, _ out: String, _ name: String) throws -> [[String: Any]] {
        let data = try Data(contentsOf: folder.url.appendingPathComponent(out).appendingPathComponent(name))
        return try String(decoding: data, as: UTF8.self).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
    }

    func byApplicant(_ plan: AppointmentPlan?) -> [String: Appointment] {
        Dictionary(uniqueKeysWithValues: (plan?.result.appointments ?? []).map { ($0.applicantID, $0) })
    }

    @Test func rerunKeepsEveryAppointmentExactly() throws {
        let folder = TempFolder()
        roster(folder)
        let export = folder.write("a.csv", utf8: SyntheticExport.text(0..<40))
        let first = try run(folder, [export], out: "o1")
        let plan1 = try #require(first.appointments)
        #expect(plan1.result.appointments.count == 20)
        #expect(plan1.kinds.values.allSatisfy { $0 == .new })
        // Hard constraints on the real run: inside 13-18 on weekdays, caps held, no overlaps.
        var perDay: [String: Int] = [:]
        for a in plan1.result.appointments {
            #expect(a.start.date.isoWeekday <= 5 && a.start.hour >= 13 && a.end.hour * 60 + a.end.minute <= 18 * 60)
            perDay["\(a.counselorID) \(a.start.date.iso)", default: 0] += 1
        }
        #expect(perDay.values.allSatisfy { $0 <= 3 })

        let second = try run(folder, [export], out: "o2")
        let plan2 = try #require(second.appointments)
        #expect(plan2.result.appointments == plan1.result.appointments)
        #expect(plan2.kinds.values.allSatisfy { $0 == .kept })
        #expect(plan2.result.rescheduled.isEmpty)
        let jsonl = try lines(folder, "o2", "schedule.jsonl")
        #expect(jsonl.allSatisfy { $0["status"] as? String == "kept" })
        // The state holds exactly the plan.
        let stored = try StateStore(path: folder.url.appendingPathComponent("state.db").path).appointments()
        #expect(stored.map(\.appointment) == plan2.result.appointments.sorted { $0.applicantID < $1.applicantID })
    }

    @Test func leaveAndHolidayMoveOnlyTheAppointmentsTheyHit() throws {
        let folder = TempFolder()
        roster(folder)
        let export = folder.write("a.csv", utf8: SyntheticExport.text(0..<40))
        let before = byApplicant(try run(folder, [export], out: "o1").appointments)
        let day2 = LocalDate(iso: "2024-07-31")!
        let day3 = LocalDate(iso: "2024-08-01")!
        #expect(before.values.contains { $0.counselorID == "C02" && $0.start.date == day2 })
        #expect(before.values.contains { $0.start.date == day3 })

        // C02 takes 7/31 off; the city closes on 8/1.
        roster(folder, leave: day2.iso)
        let after = try run(folder, [export], out: "o2", holidays: [day3.iso: "임시 휴무"])
        let plan = try #require(after.appointments)
        let now = byApplicant(plan)
        for (id, old) in before {
            let hit = (old.counselorID == "C02" && old.start.date == day2) || old.start.date == day3
            if hit {
                let moved = try #require(plan.result.rescheduled.first { $0.applicantID == id })
                #expect(moved.reason == (old.start.date == day3 ? .holiday : .counselorLeave))
                #expect(plan.kinds[id] == .moved || now[id] == nil)
                if let n = now[id] {
                    #expect(n.start.date != day3 && !(n.counselorID == "C02" && n.start.date == day2))
                }
            } else {
                #expect(now[id] == old, "an appointment nobody's leave or holiday touched moved: \(id)")
                #expect(plan.kinds[id] == .kept)
            }
        }
        #expect(
            plan.result.appointments.allSatisfy {
                $0.start.date != day3 && !($0.counselorID == "C02" && $0.start.date == day2)
            })
        let csv = String(
            decoding: try Data(contentsOf: folder.url.appendingPathComponent("o2/schedule.csv")), as: UTF8.self)
        #expect(csv.contains("공휴일") && csv.contains("휴가일"))
        // The state's history says what moved and why.
        let queue = try DatabaseQueue(path: folder.url.appendingPathComponent("state.db").path)
        let reasons = try queue.read { db in try String.fetchAll(db, sql: "SELECT reason FROM appointment_change") }
        #expect(Set(reasons) == ["holiday", "counselor_leave"])
    }

    @Test func callResultsUseUpAppointmentsAndClosedHouseholdsLeaveThePlan() throws {
        let folder = TempFolder()
        roster(folder)
        let export = folder.write("a.csv", utf8: SyntheticExport.text(0..<20))
        let first = try #require(try run(folder, [export], out: "o1").appointments)
        let ids = first.result.appointments.map(\.applicantID).sorted()
        let sheet = """
            신청번호,결과,통화일시,상담원
            \(ids[0]),통화완료,2024-07-30 13:05,C01
            \(ids[1]),부재중,2024-07-30 13:35,C02
            """
        let store = try StateStore(path: folder.url.appendingPathComponent("state.db").path)
        let parsed = try OutcomeFile.read(folder.write("calls.csv", utf8: sheet))
        _ = try store.importOutcomes(
            parsed.outcomes, policy: CallPolicy(), run: try store.beginRun(asOf: asOf, command: "t", dryRun: false))

        let next = try #require(try run(folder, [export], out: "o2", asOf: LocalDate(iso: "2024-07-31")!).appointments)
        let now = byApplicant(next)
        #expect(now[ids[0]] == nil)  // done: no more calls
        let retry = try #require(now[ids[1]])  // no answer: called again, not before the retry day
        #expect(retry.start.date >= LocalDate(iso: "2024-08-01")!)
        #expect(next.kinds[ids[1]] == .new)
        #expect(retry.counselorID == "C02")  // the counselor who tried last time
        #expect(next.changes.contains { $0.applicantID == ids[0] && $0.reason == "outcome_recorded" })
        #expect(next.result.rescheduled.allSatisfy { $0.applicantID != ids[0] && $0.applicantID != ids[1] })
    }

    @Test func theResultsSheetRoundTripsThroughOutcomesImport() throws {
        let folder = TempFolder()
        roster(folder)
        let export = folder.write("a.csv", utf8: SyntheticExport.text(0..<20))
        let plan = try #require(try run(folder, [export], out: "o1").appointments)
        // Staff fill two lines of the sheet dolbom wrote and save it from Excel.
        let url = folder.url.appendingPathComponent("o1/call-results.csv")
        var lines = String(decoding: try Data(contentsOf: url), as: UTF8.self).components(separatedBy: "\r\n")
        #expect(lines.count == plan.result.appointments.count + 2)  // header + rows + trailing empty
        lines[1] = lines[1].replacingOccurrences(of: #","","","","#, with: #","통화완료","센터 안내함","","#)
        lines[2] = lines[2].replacingOccurrences(of: #","","","","#, with: #","부재중","","","#)
        let filled = folder.write("filled.csv", utf8: lines.joined(separator: "\r\n"))
        let parsed = try OutcomeFile.read(filled)
        #expect(parsed.problems.isEmpty)
        #expect(parsed.unfilled == plan.result.appointments.count - 2)
        #expect(parsed.outcomes.map(\.kind) == [.done, .noAnswer])
        let first = plan.result.appointments.sorted {
            ($0.start, $0.counselorID, $0.applicantID) < ($1.start, $1.counselorID, $1.applicantID)
        }[0]
        #expect(parsed.outcomes[0].applicantID == first.applicantID)
        #expect(parsed.outcomes[0].at == first.start)
        #expect(parsed.outcomes[0].counselor == first.counselorID)
    }

    @Test func appointmentsLeftInThePastAreMovedAndReported() throws {
        let folder = TempFolder()
        roster(folder)
        let export = folder.write("a.csv", utf8: SyntheticExport.text(0..<40))
        let before = byApplicant(try run(folder, [export], out: "o1").appointments)
        let next = try #require(try run(folder, [export], out: "o2", asOf: LocalDate(iso: "2024-07-31")!).appointments)
        let missed = before.filter { $0.value.start.date == asOf }
        #expect(!missed.isEmpty)
        for (id, _) in missed {
            #expect(next.result.rescheduled.first { $0.applicantID == id }?.reason == .inPast)
        }
        for (id, old) in before where old.start.date > asOf {
            #expect(byApplicant(next)[id] == old)
        }
    }

    @Test func sameStateSameInputsSameFiles() throws {
        let folder = TempFolder()
        roster(folder)
        let export = folder.write("a.csv", utf8: SyntheticExport.text(0..<40))
        _ = try run(folder, [export], out: "o1")
        let state = folder.url.appendingPathComponent("state.db")
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: state.path + suffix) {
            try FileManager.default.copyItem(
                atPath: state.path + suffix, toPath: folder.url.appendingPathComponent("copy.db").path + suffix)
        }
        _ = try run(folder, [export], out: "a", asOf: LocalDate(iso: "2024-07-31")!)
        _ = try run(folder, [export], out: "b", asOf: LocalDate(iso: "2024-07-31")!, state: "copy.db")
        let names = [
            "schedule.csv", "schedule.jsonl", "call-list.csv", "summary.json", "calendars/C01.ics", "calendars/C02.ics",
            "call-sheets/index.html",
        ]
        for name in names {
            let a = try Data(contentsOf: folder.url.appendingPathComponent("a/\(name)"))
            let b = try Data(contentsOf: folder.url.appendingPathComponent("b/\(name)"))
            #expect(a == b, "\(name) differs between two runs from the same state")
        }
        let sheetsA = try FileManager.default.contentsOfDirectory(
            atPath: folder.url.appendingPathComponent("a/call-sheets").path
        ).sorted()
        let sheetsB = try FileManager.default.contentsOfDirectory(
            atPath: folder.url.appendingPathComponent("b/call-sheets").path
        ).sorted()
        #expect(sheetsA == sheetsB && sheetsA.count > 1)
    }

    @Test func invalidRosterStopsTheRunNamingCounselorAndField() throws {
        let folder = TempFolder()
        folder.write(
            "roster.yaml",
            utf8: """
                counselors:
                  - id: C01
                    name: 김하늘
                    hours: "18:00-09:00"
                    max_calls_per_day: 3
                  - id: C02
                    weekdays: 월-금금
                    hours: "09:00-18:00"
                    max_calls_per_day: 3
                """)
        let export = folder.write("a.csv", utf8: SyntheticExport.text(0..<4))
        #expect {
            try run(folder, [export], out: "o1")
        } throws: { error in
            guard case .roster(_, let reason) = error as? RunError else { return false }
            return reason.contains("counselors[2] (id: C02) weekdays") && reason.contains("월-금금")
        }
        folder.write(
            "roster.yaml",
            utf8: """
                counselors:
                  - id: C01
                    name: 김하늘
                    hours: "18:00-09:00"
                    lunch: "12:00-13:00"
                    max_calls_per_day: 3
                """)
        #expect {
            try run(folder, [export], out: "o1")
        } throws: { error in
            guard case .roster(_, let reason) = error as? RunError else { return false }
            return reason.contains("counselors[1] (id: C01) hours")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("o1").path))
        #expect(DolbomExitCode.of(RunError.roster(path: "r", reason: "x")) == DolbomExitCode.config)
    }

    @Test func calendarsFollowRFC5545() throws {
        let folder = TempFolder()
        roster(folder)
        let export = folder.write("a.csv", utf8: SyntheticExport.text(0..<40))
        let result = try run(folder, [export], out: "o1")
        let data = try Data(contentsOf: folder.url.appendingPathComponent("o1/calendars/C01.ics"))
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.hasSuffix("END:VCALENDAR\r\n"))
        let lines = text.components(separatedBy: "\r\n").dropLast()
        #expect(lines.allSatisfy { $0.utf8.count <= 75 && !$0.contains("\n") })
        // Unfolded, every event has the required properties, Seoul local times and no phone number.
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
        let events = unfolded.components(separatedBy: "BEGIN:VEVENT").dropFirst()
        let mine = result.appointments!.result.appointments.filter { $0.counselorID == "C01" }
        #expect(events.count == mine.count)
        for e in events {
            for key in [
                "UID:", "DTSTAMP:", "DTSTART;TZID=Asia/Seoul:", "DTEND;TZID=Asia/Seoul:", "SUMMARY:", "END:VEVENT",
            ] {
                #expect(e.contains(key))
            }
            #expect(e.range(of: #"010-?\d{4}-?\d{4}"#, options: .regularExpression) == nil)
        }
        #expect(unfolded.contains("BEGIN:VTIMEZONE\r\nTZID:Asia/Seoul"))
        #expect(CounselorCalendar.escapeText("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne")
        let folded = CounselorCalendar.fold(String(repeating: "가", count: 40))
        #expect(folded.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 75 })
        #expect(folded.replacingOccurrences(of: "\r\n ", with: "") == String(repeating: "가", count: 40) + "\r\n")
    }

    @Test func callSheetsEscapeWhatParentsWroteAndOfferTheOutcomeWords() throws {
        let folder = TempFolder()
        roster(folder)
        let export = folder.write(
            "a.csv", utf8: SyntheticExport.text(0..<6, edits: [0: "<script>alert(1)</script> & '따옴표'"]))
        _ = try run(folder, [export], out: "o1")
        let dir = folder.url.appendingPathComponent("o1/call-sheets")
        let sheets = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0 != "index.html" }
            .sorted()
        let html = try sheets.map {
            String(decoding: try Data(contentsOf: dir.appendingPathComponent($0)), as: UTF8.self)
        }.joined()
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#39;따옴표&#39;"))
        #expect(CallSheetHTML.escape("\"<&>'") == "&quot;&lt;&amp;&gt;&#39;")
        for word in ["통화완료", "부재중", "번호오류", "상담거부", "재통화요청"] {
            #expect(html.contains(word))
            #expect(CallOutcome.Kind(text: word) != nil)
        }
        #expect(html.contains("size: A4"))
        #expect(html.range(of: #"010-\d{4}-\d{4}"#, options: .regularExpression) != nil)
        let index = String(decoding: try Data(contentsOf: dir.appendingPathComponent("index.html")), as: UTF8.self)
        for sheet in sheets { #expect(index.contains("href=\"\(sheet)\"")) }
    }

    @Test func maskedCallSheetsShowNoFullNumber() throws {
        let folder = TempFolder()
        roster(folder)
        let export = folder.write("a.csv", utf8: SyntheticExport.text(0..<6))
        var config = DolbomConfiguration()
        config.schedule = DolbomConfiguration.Schedule(roster: folder.url.appendingPathComponent("roster.yaml").path)
        config.schedule?.callSheetPhones = "masked"
        let options = RunOptions(
            inputs: [export.path], output: folder.url.appendingPathComponent("o1").path, asOf: asOf,
            configuration: config)
        _ = try DolbomRun(options: options).run(diagnostics: DiagnosticsCollector())
        let dir = folder.url.appendingPathComponent("o1/call-sheets")
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            let html = String(decoding: try Data(contentsOf: dir.appendingPathComponent(name)), as: UTF8.self)
            #expect(html.range(of: #"010-\d{4}-\d{4}"#, options: .regularExpression) == nil)
        }
    }

    @Test func aFamilyAskingForALanguageGetsACounselorWhoSpeaksIt() throws {
        let folder = TempFolder()
        folder.write(
            "roster.yaml",
            utf8: """
                counselors:
                  - {id: C01, name: 김하늘, weekdays: 월-금, hours: "09:00-18:00", max_calls_per_day: 8}
                  - {id: C02, name: 박민정, weekdays: 월-금, hours: "09:00-18:00", max_calls_per_day: 8, languages: [베트남어]}
                """)
        let csv = """
            타임스탬프,보호자 성명,연락처,주소,자녀 이름,자녀 나이,상담 희망 언어,개인정보 동의
            2024-07-01 10:00,응우옌 티 마이,010-3000-0001,충청남도 아산시 배방읍 배미로 10,김하은,만 7세,Tiếng Việt,동의
            2024-07-01 10:05,김민준,010-3000-0002,충청남도 아산시 배방읍 배미로 12,김서연,만 8세,한국어,동의
            2024-07-01 10:10,왕 리,010-3000-0003,충청남도 아산시 배방읍 배미로 14,왕하준,만 6세,중국어,동의
            """
        let export = folder.write("f.csv", utf8: csv)
        let result = try run(folder, [export], out: "o1", state: nil)
        let plan = try #require(result.appointments)
        func id(_ phone: String) -> String { result.households.first { $0.primaryPhone?.digits == phone }!.applicantID }
        let booked = byApplicant(plan)
        #expect(booked[id("01030000001")]?.counselorID == "C02")
        #expect(booked[id("01030000002")] != nil)
        #expect(plan.result.unscheduled.map(\.applicantID) == [id("01030000003")])
        #expect(plan.result.unscheduled.first?.reason == .noCounselorWithLanguage)
        let jsonl = try lines(folder, "o1", "applicants.jsonl")
        #expect(Set(jsonl.compactMap { $0["language"] as? String }) == ["베트남어", "중국어"])
    }

    @Test func unansweredCallsLowerPriorityAndSayWhy() {
        func household(_ id: String, firstSubmittedDaysAgo days: Int) -> Household {
            Household(
                applicantID: id, guardianName: nil, phones: [], address: nil, children: [], careTypes: [],
                contactWindow: nil,
                flags: [], memos: [],
                firstSubmittedAt: LocalDateTime(date: asOf.adding(days: -days), hour: 9, minute: 0),
                lastSubmittedAt: nil, sources: [], extra: [], issues: [], mergeEvidence: [])
        }
        let h = household("H-A", firstSubmittedDaysAgo: 4)
        let other = household("H-B", firstSubmittedDaysAgo: 3)
        var tried = HouseholdStatus()
        tried.attempts = 2
        let ranked = CallListPlanner(asOf: asOf).plan([h, other], statuses: ["H-A": tried])
        #expect(ranked.map(\.household.applicantID) == ["H-B", "H-A"])
        #expect(ranked[1].reason.contains("부재 2회"))
        #expect(ranked[1].score == 4 - 10)
    }
}

@Suite("Roster file")
struct RosterFileTests {
    @Test func aTopLevelListAndStaffWordingsAreRead() throws {
        let folder = TempFolder()
        let url = folder.write(
            "roster.yaml",
            utf8: """
                - id: C01
                  name: 김하늘
                  weekdays: 월,수,금
                  hours: "9:00~18:00"
                  lunch: "12:00-13:00"
                  max_calls_per_day: 10
                  languages: [베트남어, " 중국어 "]
                  leave: [2024-07-17, "2024-07-18"]
                """)
        let roster = try RosterFile.load(url)
        let c = try #require(roster.counselors.first)
        #expect(c.weekdays == [1, 3, 5])
        #expect(c.leave == [LocalDate(iso: "2024-07-17")!, LocalDate(iso: "2024-07-18")!])
        #expect(roster.validate().isEmpty)
    }

    @Test(arguments: [
        ("counselors: []", "한 명도"),
        ("counselors:\n  - id: C01\n    hours: \"09:00-18:00\"", "max_calls_per_day"),
        (
            "counselors:\n  - id: C01\n    hours: \"09:00-18:00\"\n    max_calls_per_day: many",
            "counselors[1] (id: C01) max_calls_per_day: 'many' 값이 숫자가 아닙니다"
        ),
        (
            "counselors:\n  - {id: C01, hours: \"09:00-18:00\", max_calls_per_day: 3}\n  - {id: C01, hours: \"09:00-18:00\", max_calls_per_day: 3}",
            "두 번 이상"
        ),
        ("counselors:\n  - {id: C01, hours: \"09:00-18:00\", lunch: \"19:00-20:00\", max_calls_per_day: 3}", "lunch"),
    ])
    func problemsAreNamed(_ c: (String, String)) throws {
        let folder = TempFolder()
        let url = folder.write("roster.yaml", utf8: c.0)
        #expect {
            try RosterFile.load(url)
        } throws: { error in
            guard case .roster(let path, let reason) = error as? RunError else { return false }
            return path == url.path && reason.contains(c.1)
        }
    }
}

@Suite("Appointment planner")
struct AppointmentPlannerTests {
    let day = LocalDate(iso: "2024-07-15")!

    func household(_ id: String) -> Household {
        Household(
            applicantID: id, guardianName: nil, phones: [], address: nil, children: [], careTypes: [],
            contactWindow: nil,
            flags: [], memos: [], firstSubmittedAt: nil, lastSubmittedAt: nil, sources: [], extra: [], issues: [],
            mergeEvidence: [])
    }

    func stored(_ id: String, _ counselor: String, _ hour: Int, on date: LocalDate) -> StoredAppointment {
        StoredAppointment(
            appointment: Appointment(
                applicantID: id, counselorID: counselor,
                start: LocalDateTime(date: date, hour: hour, minute: 0)!,
                end: LocalDateTime(date: date, hour: hour, minute: 20)!),
            bookedOn: day.adding(days: -3), bookedRun: 7, sequence: 0)
    }

    @Test func householdsMergedByResolveKeepTheEarlierAppointmentAndReportTheOther() throws {
        let roster = Roster(counselors: [
            Counselor(id: "C01", name: "김하늘", hours: "09:00-18:00", lunch: nil, maxCallsPerDay: 10)
        ])
        let planner = AppointmentPlanner(
            policy: SchedulePolicy(horizonStart: day, horizonDays: 5), roster: roster,
            holidays: KoreanHolidays(), asOf: day, runID: 9)
        let ranked = CallListPlanner(asOf: day).plan([household("H-B")])
        let known = [
            "H-A": stored("H-A", "C01", 10, on: day.adding(days: 1)),
            "H-B": stored("H-B", "C01", 14, on: day.adding(days: 2)),
        ]
        let plan = try planner.plan(
            ranked: ranked, statuses: ["H-B": HouseholdStatus()], known: known, mergedInto: ["H-A": "H-B"])
        let only = try #require(plan.result.appointments.first)
        #expect(plan.result.appointments.count == 1)
        #expect(only.applicantID == "H-B" && only.start == known["H-A"]!.appointment.start)
        #expect(plan.kinds["H-B"] == .kept)
        #expect(plan.bookings["H-B"]?.bookedRun == 7)  // the calendar event keeps its id
        #expect(plan.changes.map(\.reason) == ["merged"])
        #expect(plan.changes.first?.old?.start == known["H-B"]!.appointment.start)
    }
}
