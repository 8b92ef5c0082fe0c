import DolbomNormalize
import DolbomRuntime
import DolbomSchedule
import Foundation
import Logging

/// How a run ended, which the command line maps to an exit code.
public enum RunOutcome: Sendable, Equatable {
    case ok
    /// Some rows were rejected (matters only under `--strict`).
    case rowsRejected
    /// At least one input could not be read, or only in part; the others were processed.
    case inputUnreadable
}

/// Progress for a terminal; the command line decides whether to show it.
public struct RunProgress: Sendable {
    public var file: String
    public var rowsRead: Int
}

/// Everything a run needs, resolved from flags, configuration and defaults.
public struct RunOptions: Sendable {
    public var inputs: [String]
    /// Output folder (may hold `{as_of}`/`{run}`), before expansion.
    public var output: String
    public var asOf: LocalDate
    public var configuration: DolbomConfiguration
    public var dryRun: Bool
    /// The SQLite state file, or nil to run without memory.
    public var statePath: String?
    /// Recorded in the run history and the lock file.
    public var commandLine: String
    /// Rejected rows make the run fail (exit code 3).
    public var strict = false
    /// Record the run in the state's history (not for `dolbom explain`, which only looks).
    public var recordHistory = true
    /// Keep every submission in the result's `resolution` (for `dolbom explain`); otherwise they are let go
    /// once households are built.
    public var keepSubmissions = false

    public init(
        inputs: [String], output: String, asOf: LocalDate, configuration: DolbomConfiguration = DolbomConfiguration(),
        dryRun: Bool = false, statePath: String? = nil, commandLine: String = "run"
    ) {
        self.inputs = inputs
        self.output = output
        self.asOf = asOf
        self.configuration = configuration
        self.dryRun = dryRun
        self.statePath = statePath
        self.commandLine = commandLine
    }
}

/// What changed compared with the state before the run.
public struct RunDelta: Sendable, Codable, Equatable {
    public var newSubmissions = 0
    public var updatedSubmissions = 0
    public var unchangedSubmissions = 0
    /// Known submissions absent from this run's inputs, carried from the state.
    public var carriedSubmissions = 0
    public var newHouseholds = 0
    public var reopenedHouseholds = 0
    public var purgedHouseholds = 0

    enum CodingKeys: String, CodingKey {
        case newSubmissions = "new_submissions"
        case updatedSubmissions = "updated_submissions"
        case unchangedSubmissions = "unchanged_submissions"
        case carriedSubmissions = "carried_submissions"
        case newHouseholds = "new_households"
        case reopenedHouseholds = "reopened_households"
        case purgedHouseholds = "purged_households"
    }
}

public struct RunResult: Sendable {
    public var summary: RunSummary
    public var outcome: RunOutcome
    public var households: [Household]
    public var rejects: [Reject]
    public var callList: [CallListEntry]
    public var delta: RunDelta
    public var outputFolder: URL
    /// File names written into the output folder (empty for a dry run).
    public var written: [String]
    public var runID: Int64?
    /// What the command exits with, also recorded in the run history.
    public var exitCode: Int32
    /// Why rows were or were not merged (for `dolbom explain`).
    public var resolution: Resolution
    /// The counselors' appointments (nil when no roster is configured).
    public var appointments: AppointmentPlan?
    /// How long each stage took (shown with `--verbose`).
    public var stageTimes = StageTimes()
    /// The facility suggestions (nil when no facilities are configured).
    public var facilities: FacilityMatches?
}

public enum RunError: Error, CustomStringConvertible, Equatable {
    case noInputs
    case inputs(InputSet.Failure)
    case invariantBroken(String)
    case cannotWrite(path: String, reason: String)
    case legalDongCodes(path: String, reason: String)
    case decisions(path: String, reason: String)
    case roster(path: String, reason: String)
    /// The official address file (`geo.address_db`) could not be read; the text names file, line and field.
    case addressDB(String)
    /// A configured facility list (`facilities.files`) could not be read.
    case facilities(String)
    case state(StateError)

    public var description: String {
        switch self {
        case .noInputs: return "no export files found in the given inputs (looked for *.csv, *.tsv, *.txt)"
        case .inputs(let failure): return failure.description
        case .invariantBroken(let detail):
            return "internal error: a row was lost or counted twice (\(detail)); nothing was written"
        case .cannotWrite(let path, let reason): return "\(path): cannot write outputs: \(reason)"
        case .legalDongCodes(let path, let reason): return "\(path): cannot read the 법정동코드 file: \(reason)"
        case .decisions(let path, let reason): return "\(path): cannot read the merge decisions file: \(reason)"
        case .roster(let path, let reason):
            return "\(path): invalid counselor roster (nothing was written):\n  \(reason)"
        case .addressDB(let reason): return "\(reason) (nothing was written)"
        case .facilities(let reason): return "facilities: \(reason) (nothing was written)"
        case .state(let error): return error.description
        }
    }
}

/// One `dolbom run`: Read → Normalize → Resolve → Plan → Write, with the
/// state database remembering submissions, households and call outcomes.
public struct DolbomRun: Sendable {
    public var options: RunOptions
    public var logger: Logger

    public init(options: RunOptions, logger: Logger = Logger(label: "dolbom")) {
        self.options = options
        self.logger = logger
    }

    /// The output folder the run locks: the folder itself, or, when its name holds `{run}` (a folder per
    /// run, numbered from the state, not known before the state is opened), the pattern's first folder
    /// holding `{run}`, so that runs from different state files into one pattern (and one `latest`
    /// link) still exclude each other.
    public func lockedOutputFolder() -> String {
        let pattern = options.output.replacingOccurrences(of: "{as_of}", with: options.asOf.iso)
        guard let range = pattern.range(of: "{run}") else { return pattern }
        return String(pattern[..<(pattern[range.upperBound...].firstIndex(of: "/") ?? pattern.endIndex)])
    }

    public func run(diagnostics: DiagnosticsCollector, progress: (@Sendable (RunProgress) -> Void)? = nil)
        throws(RunError) -> RunResult
    {
        let started = Date()
        let config = options.configuration
        let inputSet: InputSet
        do { inputSet = try InputSet(paths: options.inputs) } catch { throw .inputs(error) }
        guard !inputSet.inputs.isEmpty || plansFromStateAlone(diagnostics: diagnostics) else { throw .noInputs }

        // Two locks, taken before the state is opened or any export read: one run per state file (a dry run too: it
        // records itself in the history), and one per output folder (by its real path: two state files,
        // or two names of one folder, must not write it at once; a dry run writes nothing there).
        let holder = "pid \(getpid()), started \(StateStore.timestamp()), as-of \(options.asOf.iso)"
        let folders = FolderAccess(group: config.group)
        let stateLock = options.statePath.map { RunLock(statePath: $0, folders: folders) }
        let outputLock = options.dryRun ? nil : RunLock(outputFolder: lockedOutputFolder(), folders: folders)
        defer {
            outputLock?.release()
            stateLock?.release()
        }
        do {
            try stateLock?.acquire(description: holder)
            try outputLock?.acquire(description: holder)
        } catch { throw .state(error) }

        var store: StateStore?
        if let path = options.statePath {
            do { store = try StateStore(path: path, fileMode: config.group == nil ? 0o600 : 0o640) } catch {
                throw .state(error)
            }
        }
        var runID: Int64?
        var purged = StateStore.PurgeReport()
        var known = KnownState()
        if let store {
            do {
                if options.recordHistory {
                    runID = try store.beginRun(asOf: options.asOf, command: options.commandLine, dryRun: options.dryRun)
                }
                if let days = config.retentionDays, let runID {
                    purged = try store.purge(
                        closedBefore: options.asOf.adding(days: -days), run: runID, dryRun: options.dryRun)
                }
                known = try store.loadKnown()
            } catch { throw .state(error) }
        }

        do {
            // Published into the folder's real path, the one locked (where `{run}` does not name a new folder).
            let named = OutputTarget.expand(options.output, asOf: options.asOf.iso, run: runID)
            let real = outputLock.flatMap { $0.guarded == named ? $0.guardedRealPath : nil } ?? RealPath.resolve(named)
            var result = try process(
                store: store, runID: runID, known: known, purged: purged, inputSet: inputSet,
                outputFolder: URL(fileURLWithPath: real), diagnostics: diagnostics, progress: progress)
            result.exitCode = DolbomExitCode.of(result.outcome, strict: options.strict)
            if let store, let runID {
                store.finishRun(
                    runID, exitCode: result.exitCode,
                    durationMilliseconds: Int(Date().timeIntervalSince(started) * 1000),
                    counts: String(decoding: (try? JSONEncoder.sorted.encode(result.delta)) ?? Data(), as: UTF8.self),
                    inputs: result.summary.inputs.map {
                        RunHistoryEntry.Input(
                            name: $0.file, sha256: $0.sha256, dataRows: $0.dataRows,
                            error: $0.error ?? $0.sameAs.map { "same as \($0)" })
                    })
            }
            if !options.dryRun && config.processedFiles == "move" && !inputSet.inputs.isEmpty,
                let archive = config.archive
            {
                try archiveInputs(
                    inputSet, to: URL(fileURLWithPath: archive).appendingPathComponent(options.asOf.iso),
                    diagnostics: diagnostics)
            }
            return result
        } catch {
            if let store, let runID {
                store.finishRun(
                    runID, exitCode: DolbomExitCode.of(error),
                    durationMilliseconds: Int(Date().timeIntervalSince(started) * 1000),
                    counts: nil, inputs: [])
            }
            throw error
        }
    }

    /// Moves processed exports out of the inbox (`processed_files: move`), into a folder per as-of date.
    func archiveInputs(_ inputs: InputSet, to folder: URL, diagnostics: DiagnosticsCollector) throws(RunError) {
        do {
            try FolderAccess(group: options.configuration.group).create(folder.path)
        } catch { throw .cannotWrite(path: error.path, reason: error.reason) }
        for input in inputs.inputs {
            var target = folder.appendingPathComponent(input.url.lastPathComponent)
            var n = 2
            while FileManager.default.fileExists(atPath: target.path) {
                target = folder.appendingPathComponent(
                    "\(input.url.deletingPathExtension().lastPathComponent) (\(n)).\(input.url.pathExtension)")
                n += 1
            }
            if rename(input.url.path, target.path) != 0 {
                diagnostics.emit(
                    Diagnostic(
                        .warning, "archive_failed", "보관 폴더로 옮기지 못했습니다: \(String(cString: strerror(errno)))",
                        file: input.name))
            }
        }
    }

    /// The run's stages in order, each a value handed to the next: Read + Normalize → Pool → Resolve →
    /// statuses → Plan → check + summary → state and outputs. The big output files are written in the
    /// background from the statuses on; a failure after that discards them.
    func process(
        store: StateStore?, runID: Int64?, known: KnownState, purged: StateStore.PurgeReport, inputSet: InputSet,
        outputFolder: URL, diagnostics: DiagnosticsCollector, progress: (@Sendable (RunProgress) -> Void)?
    ) throws(RunError) -> RunResult {
        var clock = StageTimes()
        let recording = store != nil && !options.dryRun
        let setup = try prepare(clock: &clock, diagnostics: diagnostics)
        var intake = read(
            inputSet, builder: setup.builder, hashesContent: store != nil, diagnostics: diagnostics, progress: progress)
        clock.mark("read+normalize")
        if verifyAddresses(&intake, with: setup.addresses) { clock.mark("address check") }
        var pool = try pooled(&intake, known: known, store: store)
        clock.mark("pool")
        let resolution = try resolve(pool, addresses: setup.addresses, known: known, diagnostics: diagnostics)
        clock.mark("resolve")
        // The resolution moves on (its submissions are let go there, not held here too).
        var standing = statuses(
            consume resolution, pool: &pool, known: known, counts: &intake.counts, recording: recording)
        followUpVisits(&standing, known: known, registry: setup.facilities?.registry)
        clock.mark("statuses")
        // The state's rows go in from here, beside the matching, planning and writing; the schedule ends the
        // commit, before the outputs are published.
        let commit = recording ? runID.flatMap { id in store?.beginCommit(standing.changes, run: id) } : nil
        let folder = URL(fileURLWithPath: OutputTarget.expand(options.output, asOf: options.asOf.iso, run: runID))
        let planned: Planned
        let summary: RunSummary
        var written: [String] = []
        var publication: Publication?
        // Facilities are matched before the writers start: applicants.jsonl carries the suggestions.
        let facilities = matchFacilities(standing, with: setup.facilities)
        if facilities != nil { clock.mark("facilities") }
        do throws(RunError) {
            publication = try startWriting(
                standing, rejects: intake.rejects, known: known, facilities: facilities,
                hasState: store != nil, into: outputFolder, named: folder)
            planned = try plan(
                &standing, roster: setup.roster, known: known, runID: runID, recording: recording,
                diagnostics: diagnostics)
            clock.mark("plan")
            summary = try summarize(
                intake, standing: &standing, planned: planned, known: known, hasState: store != nil,
                purged: purged, facilities: facilities)
            clock.mark("check+summary")
            if let publication {
                written = try publish(
                    publication, standing: standing, planned: planned, summary: summary, commit: commit,
                    clock: &clock)
            }
        } catch {
            commit?.abandon()
            publication?.abandon()
            throw error
        }
        let outcome: RunOutcome =
            intake.reports.contains { $0.error != nil }
            ? .inputUnreadable
            : (intake.rejects.isEmpty ? .ok : .rowsRejected)
        return RunResult(
            summary: summary, outcome: outcome, households: standing.households, rejects: intake.rejects,
            callList: planned.callList, delta: standing.delta, outputFolder: folder, written: written, runID: runID,
            exitCode: 0, resolution: standing.resolution, appointments: planned.appointments, stageTimes: clock,
            facilities: facilities?.matches)
    }

    func appointmentPlanner(roster: Roster, schedule: DolbomConfiguration.Schedule, runID: Int64?) -> AppointmentPlanner
    {
        let first = schedule.firstDay == "next_day" ? options.asOf.adding(days: 1) : options.asOf
        let policy = SchedulePolicy(
            slotMinutes: schedule.slotMinutes ?? 20, bufferMinutes: schedule.bufferMinutes ?? 10,
            horizonStart: first, horizonDays: schedule.horizonDays ?? 10,
            allowOutsideWindow: schedule.allowOutsideWindow ?? false)
        return AppointmentPlanner(
            policy: policy, roster: roster, holidays: KoreanHolidays(additions: schedule.holidayAdditions),
            asOf: options.asOf, runID: runID ?? 0)
    }

    /// The last working day planned (households waiting for a later retry day are left for a later run);
    /// warns when the bundled holiday table does not cover the planned days.
    func checkHorizon(_ planner: AppointmentPlanner, diagnostics: DiagnosticsCollector) -> LocalDate {
        let first = planner.policy.horizonStart
        let horizon = planner.horizon()
        let last = horizon.last ?? first
        if !KoreanHolidays.coveredYears.contains(first.year) || !KoreanHolidays.coveredYears.contains(last.year) {
            diagnostics.emit(
                Diagnostic(
                    .warning, "holidays_not_covered",
                    "\(first.year)년 공휴일 표가 없습니다(\(KoreanHolidays.coveredYears.lowerBound)-\(KoreanHolidays.coveredYears.upperBound)년만 포함). 설정의 schedule.holidays에 공휴일을 적어 주세요."
                ))
        }
        if horizon.isEmpty {
            diagnostics.emit(Diagnostic(.warning, "schedule_no_working_days", "명단의 상담사가 근무하는 날이 없어 약속을 잡지 못했습니다."))
        }
        return last
    }

    func loadDecisions(diagnostics: DiagnosticsCollector) throws(RunError) -> MergeDecisions {
        guard let path = options.configuration.dedupe?.decisions else { return MergeDecisions() }
        guard FileManager.default.fileExists(atPath: path) else {
            // Not written yet: the first review has not been done.
            diagnostics.emit(Diagnostic(.note, "decisions_missing", "판정 파일이 아직 없습니다: \(path)"))
            return MergeDecisions()
        }
        do {
            let (decisions, problems) = try DecisionsFile.read(URL(fileURLWithPath: path))
            for p in problems {
                diagnostics.emit(
                    Diagnostic(
                        .warning, "decision_unreadable", p.message, file: URL(fileURLWithPath: path).lastPathComponent,
                        row: p.row))
            }
            return decisions
        } catch {
            throw .decisions(path: path, reason: "\(error)")
        }
    }

    func loadGazetteer() throws(RunError) -> Gazetteer {
        guard let path = options.configuration.normalize?.legalDongCodes else { return .builtIn }
        let url = URL(fileURLWithPath: path)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw .legalDongCodes(path: path, reason: "file not found or not readable")
        }
        let text = String(data: data, encoding: SourceEncoding.dosKorean) ?? String(decoding: data, as: UTF8.self)
        do { return try Gazetteer(legalDongCodeText: text) } catch {
            throw .legalDongCodes(path: path, reason: "\(error)")
        }
    }

    /// Every data row read in this run must end in exactly one household's sources or one reject;
    /// households may also hold rows remembered from earlier runs (`carried`).
    @discardableResult
    func checkInvariant(
        expected: [SourceRef], households: [Household], rejects: [Reject], carried: Set<SourceRef> = [],
        readerRows: [(file: String, rows: Int)]? = nil
    ) throws(RunError) -> Int {
        var ledger = RowLedger()
        for s in expected { ledger.record(s) }
        return try checkInvariant(
            expected: ledger, households: households, rejects: rejects, carried: carried, readerRows: readerRows)
    }

    /// With `readerRows`, the data rows each file's reader counted (`ExportFileReport.dataRows`), kept apart from the
    /// rows the pipeline took in (`ledger`): a row counted but never handed on (or handed on but never counted)
    /// breaks the check, however the rows that were handed on landed. Returns the rows of this run's inputs that
    /// landed in households (the accepted ones).
    @discardableResult
    func checkInvariant(
        expected ledger: RowLedger, households: [Household], rejects: [Reject], carried: Set<SourceRef> = [],
        readerRows: [(file: String, rows: Int)]? = nil
    ) throws(RunError) -> Int {
        var ledger = ledger
        let expectedKeys = ledger.keys
        if let readerRows {
            let taken = ledger.rowsPerFile()
            let counted = Dictionary(readerRows, uniquingKeysWith: +)  // two inputs may share a base name
            for (file, rows) in counted.sorted(by: { $0.key < $1.key }) where taken[file, default: 0] != rows {
                throw .invariantBroken(
                    "\(file): the reader counted \(rows) data rows, \(taken[file, default: 0]) reached the pipeline")
            }
            if let unknown = taken.keys.sorted().first(where: { counted[$0] == nil }) {
                throw .invariantBroken(
                    "\(unknown): \(taken[unknown]!) rows reached the pipeline from a file the reader never counted")
            }
        }
        // Rows are recorded file by file in row order, so the keys usually come sorted already.
        var sortedExpected = expectedKeys
        if zip(sortedExpected, sortedExpected.dropFirst()).contains(where: { $0 > $1 }) {
            RadixSort.sort(&sortedExpected)
        }
        var landed: [UInt64] = []
        landed.reserveCapacity(expectedKeys.count + carried.count)
        for household in households {
            for source in household.sources { landed.append(ledger.key(source)) }
        }
        for r in rejects { landed.append(ledger.key(r.source)) }
        RadixSort.sort(&landed)
        if let i = sortedExpected.indices.dropFirst().first(where: { sortedExpected[$0] == sortedExpected[$0 - 1] }) {
            throw .invariantBroken("\(ledger.source(sortedExpected[i]).label) was read twice")
        }
        // One walk over both sorted lists (a binary search per row was most of this check at 1M rows).
        var missing = false
        var landedTwice: (key: UInt64, times: Int)?
        var extra: UInt64?
        var e = 0
        var l = 0
        while l < landed.count {
            let k = landed[l]
            var next = l + 1
            while next < landed.count && landed[next] == k { next += 1 }
            while e < sortedExpected.count && sortedExpected[e] < k {
                missing = true
                e += 1
            }
            if e < sortedExpected.count && sortedExpected[e] == k {
                if next - l > 1 && landedTwice == nil { landedTwice = (k, next - l) }
                e += 1
            } else if extra == nil && !carried.contains(ledger.source(k)) {
                extra = k
            }
            l = next
        }
        if e < sortedExpected.count { missing = true }
        // Named in the order the checks always used: the first lost row in reading order, then the rest in key order.
        if missing, let lost = expectedKeys.first(where: { !landed.sortedContains($0) }) {
            throw .invariantBroken("\(ledger.source(lost).label) is in no applicant and no reject")
        }
        if let landedTwice {
            throw .invariantBroken("\(ledger.source(landedTwice.key).label) landed \(landedTwice.times) times")
        }
        if let extra {
            throw .invariantBroken("\(ledger.source(extra).label) appeared in the outputs but was never read")
        }
        // Every row read landed exactly once: those not among the rejects are the households'.
        return expectedKeys.count - rejects.count
    }

    static func issueCounts(_ submissions: [Submission]) -> [String: Int] {
        var counts: [String: Int] = [:]
        for i in submissions.indices { for issue in submissions[i].issues { counts[issue.code, default: 0] += 1 } }
        return counts
    }

    func makeSummary(
        reports: [ExportFileReport], counts: RunSummary.Counts, accepted: Int, households: [Household],
        rejects: [Reject],
        issuesByCode: [String: Int], delta: RunDelta, statuses: [HouseholdStatus], callListSize: Int
    ) -> RunSummary {
        var rejectsByReason: [String: Int] = [:]
        var rejectsByFile: [String: Int] = [:]
        for r in rejects {
            rejectsByReason[r.reason, default: 0] += 1
            rejectsByFile[r.file, default: 0] += 1
        }
        let perFile = reports.map { r in
            RunSummary.FileCounts(
                file: r.file, dataRows: r.dataRows, accepted: r.dataRows - (rejectsByFile[r.file] ?? 0),
                rejected: rejectsByFile[r.file] ?? 0)
        }
        var encodings: [String: String] = [:]
        for r in reports {
            encodings[r.file] = r.encoding?.rawValue ?? (r.sameAs != nil ? "same_as:\(r.sameAs!)" : "unreadable")
        }
        var byStatus: [String: Int] = [:]
        for s in statuses { byStatus[s.state.rawValue, default: 0] += 1 }
        let read = accepted
        return RunSummary(
            asOf: options.asOf.iso, inputs: reports, counts: counts, perFile: perFile,
            rejectsByReason: rejectsByReason, issuesByCode: issuesByCode, encodings: encodings, delta: delta,
            householdsByStatus: byStatus, callListSize: callListSize,
            invariant:
                "ok: \(counts.dataRows) rows = \(read) accepted + \(rejects.count) rejects; \(pluralHouseholds(households.count))"
        )
    }

    private func pluralHouseholds(_ n: Int) -> String { "\(n) households" }
}
