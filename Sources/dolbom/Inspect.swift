import ArgumentParser
import DolbomCore
import Foundation

extension Dolbom {
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Show how dolbom reads an export (encoding, rows, layout, column mapping) before cron runs it. Prints no cell values."
        )

        @OptionGroup var common: CommonOptions

        @Argument(help: "Export files to inspect.")
        var files: [String]

        func run() throws {
            common.bootstrapLogging()
            let config = try common.loadConfiguration()
            let reader = ExportReader(configuration: config)
            var failed = false
            for path in files {
                let url = URL(fileURLWithPath: path)
                guard FileManager.default.fileExists(atPath: url.path) else {
                    Terminal.err("\(path): no such file")
                    failed = true
                    continue
                }
                let diagnostics = DiagnosticsCollector()
                var filled: [Int: Int] = [:]
                let report = reader.read(url, diagnostics: diagnostics) { event in
                    if case .record(let record) = event {
                        for (i, cell) in record.cells.enumerated()
                        where !cell.trimmingCharacters(in: .whitespaces).isEmpty {
                            filled[i, default: 0] += 1
                        }
                    }
                }
                Terminal.out(InspectReport.text(report, filled: filled))
                Terminal.printDiagnostics(diagnostics.all, verbose: true)
                if report.error != nil { failed = true }
            }
            if failed { throw ExitCode(DolbomExitCode.inputUnreadable) }
        }
    }
}

enum InspectReport {
    static func text(_ r: ExportFileReport, filled: [Int: Int]) -> String {
        var lines = ["\(r.file)"]
        lines.append(
            "  인코딩(encoding): \(r.encoding?.rawValue ?? "-")   구분자: \(r.delimiter ?? "-")   머리글 행: \(r.headerRow.map(String.init) ?? "-")"
        )
        lines.append(
            "  데이터 행: \(r.dataRows)   빈 줄: \(r.blankLines)   읽지 못한 행: \(r.malformedRows)   형식(layout): \(r.layout?.rawValue ?? "-")"
        )
        if let sha = r.sha256 { lines.append("  sha256: \(sha)") }
        if let error = r.error { lines.append("  ⚠ \(error)") }
        if !r.columns.isEmpty {
            let width = r.columns.map { $0.header.count }.max() ?? 0
            lines.append("  열 → 항목 (채워진 행):")
            for c in r.columns {
                let header = c.header.padding(toLength: max(width, 1), withPad: " ", startingAt: 0)
                let source = c.fromConfig ? " [설정]" : ""
                lines.append(
                    "   \(c.index < 10 ? " " : "")\(c.index). \(header)  → \(c.role)\(source)  (\(filled[c.index - 1] ?? 0)/\(r.dataRows))"
                )
            }
        }
        return lines.joined(separator: "\n")
    }
}
