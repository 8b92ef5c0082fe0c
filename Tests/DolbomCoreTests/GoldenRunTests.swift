import Foundation
import Testing
@testable import DolbomCore
import DolbomNormalize

/// A whole run over samples/ compared byte for byte with reviewed outputs.
/// Regenerate after an intended change with `DOLBOM_UPDATE_GOLDEN=1 swift test --filter Golden`,
/// then review the diff like code.
@Suite("Golden run over samples/")
struct GoldenRunTests {
    static let goldenFolder = packageRoot.appendingPathComponent("Tests/DolbomCoreTests/Golden")
    static let files = ["applicants.jsonl", "rejects.jsonl", "rejects.csv", "summary.json", "call-list.csv", "duplicates.csv", "review.csv",
                        "schedule.csv", "schedule.jsonl", "call-results.csv", "calendars/C01.ics", "calendars/C03.ics", "call-sheets/index.html",
                        "call-sheets/2024-07-15_C01.html", "call-sheets/2024-07-20_C04.html",
                        "report.html", "facility-matches.csv", "facility-rejects.csv"]

    @Test func samplesMatchGoldenFiles() throws {
        let folder = TempFolder()
        let config = try DolbomConfiguration.load(from: packageRoot.appendingPathComponent("samples/dolbom.yaml"))
        let options = RunOptions(inputs: [packageRoot.appendingPathComponent("samples/exports").path],
                                 output: folder.url.path, asOf: LocalDate(iso: "2024-07-15")!, configuration: config)
        let result = try DolbomRun(options: options).run(diagnostics: DiagnosticsCollector())
        #expect(result.summary.counts.dataRows == result.summary.counts.submissions + result.rejects.count)
        let update = ProcessInfo.processInfo.environment["DOLBOM_UPDATE_GOLDEN"] == "1"
        if update { try FileManager.default.createDirectory(at: Self.goldenFolder, withIntermediateDirectories: true) }
        for name in Self.files {
            let actual = try #require(FileManager.default.contents(atPath: folder.url.appendingPathComponent(name).path))
            let goldenURL = Self.goldenFolder.appendingPathComponent(name)
            if update {
                try FileManager.default.createDirectory(at: goldenURL.deletingLastPathComponent(), withIntermediateDirectories: true)
                try actual.write(to: goldenURL)
                continue
            }
            let expected = try #require(FileManager.default.contents(atPath: goldenURL.path),
                                        "missing \(name); run DOLBOM_UPDATE_GOLDEN=1 swift test --filter Golden")
            if actual != expected {
                let a = String(decoding: actual, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                let e = String(decoding: expected, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                let line = (0..<min(a.count, e.count)).first { a[$0] != e[$0] } ?? min(a.count, e.count)
                Issue.record("\(name) differs from golden at line \(line + 1):\n  golden: \(line < e.count ? e[line] : "<end>")\n  actual: \(line < a.count ? a[line] : "<end>")")
            }
        }
    }
}
