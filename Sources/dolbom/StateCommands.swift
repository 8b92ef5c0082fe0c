import ArgumentParser
import DolbomCore
import DolbomNormalize
import Foundation

/// Options shared by the commands that work on the state database.
struct StateOptions: ParsableArguments {
    @Option(name: .long, help: "State database (default: the configuration's `state`).")
    var state: String?

    /// How every state command starts: logging, the configuration, and the state database it names.
    func start(_ common: CommonOptions) throws -> (DolbomConfiguration, StateStore) {
        common.bootstrapLogging()
        let config = try common.loadConfiguration()
        return (config, try open(common, config))
    }

    private func open(_ common: CommonOptions, _ config: DolbomConfiguration) throws -> StateStore {
        guard let path = common.statePath(state, config) else {
            throw ValidationError("Give the state database with --state FILE (or set `state` in the configuration).")
        }
        guard FileManager.default.fileExists(atPath: path) else {
            Terminal.err("dolbom: \(path): no state database yet (it is created by the first `dolbom run --state`).")
            throw ExitCode(DolbomExitCode.noInput)
        }
        do { return try StateStore(path: path) } catch {
            Terminal.err("dolbom: \(error)")
            throw ExitCode(DolbomExitCode.cannotWrite)
        }
    }

    /// Holds the run lock for commands that change the state.
    func lock(_ store: StateStore, _ what: String) throws -> RunLock {
        let lock = RunLock(statePath: store.path)
        do { try lock.acquire(description: "pid \(getpid()), \(what)") } catch {
            Terminal.err("dolbom: \(error)")
            throw ExitCode(DolbomExitCode.of(RunError.state(error)))
        }
        return lock
    }
}

extension Dolbom {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the last runs, households waiting and calls due.")

        @OptionGroup var common: CommonOptions
        @OptionGroup var stateOptions: StateOptions

        @Option(name: .customLong("as-of"), help: "Count calls due on this day (default: today in Asia/Seoul).")
        var asOf: String?

        func run() throws {
            let (_, store) = try stateOptions.start(common)
            let day = asOf.flatMap(LocalDate.init(iso:)) ?? SeoulCalendar.today()
            let report = try store.status(on: day)
            var lines = ["dolbom 상태 (\(store.path), \(day.iso) 기준)"]
            let total = report.householdsByStatus.values.reduce(0, +)
            lines.append(
                "  가구 \(total): "
                    + HouseholdStatus.State.allCases.map {
                        "\($0.korean) \(report.householdsByStatus[$0.rawValue] ?? 0)"
                    }.joined(separator: ", "))
            lines.append(
                "  오늘 전화할 가구 \(report.dueOn), 나중에 다시 걸 가구 \(report.waitingLater), 저장된 신청 \(report.submissions)")
            let today = report.appointmentsOnDay.values.reduce(0, +)
            let booked = today + report.appointmentsLater + report.appointmentsPast
            if booked > 0 {
                let byCounselor = report.appointmentsOnDay.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                    .joined(separator: ", ")
                lines.append(
                    "  약속 \(booked)건: 오늘 \(today)" + (byCounselor.isEmpty ? "" : " (\(byCounselor))")
                        + ", 이후 \(report.appointmentsLater)"
                        + (report.appointmentsPast > 0 ? ", 지난 약속 중 결과 미입력 \(report.appointmentsPast)" : ""))
            }
            let r = report.referrals
            if r.referrals > 0 {
                lines.append(
                    "  기관 안내 \(r.referrals)건: 방문 예정 \(r.upcoming), 방문 결과 확인 필요 \(r.overdue), 등록 \(r.results["registered"] ?? 0), "
                        + "대기 등록 \(r.results["waitlisted"] ?? 0), 안 함 \(r.results["declined"] ?? 0)")
            }
            lines.append("  최근 실행:")
            for run in report.lastRuns {
                lines.append(
                    "    #\(run.id) \(run.startedAt) as-of \(run.asOf) exit \(run.exitCode.map(String.init) ?? "중단됨")"
                        + (run.dryRun ? " (dry-run)" : "")
                        + (run.durationMilliseconds.map { String(format: " %.1fs", Double($0) / 1000) } ?? ""))
            }
            for purge in report.purges {
                lines.append("  삭제(보존기간): \(purge.at) \(purge.before) 이전 종료 가구 \(purge.households)")
            }
            Terminal.out(lines.joined(separator: "\n"))
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List past runs: as-of date, inputs with SHA-256, counts, duration and exit code.")

        @OptionGroup var common: CommonOptions
        @OptionGroup var stateOptions: StateOptions

        @Option(help: "How many runs to show.")
        var limit = 20

        func run() throws {
            let (_, store) = try stateOptions.start(common)
            for run in try store.history(limit: limit) {
                var line = "#\(run.id) \(run.startedAt) as-of \(run.asOf) exit \(run.exitCode.map(String.init) ?? "-")"
                if run.dryRun { line += " dry-run" }
                if let ms = run.durationMilliseconds { line += String(format: " %.1fs", Double(ms) / 1000) }
                line += "  \(run.command)"
                Terminal.out(line)
                if let counts = run.counts { Terminal.out("    \(counts)") }
                for input in run.inputs {
                    Terminal.out(
                        "    \(input.name) \(input.dataRows)행 sha256:\(input.sha256?.prefix(16) ?? "-")…"
                            + (input.error.map { " ⚠ \($0)" } ?? ""))
                }
            }
        }
    }

    struct Outcomes: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Counselors' call results.",
            subcommands: [Import.self]
        )

        struct Import: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Import a results sheet (신청번호, 결과, 통화일시, 상담원, 메모, 재통화일): 통화완료, 부재중, 번호오류, 상담거부, 재통화요청."
            )

            @OptionGroup var common: CommonOptions
            @OptionGroup var stateOptions: StateOptions

            @Option(
                name: .customLong("as-of"),
                help: ArgumentHelp(
                    "The import day (YYYY-MM-DD): a call date written without a year and with no booking "
                        + "is the latest such date on or before it (default: today in Asia/Seoul)."))
            var asOf: String?

            @Argument(help: "The results CSV.")
            var file: String

            func validate() throws {
                if let asOf, LocalDate(iso: asOf) == nil {
                    throw ValidationError("--as-of must be a date like 2024-07-16, not \"\(asOf)\".")
                }
            }

            func run() throws {
                let (config, store) = try stateOptions.start(common)
                let lock = try stateOptions.lock(store, "outcomes import")
                defer { lock.release() }
                let url = URL(fileURLWithPath: file)
                let today = asOf.flatMap(LocalDate.init(iso:)) ?? SeoulCalendar.today()
                // The sheet's lines were printed for booked calls: a time written without a date or year is read against them.
                var booked: [String: LocalDateTime] = [:]
                for stored in try store.appointments() {
                    booked[stored.appointment.applicantID] = stored.appointment.start
                }
                // `안내 기관` is looked up in the configured facility lists (no address file needed for ids and names);
                // without them the facility is kept as written.
                var directory: (any FacilityDirectory)?
                if let facilities = config.facilities {
                    do { directory = try FacilityListReader(config: facilities, asOf: today).load().registry } catch {
                        Terminal.err("dolbom: facilities: \(error)")
                        throw ExitCode(DolbomExitCode.config)
                    }
                }
                let sheet: OutcomeFile.Sheet
                do { sheet = try OutcomeFile.sheet(url, booked: booked, importDay: today, facilities: directory) } catch
                {
                    Terminal.err("dolbom: \(file): \(error.localizedDescription)")
                    throw ExitCode(DolbomExitCode.inputUnreadable)
                }
                let runID = try store.beginRun(
                    asOf: today, command: "outcomes import \(url.lastPathComponent)", dryRun: false)
                let report = try store.importOutcomes(sheet.outcomes, policy: config.callPolicy, run: runID)
                let lines = OutcomeImportLines(sheet: sheet, report: report)
                for line in lines.problems { Terminal.err(line) }
                if !common.quiet { for line in lines.done { Terminal.out(line) } }
                let code: Int32 = lines.problems.isEmpty ? 0 : DolbomExitCode.inputUnreadable
                store.finishRun(
                    runID, exitCode: code, durationMilliseconds: 0,
                    counts: "{\"already_imported\":\(report.alreadyImported),\"imported\":\(report.imported),"
                        + "\"rejected\":\(lines.problems.count),\"skipped\":\(lines.skipped)}",
                    inputs: [
                        RunHistoryEntry.Input(
                            name: url.lastPathComponent, sha256: nil, dataRows: sheet.lines.count, error: nil)
                    ])
                if !common.quiet || code != 0 {
                    let kinds = report.byKind.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
                        separator: ", ")
                    Terminal.out(
                        "통화 결과 \(report.imported)건 반영 (\(kinds.isEmpty ? "-" : kinds)), 이미 반영된 \(report.alreadyImported)건, "
                            + "건너뜀 \(lines.skipped)건, 제외 \(lines.problems.count)건"
                            + (report.visitsBooked + report.guided + report.visitResults > 0
                                ? "; 방문 예약 \(report.visitsBooked)건, 방문 없이 안내 \(report.guided)건, 방문 결과 \(report.visitResults)건"
                                : "")
                            + (sheet.unfilled > 0 ? " (결과를 적지 않은 줄 \(sheet.unfilled)건은 건너뜀)" : ""))
                }
                if code != 0 { throw ExitCode(code) }
            }
        }
    }

    struct Purge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Delete the personal data of households closed before a date (개인정보 보존기간); anonymous counts stay in the history."
        )

        @OptionGroup var common: CommonOptions
        @OptionGroup var stateOptions: StateOptions

        @Option(help: "Households closed before this day (YYYY-MM-DD) are deleted.")
        var before: String

        @Flag(name: .customLong("dry-run"), help: "Count what would be deleted; delete nothing.")
        var dryRun = false

        func validate() throws {
            if LocalDate(iso: before) == nil {
                throw ValidationError("--before must be a date like 2024-01-01, not \"\(before)\".")
            }
        }

        func run() throws {
            let (_, store) = try stateOptions.start(common)
            let lock = try stateOptions.lock(store, "purge")
            defer { lock.release() }
            let day = LocalDate(iso: before)!
            let runID = try store.beginRun(
                asOf: SeoulCalendar.today(), command: "purge --before \(day.iso)" + (dryRun ? " --dry-run" : ""),
                dryRun: dryRun)
            let report = try store.purge(closedBefore: day, run: runID, dryRun: dryRun)
            store.finishRun(
                runID, exitCode: 0, durationMilliseconds: 0,
                counts:
                    "{\"households\":\(report.households),\"submissions\":\(report.submissions),\"outcomes\":\(report.outcomes)}",
                inputs: [])
            if !common.quiet {
                let byStatus = report.byStatus.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
                    separator: ", ")
                Terminal.out(
                    (dryRun ? "삭제 예정" : "삭제함")
                        + ": \(day.iso) 이전에 종료된 가구 \(report.households) (\(byStatus.isEmpty ? "-" : byStatus)), 신청 \(report.submissions)건, 통화 기록 \(report.outcomes)건"
                )
            }
        }
    }
}

/// The import report, one line per sheet line (`file:row: …`): what was read and how its dates were read, what was
/// skipped, and, as warnings, what was rejected and why. No names, numbers or memos: cron mails it.
struct OutcomeImportLines {
    var done: [String] = []
    var problems: [String] = []
    var skipped = 0

    init(sheet: OutcomeFile.Sheet, report: OutcomeImportReport) {
        for line in sheet.lines {
            let place = "\(sheet.file):\(line.row)"
            switch line.verdict {
            case .skipped(let why):
                skipped += 1
                done.append("\(place): 건너뜀: \(why)")
            case .rejected(let why):
                problems.append("\(place): warning: 제외: \(why)")
            case .read(let outcome, let notes):
                let what =
                    "\(outcome.applicantID) \(outcome.kind.rawValue) \(outcome.at.iso.prefix(16).replacingOccurrences(of: "T", with: " "))"
                    + (notes.isEmpty ? "" : "; " + notes.joined(separator: "; "))
                switch report.verdicts[outcome.source] {
                case .imported?: done.append("\(place): 반영: \(what)")
                case .alreadyImported?: done.append("\(place): 이미 반영됨: \(what)")
                case .conflicting(let why)?: problems.append("\(place): warning: 제외: \(why)")
                case .refused(let why)?: problems.append("\(place): warning: 제외: \(why)")
                case .unknownHousehold?:
                    problems.append("\(place): warning: 제외: 알 수 없는 신청번호입니다(상태 데이터베이스에 없음): \(outcome.applicantID)")
                case nil: problems.append("\(place): warning: 제외: 가져오지 못했습니다.")
                }
            }
        }
    }
}
