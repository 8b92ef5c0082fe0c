import ArgumentParser
import DolbomCore
import DolbomNormalize
import DolbomRuntime
import Foundation
import Logging

extension Dolbom {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read exports, normalize, group into households, and write the call list and reject files."
        )

        @OptionGroup var common: CommonOptions

        @Option(
            name: .long,
            help: "State database (SQLite); remembers submissions, households and call outcomes between runs.")
        var state: String?

        @Option(
            name: .customLong("as-of"),
            help: "The day the run is for (YYYY-MM-DD); fixes ages and waiting days. Default: today in Asia/Seoul.")
        var asOf: String?

        @Option(name: .long, help: "Output folder; {as_of} and {run} are expanded.")
        var out: String?

        @Flag(name: .long, help: "Exit with code 3 if any row was rejected.")
        var strict = false

        @Flag(
            name: .customLong("dry-run"),
            help:
                "Compute and report everything; write no files and change no state (the run history records the dry run)."
        )
        var dryRun = false

        @Argument(help: "Export files or folders of exports (*.csv). Default: the configuration's inputs.")
        var inputs: [String] = []

        func validate() throws {
            if let asOf, LocalDate(iso: asOf) == nil {
                throw ValidationError("--as-of must be a date like 2024-07-15, not \"\(asOf)\".")
            }
        }

        func run() throws {
            BatchHeap.keepFreedMemory()
            common.bootstrapLogging()
            let logger = Logger(label: "dolbom")
            let config = try common.loadConfiguration()
            let inputs = inputs.isEmpty ? (config.inputs ?? []) : inputs
            let statePath = common.statePath(state, config)
            // With a state file and no exports the run plans from the state (a quiet night).
            guard !inputs.isEmpty || statePath != nil else {
                throw ValidationError("Give at least one export file or folder (or set `inputs` in the configuration).")
            }
            guard let outPath = out ?? config.output else {
                throw ValidationError("Give the output folder with --out DIR (or set `output` in the configuration).")
            }
            let day = asOf.flatMap(LocalDate.init(iso:)) ?? SeoulCalendar.today()
            if common.verbose {
                Terminal.err(
                    "dolbom \(DolbomVersion.current): as-of \(day.iso), out \(outPath), state \(statePath ?? "-"), inputs \(inputs.joined(separator: " "))"
                )
                Terminal.err("configuration: \(EffectiveConfiguration.describe(config))")
            }
            var options = RunOptions(
                inputs: inputs, output: outPath, asOf: day, configuration: config, dryRun: dryRun,
                statePath: statePath,
                commandLine: (["dolbom"] + CommandLine.arguments.dropFirst()).joined(separator: " "))
            options.strict = strict
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
                throw ExitCode(DolbomExitCode.of(error))
            }
            if showProgress { Terminal.clearProgress() }
            Terminal.printDiagnostics(diagnostics.all, verbose: common.verbose)
            if common.verbose {
                Terminal.err(
                    "stage times (wall):\n" + result.stageTimes.lines.map { "  " + $0 }.joined(separator: "\n"))
            }
            logger.info(
                "run finished",
                metadata: [
                    "households": "\(result.summary.counts.households)", "rejects": "\(result.rejects.count)",
                    "call_list": "\(result.callList.count)",
                ])
            if !common.quiet || result.exitCode != 0 {
                Terminal.out(RunReport.text(result, dryRun: dryRun, seconds: Date().timeIntervalSince(started)))
            }
            // Everything is written and synced. Exiting here skips freeing the run's millions of small
            // objects one by one (about 3 s at 1M rows); the kernel takes the memory back at once.
            fflush(nil)
            Foundation.exit(result.exitCode)
        }
    }
}

/// glibc malloc settings for one batch run that builds and frees millions of objects stage after stage.
enum BatchHeap {
    /// Freed memory stays with the process for the next stage instead of going back to the kernel (blocks
    /// up to 32 MB from their own mappings, the heap's top trimmed): each page given back was faulted in
    /// again, zeroed, by the next stage (a batch's records and results, 4096 rows each, every batch).
    /// Measured at 1M rows in the sixth performance pass (git show 7ea68e4:docs/performance.md).
    /// The run's few arrays over 32 MB still go back when freed, which keeps the peak close to where it was.
    static func keepFreedMemory() {
        _ = SystemCalls.keepFreedMemory()
    }
}

enum SeoulCalendar {
    static func today() -> LocalDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Seoul")!
        let c = calendar.dateComponents([.year, .month, .day], from: Date())
        return LocalDate(year: c.year!, month: c.month!, day: c.day!)!
    }
}

/// The short human summary that ends a run.
enum RunReport {
    static func text(_ result: RunResult, dryRun: Bool, seconds: Double) -> String {
        let s = result.summary
        let d = result.delta
        var lines: [String] = []
        // Due today (the call list) and booked today (the day's appointments) are different numbers.
        var today = "오늘 연락할 가구 \(s.callListSize)"
        if let plan = s.schedule {
            today += ", 오늘 예약된 통화 \(plan.callsPerCounselorDay.values.reduce(0) { $0 + ($1[s.asOf] ?? 0) })"
        }
        lines.append(
            "dolbom \(s.asOf) 기준: 파일 \(s.inputs.count)개, \(s.counts.dataRows)행 → 가구 \(s.counts.households), \(today), 제외 \(result.rejects.count)행"
        )
        let outside = result.callList.filter { ServiceArea.isOutside($0.household) }.count
        if outside > 0 {
            lines.append("  관할 지역 밖 가구 \(outside) (목록 끝에 따로, 약속은 설정의 schedule.book_out_of_area에 따름)")
        }
        lines.append(
            "  새 신청 \(d.newSubmissions), 수정된 신청 \(d.updatedSubmissions), 이미 본 신청 \(d.unchangedSubmissions), 이전 실행에서 이어진 신청 \(d.carriedSubmissions); 새 가구 \(d.newHouseholds)"
                + (d.reopenedHouseholds > 0 ? ", 다시 열린 가구 \(d.reopenedHouseholds)" : "")
                + (d.purgedHouseholds > 0 ? ", 보존기간이 지나 삭제한 가구 \(d.purgedHouseholds)" : ""))
        if !s.rejectsByReason.isEmpty {
            let reasons = s.rejectsByReason.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map {
                "\($0.key) \($0.value)"
            }
            lines.append("  제외 사유: " + reasons.joined(separator: ", "))
        }
        if let plan = s.schedule {
            var line = "  일정: 약속 \(plan.appointments)건 (유지 \(plan.kept), 새 약속 \(plan.new), 변경 \(plan.moved))"
            if let first = plan.horizon.first, let last = plan.horizon.last {
                line += ", \(first)~\(last) 근무일 \(plan.horizon.count)일"
            }
            if plan.unscheduled > 0 {
                line +=
                    "; 미배정 \(plan.unscheduled) ("
                    + plan.unscheduledByReason.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
                        separator: ", ") + ")"
            }
            lines.append(line)
            let load = plan.callsPerCounselor.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
                separator: ", ")
            lines.append(
                "  상담사별 통화: \(load); 연락 가능 시간 밖 \(plan.windowMissed)건"
                    + (plan.moved > 0 ? "; 바뀐 약속은 가족에게 알려 주세요 (schedule.csv '변경')" : ""))
            if plan.promisesKept + plan.promisesMissed > 0 {
                lines.append(
                    "  약속한 날(재통화 요청·부재중 재시도): 그날 잡음 \(plan.promisesKept), 못 잡음 \(plan.promisesMissed)"
                        + (plan.promisesMissed > 0 ? " — 가족에게 바뀐 날을 알려 주세요 (schedule.csv '약속한 날')" : ""))
            }
        }
        for file in s.inputs {
            var note = ""
            if let error = file.error { note = "  ⚠ \(error)" }
            if let same = file.sameAs { note = "  (\(same)과 같은 파일, 건너뜀)" }
            lines.append("  \(file.file): \(file.encoding?.rawValue ?? "-"), \(file.dataRows)행\(note)")
        }
        if dryRun {
            lines.append("  --dry-run: 파일을 쓰지 않았고 상태도 바꾸지 않았습니다.")
        } else {
            lines.append("  출력: \(result.outputFolder.path)/ (\(result.written.joined(separator: ", ")))")
        }
        lines.append(String(format: "  %.1f초", seconds) + (result.runID.map { ", 실행 번호 \($0)" } ?? ""))
        return lines.joined(separator: "\n")
    }
}

enum EffectiveConfiguration {
    /// One line, no secrets: the id key is shown only as set/unset.
    static func describe(_ c: DolbomConfiguration) -> String {
        var parts: [String] = []
        parts.append("state=\(c.state ?? "-")")
        parts.append("output=\(c.output ?? "-")")
        parts.append("latest=\(c.latest ?? "-")")
        parts.append("processed_files=\(c.processedFiles ?? "keep")")
        parts.append("archive=\(c.archive ?? "-")")
        parts.append("group=\(c.group ?? "-")")
        parts.append("retention_days=\(c.retentionDays.map(String.init) ?? "-")")
        parts.append("calls=retry \(c.callPolicy.retryDelayDays)d, max \(c.callPolicy.maxAttempts)")
        parts.append("served_ages=\(c.servedAges.lowerBound)-\(c.servedAges.upperBound)")
        parts.append("legal_dong_codes=\(c.normalize?.legalDongCodes ?? "built-in gazetteer")")
        parts.append("address_db=\(c.geo?.addressDB ?? "none (addresses unverified)")")
        parts.append("mappings=\(c.mappings?.count ?? 0)")
        parts.append("id_key=\(c.idKey == nil ? "default" : "set")")
        parts.append("call_list_phones=\(c.callListPhones ?? "full")")
        parts.append(
            "service_area=\(c.serviceArea.map { $0.joined(separator: "/") } ?? "-")"
                + (c.schedule?.bookOutOfArea == true ? " (out of area booked)" : ""))
        if let s = c.schedule, let roster = s.roster {
            parts.append(
                "schedule=roster \(roster), slot \(s.slotMinutes ?? 20)+\(s.bufferMinutes ?? 10) min, \(s.horizonDays ?? 10) working days from \(s.firstDay ?? "as_of")"
                    + ", local holidays \(s.holidays?.count ?? 0), outside window \(s.allowOutsideWindow ?? false ? "allowed" : "never"), sheet phones \(s.callSheetPhones ?? "full")"
            )
        } else {
            parts.append("schedule=none (no roster)")
        }
        return parts.joined(separator: ", ")
    }
}
