import DolbomFacility
import DolbomNormalize
import Foundation
import GRDB
import Testing

@testable import DolbomCore

/// Item 5 of issue 19: the results sheet's `안내 기관`, `방문 예약` and `방문 결과` kept as referrals; a visit that
/// passed without a result brings the family back ("방문 결과 확인"); visits.csv and one page per facility-day.
@Suite("Visit booking and follow-up", .serialized)
struct VisitBookingTests {
    let asOf = LocalDate(iso: "2024-07-30")!  // a Tuesday
    static let header = "신청번호,상담원,통화일시,결과,메모,재통화일,안내 기관,방문 예약,방문 결과\n"

    /// The real registry the import asks (DolbomFacility): ids, and names with spaces and brackets ignored; two
    /// branches of one centre share the name without the bracket, so that name alone is ambiguous.
    static func registry() -> FacilityRegistry {
        FacilityRegistry([
            Facility(id: "F001", name: "행복지역아동센터", type: .지역아동센터, phone: "041-541-0001"),
            Facility(id: "F002", name: "배방 다함께돌봄센터 (1호점)", type: .다함께돌봄센터),
            Facility(id: "F003", name: "배방 다함께돌봄센터 (2호점)", type: .다함께돌봄센터),
        ])
    }

    func run(_ folder: TempFolder, _ export: URL, out: String, asOf: LocalDate) throws -> RunResult {
        _ = folder.write(
            "roster.yaml", utf8: ScheduleRunTests.roster.replacingOccurrences(of: "%LEAVE%", with: "2024-01-01"))
        var config = DolbomConfiguration()
        config.schedule = DolbomConfiguration.Schedule(roster: folder.url.appendingPathComponent("roster.yaml").path)
        let options = RunOptions(
            inputs: [export.path], output: folder.url.appendingPathComponent(out).path, asOf: asOf,
            configuration: config, statePath: folder.url.appendingPathComponent("state.db").path)
        return try DolbomRun(options: options).run(diagnostics: DiagnosticsCollector())
    }

    func importing(
        _ store: StateStore, _ folder: TempFolder, _ lines: String, day: LocalDate,
        facilities: (any FacilityDirectory)? = nil
    ) throws -> (OutcomeFile.Sheet, OutcomeImportReport) {
        let sheet = try OutcomeFile.sheet(
            folder.write("calls.csv", utf8: Self.header + lines), importDay: day, facilities: facilities)
        let report = try store.importOutcomes(
            sheet.outcomes, policy: CallPolicy(), run: try store.beginRun(asOf: day, command: "t", dryRun: false))
        return (sheet, report)
    }

    static func dump(_ path: String) throws -> [String] {
        let queue = try DatabaseQueue(path: path)
        return try queue.read { db in
            try ["household", "call_outcome", "referral"].flatMap { table in
                try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1, 2").map(\.description)
            }
        }
    }

    @Test func eachVisitLineIsReadOrRefusedWithItsReason() throws {
        let folder = TempFolder()
        let id = "H-TEST"
        let lines = """
            \(id),C01,2024-07-30 13:00,통화완료,센터 소개함,,행복지역아동센터,8월 3일 오후 2시,
            \(id),C01,2024-07-30 13:10,부재중,,,행복지역아동센터,,
            \(id),C01,2024-07-30 13:20,통화완료,,,,8/3 14:00,
            \(id),C01,2024-07-30 13:30,통화완료,,,없는 센터,8/3 14:00,
            \(id),C01,2024-07-30 13:40,통화완료,,,배방 다함께돌봄센터,8/3 14:00,
            \(id),C01,2024-07-30 13:50,통화완료,,,F002,2024-07-29 14:00,
            \(id),C01,2024-07-30 14:00,통화완료,,,F002,8/3 2시,
            \(id),C01,2024-07-30 14:10,통화완료,,,,,등록 예정
            \(id),C01,2024-07-30 14:20,재통화요청,,8/1,배방다함께돌봄센터(1호점),내일 16:00,
            \(id),C01,2024-07-30 14:30,통화완료,,,F003,,
            \(id),C01,2024-07-30 14:40,통화완료,,,,,대기 등록(3번째)
            \(id),C01,2024-07-30 14:50,,,,F003,,
            """
        let sheet = try OutcomeFile.sheet(
            folder.write("calls.csv", utf8: Self.header + lines), importDay: asOf, facilities: Self.registry())
        let verdicts = Dictionary(sheet.lines.map { ($0.row, $0.verdict) }, uniquingKeysWith: { a, _ in a })
        func read(_ row: Int) -> (CallOutcome, [String])? {
            if case .read(let o, let notes)? = verdicts[row] { return (o, notes) }
            Issue.record("row \(row): \(String(describing: verdicts[row]))")
            return nil
        }
        func refused(_ row: Int, _ words: String) {
            guard case .rejected(let why)? = verdicts[row] else {
                Issue.record("row \(row): \(String(describing: verdicts[row]))")
                return
            }
            #expect(why.contains(words), "row \(row): \(why)")
        }
        if let (o, notes) = read(2) {
            #expect(o.referral?.facility == FacilityRef(id: "F001", name: "행복지역아동센터", text: "행복지역아동센터"))
            #expect(o.referral?.visit?.text == "2024-08-03 14:00")
            #expect(notes.contains { $0.contains("방문 예약 2024-08-03 14:00") && $0.contains("연도가 없어") })
        }
        refused(3, "결과가 '부재중'인데 안내 기관")
        refused(4, "안내 기관이 비어 있습니다")
        refused(5, "기관 목록에서 찾을 수 없습니다")
        refused(6, "여럿입니다")
        refused(7, "통화일 2024-07-30보다 앞")
        refused(8, "기관 방문 시간")
        refused(9, "등록, 대기 등록, 안 함")
        if let (o, notes) = read(10) {
            #expect(o.referral?.facility?.id == "F002" && o.referral?.visit?.text == "2024-07-31 16:00")
            #expect(o.callbackOn == LocalDate(iso: "2024-08-01"))
            #expect(notes.contains { $0.contains("= 배방 다함께돌봄센터 (1호점)(F002)") })
        }
        if let (o, _) = read(11) { #expect(o.referral?.facility?.id == "F003" && o.referral?.visit == nil) }
        if let (o, _) = read(12) { #expect(o.referral?.result == .waitlisted && o.referral?.resultNote == "3번째") }
        refused(13, "결과가 비어 있습니다")

        // Without a registry the facility is kept as written, unresolved, and the line says so.
        let plain = try OutcomeFile.sheet(folder.write("calls2.csv", utf8: Self.header + lines), importDay: asOf)
        guard case .read(let o, let notes)? = plain.lines.first(where: { $0.row == 5 })?.verdict else {
            Issue.record("no registry: row 5")
            return
        }
        #expect(o.referral?.facility == FacilityRef(id: nil, name: "없는 센터", text: "없는 센터"))
        #expect(notes.contains { $0.contains("기관 목록이 설정되지 않아") })
    }

    @Test func referralsAreKeptResultsFindTheirReferralAndReimportChangesNothing() throws {
        let folder = TempFolder()
        let plan = try #require(
            try run(folder, folder.write("a.csv", utf8: SyntheticExport.text(0..<10)), out: "o1", asOf: asOf)
                .appointments)
        let ids = plan.result.appointments.map(\.applicantID).sorted()
        let path = folder.url.appendingPathComponent("state.db").path
        let store = try StateStore(path: path)
        let day = asOf
        // A result for a family never guided anywhere is refused; the line's call is not recorded either.
        let (_, orphan) = try importing(
            store, folder, "\(ids[1]),C01,2024-07-30 13:00,통화완료,,,,,등록\n", day: day, facilities: Self.registry())
        guard case .refused(let why)? = orphan.verdicts[SourceRef(file: "calls.csv", row: 2)] else {
            Issue.record("\(orphan.verdicts)")
            return
        }
        #expect(why.contains("안내 기관·방문 예약 기록이 없습니다") && orphan.imported == 0)

        let booking = """
            \(ids[0]),C01,2024-07-30 13:00,통화완료,<b>할머니가</b> 모시고 감,,행복지역아동센터,8/3 오후 2시,
            \(ids[0]),C01,2024-07-30 13:05,통화완료,,,F002,8월 5일 10:00,
            """
        let (_, first) = try importing(store, folder, booking, day: day, facilities: Self.registry())
        #expect(first.imported == 2 && first.visitsBooked == 2)
        var referrals = try store.referrals(applicantID: ids[0])
        #expect(referrals.map(\.facility.id) == ["F001", "F002"])
        #expect(
            referrals[0].visit?.text == "2024-08-03 14:00" && referrals[0].memo == "<b>할머니가</b> 모시고 감"
                && referrals[0].counselor == "C01")
        #expect(try store.bookedReferrals(asOf: day) == ["F001": 1, "F002": 1])

        // The same sheet again: nothing changes; the same call with another visit time is refused and the first stands.
        let before = try Self.dump(path)
        let (_, again) = try importing(store, folder, booking, day: day, facilities: Self.registry())
        #expect(again.imported == 0 && again.alreadyImported == 2 && again.conflicts.isEmpty)
        #expect(try Self.dump(path) == before)
        let (_, changed) = try importing(
            store, folder, "\(ids[0]),C01,2024-07-30 13:05,통화완료,,,F002,8월 5일 11:00,\n", day: day,
            facilities: Self.registry())
        guard case .conflicting(let conflict)? = changed.verdicts[SourceRef(file: "calls.csv", row: 2)] else {
            Issue.record("\(changed.verdicts)")
            return
        }
        #expect(conflict.contains("방문 예약(이전 2024-08-05 10:00)"))
        #expect(try Self.dump(path) == before)

        // A later call's result without a facility: two visits wait for one, so the sheet must say which.
        let (_, unclear) = try importing(
            store, folder, "\(ids[0]),C02,2024-08-06 15:00,통화완료,,,,,등록\n", day: LocalDate(iso: "2024-08-06")!,
            facilities: Self.registry())
        guard case .refused(let which)? = unclear.verdicts[SourceRef(file: "calls.csv", row: 2)] else {
            Issue.record("\(unclear.verdicts)")
            return
        }
        #expect(which.contains("여럿") && which.contains("행복지역아동센터") && which.contains("안내 기관 칸에"))
        let results = """
            \(ids[0]),C02,2024-08-06 15:00,통화완료,,,행복지역아동센터,,등록
            \(ids[0]),C02,2024-08-06 15:10,통화완료,,,,,안 함 - 거리가 멀어서
            """
        let (_, resulted) = try importing(
            store, folder, results, day: LocalDate(iso: "2024-08-06")!, facilities: Self.registry())
        #expect(resulted.imported == 2 && resulted.visitResults == 2, "\(resulted.verdicts)")
        referrals = try store.referrals(applicantID: ids[0])
        #expect(referrals.map(\.result) == [.registered, .declined])
        #expect(referrals[1].resultNote == "거리가 멀어서" && referrals[1].resultAt?.iso == "2024-08-06T15:10:00+09:00")
        // registered after a visit on or after the vacancy day
        #expect(try store.bookedReferrals(asOf: day) == ["F001": 1])
        #expect(try store.bookedReferrals(asOf: LocalDate(iso: "2024-08-04")!) == [:])
        let settled = try Self.dump(path)
        let (_, reimport) = try importing(
            store, folder, results, day: LocalDate(iso: "2024-08-06")!, facilities: Self.registry())
        #expect(reimport.alreadyImported == 2 && reimport.imported == 0)
        #expect(try Self.dump(path) == settled)
    }

    @Test func aVisitPassedWithoutAResultBringsTheFamilyBack() throws {
        let folder = TempFolder()
        let export = folder.write("a.csv", utf8: SyntheticExport.text(0..<10))
        let plan = try #require(try run(folder, export, out: "o1", asOf: asOf).appointments)
        let id = plan.result.appointments.sorted { ($0.start, $0.counselorID) < ($1.start, $1.counselorID) }[0]
            .applicantID
        let path = folder.url.appendingPathComponent("state.db").path
        let store = try StateStore(path: path)
        // Without a registry: the facility as written.
        let (_, booked) = try importing(
            store, folder, "\(id),C01,2024-07-30 13:00,통화완료,<b>급함</b>,,행복 지역아동센터,8월 1일 오후 2시,\n", day: asOf)
        #expect(booked.imported == 1 && booked.visitsBooked == 1)

        // The day before the visit: the family is done, the visit is listed and has its page.
        let day2 = try run(folder, export, out: "o2", asOf: LocalDate(iso: "2024-07-31")!)
        #expect(!day2.callList.contains { $0.household.applicantID == id })
        let visits2 = try CounsellingWeekTests.text(folder.url.appendingPathComponent("o2/visits.csv").path)
        let rows2 = visits2.components(separatedBy: "\r\n").filter { !$0.isEmpty }.map(CounsellingWeekTests.cells)
        #expect(rows2[0] == VisitOutputs.header)
        #expect(rows2.count == 2 && rows2[1][0] == "2024-08-01" && rows2[1][2] == "14:00" && rows2[1][4] == "행복 지역아동센터")
        #expect(rows2[1][5] == id && rows2[1][13] == "방문 예정" && rows2[1][16] == "<b>급함</b>")
        let page = try CounsellingWeekTests.text(
            folder.url.appendingPathComponent("o2/visits/2024-08-01_행복지역아동센터.html").path)
        #expect(
            page.contains("2024-08-01 (목) 방문 예정 — 행복 지역아동센터") && page.contains("&lt;b&gt;급함&lt;/b&gt;")
                && !page.contains("<b>급함"))
        #expect(page.contains(id) && page.contains("14:00") && page.contains("지역아동센터"))
        #expect(day2.summary.referrals?.upcoming == 1 && day2.summary.referrals?.overdue == 0)

        // Two days after the visit with no result: back on the call list, first words of its reason.
        let day3 = try run(folder, export, out: "o3", asOf: LocalDate(iso: "2024-08-02")!)
        let entry = try #require(day3.callList.first { $0.household.applicantID == id })
        #expect(entry.reason.hasPrefix("방문 결과 확인"), "\(entry.reason)")
        #expect(try store.loadKnown().households[id]?.nextCallReason == .visitCheck)
        #expect(try store.loadKnown().households[id]?.state == .open)
        #expect(day3.summary.referrals?.overdue == 1 && day3.summary.referrals?.booked == 1)
        #expect(day3.summary.report?.capacity.referrals?.first { $0.key == "overdue" }?.count == 1)
        let report = try CounsellingWeekTests.text(folder.url.appendingPathComponent("o3/report.html").path)
        #expect(report.contains("기관 방문 예약 1건(방문 예정 0, 결과 확인 필요 1) · 등록 0, 대기 등록 0, 안 함 0."))
        let list = try CounsellingWeekTests.text(folder.url.appendingPathComponent("o3/call-list.csv").path)
            .components(separatedBy: "\r\n").map(CounsellingWeekTests.cells)
        let header = list[0]
        let row = try #require(list.first { $0.count > 1 && $0[1] == id })
        #expect(row[header.firstIndex(of: "우선순위 사유")!].hasPrefix("방문 결과 확인"))
        #expect(row[header.firstIndex(of: "안내 기관")!] == "행복 지역아동센터")
        #expect(
            row[header.firstIndex(of: "방문 예약")!] == "08-01(목) 14:00"
                && row[header.firstIndex(of: "방문 결과")!] == "방문 결과 확인")
        let appointment = try #require(day3.appointments?.result.appointments.first { $0.applicantID == id })
        let sheetName = "\(appointment.start.date.iso)_\(appointment.counselorID).html"
        let sheet = try CounsellingWeekTests.text(folder.url.appendingPathComponent("o3/call-sheets/\(sheetName)").path)
        #expect(sheet.contains("<th>방문 결과 확인</th>") && sheet.contains("행복 지역아동센터 · 08-01(목) 14:00 방문 · 방문 결과 확인"))
        #expect(
            !FileManager.default.fileExists(
                atPath: folder.url.appendingPathComponent("o3/visits/2024-08-01_행복지역아동센터.html").path))

        // The same day again gives the same files.
        _ = try run(folder, export, out: "o3b", asOf: LocalDate(iso: "2024-08-02")!)
        for name in ["visits.csv", "visits/index.html", "call-list.csv"] {
            let a = try CounsellingWeekTests.text(folder.url.appendingPathComponent("o3/\(name)").path)
            let b = try CounsellingWeekTests.text(folder.url.appendingPathComponent("o3b/\(name)").path)
            #expect(a == b, "\(name)")
        }

        // The follow-up call: registered. The family leaves the list; the visit keeps its result.
        let (_, followUp) = try importing(
            store, folder, "\(id),C01,2024-08-02 13:00,통화완료,,,,,등록\n", day: LocalDate(iso: "2024-08-02")!)
        #expect(followUp.imported == 1 && followUp.visitResults == 1, "\(followUp.verdicts)")
        let day4 = try run(folder, export, out: "o4", asOf: LocalDate(iso: "2024-08-05")!)
        #expect(!day4.callList.contains { $0.household.applicantID == id })
        #expect(day4.summary.referrals?.results["registered"] == 1 && day4.summary.referrals?.overdue == 0)
        let visits4 = try CounsellingWeekTests.text(folder.url.appendingPathComponent("o4/visits.csv").path)
        #expect(visits4.contains("\"등록\",\"등록\",\"2024-08-02 13:00\""))
    }

    /// A state file written before `v5-referrals` keeps its calls and takes referrals from then on.
    @Test func migrationOnAnExistingStateFile() throws {
        let folder = TempFolder()
        let path = folder.url.appendingPathComponent("old.db").path
        let queue = try DatabaseQueue(path: path)
        try StateStore.migrator.migrate(queue, upTo: "v4-call-history")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO household (applicant_id, created_run, status, attempts, last_outcome, last_outcome_at)
                    VALUES ('H-A', 1, 'done', 0, '통화완료', '2024-07-30T10:00:00+09:00');
                    INSERT INTO call_outcome (applicant_id, at, outcome, note) VALUES ('H-A', '2024-07-30T10:00:00+09:00', '통화완료', '메모');
                    INSERT INTO issued_id (applicant_id, run_id) VALUES ('H-A', 1);
                    """)
        }
        try queue.close()
        let store = try StateStore(path: path)
        #expect(try store.appliedMigrations().last == "v5-referrals")
        #expect(try store.callHistory(applicantID: "H-A")?.last?.note == "메모")
        #expect(try store.referrals(applicantID: "H-A").isEmpty)
        // The old call re-imported is the same call (it said nothing about visits); a new call books a visit.
        let lines = "H-A,C01,2024-07-30 10:00,통화완료,메모,,,,\nH-A,C01,2024-07-31 10:00,통화완료,,,행복센터,8/2 15:00,\n"
        let (_, report) = try importing(store, folder, lines, day: LocalDate(iso: "2024-07-31")!)
        #expect(report.alreadyImported == 1 && report.imported == 1 && report.visitsBooked == 1)
        #expect(try store.referrals(applicantID: "H-A").first?.visit?.text == "2024-08-02 15:00")
    }

    @Test func referralsFollowHouseholdMerges() throws {
        let folder = TempFolder()
        let store = try StateStore(path: folder.url.appendingPathComponent("state.db").path)
        let run = try store.beginRun(asOf: asOf, command: "t", dryRun: false)
        var changes = StateChanges()
        changes.newHouseholds = [("H-OLD", nil), ("H-NEW", nil)]
        try store.commit(changes, run: run)
        let lines = """
            H-OLD,C01,2024-07-30 10:00,통화완료,,,행복센터,8/2 15:00,
            H-NEW,C01,2024-07-30 11:00,통화완료,,,별빛센터,8/3 15:00,
            H-OLD,C01,2024-07-30 11:00,통화완료,,,별빛센터,8/3 15:00,
            """
        let (_, report) = try importing(store, folder, lines, day: asOf)
        #expect(report.visitsBooked == 3)
        var merge = StateChanges()
        merge.mergedInto = ["H-OLD": "H-NEW"]
        try store.commit(merge, run: run)
        // The same call and facility under both ids was one referral typed twice: one stays.
        let referrals = try store.referrals(applicantID: "H-NEW")
        #expect(referrals.map(\.facility.name) == ["행복센터", "별빛센터"])
        // the alias leads to the survivor
        #expect(try store.referrals(applicantID: "H-OLD").map(\.applicantID) == ["H-NEW", "H-NEW"])
        // In a run, before the commit, the survivor carries both.
        let at = LocalDateTime(date: asOf, hour: 9, minute: 0)!
        let r = Referral(
            id: 1, applicantID: "H-OLD", facility: FacilityRef(id: "F1", name: "a", text: "a"),
            visit: VisitTime(date: asOf, minutes: nil), counselor: nil, callAt: at, memo: nil)
        let byID = Referral.byCurrentID(["H-OLD": [r], "H-NEW": []], mergedInto: ["H-OLD": "H-NEW"])
        #expect(byID.keys.sorted() == ["H-NEW"] && byID["H-NEW"]?.first?.applicantID == "H-NEW")
    }

    /// Who is called again for a visit that passed without a result, and who is not.
    @Test func whoComesBackForAVisitCheck() {
        let day = LocalDate(iso: "2024-08-02")!
        let at = LocalDateTime(date: LocalDate(iso: "2024-07-30")!, hour: 9, minute: 0)!
        func referral(_ visit: String?, _ result: VisitResult? = nil) -> Referral {
            Referral(
                id: 0, applicantID: "H", facility: FacilityRef(id: nil, name: "x", text: "x"),
                visit: visit.flatMap { VisitTime(text: $0) }, counselor: nil, callAt: at, memo: nil, result: result)
        }
        func status(
            _ state: HouseholdStatus.State, next: String? = nil, reason: HouseholdStatus.NextCallReason? = nil,
            attempts: Int = 0
        ) -> HouseholdStatus {
            var s = HouseholdStatus()
            s.state = state
            s.nextCallOn = next.flatMap(LocalDate.init(iso:))
            s.nextCallReason = reason
            s.attempts = attempts
            if state != .open { s.closedOn = LocalDate(iso: "2024-07-30") }
            return s
        }
        let overdue = [referral("2024-07-31 14:00")]
        // Closed after the booking call: open again, due the day after the visit, unanswered calls counted afresh.
        let (reopened, followUp) = try! #require(
            VisitFollowUp.followUp(status(.done, attempts: 2), of: "H", referrals: overdue, asOf: day))
        #expect(reopened.state == .open && reopened.closedOn == nil && reopened.attempts == 0)
        #expect(reopened.nextCallOn == LocalDate(iso: "2024-08-01") && reopened.nextCallReason == .visitCheck)
        #expect(followUp == VisitFollowUp(applicantID: "H", dueOn: LocalDate(iso: "2024-08-01")!, reopens: true))
        // Open without a promised day: the reason is added.
        let open = VisitFollowUp.followUp(status(.open, next: "2024-07-31"), of: "H", referrals: overdue, asOf: day)
        #expect(open?.0.nextCallReason == .visitCheck && open?.1.reopens == false)
        // Already marked by an earlier run: nothing to change.
        #expect(VisitFollowUp.followUp(open!.0, of: "H", referrals: overdue, asOf: day) == nil)
        // A promised day keeps its place; refused, unreachable and wrong numbers are not called for it.
        #expect(
            VisitFollowUp.followUp(
                status(.open, next: "2024-08-05", reason: .callback), of: "H", referrals: overdue, asOf: day) == nil)
        #expect(
            VisitFollowUp.followUp(
                status(.open, next: "2024-08-03", reason: .retry), of: "H", referrals: overdue, asOf: day) == nil)
        for closed in [HouseholdStatus.State.refused, .unreachable, .wrongNumber] {
            #expect(VisitFollowUp.followUp(status(closed), of: "H", referrals: overdue, asOf: day) == nil)
        }
        // Not overdue: the visit is today or later, has a result, or was never booked.
        for list in [[referral("2024-08-02 10:00")], [referral("2024-07-31 14:00", .registered)], [referral(nil)], []] {
            #expect(VisitFollowUp.followUp(status(.done), of: "H", referrals: list, asOf: day) == nil)
        }
    }

    @Test func purgeDeletesReferralsWithTheHousehold() throws {
        let folder = TempFolder()
        let store = try StateStore(path: folder.url.appendingPathComponent("state.db").path)
        let run = try store.beginRun(asOf: asOf, command: "t", dryRun: false)
        var changes = StateChanges()
        changes.newHouseholds = [("H-A", nil)]
        try store.commit(changes, run: run)
        _ = try importing(store, folder, "H-A,C01,2024-07-30 10:00,통화완료,,,행복센터,8/2 15:00,\n", day: asOf)
        #expect(try store.referrals(applicantID: "H-A").count == 1)
        let report = try store.purge(closedBefore: LocalDate(iso: "2024-08-01")!, run: run)
        #expect(report.households == 1)
        #expect(try store.referrals(applicantID: "H-A").isEmpty)
    }

    @Test func placesPromisedPerFacility() {
        let day = LocalDate(iso: "2024-08-01")!
        let at = LocalDateTime(date: LocalDate(iso: "2024-07-30")!, hour: 9, minute: 0)!
        func r(_ facility: String?, _ visit: String?, _ result: VisitResult?) -> Referral {
            Referral(
                id: 0, applicantID: "H", facility: FacilityRef(id: facility, name: "x", text: "x"),
                visit: visit.flatMap { VisitTime(text: $0) }, counselor: nil, callAt: at, memo: nil, result: result)
        }
        let referrals = [
            r("F1", "2024-07-31 10:00", nil),  // passed, no result yet: the family may still come
            r("F1", "2024-08-02 10:00", nil),
            r("F1", "2024-08-01", .registered),  // registered after the vacancy count
            r("F1", "2024-07-29 10:00", .registered),  // in the count already
            r("F1", "2024-08-02 10:00", .waitlisted),
            r("F2", "2024-08-02 10:00", .declined),
            r("F2", nil, nil),  // guided, no visit
            r(nil, "2024-08-02 10:00", nil),  // not in the registry
        ]
        #expect(Referral.booked(referrals, asOf: day) == ["F1": 3])
    }
}

/// The same loop through the built binary, with a facility list in the configuration: `outcomes import` names
/// the facility from the list (or refuses the line), a re-import exits 0, the run writes the visit files with the
/// facility's phone, and `explain` lists the referral.
@Suite("Visit booking through the binary", .serialized)
struct VisitBookingBinaryTests {
    @Test func importRunAndExplainWithAFacilityList() throws {
        let folder = TempFolder()
        folder.write(
            "roster.yaml", utf8: ScheduleRunTests.roster.replacingOccurrences(of: "%LEAVE%", with: "2024-01-01"))
        folder.write(
            "facilities.csv",
            utf8: """
                시설ID,시설명,유형,주소,전화번호,정원,현원
                F001,행복지역아동센터,지역아동센터,충청남도 아산시 배방읍 배미로34번길 20,041-541-0001,20,15
                F002,배방 다함께돌봄센터 (1호점),다함께돌봄센터,충청남도 아산시 배방읍 배미로34번길 30,041-541-0002,,
                F003,배방 다함께돌봄센터 (2호점),다함께돌봄센터,충청남도 아산시 배방읍 배미로34번길 40,041-541-0003,,

                """)
        let config = folder.write(
            "dolbom.yaml",
            utf8: """
                state: state.db
                schedule:
                  roster: roster.yaml
                facilities:
                  files: [facilities.csv]

                """
        ).path
        let export = folder.write("a.csv", utf8: SyntheticExport.text(0..<10)).path
        func out(_ name: String) -> String { folder.url.appendingPathComponent(name).path }
        let first = try DolbomProcess.run([
            "run", "-q", "--config", config, "--as-of", "2024-07-30", "--out", out("o1"), export,
        ])
        #expect(first.status == 0, "\(first.stderr)")
        let sheetLines = try CounsellingWeekTests.text(out("o1") + "/call-results.csv").components(separatedBy: "\r\n")
        #expect(
            Array(CounsellingWeekTests.cells(sheetLines[0]).prefix(9)) == [
                "신청번호", "상담원", "통화일시", "결과", "메모", "재통화일", "안내 기관", "방문 예약", "방문 결과",
            ])
        let id = CounsellingWeekTests.cells(sheetLines[1])[0]
        // 정원 20, 현원 15: five places before any visit is booked.
        let before = try CounsellingWeekTests.text(out("o1") + "/call-list.csv")
        #expect(before.contains("빈자리 5") && !before.contains("빈자리 4"))

        // The counselor books a visit, as written on the call sheet.
        let good = folder.write(
            "good.csv",
            utf8: VisitBookingTests.header + "\(id),C01,2024-07-30 13:00,통화완료,할머니와 방문,,행복지역아동센터,8월 1일 오후 2시,\n"
        ).path
        let imported = try DolbomProcess.run(["outcomes", "import", "--config", config, "--as-of", "2024-07-30", good])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(
            imported.stdout.contains("good.csv:2: 반영: \(id) 통화완료 2024-07-30 13:00")
                && imported.stdout.contains("방문 예약 2024-08-01 14:00"))
        #expect(imported.stdout.contains("방문 예약 1건") && !imported.stdout.contains("할머니"))
        let again = try DolbomProcess.run(["outcomes", "import", "--config", config, "--as-of", "2024-07-30", good])
        #expect(again.status == 0 && again.stdout.contains("good.csv:2: 이미 반영됨"), "\(again.stdout)\(again.stderr)")

        // Lines that cannot be read as meant are refused with the reason (exit 65); nothing of them is kept.
        let bad = folder.write(
            "bad.csv",
            utf8: VisitBookingTests.header + """
                \(id),C01,2024-07-30 13:30,통화완료,,,없는 센터,8/2 14:00,
                \(id),C01,2024-07-30 13:40,통화완료,,,배방 다함께돌봄센터,8/2 14:00,
                \(id),C01,2024-07-30 13:50,통화완료,,,F002,8/2 2시,

                """
        ).path
        let refused = try DolbomProcess.run(["outcomes", "import", "--config", config, "--as-of", "2024-07-30", bad])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("bad.csv:2: warning: 제외: 안내 기관 '없는 센터'을(를) 기관 목록에서 찾을 수 없습니다"))
        #expect(refused.stderr.contains("bad.csv:3: warning: 제외: 안내 기관 '배방 다함께돌봄센터'에 맞는 기관이 여럿입니다"))
        #expect(refused.stderr.contains("bad.csv:4: warning: 제외: 방문 예약 '8/2 2시'의 시각 02:00은(는) 기관 방문 시간"))

        let second = try DolbomProcess.run([
            "run", "-q", "--config", config, "--as-of", "2024-07-31", "--out", out("o2"), export,
        ])
        #expect(second.status == 0, "\(second.stderr)")
        // The visit booked takes one of the centre's places on the sheets.
        let after = try CounsellingWeekTests.text(out("o2") + "/call-list.csv")
        #expect(after.contains("빈자리 4") && !after.contains("빈자리 5"))
        let visits = try CounsellingWeekTests.text(out("o2") + "/visits.csv")
        #expect(
            visits.hasPrefix("\u{FEFF}\"방문일\"")
                && visits.contains("\"2024-08-01\",\"목\",\"14:00\",\"F001\",\"행복지역아동센터\",\"\(id)\""))
        let page = try CounsellingWeekTests.text(out("o2") + "/visits/2024-08-01_F001.html")
        #expect(page.contains("041-541-0001") && page.contains("할머니와 방문"))
        let index = try CounsellingWeekTests.text(out("o2") + "/visits/index.html")
        #expect(index.contains("2024-08-01_F001.html"))

        let third = try DolbomProcess.run([
            "run", "-q", "--config", config, "--as-of", "2024-08-02", "--out", out("o3"), export,
        ])
        #expect(third.status == 0, "\(third.stderr)")
        let summary = try CounsellingWeekTests.text(out("o3") + "/summary.json")
        #expect(summary.contains("\"overdue\" : 1"))
        let status = try DolbomProcess.run(["status", "--config", config, "--as-of", "2024-08-02"])
        #expect(status.stdout.contains("기관 안내 1건: 방문 예정 0, 방문 결과 확인 필요 1, 등록 0, 대기 등록 0, 안 함 0"), "\(status.stdout)")
        let explained = try DolbomProcess.run(["explain", "--config", config, "--as-of", "2024-08-02", id, export])
        #expect(explained.status == 0, "\(explained.stderr)")
        #expect(
            explained.stdout.contains("기관 안내: 1건")
                && explained.stdout.contains("행복지역아동센터 (F001), 방문 2024-08-01 14:00 — 방문 결과 확인"),
            "\(explained.stdout)")
    }
}
