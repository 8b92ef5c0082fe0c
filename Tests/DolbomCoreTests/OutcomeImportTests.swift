import DolbomNormalize
import DolbomSchedule
import Foundation
import GRDB
import Testing

@testable import DolbomCore

/// `dolbom outcomes import` in process: every line of the results sheet gets a verdict, dates are read as
/// written (and said how), a re-import changes nothing, a changed re-import is reported, and the state keeps
/// why a next-call day was set.
@Suite("Results sheet import")
struct OutcomeImportTests {
    let asOf = LocalDate(iso: "2024-07-30")!  // a Tuesday

    func run(
        _ folder: TempFolder, _ export: URL, out: String, asOf: LocalDate? = nil,
        diagnostics: DiagnosticsCollector = DiagnosticsCollector()
    ) throws -> RunResult {
        _ = folder.write(
            "roster.yaml", utf8: ScheduleRunTests.roster.replacingOccurrences(of: "%LEAVE%", with: "2024-01-01"))
        var config = DolbomConfiguration()
        config.schedule = DolbomConfiguration.Schedule(roster: folder.url.appendingPathComponent("roster.yaml").path)
        let options = RunOptions(
            inputs: [export.path], output: folder.url.appendingPathComponent(out).path, asOf: asOf ?? self.asOf,
            configuration: config, statePath: folder.url.appendingPathComponent("state.db").path)
        return try DolbomRun(options: options).run(diagnostics: diagnostics)
    }

    func booked(_ store: StateStore) throws -> [String: LocalDateTime] {
        Dictionary(
            try store.appointments().map { ($0.appointment.applicantID, $0.appointment.start) },
            uniquingKeysWith: { a, _ in a })
    }

    @Test func everyLineGetsAVerdictAndDatesAreReadAsWritten() throws {
        let folder = TempFolder()
        // 20 households, 20 calls from 07-30 to 08-02
        let export = folder.write("a.csv", utf8: SyntheticExport.text(0..<40))
        let plan = try #require(try run(folder, export, out: "o1").appointments)
        #expect(plan.result.appointments.count == 20)
        let ids = plan.result.appointments.sorted { ($0.start, $0.counselorID) < ($1.start, $1.counselorID) }.map(
            \.applicantID)
        let sheet = """
            신청번호,상담원,통화일시,결과,메모,재통화일
            \(ids[0]),C01,7월 30일 오후 1시 5분,재통화요청,퇴근 후 다시 전화,８월 ２일
            \(ids[1]),C02,오후 2시,부재중,,
            \(ids[2]),C01,2024-07-30 13:40,부재중,,8/2
            \(ids[3]),C01,2024-07-30 14:00,재통화요청,,7/8/2024
            \(ids[4]),C02,,,,
            NOPE,C02,2024-07-30 14:30,통화완료,,
            \(ids[5]),C02,,통화완료,,
            \(ids[6]),C01,2024-07-30 15:00,재통화요청,,
            ,,,,,
            """
        let store = try StateStore(path: folder.url.appendingPathComponent("state.db").path)
        let read = try OutcomeFile.sheet(
            folder.write("calls.csv", utf8: sheet), booked: try booked(store), importDay: asOf)
        let verdicts = Dictionary(read.lines.map { ($0.row, $0.verdict) }, uniquingKeysWith: { a, _ in a })
        guard case .read(let callback, let notes)? = verdicts[2] else {
            Issue.record("row 2: \(String(describing: verdicts[2]))")
            return
        }
        #expect(callback.at.iso == "2024-07-30T13:05:00+09:00")
        #expect(callback.callbackOn == LocalDate(iso: "2024-08-02"))
        #expect(notes.contains { $0.contains("재통화일 2024-08-02") && $0.contains("연도가 없어") })
        guard case .read(let noAnswer, let noAnswerNotes)? = verdicts[3] else {
            Issue.record("row 3")
            return
        }
        #expect(noAnswer.at.date == plan.result.appointments.first { $0.applicantID == ids[1] }!.start.date)
        #expect(noAnswer.at.hour == 14 && noAnswerNotes.contains { $0.contains("약속일") })
        guard case .rejected(let mixed)? = verdicts[4] else {
            Issue.record("row 4")
            return
        }
        #expect(mixed.contains("결과가 '부재중'"))
        guard case .rejected(let ambiguous)? = verdicts[5] else {
            Issue.record("row 5")
            return
        }
        #expect(ambiguous.contains("월/일 순서"))
        #expect(verdicts[6] == .skipped("결과를 아직 적지 않음"))
        guard case .read? = verdicts[7] else {
            Issue.record("row 7")
            return
        }
        guard case .read(let fromBooking, let bookingNotes)? = verdicts[8] else {
            Issue.record("row 8")
            return
        }
        #expect(fromBooking.at == plan.result.appointments.first { $0.applicantID == ids[5] }!.start)
        #expect(bookingNotes.contains { $0.contains("약속 시각") })
        guard case .read(let undated, let undatedNotes)? = verdicts[9] else {
            Issue.record("row 9")
            return
        }
        #expect(undated.callbackOn == nil && undatedNotes.contains { $0.contains("2024-07-31부터") })
        #expect(verdicts[10] == .skipped("빈 줄"))
        #expect(read.unfilled == 1)

        let report = try store.importOutcomes(
            read.outcomes, policy: CallPolicy(), run: try store.beginRun(asOf: asOf, command: "t", dryRun: false))
        #expect(report.imported == 4)
        #expect(report.verdicts[SourceRef(file: "calls.csv", row: 7)] == .unknownHousehold)
        #expect(read.outcomes.allSatisfy { report.verdicts[$0.source] != nil })
        // Why the next call day is set: a dated callback and a retry are promises; a callback without a day is not.
        let known = try store.loadKnown()
        #expect(known.households[ids[0]]?.nextCallReason == .callback)
        #expect(known.households[ids[0]]?.nextCallOn == LocalDate(iso: "2024-08-02"))
        #expect(known.households[ids[1]]?.nextCallReason == .retry)
        #expect(
            known.households[ids[6]]?.nextCallReason == nil
                && known.households[ids[6]]?.nextCallOn == LocalDate(iso: "2024-07-31"))
        #expect(known.households[ids[5]]?.nextCallReason == nil)
        #expect(known.callHistory[ids[0]]?.memos.map(\.note) == ["퇴근 후 다시 전화"])

        // The next run books the callback on the 2nd. The retry's day (08-01) is full of appointments families
        // were told in the first run (3 calls a day each): it gets the nearest later slot, and the run says so.
        let diagnostics = DiagnosticsCollector()
        let next = try #require(
            try run(folder, export, out: "o2", asOf: LocalDate(iso: "2024-07-31")!, diagnostics: diagnostics)
                .appointments)
        let byID = Dictionary(next.result.appointments.map { ($0.applicantID, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byID[ids[0]]?.start.date == LocalDate(iso: "2024-08-02"))
        #expect(next.promises[ids[0]] == Promise(day: LocalDate(iso: "2024-08-02")!, kind: .callback))
        #expect(next.promises[ids[1]] == Promise(day: LocalDate(iso: "2024-08-01")!, kind: .retry))
        #expect(next.promises[ids[6]] == nil)
        #expect(next.result.appointments.filter { $0.start.date == LocalDate(iso: "2024-08-01") }.count == 6)
        let miss = try #require(next.promiseMisses[ids[1]])
        #expect(miss.reason == .dayFull)
        #expect(miss.booked?.start.date == LocalDate(iso: "2024-08-02") && byID[ids[1]] == miss.booked)
        #expect(next.result.promisesKept == 1)
        let csv = String(
            decoding: try Data(contentsOf: folder.url.appendingPathComponent("o2/schedule.csv")), as: UTF8.self)
        #expect(csv.contains("\"08-02(금) 재통화 요청\""))
        #expect(csv.contains("\"08-01(목) 부재중 재시도\""))
        #expect(csv.contains("부재중 재시도일 08-01(목)에 잡지 못했습니다(그날 통화 가능 시간의 일정이 모두 찼습니다). 가장 가까운 08-02(금)"))
        #expect(diagnostics.all.filter { $0.code == "promise_missed" && $0.severity == .warning }.count == 1)
        #expect(diagnostics.all.contains { $0.code == "promise_missed" && $0.message.hasPrefix(ids[1]) })
        let summary = String(
            decoding: try Data(contentsOf: folder.url.appendingPathComponent("o2/summary.json")), as: UTF8.self)
        #expect(summary.contains("\"promises_missed_by_reason\" : {\n      \"day_full\" : 1"))
        let jsonl = String(
            decoding: try Data(contentsOf: folder.url.appendingPathComponent("o2/schedule.jsonl")), as: UTF8.self)
        #expect(
            jsonl.contains(
                "\"promise\":{\"day\":\"2024-08-01\",\"kept\":false,\"kind\":\"retry\",\"reason\":\"day_full\"}"))
    }

    @Test func reimportingChangesNothingAndAChangedLineIsReported() throws {
        let folder = TempFolder()
        let export = folder.write("a.csv", utf8: SyntheticExport.text(0..<10))
        let plan = try #require(try run(folder, export, out: "o1").appointments)
        let id = plan.result.appointments[0].applicantID
        let store = try StateStore(path: folder.url.appendingPathComponent("state.db").path)
        func importing(_ memo: String, _ callback: String) throws -> OutcomeImportReport {
            let sheet = "신청번호,상담원,통화일시,결과,메모,재통화일\n\(id),C01,2024-07-30 13:00,재통화요청,\(memo),\(callback)\n"
            let read = try OutcomeFile.sheet(folder.write("calls.csv", utf8: sheet), importDay: asOf)
            #expect(read.problems.isEmpty)
            return try store.importOutcomes(
                read.outcomes, policy: CallPolicy(), run: try store.beginRun(asOf: asOf, command: "t", dryRun: false))
        }
        #expect(try importing("다시 전화", "8/5").imported == 1)
        let queue = try DatabaseQueue(path: folder.url.appendingPathComponent("state.db").path)
        func dump() throws -> [String] {
            try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM household ORDER BY applicant_id").map(\.description)
                    + Row.fetchAll(db, sql: "SELECT * FROM call_outcome ORDER BY id").map(\.description)
            }
        }
        let before = try dump()
        let same = try importing("다시 전화", "2024-08-05")
        #expect(same.imported == 0 && same.alreadyImported == 1 && same.conflicts.isEmpty)
        #expect(try dump() == before)
        let changed = try importing("다시 전화 (저녁)", "8/6")
        #expect(changed.imported == 0 && changed.alreadyImported == 0)
        guard case .conflicting(let why)? = changed.verdicts[SourceRef(file: "calls.csv", row: 2)] else {
            Issue.record("\(changed.verdicts)")
            return
        }
        #expect(why.contains("메모") && why.contains("재통화일(이전 2024-08-05)"))
        #expect(try dump() == before)
    }

    /// A state written before `v4-call-history` learns why its next-call days were set.
    @Test func migrationFillsTheReasonsOfOpenNextCallDays() throws {
        let folder = TempFolder()
        let path = folder.url.appendingPathComponent("old.db").path
        let queue = try DatabaseQueue(path: path)
        try StateStore.migrator.migrate(queue, upTo: "v3-issued-ids")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO household (applicant_id, created_run, status, attempts, next_call_on, last_outcome)
                    VALUES ('H-A', 1, 'open', 1, '2024-08-01', '부재중'), ('H-B', 1, 'open', 0, '2024-08-05', '재통화요청'),
                           ('H-C', 1, 'open', 0, '2024-07-31', '재통화요청'), ('H-D', 1, 'done', 0, NULL, '통화완료');
                    INSERT INTO call_outcome (applicant_id, at, outcome, callback_on) VALUES
                        ('H-B', '2024-07-30T10:00:00+09:00', '재통화요청', '2024-08-05'),
                        ('H-C', '2024-07-30T10:00:00+09:00', '재통화요청', NULL);
                    """)
        }
        try queue.close()
        let store = try StateStore(path: path)
        #expect(try store.appliedMigrations().contains("v4-call-history"))
        let known = try store.loadKnown()
        #expect(known.households["H-A"]?.nextCallReason == .retry)
        #expect(known.households["H-B"]?.nextCallReason == .callback)
        #expect(known.households["H-C"]?.nextCallReason == nil)
        #expect(known.households["H-D"]?.nextCallReason == nil)
        #expect(known.callHistory["H-B"]?.attempts == 1)
        #expect(try store.callHistory(applicantID: "H-C")?.last?.outcome == "재통화요청")
        #expect(try store.callHistory(applicantID: "H-D") == nil)
    }

    @Test func historyFollowsAMerge() {
        let at = LocalDateTime(date: LocalDate(iso: "2024-07-30")!, hour: 9, minute: 0)!
        let later = LocalDateTime(date: LocalDate(iso: "2024-07-31")!, hour: 9, minute: 0)!
        let histories = [
            "H-OLD": CallHistory(calls: [.init(at: later, outcome: "부재중", counselor: "C01", note: "b", callbackOn: nil)]
            ),
            "H-NEW": CallHistory(calls: [.init(at: at, outcome: "부재중", counselor: "C02", note: "a", callbackOn: nil)]),
        ]
        let merged = CallHistory.byCurrentID(histories, mergedInto: ["H-OLD": "H-NEW"])
        #expect(merged.keys.sorted() == ["H-NEW"])
        #expect(merged["H-NEW"]?.memos.map(\.note) == ["a", "b"])
        #expect(merged["H-NEW"]?.attempts == 2 && merged["H-NEW"]?.noAnswers == 2)
    }
}
