import Foundation
import GRDB
import Testing

@testable import DolbomCore

/// Cron safety, with the real binary: runs killed at random moments leave a
/// usable state and complete outputs, a rerun converges, and a second run
/// started during the first is refused at once.
@Suite("Crash safety and concurrent runs", .serialized)
struct CrashSafetyTests {
    /// The runs here keep a state file: the visit files come with it.
    static let outputs = [
        "applicants.jsonl", "call-list.csv", "duplicates.csv", "rejects.csv", "rejects.jsonl", "report.html",
        "review.csv",
        "summary.json", "visits", "visits.csv",
    ]

    func launch(_ arguments: [String]) throws -> Process { try DolbomProcess.launch(arguments) }

    func tables(_ path: String) throws -> String {
        let queue = try DatabaseQueue(path: path)
        return try queue.read { db in
            // Run numbers differ between the two databases (killed runs count too); the content must not.
            let submissions = try Row.fetchAll(
                db, sql: "SELECT fingerprint, content_hash, applicant_id, payload, file, row FROM submission ORDER BY 1"
            )
            let households = try Row.fetchAll(
                db,
                sql:
                    "SELECT applicant_id, first_submitted_at, status, attempts, next_call_on, closed_on FROM household ORDER BY 1"
            )
            return (submissions + households).map(\.description).joined(separator: "\n")
        }
    }

    @Test func killedRunsLeaveUsableStateAndARerunConverges() throws {
        let folder = TempFolder()
        let input = folder.write("responses.csv", utf8: SyntheticExport.text(0..<4000)).path
        func args(_ state: String, _ out: String) -> [String] {
            [
                "run", "-q", "--as-of", "2024-07-30", "--state", folder.url.appendingPathComponent(state).path,
                "--out", folder.url.appendingPathComponent(out).path, input,
            ]
        }
        // Reference: one uninterrupted run, timed to aim the kills inside it.
        let started = Date()
        let reference = try DolbomProcess.run(args("ref.db", "ref"))
        #expect(reference.status == 0, "\(reference.stderr)")
        let duration = Date().timeIntervalSince(started)

        var generator = SplitMix(seed: 20_240_730)
        var killedMidway = 0
        for _ in 0..<6 {
            let process = try launch(args("state.db", "out"))
            let delay = Double(generator.next() % 1000) / 1000 * duration
            Thread.sleep(forTimeInterval: delay)
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killedMidway += 1
            }
            process.waitUntilExit()
            // The state opens and is sound ...
            let store = try StateStore(path: folder.url.appendingPathComponent("state.db").path)
            #expect(try store.integrityCheck() == "ok")
            // ... and the outputs are either absent or a complete set.
            let out = folder.url.appendingPathComponent("out")
            if FileManager.default.fileExists(atPath: out.path) {
                let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
                #expect(names == Self.outputs, "half-written outputs: \(names)")
                let lines = try String(contentsOf: out.appendingPathComponent("applicants.jsonl"), encoding: .utf8)
                    .split(separator: "\n")
                for line in lines { #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil) }
            }
        }
        #expect(killedMidway > 0, "no run was killed before it finished; the test did not test anything")
        let final = try DolbomProcess.run(args("state.db", "out"))
        #expect(final.status == 0, "\(final.stderr)")
        for name in ["applicants.jsonl", "call-list.csv", "rejects.jsonl"] {
            let a = FileManager.default.contents(atPath: folder.url.appendingPathComponent("ref/\(name)").path)
            let b = FileManager.default.contents(atPath: folder.url.appendingPathComponent("out/\(name)").path)
            #expect(a != nil && a == b, "\(name) did not converge after killed runs")
        }
        #expect(
            try tables(folder.url.appendingPathComponent("state.db").path)
                == tables(folder.url.appendingPathComponent("ref.db").path))
        // The first runs stored every row through a rollback journal (`StateStore.bulkInsertRows`), the index by
        // applicant id rebuilt after them: the file is back in WAL mode with that index.
        for name in ["state.db", "ref.db"] {
            let queue = try DatabaseQueue(path: folder.url.appendingPathComponent(name).path)
            try queue.read { db in
                #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal")
                let index = try String.fetchOne(
                    db, sql: "SELECT sql FROM sqlite_schema WHERE name = 'submission_applicant'")
                #expect(index == StateStore.submissionApplicantIndex)
                #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM submission") ?? 0 >= 2_000)
            }
        }
    }

    @Test func aSecondRunStartedDuringTheFirstExits75() throws {
        let folder = TempFolder()
        let input = folder.write("responses.csv", utf8: SyntheticExport.text(0..<4000)).path
        let state = folder.url.appendingPathComponent("state.db").path
        let first = try launch([
            "run", "-q", "--as-of", "2024-07-30", "--state", state, "--out",
            folder.url.appendingPathComponent("a").path, input,
        ])
        defer {
            if first.isRunning { kill(first.processIdentifier, SIGKILL) }
            first.waitUntilExit()
        }
        // Wait until the first run holds the lock (it writes its pid into the lock file).
        let lockFile = state + ".lock"
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: lockFile, encoding: .utf8),
                text.contains("pid \(first.processIdentifier)")
            {
                break
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        let second = try DolbomProcess.run([
            "run", "--as-of", "2024-07-30", "--state", state, "--out", folder.url.appendingPathComponent("b").path,
            input,
        ])
        #expect(first.isRunning, "the first run finished too early for this test")
        #expect(second.status == 75)
        #expect(second.stderr.contains("pid \(first.processIdentifier)"))
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("b").path))
    }
}

/// A small seeded generator, so the kill moments are the same on every run of the test.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
