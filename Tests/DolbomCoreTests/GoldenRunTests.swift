import DolbomNormalize
import Foundation
import Testing

@testable import DolbomCore

/// A whole run over samples/ compared byte for byte with reviewed outputs.
/// Regenerate after an intended change with `DOLBOM_UPDATE_GOLDEN=1 swift test --filter Golden`,
/// then review the diff like code.
@Suite("Golden run over samples/")
struct GoldenRunTests {
    static let goldenFolder = packageRoot.appendingPathComponent("Tests/DolbomCoreTests/Golden")
    static let files = [
        "applicants.jsonl", "rejects.jsonl", "rejects.csv", "summary.json", "call-list.csv", "duplicates.csv",
        "review.csv",
        "schedule.csv", "schedule.jsonl", "call-results.csv", "calendars/C01.ics", "calendars/C03.ics",
        "call-sheets/index.html",
        "call-sheets/2024-07-15_C01.html", "call-sheets/2024-07-20_C04.html",
        "report.html", "facility-matches.csv", "facility-rejects.csv",
    ]

    @Test func samplesMatchGoldenFiles() throws {
        let folder = TempFolder()
        let config = try DolbomConfiguration.load(from: packageRoot.appendingPathComponent("samples/dolbom.yaml"))
        let options = RunOptions(
            inputs: [packageRoot.appendingPathComponent("samples/exports").path],
            output: folder.url.path, asOf: LocalDate(iso: "2024-07-15")!, configuration: config)
        let result = try DolbomRun(options: options).run(diagnostics: DiagnosticsCollector())
        #expect(result.summary.counts.dataRows == result.summary.counts.submissions + result.rejects.count)
        let update = ProcessInfo.processInfo.environment["DOLBOM_UPDATE_GOLDEN"] == "1"
        if update { try FileManager.default.createDirectory(at: Self.goldenFolder, withIntermediateDirectories: true) }
        for name in Self.files {
            let actual = try #require(
                FileManager.default.contents(atPath: folder.url.appendingPathComponent(name).path))
            let goldenURL = Self.goldenFolder.appendingPathComponent(name)
            if update {
                try FileManager.default.createDirectory(
                    at: goldenURL.deletingLastPathComponent(), withIntermediateDirectories: true)
                try actual.write(to: goldenURL)
                continue
            }
            let expected = try #require(
                FileManager.default.contents(atPath: goldenURL.path),
                "missing \(name); run DOLBOM_UPDATE_GOLDEN=1 swift test --filter Golden")
            if actual != expected {
                let a = String(decoding: actual, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                let e = String(decoding: expected, as: UTF8.self).split(
                    separator: "\n", omittingEmptySubsequences: false)
                let line = (0..<min(a.count, e.count)).first { a[$0] != e[$0] } ?? min(a.count, e.count)
                Issue.record(
                    "\(name) differs from golden at line \(line + 1):\n  golden: \(line < e.count ? e[line] : "<end>")\n  actual: \(line < a.count ? a[line] : "<end>")"
                )
            }
        }
    }
}

/// The visit files of a stateful run over samples/, compared byte for byte: Monday's run, four visits booked on
/// Monday's results sheet (named by id, by name and by a name with spaces; one without a time; a memo with markup),
/// Tuesday's run. Regenerated with the same `DOLBOM_UPDATE_GOLDEN=1 swift test --filter Golden`.
@Suite("Golden visit files over samples/")
struct GoldenVisitTests {
    static let files = [
        "visits.csv", "visits/index.html", "visits/2024-07-17_ASN-LC01.html", "visits/2024-07-18_ASN-LC08.html",
    ]

    @Test func visitFilesMatchGoldenFiles() throws {
        let folder = TempFolder()
        let config = try DolbomConfiguration.load(from: packageRoot.appendingPathComponent("samples/dolbom.yaml"))
        let state = folder.url.appendingPathComponent("state.db").path
        func run(_ day: String, _ out: String) throws -> RunResult {
            let options = RunOptions(
                inputs: [packageRoot.appendingPathComponent("samples/exports").path],
                output: folder.url.appendingPathComponent(out).path, asOf: LocalDate(iso: day)!,
                configuration: config, statePath: state)
            return try DolbomRun(options: options).run(diagnostics: DiagnosticsCollector())
        }
        _ = try run("2024-07-15", "monday")
        let sheet = try String(
            contentsOf: folder.url.appendingPathComponent("monday/call-results.csv"), encoding: .utf8
        )
        .components(separatedBy: "\r\n").map(CounsellingWeekTests.cells)
        let mondays = sheet.filter { $0.count > 3 && $0[2].hasPrefix("2024-07-15") }.prefix(4)
        #expect(mondays.count == 4)
        let filled = [
            ("통화완료", "<b>할머니</b>가 데려감", "열린지역아동센터", "7월 17일 오후 4시"),
            ("통화완료", "아이가 낯을 가림", "ASN-LC01", "7/17 16:30"),
            ("통화완료", "", "열린 지역아동센터", "7월 17일 17시"),
            ("통화완료", "", "무지개지역아동센터", "7월 18일"),
        ]
        var lines = [VisitBookingTests.header.trimmingCharacters(in: .newlines)]
        for (cells, (result, memo, facility, visit)) in zip(mondays, filled) {
            lines.append([cells[0], cells[1], cells[2], result, memo, "", facility, visit, ""].joined(separator: ","))
        }
        let store = try StateStore(path: state)
        let registry = try FacilityListReader(
            config: try #require(config.facilities), asOf: LocalDate(iso: "2024-07-15")!
        ).load().registry
        let read = try OutcomeFile.sheet(
            folder.write("calls.csv", utf8: lines.joined(separator: "\n") + "\n"),
            importDay: LocalDate(iso: "2024-07-15")!, facilities: registry)
        #expect(read.problems.isEmpty, "\(read.problems)")
        let report = try store.importOutcomes(
            read.outcomes, policy: config.callPolicy,
            run: try store.beginRun(asOf: LocalDate(iso: "2024-07-15")!, command: "t", dryRun: false))
        #expect(report.visitsBooked == 4)
        _ = try run("2024-07-16", "tuesday")

        let golden = GoldenRunTests.goldenFolder.appendingPathComponent("visits-run")
        let update = ProcessInfo.processInfo.environment["DOLBOM_UPDATE_GOLDEN"] == "1"
        for name in Self.files {
            let actual = try #require(
                FileManager.default.contents(atPath: folder.url.appendingPathComponent("tuesday/\(name)").path),
                "\(name)")
            let goldenURL = golden.appendingPathComponent(name)
            if update {
                try FileManager.default.createDirectory(
                    at: goldenURL.deletingLastPathComponent(), withIntermediateDirectories: true)
                try actual.write(to: goldenURL)
                continue
            }
            let expected = try #require(
                FileManager.default.contents(atPath: goldenURL.path),
                "missing \(name); run DOLBOM_UPDATE_GOLDEN=1 swift test --filter Golden")
            #expect(actual == expected, "\(name) differs from Golden/visits-run/\(name)")
        }
    }
}
