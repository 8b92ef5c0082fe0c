import Foundation
import Testing

@testable import DolbomCore

/// End-to-end: the built binary, its outputs, its stderr and its exit codes.
@Suite("dolbom binary", .serialized)
struct CommandLineTests {
    let samples = packageRoot.appendingPathComponent("samples/exports").path
    let config = packageRoot.appendingPathComponent("samples/dolbom.yaml").path

    /// A full phone number anywhere in text meant for logs or terminals is a leak.
    static func containsFullPhone(_ text: String) -> Bool {
        text.range(of: #"01[016789][- .]?[0-9]{3,4}[- .]?[0-9]{4}"#, options: .regularExpression) != nil
    }

    @Test func runOverSamplesWritesTheContractFilesAndIsRepeatable() throws {
        let folder = TempFolder()
        let out1 = folder.url.appendingPathComponent("out1").path
        let out2 = folder.url.appendingPathComponent("out2").path
        let first = try DolbomProcess.run(["run", "--config", config, "--as-of", "2024-07-15", "--out", out1, samples])
        #expect(first.status == 0, "stderr: \(first.stderr)")
        #expect(first.stdout.contains("2024-07-15 기준"))
        #expect(first.stdout.contains("가구"))
        #expect(!Self.containsFullPhone(first.stdout + first.stderr))
        let second = try DolbomProcess.run(["run", "--config", config, "--as-of", "2024-07-15", "--out", out2, samples])
        #expect(second.status == 0)
        #expect(first.stdout.contains("일정: 약속"))
        for name in [
            "applicants.jsonl", "rejects.jsonl", "rejects.csv", "summary.json", "call-list.csv", "duplicates.csv",
            "review.csv",
            "schedule.csv", "schedule.jsonl", "calendars/C01.ics", "call-sheets/index.html",
            "call-sheets/2024-07-15_C01.html",
        ] {
            let a = FileManager.default.contents(atPath: out1 + "/" + name)
            let b = FileManager.default.contents(atPath: out2 + "/" + name)
            #expect(a != nil && a == b, "\(name) differs between two runs")
        }
        let callList = try #require(FileManager.default.contents(atPath: out1 + "/call-list.csv"))
        #expect(Array(callList.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(String(decoding: callList, as: UTF8.self).contains("\"순위\",\"신청번호\""))
        let attributes = try FileManager.default.attributesOfItem(atPath: out1 + "/applicants.jsonl")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        // Call sheets hold personal data: owner-only like every other output, folder included.
        let sheets = try FileManager.default.attributesOfItem(atPath: out1 + "/call-sheets")
        #expect((sheets[.posixPermissions] as? NSNumber)?.intValue == 0o700)
        let sheet = try FileManager.default.attributesOfItem(atPath: out1 + "/call-sheets/2024-07-15_C01.html")
        #expect((sheet[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        // A rerun into the same folder swaps the whole set, sub-folders included.
        let again = try DolbomProcess.run([
            "run", "-q", "--config", config, "--as-of", "2024-07-16", "--out", out1, samples,
        ])
        #expect(again.status == 0, "stderr: \(again.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out1 + "/call-sheets/2024-07-15_C01.html"))
        #expect(FileManager.default.fileExists(atPath: out1 + "/call-sheets/2024-07-16_C01.html"))
    }

    @Test func explainTellsWhyRowsMergedAndWhereTheCallIs() throws {
        let folder = TempFolder()
        let state = folder.url.appendingPathComponent("state.db").path
        let out = folder.url.appendingPathComponent("out").path
        let first = try DolbomProcess.run([
            "run", "-q", "--config", config, "--state", state, "--as-of", "2024-07-15", "--out", out, samples,
        ])
        #expect(first.status == 0, "\(first.stderr)")
        let line = try #require(
            String(decoding: try Data(contentsOf: URL(fileURLWithPath: out + "/schedule.jsonl")), as: UTF8.self)
                .split(separator: "\n").first)
        let id = try #require(
            (try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["applicant_id"] as? String)
        // The next day the first appointment (yesterday, no result) has moved; explain says so.
        let next = try DolbomProcess.run([
            "run", "-q", "--config", config, "--state", state, "--as-of", "2024-07-16", "--out", out, samples,
        ])
        #expect(next.status == 0, "\(next.stderr)")
        let explained = try DolbomProcess.run([
            "explain", "--config", config, "--state", state, "--as-of", "2024-07-16", id, samples,
        ])
        #expect(explained.status == 0, "\(explained.stderr)")
        #expect(explained.stdout.contains(id))
        #expect(explained.stdout.contains("약속: 2024-07-"))
        #expect(explained.stdout.contains("(in_past)"))
        #expect(!Self.containsFullPhone(explained.stdout))
    }

    @Test func aFirstRunCreatesMissingOutputFolders() throws {
        let folder = TempFolder()
        let out = folder.url.appendingPathComponent("out/asan/demo").path
        let result = try DolbomProcess.run(["run", "-q", "--as-of", "2024-07-15", "--out", out, samples])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: out + "/call-list.csv"))
    }

    @Test func quietPrintsNothingOnSuccess() throws {
        let folder = TempFolder()
        let result = try DolbomProcess.run(["run", "-q", "--as-of", "2024-07-15", "--out", folder.url.path, samples])
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.isEmpty)
    }

    @Test func verboseLogsNeverShowAFullPhoneNumber() throws {
        let folder = TempFolder()
        let result = try DolbomProcess.run([
            "run", "--verbose", "--config", config, "--as-of", "2024-07-15", "--out", folder.url.path, samples,
        ])
        #expect(result.status == 0)
        #expect(result.stderr.contains("configuration:"))
        #expect(!Self.containsFullPhone(result.stdout + result.stderr))
    }

    @Test func badAsOfIsAUsageError() throws {
        let result = try DolbomProcess.run(["run", "--as-of", "2024-13-01", "--out", "/tmp/x", samples])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--as-of"))
    }

    @Test func missingInputExits66() throws {
        let result = try DolbomProcess.run(["run", "--as-of", "2024-07-15", "--out", "/tmp/x", "/nonexistent/exports"])
        #expect(result.status == 66)
        #expect(result.stderr.contains("/nonexistent/exports"))
    }

    @Test func brokenConfigExits78AndNamesTheFile() throws {
        let folder = TempFolder()
        let bad = folder.write("bad.yaml", utf8: "normalize:\n  served_ages: [12, 3]\n")
        let result = try DolbomProcess.run(["run", "--config", bad.path, "--out", folder.url.path, samples])
        #expect(result.status == 78)
        #expect(result.stderr.contains("bad.yaml"))
        #expect(result.stderr.contains("served_ages"))
    }

    @Test func oneUnreadableFileDoesNotStopTheOthers() throws {
        let folder = TempFolder()
        let inbox = folder.url.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: packageRoot.appendingPathComponent("samples/exports/asan_google_form_2024-07.csv"),
            to: inbox.appendingPathComponent("google.csv"))
        _ = FileManager.default.createFile(
            atPath: inbox.appendingPathComponent("saved_as_xlsx.csv").path,
            contents: Data([0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0]))
        let out = folder.url.appendingPathComponent("out").path
        let result = try DolbomProcess.run(["run", "--as-of", "2024-07-15", "--out", out, inbox.path])
        #expect(result.status == 65)
        #expect(result.stderr.contains("saved_as_xlsx.csv"))
        #expect(result.stderr.contains("xlsx"))
        let applicants = try #require(FileManager.default.contents(atPath: out + "/applicants.jsonl"))
        #expect(applicants.count > 1000)
    }

    @Test func strictFailsWhenRowsAreRejected() throws {
        let folder = TempFolder()
        let result = try DolbomProcess.run([
            "run", "--strict", "-q", "--as-of", "2024-07-15", "--out", folder.url.path, samples,
        ])
        #expect(result.status == 3)
    }

    @Test func inspectShowsTheMappingAndNoCellValues() throws {
        let result = try DolbomProcess.run([
            "inspect", samples + "/asan_city_form_excel.csv", samples + "/dreamstart_family_form.csv",
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("cp949"))
        #expect(result.stdout.contains("utf-8-bom"))
        #expect(result.stdout.contains("row_per_family"))
        #expect(result.stdout.contains("child[2].birth"))
        #expect(result.stdout.contains("guardian_phone"))
        #expect(!Self.containsFullPhone(result.stdout))
    }

    @Test func helpDocumentsExitCodes() throws {
        let result = try DolbomProcess.run(["--help"])
        for code in ["64", "65", "66", "70", "73", "78"] {
            #expect(result.stdout.contains("  \(code) "), "exit code \(code) missing from --help")
        }
    }
}
