import CDolbomSystem
import DolbomNormalize
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

    public init(inputs: [String], output: String, asOf: LocalDate, configuration: DolbomConfiguration = DolbomConfiguration(),
                dryRun: Bool = false, statePath: String? = nil, commandLine: String = "run") {
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
        case .invariantBroken(let detail): return "internal error: a row was lost or counted twice (\(detail)); nothing was written"
        case .cannotWrite(let path, let reason): return "\(path): cannot write outputs: \(reason)"
        case .legalDongCodes(let path, let reason): return "\(path): cannot read the 법정동코드 file: \(reason)"
        case .decisions(let path, let reason): return "\(path): cannot read the merge decisions file: \(reason)"
        case .roster(let path, let reason): return "\(path): invalid counselor roster (nothing was written):\n  \(reason)"
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

    public func run(diagnostics: DiagnosticsCollector, progress: (@Sendable (RunProgress) -> Void)? = nil) throws(RunError) -> RunResult {
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
            do { store = try StateStore(path: path, fileMode: config.group == nil ? 0o600 : 0o640) } catch { throw .state(error) }
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
                    purged = try store.purge(closedBefore: options.asOf.adding(days: -days), run: runID, dryRun: options.dryRun)
                }
                known = try store.loadKnown()
            } catch { throw .state(error) }
        }

        do {
            // Published into the folder's real path, the one locked (where `{run}` does not name a new folder).
            let named = OutputTarget.expand(options.output, asOf: options.asOf.iso, run: runID)
            let real = outputLock.flatMap { $0.guarded == named ? $0.guardedRealPath : nil } ?? RealPath.resolve(named)
            var result = try process(store: store, runID: runID, known: known, purged: purged, inputSet: inputSet,
                                     outputFolder: URL(fileURLWithPath: real), diagnostics: diagnostics, progress: progress)
            result.exitCode = DolbomExitCode.of(result.outcome, strict: options.strict)
            if let store, let runID {
                store.finishRun(runID, exitCode: result.exitCode, durationMilliseconds: Int(Date().timeIntervalSince(started) * 1000),
                                counts: String(decoding: (try? JSONEncoder.sorted.encode(result.delta)) ?? Data(), as: UTF8.self),
                                inputs: result.summary.inputs.map {
                                    RunHistoryEntry.Input(name: $0.file, sha256: $0.sha256, dataRows: $0.dataRows, error: $0.error ?? $0.sameAs.map { "same as \($0)" })
                                })
            }
            if !options.dryRun && config.processedFiles == "move" && !inputSet.inputs.isEmpty, let archive = config.archive {
                try archiveInputs(inputSet, to: URL(fileURLWithPath: archive).appendingPathComponent(options.asOf.iso), diagnostics: diagnostics)
            }
            return result
        } catch {
            if let store, let runID {
                store.finishRun(runID, exitCode: DolbomExitCode.of(error), durationMilliseconds: Int(Date().timeIntervalSince(started) * 1000),
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
                target = folder.appendingPathComponent("\(input.url.deletingPathExtension().lastPathComponent) (\(n)).\(input.url.pathExtension)")
                n += 1
            }
            if rename(input.url.path, target.path) != 0 {
                diagnostics.emit(Diagnostic(.warning, "archive_failed", "보관 폴더로 옮기지 못했습니다: \(String(cString: strerror(errno)))", file: input.name))
            }
        }
    }

    func process(store: StateStore?, runID: Int64?, known: KnownState, purged: StateStore.PurgeReport, inputSet: InputSet,
                 outputFolder: URL, diagnostics: DiagnosticsCollector, progress: (@Sendable (RunProgress) -> Void)?) throws(RunError) -> RunResult {
        let config = options.configuration
        var clock = StageTimes()
        let gazetteer = try loadGazetteer()
        // A bad roster fails before the inputs are read, not after an hour of reading.
        let roster = try config.schedule?.roster.map { path throws(RunError) in try RosterFile.load(URL(fileURLWithPath: path)) }
        let addressCheck = try AddressVerification.load(config)
        if let db = addressCheck.database {
            logger.info("address file loaded", metadata: ["files": "\(db.files.count)", "lines": "\(db.lineCount)",
                                                          "buildings": "\(db.buildingCount)"])
            clock.mark("address file")
        }
        let facilityPlan = try FacilityPlan.read(config, addressDB: addressCheck.database, addresses: AddressNormalizer(gazetteer: gazetteer),
                                                 asOf: options.asOf, diagnostics: diagnostics)
        let builder = SubmissionBuilder(asOf: options.asOf, servedAges: config.servedAges,
                                        addresses: AddressNormalizer(gazetteer: gazetteer))
        let reader = ExportReader(configuration: config)

        var submissions: [Submission] = []
        var rejects: [Reject] = []
        var reports: [ExportFileReport] = []
        var counts = RunSummary.Counts()
        var expected = RowLedger()
        var digests: [String: String] = [:]
        var sizesRead: Set<Int> = []  // of the files in `digests`: only a file of one of these sizes can be one of them

        // Read + Normalize, streaming row by row.
        // A batch is normalized in the background while the next one is read.
        var parallel = ParallelNormalizer(builder: builder)
        parallel.hashesContent = store != nil
        let normalizer = NormalizePipeline(parallel)
        for input in inputSet.inputs {
            var mapping: HeaderMapping?
            let koreanAge = config.mappings(for: input.name).contains { $0.koreanAgeWording == true }
            var rowsRead = 0
            // Sized for the file (a form row is well over 200 bytes): growing a million-entry table
            // step by step rehashes it again and again.
            let fileBytes = (try? FileManager.default.attributesOfItem(atPath: input.url.path)[.size] as? Int) ?? 0
            var occurrences = OccurrenceCounter(expected: min(fileBytes / 200, 1 << 24))
            // The same guess for the run's submissions: an array grown by doubling copied them again and
            // again into fresh memory (faulted in and zeroed each time); room reserved but never used is
            // address space only.
            submissions.reserveCapacity(submissions.count + min(fileBytes / 200, 1 << 24))
            var batch: [EncodedRecord] = []
            batch.reserveCapacity(4096)
            var encoding: SourceEncoding?
            var invalidBytesReported = false
            func file(_ results: ResultBatch) {
                while let filed = results.take(into: &submissions, rejects: &rejects) {  // moved in, not copied
                    if let ahead = results.occurrenceKey(ahead: 8) { occurrences.prefetch(ahead) }
                    if filed.invalidBytes && !invalidBytesReported, let encoding {
                        // The file's one warning, at its first such row (results come in row order).
                        invalidBytesReported = true
                        diagnostics.emit(ExportReader.invalidEncodingDiagnostic(encoding, file: input.name, row: filed.row))
                    }
                    guard filed.isSubmission else {
                        counts.rejectedAtNormalize += 1
                        continue
                    }
                    // Occurrences are counted in row order, so the fingerprint does not depend on the batching.
                    let occurrence = filed.occurrenceKey.map { occurrences.next($0) } ?? 0
                    let last = submissions.count - 1
                    submissions[last].identity = occurrence == 0 ? filed.firstIdentity
                        : SubmissionFingerprint.identity(submissions[last], contentHash: filed.contentHash!, occurrence: occurrence)
                }
            }
            func flush() {
                guard let mapping, !batch.isEmpty else { return }
                file(normalizer.submit(batch, mapping: mapping, koreanAgeWording: koreanAge))
                batch = []
                batch.reserveCapacity(4096)
            }
            var report = reader.read(input.url, diagnostics: diagnostics, skipDigests: digests, skipSizes: sizesRead, decodeLater: true) { (event: consuming ExportEvent) in
                // The event is the closure's own: its record moves into the batch (a copy retained its buffers).
                switch consume event {
                case .header(let m):
                    mapping = m
                case .encoded(let record):
                    batch.append(record)
                    let last = batch.count - 1
                    if batch[last].file != input.name { batch[last].file = input.name }
                    encoding = batch[last].decoder.encoding
                    expected.record(SourceRef(file: input.name, row: batch[last].row))
                    if batch.count == 4096 { flush() }
                case .record(let raw):
                    // Not asked for (`decodeLater`); handled the same way all the same.
                    expected.record(SourceRef(file: input.name, row: raw.row))
                    batch.append(EncodedRecord(decoded: RawRecord(file: input.name, row: raw.row, cells: raw.cells)))
                    if batch.count == 4096 { flush() }
                case .unreadable(let record, let reason, let message):
                    expected.record(SourceRef(file: input.name, row: record.row))
                    let cells = mapping.map { m in
                        record.cells.enumerated().map { ExtraCell(column: $0.offset < m.headers.count ? m.headers[$0.offset] : "원본 줄", value: $0.element) }
                    } ?? []
                    rejects.append(Reject(file: input.name, row: record.row, reason: reason, message: message,
                                          column: nil, value: nil, cells: cells))
                    counts.rejectedAtRead += 1
                }
                rowsRead += 1
                if rowsRead % 50_000 == 0 { progress?(RunProgress(file: input.name, rowsRead: rowsRead)) }
            }
            flush()
            while let results = normalizer.finish() { file(results) }
            report.file = input.name
            if let sha = report.sha256, report.sameAs == nil {
                digests[sha] = input.name
                sizesRead.insert(fileBytes)
            }
            logger.info("read export", metadata: [
                "file": "\(input.name)", "encoding": "\(report.encoding?.rawValue ?? "-")",
                "rows": "\(report.dataRows)", "layout": "\(report.layout?.rawValue ?? "-")",
            ])
            counts.dataRows += report.dataRows
            counts.blankLines += report.blankLines
            reports.append(report)
        }

        normalizer.releaseMemos()
        clock.mark("read+normalize")
        if addressCheck.database != nil {
            let checked = addressCheck.verify(&submissions)
            logger.info("addresses checked", metadata: ["road_addresses": "\(checked.checked)", "found": "\(checked.found)",
                                                        "corrected": "\(checked.corrected)", "not_found": "\(checked.notFound)"])
            clock.mark("address check")
        }
        // Memory: today's submissions joined with what earlier runs saw.
        var pool = SubmissionPool(known: known, loadCarried: store.map { store in { fingerprints in try store.storedSubmissions(fingerprints) } })
        do { try pool.add(&submissions) } catch { throw .state(error) }  // the pool takes them; they are never held twice
        counts.submissions = pool.current.count
        clock.mark("pool")

        // Resolve
        var resolver = HouseholdResolver(idKey: config.idKey ?? "dolbom", weights: config.dedupe?.weights ?? MatchWeights(),
                                         decisions: try loadDecisions(diagnostics: diagnostics))
        resolver.maxBlockSize = config.dedupe?.maxBlockSize ?? resolver.maxBlockSize
        resolver.keepComparedPairs = options.keepSubmissions
        resolver.issued = known.issued
        var resolution = resolver.resolution(pool.all)
        try addressCheck.locate(&resolution.households)
        ServiceArea(names: config.serviceArea)?.mark(&resolution.households)
        let households = resolution.households
        // One warning for cron mail, the blocks themselves with --verbose: a big export can have hundreds.
        if !resolution.oversizedBlocks.isEmpty {
            let blocks = resolution.oversizedBlocks
            diagnostics.emit(Diagnostic(.warning, "dedupe_block_oversized",
                                        "같은 값(전화번호·이름·주소 등)을 가진 신청이 너무 많은 묶음 \(blocks.count)개는 모든 쌍을 비교하지 않고 이름·주소가 가까운 신청끼리만 비교했습니다(다른 값으로는 모두 비교함). 공용 번호나 기관 주소인지 확인해 주세요. 목록은 --verbose로 볼 수 있습니다."))
            for block in blocks {
                diagnostics.emit(Diagnostic(.note, "dedupe_block_oversized", "가까운 신청끼리만 비교한 묶음: \(block)"))
            }
        }
        clock.mark("resolve")
        counts.households = households.count
        counts.mergedSubmissions = pool.all.count - households.count

        // Household status from counselors' outcomes; new submissions reopen a finished household.
        let committing = store != nil && !options.dryRun
        var changes = pool.changes(households: households, known: known, withPayloads: committing)
        let reopening = known.households.isEmpty ? [] : Set(households.lazy.filter {
            known.households[$0.applicantID]?.state == .done && pool.hasNewSubmission($0)
        }.map(\.applicantID))
        // From here on the submissions are needed only for their sources, the rows under review and the issue
        // counts: let them go before statuses, planning and writing (about 850 MB at 1M rows). `dolbom explain` keeps them.
        let carriedSources = pool.carriedSources
        let issuesByCode: [String: Int]
        if !options.keepSubmissions {
            resolution.releaseSubmissions()
            issuesByCode = committing ? pool.releaseCarriedCountingIssues() : pool.releaseCountingIssues()
        } else {
            issuesByCode = Self.issueCounts(pool.current)
        }
        // Statuses by household index: planning and writing read them without hashing ids.
        var statuses: [HouseholdStatus]
        if known.households.isEmpty {
            statuses = Array(repeating: HouseholdStatus(), count: households.count)  // a first run: all open, none reopened
        } else {
            statuses = []
            statuses.reserveCapacity(households.count)
            for household in households {
                var status = known.households[household.applicantID] ?? HouseholdStatus()
                if status.state == .done, reopening.contains(household.applicantID) {
                    status = HouseholdStatus()
                    changes.reopened.append(household.applicantID)
                }
                statuses.append(status)
            }
        }
        // A visit booked at a facility that passed without a result brings the family back ("방문 결과 확인").
        let referrals = Referral.resolving(Referral.byCurrentID(known.referrals, mergedInto: changes.mergedInto),
                                           with: facilityPlan?.registry)
        var referralHouseholds: [String: Household] = [:]
        if !referrals.isEmpty {
            for i in households.indices {
                let id = households[i].applicantID
                guard let list = referrals[id] else { continue }
                referralHouseholds[id] = households[i]
                guard let (status, followUp) = VisitFollowUp.followUp(statuses[i], of: id, referrals: list, asOf: options.asOf) else { continue }
                statuses[i] = status
                changes.visitFollowUps.append(followUp)
            }
        }
        rejects.sort { $0.source < $1.source }

        clock.mark("statuses")
        // Facilities: matched before the writers start (applicants.jsonl carries the suggestions).
        // Places promised already (visits booked, registrations since each centre's vacancy count) come off the vacancies.
        let facilityMatches = facilityPlan.map { plan in
            plan.match(households, bookedReferrals: Referral.booked(referrals.values.joined(), asOf: { id in
                plan.registry[id: id]?.places.asOf ?? options.asOf
            }))
        }
        if facilityMatches != nil { clock.mark("facilities") }

        // The files that need only the households, their statuses, the rejects and the merge evidence are
        // written from here on in the background, while the run plans, checks and commits state: into a staged
        // folder that is published only after all of that succeeded (a failure discards it: nothing is written).
        var writer = OutputWriter(maskPhonesOnCallList: config.callListPhones == "masked",
                                  maskPhonesOnCallSheets: config.schedule?.callSheetPhones == "masked", asOf: options.asOf)
        writer.callHistory = CallHistory.byCurrentID(known.callHistory, mergedInto: changes.mergedInto)
        writer.referrals = referrals
        writer.referralHouseholds = referralHouseholds
        writer.writesVisits = store != nil
        writer.facilities = facilityMatches.map { FacilityOutputs(matches: $0, load: facilityPlan!.load) }
        let folder = URL(fileURLWithPath: OutputTarget.expand(options.output, asOf: options.asOf.iso, run: runID))
        let target = OutputTarget(folder: outputFolder, latest: config.latest.map { URL(fileURLWithPath: $0) }, group: config.group, named: folder)
        var staged: OutputTarget.StagedFolder?
        var pending: PendingFiles?
        if !options.dryRun {
            target.removeLeftovers()
            let stagedFolder = try target.stage()
            staged = stagedFolder
            do {
                pending = try writer.start(into: stagedFolder.url, fileMode: stagedFolder.fileMode, households: households,
                                           statuses: statuses, rejects: rejects, resolution: resolution)
            } catch {
                target.discard(stagedFolder)
                throw .cannotWrite(path: target.folder.path, reason: "\(error)")
            }
        }

        var callList: [CallListEntry] = []
        var appointments: AppointmentPlan?
        var summary: RunSummary
        var delta = pool.delta
        var written: [String] = []
        do throws(RunError) {
            // Plan: whom to call today, then (with a roster) when, over the coming working days.
            // One ranking serves both: the call list is its households due today, in the same order.
            let priority = CallListPlanner(asOf: options.asOf, priority: config.priority)
            let planner = config.schedule.flatMap { schedule in roster.map { appointmentPlanner(roster: $0, schedule: schedule, runID: runID) } }
            let lastPlannedDay = planner.map { checkHorizon($0, diagnostics: diagnostics) } ?? options.asOf
            let planned = households.indices.filter { i in
                let status = statuses[i]
                return status.state == .open && (status.nextCallOn.map { $0 <= max(lastPlannedDay, options.asOf) } ?? true)
            }
            var (ranked, rankedFrom) = priority.ranking(planned.map { households[$0] }, attempts: planned.map { statuses[$0].attempts })
            if !referrals.isEmpty {  // follow-ups opened in this run or an earlier one
                for k in ranked.indices where statuses[planned[rankedFrom[k]]].nextCallReason == .visitCheck { ranked[k].why.visitCheck = true }
            }
            // In score order the entries' households and statuses are anywhere in memory: asked for eight
            // entries ahead (see `Household.prefetchFields`), the copy's retain of each does not wait for it.
            callList.reserveCapacity(ranked.count)
            ranked.withUnsafeBufferPointer { entries in
                let ahead = CallListPlanner.HouseholdsAhead(entries)
                statuses.withUnsafeBufferPointer { statuses in
                    for k in entries.indices {
                        if k + 8 < entries.count {
                            ahead.fields(of: k + 8)
                            dolbom_prefetch(statuses.baseAddress! + planned[rankedFrom[k + 8]])
                        }
                        guard statuses[planned[rankedFrom[k]]].isDue(on: options.asOf) else { continue }
                        callList.append(entries[k])
                        callList[callList.count - 1].rank = callList.count
                    }
                }
            }
            ServiceArea.setApart(&callList)
            if let planner {
                let byID = Dictionary(zip(households.lazy.map(\.applicantID), statuses), uniquingKeysWith: { _, last in last })
                let bookable = ServiceArea.bookable(ranked, bookOutOfArea: config.schedule?.bookOutOfArea ?? false)
                let plan = try planner.plan(ranked: bookable, statuses: byID, known: known.appointments, mergedInto: changes.mergedInto)
                plan.reportMissedPromises(to: diagnostics)
                if store != nil && !options.dryRun {
                    changes.schedule = ScheduleWrite(appointments: plan.stored, changes: plan.changes)
                }
                appointments = plan
            }

            clock.mark("plan")
            let accepted = try checkInvariant(expected: expected, households: households, rejects: rejects, carried: carriedSources,
                                              readerRows: reports.map { ($0.file, $0.dataRows) })

            delta.newHouseholds = changes.newHouseholds.count
            delta.reopenedHouseholds = changes.reopened.count
            delta.purgedHouseholds = purged.households
            summary = makeSummary(reports: reports, counts: counts, accepted: accepted, households: households, rejects: rejects,
                                  issuesByCode: issuesByCode, delta: delta, statuses: statuses, callListSize: callList.count)
            summary.dedupe = RunSummary.Dedupe(pairsCompared: resolution.pairsCompared, pairsMerged: resolution.merged.count,
                                               pairsForReview: resolution.review.count, oversizedBlocks: resolution.oversizedBlocks.count,
                                               keptApartByDecision: resolution.keptApartByDecision, chainGuarded: resolution.chainGuarded)
            summary.schedule = appointments.map(RunSummary.Schedule.init)
            if store != nil { summary.referrals = RunSummary.Referrals(referrals.values.joined(), asOf: options.asOf) }
            summary.facilities = facilityPlan.map { FacilitySummary($0, matches: facilityMatches!, households: households) }
            summary.report = ReportFigures(households: households, statuses: statuses, earlier: known.households,
                                           comparedWithLastRun: store != nil, delta: delta, rejects: rejects,
                                           perFile: summary.perFile, reviewPairs: resolution.review.count,
                                           plan: appointments, asOf: options.asOf,
                                           serviceAreaSet: !(config.serviceArea ?? []).isEmpty)
            if let facilityMatches {
                summary.report?.capacity = .init(matches: facilityMatches, households: households, statuses: statuses)
            }
            if let counts = summary.referrals { summary.report?.capacity.referrals = counts.reportCounts }
            clock.mark("check+summary")
            if let staged, let pending {
                // State first, then outputs: a kill in between leaves new state and old outputs,
                // and the next run (no changes left to commit) rewrites the outputs.
                if let store, let runID {
                    do { try store.commit(changes, run: runID) } catch { throw .state(error) }
                    clock.mark("state commit")
                }
                let names: [String]
                do {
                    names = try writer.finish(pending, into: staged.url, fileMode: staged.fileMode, callList: callList,
                                              summary: summary, appointments: appointments)
                } catch {
                    if let error = error as? RunError { throw error }
                    throw .cannotWrite(path: target.folder.path, reason: "\(error)")
                }
                written = try target.publish(staged, names: names)
                clock.mark("write")
            }
        } catch {
            // Nothing is published: the background files are finished (their folder is in use) and dropped.
            pending?.wait()
            if let staged { target.discard(staged) }
            throw error
        }
        let outcome: RunOutcome = reports.contains { $0.error != nil } ? .inputUnreadable : (rejects.isEmpty ? .ok : .rowsRejected)
        return RunResult(summary: summary, outcome: outcome, households: households, rejects: rejects, callList: callList,
                         delta: delta, outputFolder: folder, written: written, runID: runID, exitCode: 0, resolution: resolution,
                         appointments: appointments, stageTimes: clock, facilities: facilityMatches)
    }

    func appointmentPlanner(roster: Roster, schedule: DolbomConfiguration.Schedule, runID: Int64?) -> AppointmentPlanner {
        let first = schedule.firstDay == "next_day" ? options.asOf.adding(days: 1) : options.asOf
        let policy = SchedulePolicy(slotMinutes: schedule.slotMinutes ?? 20, bufferMinutes: schedule.bufferMinutes ?? 10,
                                    horizonStart: first, horizonDays: schedule.horizonDays ?? 10,
                                    allowOutsideWindow: schedule.allowOutsideWindow ?? false)
        return AppointmentPlanner(policy: policy, roster: roster, holidays: KoreanHolidays(additions: schedule.holidayAdditions),
                                  asOf: options.asOf, runID: runID ?? 0)
    }

    /// The last working day planned (households waiting for a later retry day are left for a later run);
    /// warns when the bundled holiday table does not cover the planned days.
    func checkHorizon(_ planner: AppointmentPlanner, diagnostics: DiagnosticsCollector) -> LocalDate {
        let first = planner.policy.horizonStart
        let horizon = planner.horizon()
        let last = horizon.last ?? first
        if !KoreanHolidays.coveredYears.contains(first.year) || !KoreanHolidays.coveredYears.contains(last.year) {
            diagnostics.emit(Diagnostic(.warning, "holidays_not_covered",
                                        "\(first.year)년 공휴일 표가 없습니다(\(KoreanHolidays.coveredYears.lowerBound)-\(KoreanHolidays.coveredYears.upperBound)년만 포함). 설정의 schedule.holidays에 공휴일을 적어 주세요."))
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
                diagnostics.emit(Diagnostic(.warning, "decision_unreadable", p.message, file: URL(fileURLWithPath: path).lastPathComponent, row: p.row))
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
        do { return try Gazetteer(legalDongCodeText: text) } catch { throw .legalDongCodes(path: path, reason: "\(error)") }
    }

    /// Every data row read in this run must end in exactly one household's sources or one reject;
    /// households may also hold rows remembered from earlier runs (`carried`).
    @discardableResult
    func checkInvariant(expected: [SourceRef], households: [Household], rejects: [Reject], carried: Set<SourceRef> = [],
                        readerRows: [(file: String, rows: Int)]? = nil) throws(RunError) -> Int {
        var ledger = RowLedger()
        for s in expected { ledger.record(s) }
        return try checkInvariant(expected: ledger, households: households, rejects: rejects, carried: carried, readerRows: readerRows)
    }

    /// With `readerRows`, the data rows each file's reader counted (`ExportFileReport.dataRows`), kept apart from the
    /// rows the pipeline took in (`ledger`): a row counted but never handed on (or handed on but never counted)
    /// breaks the check, however the rows that were handed on landed. Returns the rows of this run's inputs that
    /// landed in households (the accepted ones).
    @discardableResult
    func checkInvariant(expected ledger: RowLedger, households: [Household], rejects: [Reject], carried: Set<SourceRef> = [],
                        readerRows: [(file: String, rows: Int)]? = nil) throws(RunError) -> Int {
        var ledger = ledger
        let expectedKeys = ledger.keys
        if let readerRows {
            let taken = ledger.rowsPerFile()
            let counted = Dictionary(readerRows, uniquingKeysWith: +)  // two inputs may share a base name
            for (file, rows) in counted.sorted(by: { $0.key < $1.key }) where taken[file, default: 0] != rows {
                throw .invariantBroken("\(file): the reader counted \(rows) data rows, \(taken[file, default: 0]) reached the pipeline")
            }
            if let unknown = taken.keys.sorted().first(where: { counted[$0] == nil }) {
                throw .invariantBroken("\(unknown): \(taken[unknown]!) rows reached the pipeline from a file the reader never counted")
            }
        }
        // Rows are recorded file by file in row order, so the keys usually come sorted already.
        var sortedExpected = expectedKeys
        if zip(sortedExpected, sortedExpected.dropFirst()).contains(where: { $0 > $1 }) { RadixSort.sort(&sortedExpected) }
        var landed: [UInt64] = []
        landed.reserveCapacity(expectedKeys.count + carried.count)
        // Households asked for ahead (see `Household.prefetchFields`) and their rows lent, not copied.
        households.withUnsafeBufferPointer { all in
            for i in all.indices {
                Household.prefetch(all, ahead: i, in: all.indices)
                all[i].sources.withUnsafeBufferPointer { sources in
                    for j in sources.indices { landed.append(ledger.key(sources[j])) }
                }
            }
        }
        for r in rejects { landed.append(ledger.key(r.source)) }
        RadixSort.sort(&landed)
        func contains(_ sorted: [UInt64], _ k: UInt64) -> Bool {
            var low = 0, high = sorted.count
            while low < high {
                let mid = (low + high) / 2
                if sorted[mid] < k { low = mid + 1 } else { high = mid }
            }
            return low < sorted.count && sorted[low] == k
        }
        if let i = sortedExpected.indices.dropFirst().first(where: { sortedExpected[$0] == sortedExpected[$0 - 1] }) {
            throw .invariantBroken("\(ledger.source(sortedExpected[i]).label) was read twice")
        }
        // One walk over both sorted lists (a binary search per row was most of this check at 1M rows).
        var missing = false
        var landedTwice: (key: UInt64, times: Int)?
        var extra: UInt64?
        var e = 0, l = 0
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
        if missing, let lost = expectedKeys.first(where: { !contains(landed, $0) }) {
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

    func makeSummary(reports: [ExportFileReport], counts: RunSummary.Counts, accepted: Int, households: [Household], rejects: [Reject],
                     issuesByCode: [String: Int], delta: RunDelta, statuses: [HouseholdStatus], callListSize: Int) -> RunSummary {
        var rejectsByReason: [String: Int] = [:]
        var rejectsByFile: [String: Int] = [:]
        for r in rejects {
            rejectsByReason[r.reason, default: 0] += 1
            rejectsByFile[r.file, default: 0] += 1
        }
        let perFile = reports.map { r in
            RunSummary.FileCounts(file: r.file, dataRows: r.dataRows, accepted: r.dataRows - (rejectsByFile[r.file] ?? 0),
                                  rejected: rejectsByFile[r.file] ?? 0)
        }
        var encodings: [String: String] = [:]
        for r in reports { encodings[r.file] = r.encoding?.rawValue ?? (r.sameAs != nil ? "same_as:\(r.sameAs!)" : "unreadable") }
        var byStatus: [String: Int] = [:]
        for s in statuses { byStatus[s.state.rawValue, default: 0] += 1 }
        let read = accepted
        return RunSummary(asOf: options.asOf.iso, inputs: reports, counts: counts, perFile: perFile,
                          rejectsByReason: rejectsByReason, issuesByCode: issuesByCode, encodings: encodings, delta: delta,
                          householdsByStatus: byStatus, callListSize: callListSize,
                          invariant: "ok: \(counts.dataRows) rows = \(read) accepted + \(rejects.count) rejects; \(pluralHouseholds(households.count))")
    }

    private func pluralHouseholds(_ n: Int) -> String { "\(n) households" }
}
