import DolbomNormalize
import Foundation
import Testing

@testable import DolbomCore

/// A server shared with other users and other runs (issue 22, parts 4-7): planted links at the lock and
/// output paths, a careless umask, two runs aimed at one output folder, one state file under two names.
@Suite("Shared machines: locks, links and modes", .serialized)
struct SharedMachineTests {
    static let outputs = [
        "applicants.jsonl", "call-list.csv", "duplicates.csv", "rejects.csv", "rejects.jsonl", "report.html",
        "review.csv",
        "summary.json",
    ]

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! NSNumber).intValue
    }

    func isSymlink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
    }

    func launch(_ arguments: [String]) throws -> Process { try DolbomProcess.launch(arguments) }

    /// Waits until `file` names `pid` (a run writes it into its lock file), at most `seconds`.
    @discardableResult
    func wait(for file: String, toName pid: Int32, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: file, encoding: .utf8), text.contains("pid \(pid),") {
                return true
            }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return false
    }

    enum LockKind: String, CaseIterable { case output, state }

    @Test(arguments: LockKind.allCases)
    func aSymlinkAtTheLockPathIsRefusedAndItsTargetKept(_ kind: LockKind) throws {
        let folder = TempFolder()
        let input = folder.write("a.csv", utf8: SyntheticExport.text(0..<4)).path
        let victim = folder.write("victim.txt", utf8: "precious\n")
        let out = folder.url.appendingPathComponent("out").path
        let state = folder.url.appendingPathComponent("state.db").path
        let lockPath = kind == .output ? folder.url.appendingPathComponent(".out.lock").path : state + ".lock"
        try FileManager.default.createSymbolicLink(atPath: lockPath, withDestinationPath: victim.path)
        let result = try DolbomProcess.run(
            ["run", "-q", "--as-of", "2024-07-30", "--out", out] + (kind == .state ? ["--state", state] : []) + [input])
        #expect(try String(contentsOf: victim, encoding: .utf8) == "precious\n", "the lock followed the link")
        #expect(result.status == 73, "\(result.stderr)")
        #expect(result.stderr.contains(lockPath) && result.stderr.contains("symbolic link"), "\(result.stderr)")
        #expect(isSymlink(lockPath))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test(arguments: [false, true])
    func foldersGetExplicitModesUnderUmask000(withGroup: Bool) throws {
        let folder = TempFolder()
        let input = folder.write("a.csv", utf8: SyntheticExport.text(0..<4)).path
        var arguments = [
            "run", "-q", "--as-of", "2024-07-30", "--out", folder.url.appendingPathComponent("new/deeper/out").path,
            "--state", folder.url.appendingPathComponent("statedir/sub/state.db").path,
        ]
        if withGroup {
            let group = String(cString: try #require(getgrgid(getgid())).pointee.gr_name)
            arguments += ["--config", folder.write("group.yaml", utf8: "group: \(group)\n").path]
        }
        let result = try DolbomProcess.run(arguments + [input], umask: "000")
        #expect(result.status == 0, "\(result.stderr)")
        let folderMode = withGroup ? 0o750 : 0o700
        let fileMode = withGroup ? 0o640 : 0o600
        for path in ["new", "new/deeper", "new/deeper/out", "statedir", "statedir/sub"] {
            let found = try mode(folder.url.appendingPathComponent(path).path)
            #expect(found & 0o7777 == folderMode, "\(path) is \(String(found, radix: 8))")
        }
        for path in ["new/deeper/out/applicants.jsonl", "new/deeper/out/call-list.csv", "statedir/sub/state.db"] {
            let found = try mode(folder.url.appendingPathComponent(path).path)
            #expect(found & 0o7777 == fileMode, "\(path) is \(String(found, radix: 8))")
        }
    }

    @Test(arguments: [false, true])
    func aSymlinkedOutPublishesIntoTheFolderItPointsTo(withOtherFiles: Bool) throws {
        let folder = TempFolder()
        let input = folder.write("a.csv", utf8: SyntheticExport.text(0..<40)).path
        let real = folder.url.appendingPathComponent("real").path
        let first = try DolbomProcess.run(["run", "-q", "--as-of", "2024-07-29", "--out", real, input])
        #expect(first.status == 0, "\(first.stderr)")
        if withOtherFiles { folder.write("real/notes.txt", utf8: "kept\n") }
        let link = folder.url.appendingPathComponent("out").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real")
        let second = try DolbomProcess.run(["run", "-q", "--as-of", "2024-07-30", "--out", link, input])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(isSymlink(link), "the link became a folder")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == "real")
        let names = try FileManager.default.contentsOfDirectory(atPath: real).sorted()
        #expect(names == (Self.outputs + (withOtherFiles ? ["notes.txt"] : [])).sorted())
        let summary =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: real + "/summary.json")))
            as? [String: Any]
        #expect(summary?["as_of"] as? String == "2024-07-30", "not published into the folder")
        let lines = try String(contentsOfFile: real + "/applicants.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 20)
        // No staging folder is left beside either name.
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter { $0.contains(".tmp-") }.isEmpty
        )
    }

    @Test func twoRunsWithDifferentStatesAndTheSameOutAreExcluded() throws {
        let folder = TempFolder()
        let input = folder.write("responses.csv", utf8: SyntheticExport.text(0..<8000)).path
        let out = folder.url.appendingPathComponent("out").path
        let stateA = folder.url.appendingPathComponent("a.db").path
        let stateB = folder.url.appendingPathComponent("b.db").path
        let first = try launch(["run", "-q", "--as-of", "2024-07-30", "--state", stateA, "--out", out, input])
        defer {
            if first.isRunning { kill(first.processIdentifier, SIGKILL) }
            first.waitUntilExit()
        }
        #expect(wait(for: stateA + ".lock", toName: first.processIdentifier, seconds: 30))
        // The output lock follows the state lock at once (a run without it never writes one: don't wait long).
        let outLock = folder.url.appendingPathComponent(".out.lock").path
        if wait(for: outLock, toName: first.processIdentifier, seconds: 2) {
            #expect(try mode(outLock) & 0o777 == 0o600)
        }
        // Through another spelling of the same folder, too.
        let second = try DolbomProcess.run([
            "run", "--as-of", "2024-07-30", "--state", stateB, "--out", folder.url.path + "/./out", input,
        ])
        #expect(first.isRunning, "the first run finished too early for this test")
        #expect(second.status == 75, "\(second.stderr)")
        #expect(second.stderr.contains("pid \(first.processIdentifier)"), "\(second.stderr)")
        #expect(!FileManager.default.fileExists(atPath: stateB), "the refused run created its state")
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: out).sorted()
                == (Self.outputs + ["visits", "visits.csv"]).sorted())  // with a state file
        let lines = try String(contentsOfFile: out + "/applicants.jsonl", encoding: .utf8).split(separator: "\n")
        let summary =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json")))
            as? [String: Any]
        #expect((summary?["counts"] as? [String: Any])?["data_rows"] as? Int == 8000)
        #expect(lines.count == (summary?["counts"] as? [String: Any])?["households"] as? Int)
    }

    @Test(arguments: ["link.db", "alias/state.db"])
    func aStateGivenThroughASymlinkTakesTheRealFilesLock(_ name: String) throws {
        let folder = TempFolder()
        let input = folder.write("a.csv", utf8: SyntheticExport.text(0..<4)).path
        let state = folder.url.appendingPathComponent("state.db").path
        let made = try DolbomProcess.run([
            "run", "-q", "--as-of", "2024-07-29", "--state", state, "--out",
            folder.url.appendingPathComponent("o").path, input,
        ])
        #expect(made.status == 0, "\(made.stderr)")
        try FileManager.default.createSymbolicLink(
            atPath: folder.url.appendingPathComponent("link.db").path, withDestinationPath: "state.db")
        try FileManager.default.createSymbolicLink(
            atPath: folder.url.appendingPathComponent("alias").path, withDestinationPath: folder.url.path)
        let lock = RunLock(statePath: state)
        try lock.acquire(description: "pid \(getpid()), started 2024-07-30T02:00:00+09:00, as-of 2024-07-30")
        defer { lock.release() }
        let result = try DolbomProcess.run([
            "run", "--as-of", "2024-07-30", "--state", folder.url.appendingPathComponent(name).path,
            "--out", folder.url.appendingPathComponent("p").path, input,
        ])
        #expect(result.status == 75, "\(result.stderr)")
        #expect(result.stderr.contains("pid \(getpid())"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("p").path))
    }

    /// With `{run}` in the folder pattern, each run's folder is new; runs from two state files into one
    /// pattern (and one `latest` link) still exclude each other, through the pattern's lock.
    @Test func aRunNumberedPatternIsLockedAsAPattern() throws {
        let folder = TempFolder()
        let pattern = folder.url.appendingPathComponent("runs/{as_of}-{run}").path
        let lock = RunLock(outputFolder: folder.url.appendingPathComponent("runs/2024-07-30-{run}").path)
        try lock.acquire(description: "pid \(getpid()), started 2024-07-30T02:00:00+09:00, as-of 2024-07-30")
        defer { lock.release() }
        #expect(
            FileManager.default.fileExists(
                atPath: folder.url.appendingPathComponent("runs/.2024-07-30-{run}.lock").path))
        let options = RunOptions(
            inputs: [folder.write("a.csv", utf8: SyntheticExport.text(0..<4)).path], output: pattern,
            asOf: LocalDate(iso: "2024-07-30")!, statePath: folder.url.appendingPathComponent("other.db").path)
        #expect(
            throws: RunError.state(
                .locked(
                    path: folder.url.appendingPathComponent("runs/2024-07-30-{run}").path,
                    holder: "pid \(getpid()), started 2024-07-30T02:00:00+09:00, as-of 2024-07-30"))
        ) {
            _ = try DolbomRun(options: options).run(diagnostics: DiagnosticsCollector())
        }
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("other.db").path))
    }

    /// A holder that has the lock but has not written its line yet (an older dolbom, or the moment between
    /// the two) is still named once it has.
    @Test func theLoserNamesAHolderThatIsStillWritingItsPid() throws {
        let folder = TempFolder()
        let state = folder.url.appendingPathComponent("state.db").path
        let fd = open(state + ".lock", O_RDWR | O_CREAT, 0o600)
        #expect(fd >= 0)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        let line = "pid \(getpid()), started 2024-07-30T02:00:00+09:00, as-of 2024-07-30"
        let writer = Thread {
            Thread.sleep(forTimeInterval: 0.3)
            let bytes = Array((line + "\n").utf8)
            _ = pwrite(fd, bytes, bytes.count, 0)
        }
        writer.start()
        #expect(throws: StateError.locked(path: state, holder: line)) {
            try RunLock(statePath: state).acquire(description: "pid 1, the loser")
        }
    }

    /// Runs taking and giving back one lock as fast as they can: every loser names a holder.
    @Test func everyLoserNamesTheHolder() throws {
        let folder = TempFolder()
        let state = folder.url.appendingPathComponent("state.db").path
        final class Seen: @unchecked Sendable {
            let lock = NSLock()
            var holders: [String] = []
            var errors: [String] = []
            var wins = 0
        }
        let seen = Seen()
        let me = getpid()
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for _ in 0..<300 {
                let lock = RunLock(statePath: state)
                do throws(StateError) {
                    try lock.acquire(description: "pid \(me), worker \(worker)")
                    seen.lock.lock()
                    seen.wins += 1
                    seen.lock.unlock()
                    usleep(UInt32.random(in: 0...300))  // held a moment, so the others meet it
                    lock.release()
                } catch .locked(_, let holder) {
                    seen.lock.lock()
                    seen.holders.append(holder)
                    seen.lock.unlock()
                } catch {
                    seen.lock.lock()
                    seen.errors.append("\(error)")
                    seen.lock.unlock()
                }
            }
        }
        #expect(seen.errors.isEmpty, "\(seen.errors.prefix(3))")
        #expect(seen.wins > 0 && !seen.holders.isEmpty, "no two workers met: the test tested nothing")
        let unnamed = seen.holders.filter { !$0.hasPrefix("pid \(me), worker ") }
        #expect(
            unnamed.isEmpty,
            "\(unnamed.count) of \(seen.holders.count) losers could not name the holder: \(Set(unnamed))")
    }
}
