import ArgumentParser
import DolbomCore
import DolbomNormalize
import Foundation
import Logging

extension Dolbom {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read exports, normalize, group into households, and write the call list and reject files."
        )

        @OptionGroup var common: CommonOptions

        @Option(name: .customLong("as-of"), help: "The day the run is for (YYYY-MM-DD); fixes ages and waiting days. Default: today in Asia/Seoul.")
        var asOf: String?

        @Option(name: .long, help: "Output folder.")
        var out: String?

        @Flag(name: .long, help: "Exit with code 3 if any row was rejected.")
        var strict = false

        @Flag(name: .customLong("dry-run"), help: "Compute and report everything, write nothing.")
        var dryRun = false

        @Argument(help: "Export files or folders of exports (*.csv). Default: the configuration's inputs.")
        var inputs: [String] = []

        func validate() throws {
            if let asOf, LocalDate(iso: asOf) == nil {
                throw ValidationError("--as-of must be a date like 2024-07-15, not \"\(asOf)\".")
            }
        }

        func run() throws {
            common.bootstrapLogging()
            let logger = Logger(label: "dolbom")
            let config = try common.loadConfiguration()
            let inputs = inputs.isEmpty ? (config.inputs ?? []) : inputs
            guard !inputs.isEmpty else {
                throw ValidationError("Give at least one export file or folder (or set `inputs` in the configuration).")
            }
            guard let outPath = out ?? config.output else {
                throw ValidationError("Give the output folder with --out DIR (or set `output` in the configuration).")
            }
            let day = asOf.flatMap(LocalDate.init(iso:)) ?? Self.todayInSeoul()
            if common.verbose {
                Terminal.err("dolbom \(DolbomVersion.current): as-of \(day.iso), out \(outPath), inputs \(inputs.joined(separator: " "))")
                Terminal.err("configuration: \(EffectiveConfiguration.describe(config))")
            }
            let options = RunOptions(inputs: inputs, outputDirectory: URL(fileURLWithPath: outPath), asOf: day,
                                     configuration: config, dryRun: dryRun)
            let diagnostics = DiagnosticsCollector()
            let started = Date()
            let showProgress = !common.quiet && Terminal.stderrIsTerminal
            let result: RunResult
            do {
                result = try DolbomRun(options: options, logger: logger).run(diagnostics: diagnostics) { progress in
                    if showProgress { Terminal.progress("\(progress.file): \(progress.rowsRead)행 읽음") }
                }
            } catch {
                if showProgress { Terminal.clearProgress() }
                Terminal.printDiagnostics(diagnostics.all, verbose: common.verbose)
                Terminal.err("dolbom: error: \(error)")
                throw ExitCode(Self.exitCode(for: error))
            }
            if showProgress { Terminal.clearProgress() }
            Terminal.printDiagnostics(diagnostics.all, verbose: common.verbose)
            if !common.quiet || result.outcome == .inputUnreadable {
                Terminal.out(RunReport.text(result, outPath: outPath, dryRun: dryRun, seconds: Date().timeIntervalSince(started)))
            }
            switch result.outcome {
            case .inputUnreadable: throw ExitCode(ExitStatus.inputUnreadable)
            case .rowsRejected where strict: throw ExitCode(ExitStatus.rowsRejected)
            default: break
            }
        }

        static func exitCode(for error: RunError) -> Int32 {
            switch error {
            case .noInputs, .inputs: return ExitStatus.noInput
            case .invariantBroken: return ExitStatus.internalError
            case .cannotWrite: return ExitStatus.cannotWrite
            case .legalDongCodes: return ExitStatus.config
            }
        }

        static func todayInSeoul() -> LocalDate {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "Asia/Seoul")!
            let c = calendar.dateComponents([.year, .month, .day], from: Date())
            return LocalDate(year: c.year!, month: c.month!, day: c.day!)!
        }
    }
}

/// The short human summary that ends a run.
enum RunReport {
    static func text(_ result: RunResult, outPath: String, dryRun: Bool, seconds: Double) -> String {
        let s = result.summary
        var lines: [String] = []
        lines.append("dolbom \(s.asOf) 기준: 파일 \(s.inputs.count)개, \(s.counts.dataRows)행 → 가구 \(s.counts.households) (신청 \(s.counts.submissions)건), 제외 \(result.rejects.count)행")
        if !s.rejectsByReason.isEmpty {
            let reasons = s.rejectsByReason.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) \($0.value)" }
            lines.append("  제외 사유: " + reasons.joined(separator: ", "))
        }
        for file in s.inputs {
            let state = file.error.map { "  ⚠ \($0)" } ?? ""
            lines.append("  \(file.file): \(file.encoding?.rawValue ?? "-"), \(file.dataRows)행\(state)")
        }
        if dryRun {
            lines.append("  --dry-run: 아무 파일도 쓰지 않았습니다.")
        } else {
            lines.append("  출력: \(outPath)/ (\(result.written.joined(separator: ", ")))")
        }
        lines.append(String(format: "  %.1f초", seconds))
        return lines.joined(separator: "\n")
    }
}

enum EffectiveConfiguration {
    /// One line, no secrets: the id key is shown only as set/unset.
    static func describe(_ c: DolbomConfiguration) -> String {
        var parts: [String] = []
        parts.append("served_ages=\(c.servedAges.lowerBound)-\(c.servedAges.upperBound)")
        parts.append("legal_dong_codes=\(c.normalize?.legalDongCodes ?? "built-in gazetteer")")
        parts.append("mappings=\(c.mappings?.count ?? 0)")
        parts.append("id_key=\(c.idKey == nil ? "default" : "set")")
        parts.append("call_list_phones=\(c.callListPhones ?? "full")")
        return parts.joined(separator: ", ")
    }
}
