import DolbomNormalize
import Foundation
import GRDB
import Testing

@testable import DolbomCore

@Suite("State across runs: cumulative exports, reruns, outcomes, purge, locks")
struct StateTests {
    let asOf = LocalDate(iso: "2024-07-30")!

    func run(
        _ folder: TempFolder, _ inputs: [URL], out: String, state: String? = "state.db", asOf: LocalDate? = nil,
        dryRun: Bool = false, configure: (inout DolbomConfiguration) -> Void = { _ in }
    ) throws -> RunResult {
        var config = DolbomConfiguration()
        configure(&config)
        let options = RunOptions(
            inputs: inputs.map(\.path), output: folder.url.appendingPathComponent(out).path, asOf: asOf ?? self.asOf,
            configuration: config, dryRun: dryRun, statePath: state.map { folder.url.appendingPathComponent($0).path })
        return try DolbomRun(options: options).run(diagnostics: DiagnosticsCollector())
    }

    func applicants(_ folder: TempFolder, _ out: String) throws -> [[String: Any]] {
        let data = try Data(
            contentsOf: folder.url.appendingPathComponent(out).appendingPathComponent("applicants.jsonl"))
        return try String(decoding: data, as: UTF8.self).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
    }

    /// Everything in the state but the run history, as text.
    func stateDump(_ folder: TempFolder) throws -> String {
        let queue = try DatabaseQueue(path: folder.url.appendingPathComponent("state.db").path)
        return try queue.read { db in
            var lines: [String] = []
            for table in ["submission", "household", "call_outcome", "purge"] {
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1") {
                    lines.append("\(table): \(row)")
                }
            }
            return lines.joined(separator: "\n")
        }
    }

    func files(_ folder: TempFolder, _ out: String) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let dir = folder.url.appendingPathComponent(out)
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            var isFolder: ObjCBool = false
            // visits/ (written with a state file) holds its pages: compared by its index.
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path, isDirectory: &isFolder),
                isFolder.boolValue
            {
                result[name + "/index.html"] = try Data(
                    contentsOf: dir.appendingPathComponent(name).appendingPathComponent("index.html"))
                continue
            }
            result[name] = try Data(contentsOf: dir.appendingPathComponent(name))
        }
        return result
    }

    @Test func cumulativeExportsKeepIdsAndAddOnlyNewHouseholds() throws {
        let folder = TempFolder()
        let day1 = folder.write("day1.csv", utf8: SyntheticExport.text(0..<40))
        let first = try run(folder, [day1], out: "out1")
        #expect(first.households.count == 20)
        #expect(first.delta.newSubmissions == 40)
        let ids1 = Set(first.households.map(\.applicantID))

        // Day 2: Google's download holds every response so far, one of them edited.
        let day2 = folder.write("day2.csv", utf8: SyntheticExport.text(0..<70, edits: [5: "오후 3시 이후에 전화 주세요"]))
        try FileManager.default.removeItem(at: day1)
        let second = try run(folder, [day2], out: "out2")
        let ids2 = Set(second.households.map(\.applicantID))
        #expect(ids1.isSubset(of: ids2))
        #expect(ids2.count == 35)
        #expect(second.delta.newSubmissions == 30)
        #expect(second.delta.updatedSubmissions == 1)
        #expect(second.delta.unchangedSubmissions == 39)
        #expect(second.delta.newHouseholds == 15)
        let edited = second.households.first { $0.sources.contains(SourceRef(file: "day2.csv", row: 7)) }
        #expect(edited?.memos == ["오후 3시 이후에 전화 주세요"])

        // Day 2 again: nothing changes but the history.
        let before = try stateDump(folder)
        let third = try run(folder, [day2], out: "out3")
        #expect(third.delta.newSubmissions == 0 && third.delta.updatedSubmissions == 0)
        #expect(try stateDump(folder) == before)
        let rerunFiles = try files(folder, "out3")
        let secondFiles = try files(folder, "out2")
        for name in ["applicants.jsonl", "call-list.csv", "rejects.jsonl", "rejects.csv"] {
            #expect(rerunFiles[name] == secondFiles[name], "\(name) changed on an identical rerun")
        }
        let store = try StateStore(path: folder.url.appendingPathComponent("state.db").path)
        #expect(try store.history().count == 3)
    }

    @Test func householdsFromEarlierDeltaExportsStayOnTheList() throws {
        let folder = TempFolder()
        _ = try run(folder, [folder.write("mon.csv", utf8: SyntheticExport.text(0..<10))], out: "o1")
        // Tuesday's export holds only Tuesday's responses: Monday's families must still be there.
        let tuesday = try run(folder, [folder.write("tue.csv", utf8: SyntheticExport.text(10..<20))], out: "o2")
        #expect(tuesday.households.count == 10)
        #expect(tuesday.delta.carriedSubmissions == 10)
        #expect(tuesday.callList.count == 10)
        let carried = tuesday.households.flatMap(\.sources).filter { $0.fromState == true }
        #expect(carried.count == 10)
        #expect(carried.allSatisfy { $0.file == "mon.csv" })
    }

    @Test func aFileGivenTwiceOrUnderTwoNamesIsReadOnce() throws {
        let folder = TempFolder()
        let a = folder.write("a.csv", utf8: SyntheticExport.text(0..<10))
        let b = folder.write("b.csv", utf8: SyntheticExport.text(0..<10))
        let result = try run(folder, [a, b, a], out: "o", state: nil)
        #expect(result.summary.counts.submissions == 10)
        #expect(result.summary.inputs.map(\.sameAs) == [nil, "a.csv"])
    }

    @Test func aCumulativeAndAnOlderExportInOneRunCountEachSubmissionOnce() throws {
        let folder = TempFolder()
        let old = folder.write("responses.csv", utf8: SyntheticExport.text(0..<10))
        let new = folder.write("responses (1).csv", utf8: SyntheticExport.text(0..<16))
        let result = try run(folder, [old, new], out: "o")
        #expect(result.summary.counts.submissions == 16)
        #expect(result.households.count == 8)
        // Both copies of a row are accounted for, in the same household.
        let first = try #require(
            result.households.first { $0.sources.contains(SourceRef(file: "responses.csv", row: 2)) })
        #expect(first.sources.contains(SourceRef(file: "responses (1).csv", row: 2)))
    }

    @Test func dryRunWritesNothingAndChangesNothing() throws {
        let folder = TempFolder()
        _ = try run(folder, [folder.write("a.csv", utf8: SyntheticExport.text(0..<10))], out: "o1")
        let before = try stateDump(folder)
        let result = try run(
            folder, [folder.write("b.csv", utf8: SyntheticExport.text(0..<30))], out: "o2", dryRun: true)
        #expect(result.delta.newSubmissions == 20)
        #expect(result.written.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("o2").path))
        #expect(try stateDump(folder) == before)
    }

    @Test func outcomesMoveHouseholdsOnAndOffTheCallList() throws {
        let folder = TempFolder()
        let export = folder.write("a.csv", utf8: SyntheticExport.text(0..<10))
        let first = try run(folder, [export], out: "o1")
        let ids = first.households.map(\.applicantID).sorted()
        let sheet = """
            신청번호,결과,통화일시,상담원,메모,재통화일
            \(ids[0]),통화완료,2024-07-30 10:00,c01,센터 안내,
            \(ids[1]),상담거부,2024-07-30 10:10,c01,,
            \(ids[2]),부재중,2024-07-30 10:20,c02,,
            \(ids[3]),재통화요청,2024-07-30 10:30,c02,,2024-08-05
            \(ids[4]),번호오류,2024-07-30 10:40,c02,,
            NOPE,통화완료,2024-07-30 10:50,c02,,
            """
        let parsed = try OutcomeFile.read(folder.write("calls.csv", cp949: sheet))
        #expect(parsed.outcomes.count == 6)
        let store = try StateStore(path: folder.url.appendingPathComponent("state.db").path)
        let report = try store.importOutcomes(
            parsed.outcomes, policy: CallPolicy(), run: try store.beginRun(asOf: asOf, command: "t", dryRun: false))
        #expect(report.imported == 5)
        #expect(report.unknownHouseholds == [SourceRef(file: "calls.csv", row: 7)])
        // Importing the same sheet again changes nothing.
        let again = try store.importOutcomes(parsed.outcomes, policy: CallPolicy(), run: 99)
        #expect(again.imported == 0 && again.alreadyImported == 5)

        let next = try run(folder, [export], out: "o2", asOf: LocalDate(iso: "2024-07-31")!)
        let listed = Set(next.callList.map(\.household.applicantID))
        // done, refused, wrong number: off; no answer: retry on 08-01; callback: 08-05
        #expect(listed == Set(ids[5...]))
        let later = try run(folder, [export], out: "o3", asOf: LocalDate(iso: "2024-08-05")!)
        #expect(Set(later.callList.map(\.household.applicantID)) == Set([ids[2], ids[3]] + ids[5...]))
        let status = try applicants(folder, "o3").first { $0["applicant_id"] as? String == ids[1] }
        #expect(status?["status"] as? String == "refused")
    }

    @Test func noAnswerTooOftenClosesAsUnreachable() {
        let policy = CallPolicy(retryDelayDays: 2, maxAttempts: 3)
        var status = HouseholdStatus()
        for day in ["2024-07-01", "2024-07-03", "2024-07-05"] {
            let at = LocalDateTime(date: LocalDate(iso: day)!, hour: 10, minute: 0)!
            status = policy.apply(
                CallOutcome(applicantID: "H", at: at, kind: .noAnswer, source: SourceRef(file: "x", row: 2)), to: status
            )
        }
        #expect(status.state == .unreachable)
        #expect(status.attempts == 3)
        // A refusal is final, whatever comes after.
        var refused = HouseholdStatus()
        refused.state = .refused
        let callback = CallOutcome(
            applicantID: "H", at: LocalDateTime(date: LocalDate(iso: "2024-07-09")!, hour: 9, minute: 0)!,
            kind: .callback,
            source: SourceRef(file: "x", row: 3))
        #expect(policy.apply(callback, to: refused).state == .refused)
    }

    @Test func purgeDeletesClosedHouseholdsAndKeepsCounts() throws {
        let folder = TempFolder()
        let export = folder.write("a.csv", utf8: SyntheticExport.text(0..<6))
        let first = try run(folder, [export], out: "o1")
        let ids = first.households.map(\.applicantID).sorted()
        let store = try StateStore(path: folder.url.appendingPathComponent("state.db").path)
        let outcomes = [
            CallOutcome(
                applicantID: ids[0], at: LocalDateTime(date: LocalDate(iso: "2024-01-10")!, hour: 10, minute: 0)!,
                kind: .done, source: SourceRef(file: "c", row: 2))
        ]
        _ = try store.importOutcomes(outcomes, policy: CallPolicy(), run: 1)
        let report = try store.purge(
            closedBefore: LocalDate(iso: "2024-02-01")!,
            run: try store.beginRun(asOf: asOf, command: "purge", dryRun: false))
        #expect(report.households == 1)
        #expect(report.submissions == 2)
        #expect(report.byStatus == ["done": 1])
        #expect(try !stateDump(folder).contains(ids[0]))
        #expect(try store.status(on: asOf).purges.count == 1)
    }

    @Test func retentionPurgesAutomaticallyDuringARun() throws {
        let folder = TempFolder()
        let export = folder.write("a.csv", utf8: SyntheticExport.text(0..<4))
        let ids = try run(folder, [export], out: "o1").households.map(\.applicantID).sorted()
        let store = try StateStore(path: folder.url.appendingPathComponent("state.db").path)
        _ = try store.importOutcomes(
            [
                CallOutcome(
                    applicantID: ids[0], at: LocalDateTime(date: LocalDate(iso: "2024-07-01")!, hour: 9, minute: 0)!,
                    kind: .refused, source: SourceRef(file: "c", row: 2))
            ], policy: CallPolicy(), run: 1)
        // A run a year later, with the export no longer given: the refused family's data goes.
        let later = try run(
            folder, [folder.write("b.csv", utf8: SyntheticExport.text(100..<102))], out: "o2",
            asOf: LocalDate(iso: "2025-08-01")!
        ) { $0.retentionDays = 365 }
        #expect(later.delta.purgedHouseholds == 1)
        #expect(!later.households.map(\.applicantID).contains(ids[0]))
        #expect(later.households.map(\.applicantID).contains(ids[1]))
    }

    @Test func stateAndOutputsAreOwnerOnly() throws {
        let folder = TempFolder()
        _ = try run(folder, [folder.write("a.csv", utf8: SyntheticExport.text(0..<4))], out: "o")
        for path in ["state.db", "o", "o/applicants.jsonl", "o/call-list.csv"] {
            let mode =
                try FileManager.default.attributesOfItem(atPath: folder.url.appendingPathComponent(path).path)[
                    .posixPermissions] as! NSNumber
            #expect(mode.intValue & 0o077 == 0, "\(path) is readable by others: \(String(mode.intValue, radix: 8))")
        }
    }

    @Test func outputPatternAndLatestLink() throws {
        let folder = TempFolder()
        let export = folder.write("a.csv", utf8: SyntheticExport.text(0..<4))
        let result = try run(folder, [export], out: "runs/{as_of}-{run}") {
            $0.latest = folder.url.appendingPathComponent("runs/latest").path
        }
        #expect(result.outputFolder.lastPathComponent == "2024-07-30-0001")
        let link = try FileManager.default.destinationOfSymbolicLink(
            atPath: folder.url.appendingPathComponent("runs/latest").path)
        #expect(link == "2024-07-30-0001")
        #expect(
            FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("runs/latest/call-list.csv").path))
    }

    @Test func processedExportsMoveToTheArchive() throws {
        let folder = TempFolder()
        let inbox = folder.url.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        folder.write("inbox/a.csv", utf8: SyntheticExport.text(0..<4))
        _ = try run(folder, [inbox], out: "o") {
            $0.processedFiles = "move"
            $0.archive = folder.url.appendingPathComponent("archive").path
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: inbox.path).isEmpty)
        #expect(
            FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("archive/2024-07-30/a.csv").path))
    }

    @Test func aNewStateFileHasLargePagesAndAnOldOneKeepsItsOwn() throws {
        let folder = TempFolder()
        let fresh = folder.url.appendingPathComponent("new.db").path
        let old = folder.url.appendingPathComponent("old.db").path
        try DatabaseQueue(path: old).write { db in try db.execute(sql: "CREATE TABLE before_dolbom (x)") }
        func pageSize(_ path: String) throws -> Int {
            try DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0 }
        }
        #expect(try pageSize(old) == 4096)
        for path in [fresh, old] {
            let store = try StateStore(path: path)
            #expect(try store.integrityCheck() == "ok")
            #expect(try store.appliedMigrations().contains("v1"))
        }
        #expect(try pageSize(fresh) == StateStore.pageSize)
        #expect(try pageSize(old) == 4096)
    }

    @Test func aSecondRunOnTheSameStateIsRefusedAtOnce() throws {
        let folder = TempFolder()
        let statePath = folder.url.appendingPathComponent("state.db").path
        let lock = RunLock(statePath: statePath)
        try lock.acquire(description: "pid 4242, started 2024-07-30T02:00:00+09:00, as-of 2024-07-30")
        defer { lock.release() }
        #expect(
            throws: RunError.state(
                .locked(path: statePath, holder: "pid 4242, started 2024-07-30T02:00:00+09:00, as-of 2024-07-30"))
        ) {
            _ = try run(folder, [folder.write("a.csv", utf8: SyntheticExport.text(0..<4))], out: "o")
        }
        let binary = try DolbomProcess.run([
            "run", "--state", statePath, "--as-of", "2024-07-30", "--out", folder.url.appendingPathComponent("o").path,
            folder.url.appendingPathComponent("a.csv").path,
        ])
        #expect(binary.status == 75)
        #expect(binary.stderr.contains("pid 4242"))
    }
}

@Suite("State payloads: the direct writer and JSONEncoder agree byte for byte")
struct StatePayloadTests {
    @Test func everySampleSubmissionIsEncodedLikeJSONEncoder() throws {
        let folder = TempFolder()
        var options = RunOptions(
            inputs: [packageRoot.appendingPathComponent("samples/exports").path], output: folder.url.path,
            asOf: LocalDate(iso: "2024-07-15")!, dryRun: true)
        options.keepSubmissions = true
        let result = try DolbomRun(options: options).run(diagnostics: DiagnosticsCollector())
        let submissions = result.resolution.submissions
        #expect(submissions.count > 100)
        let encoder = JSONEncoder.sorted
        for s in submissions {
            #expect(StatePayload.encode(s) == Array(try encoder.encode(s)), "\(s.source.label)")
        }
        // Every kind of child age, whether or not the samples hold it: a child known only as `미취학`, one a
        // year from school, a full age with a birth date.
        let ages = [
            ChildAge(preschoolBand: true, basis: .schoolGrade),
            ChildAge(age: 5, preschoolYearsToGrade1: 1, basis: .fullAge),
            ChildAge(birthDate: LocalDate(iso: "2019-05-11"), age: 5, preschoolYearsToGrade1: 2, basis: .birthDate),
            ChildAge(age: 9, schoolGrade: 3, basis: .schoolGrade),
        ]
        var s = try #require(submissions.first { !$0.children.isEmpty })
        for age in ages {
            s.children[0].age = age
            let stored = StatePayload.encode(s)
            #expect(stored == Array(try encoder.encode(s)), "\(age)")
            let back = try JSONDecoder().decode(Submission.self, from: Data(stored))
            #expect(back.children[0].age == age, "a stored child keeps its age: \(age)")
        }
    }

    /// Strings are scanned for characters to escape eight bytes at a time: wherever a quote, backslash or
    /// control character falls, the string is written as JSONEncoder writes it.
    @Test func stringsAreEscapedLikeJSONEncoderWhereverTheEscapeFalls() throws {
        let pieces = [
            "a", "김", "ab", "아산시 배방읍 ", "\"", "\\", "\n", "\t", "\u{1}", "\u{1F}", "\u{7F}", "/", "😀", " ", "é",
        ]
        var generator = SplitMix(seed: 5)
        for _ in 0..<3000 {
            var text = ""
            for _ in 0..<Int(generator.next() % 14) { text += pieces[Int(generator.next() % UInt64(pieces.count))] }
            var written: [UInt8] = []
            JSONLine.writeString(text, into: &written)
            #expect(
                String(decoding: written, as: UTF8.self)
                    == String(decoding: try JSONEncoder.sorted.encode(text), as: UTF8.self))
        }
    }

    @Test func hostileAndRareFieldsAreEncodedLikeJSONEncoder() throws {
        let tricky = "따옴표\" 역슬래시\\ 슬래시/ 탭\t 줄\n바꿈\r 제어\u{1}\u{1F} 삭제\u{7F} 줄구분\u{2028}\u{2029} 이모지👨‍👩‍👧 NFD 한"
        let address = AddressNormalizer().normalize("충남 아산시 배방읍 배방로 12 (휴대리) 101동 202호").value!
        let window = ContactWindowNormalizer.normalize("평일 오후 2시~5시, \(tricky)").value!
        let child = ChildEntry(
            name: PersonName(name: "하은", role: nil, script: .hangul),
            age: ChildAge(
                birthDate: LocalDate(iso: "2017-03-05"), age: 7, schoolGrade: 2, preschoolYearsToGrade1: 0,
                basis: .birthDate),
            ageText: tricky)
        let phones = PhoneNormalizer.normalize("010-1234-5678, 02-123-4567, 0505-123-4567").value!
        var issue = RowIssue(field: "address", .warning("address_partial", tricky))
        issue.source = SourceRef(file: "a.csv", row: 3, fromState: true)
        let full = Submission(
            source: SourceRef(file: "다운로드/신청 \"1\".csv", row: 42, fromState: false),
            alsoSeenAt: [SourceRef(file: "b.csv", row: 7)],
            identity: SubmissionIdentity(fingerprint: String(repeating: "ab", count: 32), contentHash: "hand-made"),
            knownApplicantID: "H-0123456789", submittedAt: LocalDateTime(iso: "2024-07-01T22:03:08+09:00"),
            guardianName: PersonName(name: tricky, role: "모", script: .mixed), phones: phones, address: address,
            children: [child, ChildEntry(name: nil, age: nil, ageText: "")], careTypes: [.늘봄학교, .아이돌봄],
            contactWindow: window, language: "베트남어", flags: [.한부모, .다문화], memo: tricky,
            extra: [ExtraCell(column: tricky, value: tricky)], issues: [issue, RowIssue(field: "x", .fatal("y", "z"))])
        let bare = Submission(
            source: SourceRef(file: "c.csv", row: 2), phones: phones, children: [], careTypes: [], flags: [],
            extra: [], issues: [])
        for s in [full, bare] {
            let direct = StatePayload.encode(s)
            #expect(
                String(decoding: direct, as: UTF8.self)
                    == String(decoding: try JSONEncoder.sorted.encode(s), as: UTF8.self))
            #expect(try JSONDecoder().decode(Submission.self, from: Data(direct)).source == s.source)
            #expect(StatePayload.encodeStored(s) == StatePayload.encode(Self.stored(s)))
        }
    }

    /// The stored form is what the commit wrote before it was written directly: a copy with the fields
    /// of this run only cleared, encoded. Checked on every sample row and on one with all of them set.
    @Test func theStoredFormLeavesOutWhatBelongsToOneRun() throws {
        let folder = TempFolder()
        var options = RunOptions(
            inputs: [packageRoot.appendingPathComponent("samples/exports").path], output: folder.url.path,
            asOf: LocalDate(iso: "2024-07-15")!, dryRun: true)
        options.keepSubmissions = true
        let result = try DolbomRun(options: options).run(diagnostics: DiagnosticsCollector())
        var seen = result.resolution.submissions[0]
        seen.alsoSeenAt = [SourceRef(file: "b.csv", row: 7)]
        seen.knownApplicantID = "H-0123456789"
        seen.source = SourceRef(file: seen.source.file, row: seen.source.row, fromState: true)
        for s in result.resolution.submissions + [seen] {
            let stored = StatePayload.encodeStored(s)
            #expect(stored == StatePayload.encode(Self.stored(s)), "\(s.source.label)")
            #expect(!String(decoding: stored, as: UTF8.self).contains("knownApplicantID"))
            #expect(!String(decoding: stored, as: UTF8.self).contains("fingerprint"))
        }
    }

    /// A commit begun early (while the run plans and writes) stores what `commit` stores once closed, and
    /// nothing when the run abandons it; a commit with nothing but a schedule opens no transaction before it.
    @Test func aCommitBegunEarlyEndsAsOneOrNotAtAll() throws {
        let folder = TempFolder()
        let store = try StateStore(path: folder.url.appendingPathComponent("state.db").path)
        let asOf = LocalDate(iso: "2024-07-30")!
        func households() throws -> [String] {
            try store.queue.read { db in try String.fetchAll(db, sql: "SELECT applicant_id FROM household ORDER BY 1") }
        }
        var changes = StateChanges()
        changes.newHouseholds = [
            ("H-AAAAAAAAAA", nil), ("H-BBBBBBBBBB", LocalDateTime(iso: "2024-07-01T09:00:00+09:00")),
        ]

        let abandoned = store.beginCommit(changes, run: try store.beginRun(asOf: asOf, command: "test", dryRun: false))
        abandoned.abandon()
        #expect(try households() == [])

        let closed = store.beginCommit(changes, run: try store.beginRun(asOf: asOf, command: "test", dryRun: false))
        closed.close(schedule: nil)
        try closed.wait()
        closed.abandon()  // after the close: waits, rolls nothing back
        #expect(try households() == ["H-AAAAAAAAAA", "H-BBBBBBBBBB"])

        let nothing = store.beginCommit(
            StateChanges(), run: try store.beginRun(asOf: asOf, command: "test", dryRun: false))
        nothing.close(schedule: nil)
        try nothing.wait()
        #expect(try households() == ["H-AAAAAAAAAA", "H-BBBBBBBBBB"])
    }

    static func stored(_ s: Submission) -> Submission {
        var stored = s
        stored.alsoSeenAt = []
        stored.knownApplicantID = nil
        stored.identity = nil
        stored.source = SourceRef(file: s.source.file, row: s.source.row)
        return stored
    }
}
