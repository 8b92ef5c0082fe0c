import DolbomFacility
import DolbomNormalize
import DolbomRuntime
import DolbomSchedule
import Foundation

/// What the run needs before it reads a row: the normalizers, the roster and the official address file.
/// Each is checked here, so a bad 법정동코드 file, roster or address file fails before an hour of reading.
struct RunSetup {
    var builder: SubmissionBuilder
    var roster: Roster?
    var addresses: AddressVerification
    /// The facility lists (`facilities:`), read and located; nil when none are configured.
    var facilities: FacilityPlan?
}

/// What Read + Normalize hand on: this run's submissions and the rows that could not be used (sorted by
/// source), the files' reports, the counts so far and every row taken in (for the row-accounting check).
struct Intake {
    var submissions: [Submission] = []
    var rejects: [Reject] = []
    var reports: [ExportFileReport] = []
    var counts = RunSummary.Counts()
    var expected = RowLedger()
}

/// What Resolve and the statuses hand on: the households, each one's status by index, the state writes
/// that make the database match, and what changed.
struct Standing {
    var resolution: Resolution
    var households: [Household]
    var statuses: [HouseholdStatus]
    var changes: StateChanges
    var delta: RunDelta
    /// Rows remembered from earlier runs' exports (they land in households without being read today).
    var carriedSources: Set<SourceRef>
    var issuesByCode: [String: Int]
    /// Visits booked at facilities, by current household id (merges followed, facilities resolved).
    var referrals: [String: [Referral]] = [:]
    /// The households those referrals belong to (for the visit pages).
    var referralHouseholds: [String: Household] = [:]
}

/// The facility suggestions of the run and the lists they came from (nil when no facilities are configured).
struct FacilityMatching {
    var plan: FacilityPlan
    var matches: FacilityMatches
}

/// The open households in call order, each with its index in `Standing.households`: what every plan
/// step reads.
struct Ranking {
    var ranked: [CallListEntry]
    var household: [Int]
}

/// What Plan hands on: the call list (the households due today, in call order) and the appointments.
/// Write takes each field to its files (`Publication` → `OutputWriter.finish`).
struct Planned {
    var callList: [CallListEntry] = []
    var appointments: AppointmentPlan?
}

/// The outputs being written into a staged folder, published only after everything else succeeded.
struct Publication {
    let writer: OutputWriter
    let target: OutputTarget
    let staged: OutputTarget.StagedFolder
    let pending: PendingFiles

    /// Nothing is published: the background files are finished (their folder is in use) and dropped.
    func abandon() {
        pending.wait()
        target.discard(staged)
    }
}

extension DolbomRun {
    /// The normalizers, the roster and the address file, loaded before the inputs are read.
    func prepare(clock: inout StageTimes, diagnostics: DiagnosticsCollector) throws(RunError) -> RunSetup {
        let config = options.configuration
        let gazetteer = try loadGazetteer()
        let roster = try config.schedule?.roster.map { path throws(RunError) in
            try RosterFile.load(URL(fileURLWithPath: path))
        }
        let addresses = try AddressVerification.load(config)
        if let db = addresses.database {
            logger.info(
                "address file loaded",
                metadata: [
                    "files": "\(db.files.count)", "lines": "\(db.lineCount)",
                    "buildings": "\(db.buildingCount)",
                ])
            clock.mark("address file")
        }
        let facilities = try FacilityPlan.read(
            config, addressDB: addresses.database, addresses: AddressNormalizer(gazetteer: gazetteer),
            asOf: options.asOf, diagnostics: diagnostics)
        let builder = SubmissionBuilder(
            asOf: options.asOf, servedAges: config.servedAges,
            addresses: AddressNormalizer(gazetteer: gazetteer))
        return RunSetup(builder: builder, roster: roster, addresses: addresses, facilities: facilities)
    }

    /// Normalize's last step, with the official address file: each road address looked up, completed or
    /// corrected (`AddressVerification.verify`). False when there is no file (nothing done).
    func verifyAddresses(_ intake: inout Intake, with addresses: AddressVerification) -> Bool {
        guard addresses.database != nil else { return false }
        let checked = addresses.verify(&intake.submissions)
        logger.info(
            "addresses checked",
            metadata: [
                "road_addresses": "\(checked.checked)", "found": "\(checked.found)",
                "corrected": "\(checked.corrected)", "not_found": "\(checked.notFound)",
            ])
        return true
    }

    /// Read + Normalize, streaming row by row: a batch is normalized in the background while the next one
    /// is read.
    func read(
        _ inputSet: InputSet, builder: SubmissionBuilder, hashesContent: Bool, diagnostics: DiagnosticsCollector,
        progress: (@Sendable (RunProgress) -> Void)?
    ) -> Intake {
        var intake = Intake()
        var digests: [String: String] = [:]
        var sizesRead: Set<Int> = []  // of the files in `digests`: only a file of one of these sizes can be one of them
        var parallel = ParallelNormalizer(builder: builder)
        parallel.hashesContent = hashesContent
        let normalizer = NormalizePipeline(parallel)
        let reader = ExportReader(configuration: options.configuration)
        for input in inputSet.inputs {
            let fileBytes = (try? FileManager.default.attributesOfItem(atPath: input.url.path)[.size] as? Int) ?? 0
            var report = read(
                input, fileBytes: fileBytes, into: &intake, reader: reader, normalizer: normalizer,
                skipping: (digests, sizesRead),
                diagnostics: diagnostics, progress: progress)
            report.file = input.name
            if let sha = report.sha256, report.sameAs == nil {
                digests[sha] = input.name
                sizesRead.insert(fileBytes)
            }
            logger.info(
                "read export",
                metadata: [
                    "file": "\(input.name)", "encoding": "\(report.encoding?.rawValue ?? "-")",
                    "rows": "\(report.dataRows)", "layout": "\(report.layout?.rawValue ?? "-")",
                ])
            intake.counts.dataRows += report.dataRows
            intake.counts.blankLines += report.blankLines
            intake.reports.append(report)
        }
        normalizer.releaseMemos()
        intake.rejects.sort { $0.source < $1.source }
        return intake
    }

    /// One export into `intake`: its rows as submissions (with their fingerprints) or rejects.
    private func read(
        _ input: InputSet.Input, fileBytes: Int, into intake: inout Intake, reader: ExportReader,
        normalizer: NormalizePipeline,
        skipping: (digests: [String: String], sizes: Set<Int>), diagnostics: DiagnosticsCollector,
        progress: (@Sendable (RunProgress) -> Void)?
    ) -> ExportFileReport {
        let config = options.configuration
        var mapping: HeaderMapping?
        let koreanAge = config.mappings(for: input.name).contains { $0.koreanAgeWording == true }
        var rowsRead = 0
        // Sized for the file (a form row is well over 200 bytes): growing a million-entry table
        // step by step rehashes it again and again.
        var occurrences = OccurrenceCounter(expected: min(fileBytes / 200, 1 << 24))
        // The same guess for the run's submissions: an array grown by doubling copied them again and
        // again into fresh memory; room reserved but never used is address space only.
        intake.submissions.reserveCapacity(intake.submissions.count + min(fileBytes / 200, 1 << 24))
        var batch: [EncodedRecord] = []
        batch.reserveCapacity(4096)
        var encoding: SourceEncoding?
        var invalidBytesReported = false
        func file(_ results: ResultBatch) {
            // moved in, not copied
            while let filed = results.take(into: &intake.submissions, rejects: &intake.rejects) {
                if let ahead = results.occurrenceKey(ahead: ReadAhead.tableDistance) { occurrences.readAhead(ahead) }
                if filed.invalidBytes && !invalidBytesReported, let encoding {
                    // The file's one warning, at its first such row (results come in row order).
                    invalidBytesReported = true
                    diagnostics.emit(ExportReader.invalidEncodingDiagnostic(encoding, file: input.name, row: filed.row))
                }
                guard filed.isSubmission else {
                    intake.counts.rejectedAtNormalize += 1
                    continue
                }
                // Occurrences are counted in row order, so the fingerprint does not depend on the batching.
                let occurrence = filed.occurrenceKey.map { occurrences.next($0) } ?? 0
                let last = intake.submissions.count - 1
                intake.submissions[last].identity =
                    occurrence == 0
                    ? filed.firstIdentity
                    : SubmissionFingerprint.identity(
                        intake.submissions[last], contentHash: filed.contentHash!, occurrence: occurrence)
            }
        }
        func flush() {
            guard let mapping, !batch.isEmpty else { return }
            file(normalizer.submit(batch, mapping: mapping, koreanAgeWording: koreanAge))
            batch = []
            batch.reserveCapacity(4096)
        }
        let report = reader.read(
            input.url, diagnostics: diagnostics, skipDigests: skipping.digests, skipSizes: skipping.sizes,
            decodeLater: true
        ) { (event: consuming ExportEvent) in
            // The event is the closure's own: its record moves into the batch (a copy retained its buffers).
            switch consume event {
            case .header(let m):
                mapping = m
            case .encoded(let record):
                batch.append(record)
                let last = batch.count - 1
                if batch[last].file != input.name { batch[last].file = input.name }
                encoding = batch[last].decoder.encoding
                intake.expected.record(SourceRef(file: input.name, row: batch[last].row))
                if batch.count == 4096 { flush() }
            case .record(let raw):
                // Not asked for (`decodeLater`); handled the same way all the same.
                intake.expected.record(SourceRef(file: input.name, row: raw.row))
                batch.append(EncodedRecord(decoded: RawRecord(file: input.name, row: raw.row, cells: raw.cells)))
                if batch.count == 4096 { flush() }
            case .unreadable(let record, let reason, let message):
                intake.expected.record(SourceRef(file: input.name, row: record.row))
                let cells =
                    mapping.map { m in
                        record.cells.enumerated().map {
                            ExtraCell(
                                column: $0.offset < m.headers.count ? m.headers[$0.offset] : "원본 줄", value: $0.element)
                        }
                    } ?? []
                intake.rejects.append(
                    Reject(
                        file: input.name, row: record.row, reason: reason, message: message,
                        column: nil, value: nil, cells: cells))
                intake.counts.rejectedAtRead += 1
            }
            rowsRead += 1
            if rowsRead % 50_000 == 0 { progress?(RunProgress(file: input.name, rowsRead: rowsRead)) }
        }
        flush()
        while let results = normalizer.finish() { file(results) }
        return report
    }

    /// Pool: today's submissions joined with what earlier runs saw. The pool takes them from `intake`, so
    /// they are never held twice.
    func pooled(_ intake: inout Intake, known: KnownState, store: StateStore?) throws(RunError) -> SubmissionPool {
        var pool = SubmissionPool(
            known: known,
            loadCarried: store.map { store in { fingerprints in try store.storedSubmissions(fingerprints) } })
        do { try pool.add(&intake.submissions) } catch { throw .state(error) }
        intake.counts.submissions = pool.current.count
        return pool
    }

    /// Resolve: the pool's submissions grouped into households, with the evidence for every merge; then each
    /// household placed (its location from the address file or the area centroids, and whether it lives in
    /// the service area).
    func resolve(
        _ pool: SubmissionPool, addresses: AddressVerification, known: KnownState,
        diagnostics: DiagnosticsCollector
    ) throws(RunError) -> Resolution {
        let config = options.configuration
        var resolver = HouseholdResolver(
            idKey: config.idKey ?? "dolbom", weights: config.dedupe?.weights ?? MatchWeights(),
            decisions: try loadDecisions(diagnostics: diagnostics))
        resolver.maxBlockSize = config.dedupe?.maxBlockSize ?? resolver.maxBlockSize
        resolver.keepComparedPairs = options.keepSubmissions
        resolver.issued = known.issued
        var resolution = resolver.resolution(pool.all)
        try addresses.locate(&resolution.households)
        ServiceArea(names: config.serviceArea)?.mark(&resolution.households)
        // One warning for cron mail, the blocks themselves with --verbose: a big export can have hundreds.
        if !resolution.oversizedBlocks.isEmpty {
            let blocks = resolution.oversizedBlocks
            diagnostics.emit(
                Diagnostic(
                    .warning, "dedupe_block_oversized",
                    "같은 값(전화번호·이름·주소 등)을 가진 신청이 너무 많은 묶음 \(blocks.count)개는 모든 쌍을 비교하지 않고 이름·주소가 가까운 신청끼리만 비교했습니다(다른 값으로는 모두 비교함). 공용 번호나 기관 주소인지 확인해 주세요. 목록은 --verbose로 볼 수 있습니다."
                ))
            for block in blocks {
                diagnostics.emit(Diagnostic(.note, "dedupe_block_oversized", "가까운 신청끼리만 비교한 묶음: \(block)"))
            }
        }
        return resolution
    }

    /// Each household's status from counselors' outcomes (new submissions reopen a finished household), and
    /// the state writes (with their payloads only when `recording`). The submissions are let go here unless
    /// `dolbom explain` keeps them: from now on only their sources, the rows under review and the issue
    /// counts are needed (about 850 MB at 1M rows).
    func statuses(
        _ resolution: consuming Resolution, pool: inout SubmissionPool, known: KnownState,
        counts: inout RunSummary.Counts, recording: Bool
    ) -> Standing {
        var resolution = resolution
        let households = resolution.households
        counts.households = households.count
        counts.mergedSubmissions = pool.all.count - households.count
        var changes = pool.changes(households: households, known: known, withPayloads: recording)
        var reopening: Set<String> = []
        if !known.households.isEmpty {
            for h in households where known.households[h.applicantID]?.state == .done && pool.hasNewSubmission(h) {
                reopening.insert(h.applicantID)
            }
        }
        let carriedSources = pool.carriedSources
        let issuesByCode: [String: Int]
        if !options.keepSubmissions {
            resolution.releaseSubmissions()
            // A committing run keeps this run's submissions for the commit that encodes them.
            issuesByCode = recording ? pool.releaseCarriedCountingIssues() : pool.releaseCountingIssues()
        } else {
            issuesByCode = Self.issueCounts(pool.current)
        }
        // By household index: planning and writing read them without hashing ids.
        var statuses: [HouseholdStatus]
        if known.households.isEmpty {
            // a first run: all open, none reopened
            statuses = Array(repeating: HouseholdStatus(), count: households.count)
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
        return Standing(
            resolution: resolution, households: households, statuses: statuses, changes: changes,
            delta: pool.delta, carriedSources: carriedSources, issuesByCode: issuesByCode)
    }

    /// A visit booked at a facility that passed without a result brings the family back ("방문 결과 확인"):
    /// its status is due again and the state remembers why.
    func followUpVisits(_ standing: inout Standing, known: KnownState, registry: FacilityRegistry?) {
        let referrals = Referral.resolving(
            Referral.byCurrentID(known.referrals, mergedInto: standing.changes.mergedInto),
            with: registry)
        standing.referrals = referrals
        guard !referrals.isEmpty else { return }
        for i in standing.households.indices {
            let id = standing.households[i].applicantID
            guard let list = referrals[id] else { continue }
            standing.referralHouseholds[id] = standing.households[i]
            guard
                let (status, followUp) = VisitFollowUp.followUp(
                    standing.statuses[i], of: id, referrals: list, asOf: options.asOf)
            else { continue }
            standing.statuses[i] = status
            standing.changes.visitFollowUps.append(followUp)
        }
    }

    /// Facilities for each household (top three, covering each child). Places already promised (visits booked,
    /// registrations since each centre's vacancy count) come off the vacancies.
    func matchFacilities(_ standing: Standing, with plan: FacilityPlan?) -> FacilityMatching? {
        guard let plan else { return nil }
        let booked = Referral.booked(
            standing.referrals.values.joined(),
            asOf: { id in
                plan.registry[id: id]?.places.asOf ?? options.asOf
            })
        return FacilityMatching(plan: plan, matches: plan.match(standing.households, bookedReferrals: booked))
    }

    /// Starts Write: the files that need only the households, their statuses, the rejects and the merge
    /// evidence are written in the background from here on, while the run plans, checks and commits state,
    /// into a staged folder. Nil for a dry run.
    func startWriting(
        _ standing: Standing, rejects: [Reject], known: KnownState, facilities: FacilityMatching?, hasState: Bool,
        into outputFolder: URL, named folder: URL
    ) throws(RunError) -> Publication? {
        guard !options.dryRun else { return nil }
        let config = options.configuration
        var writer = OutputWriter(
            maskPhonesOnCallList: config.callListPhones == "masked",
            maskPhonesOnCallSheets: config.schedule?.callSheetPhones == "masked", asOf: options.asOf)
        writer.callHistory = CallHistory.byCurrentID(known.callHistory, mergedInto: standing.changes.mergedInto)
        writer.referrals = standing.referrals
        writer.referralHouseholds = standing.referralHouseholds
        writer.writesVisits = hasState
        writer.facilities = facilities.map { FacilityOutputs(matches: $0.matches, load: $0.plan.load) }
        let target = OutputTarget(
            folder: outputFolder, latest: config.latest.map { URL(fileURLWithPath: $0) }, group: config.group,
            named: folder)
        target.removeLeftovers()
        let staged = try target.stage()
        do {
            let pending = try writer.start(
                into: staged.url, fileMode: staged.fileMode, households: standing.households,
                statuses: standing.statuses, rejects: rejects, resolution: standing.resolution)
            return Publication(writer: writer, target: target, staged: staged, pending: pending)
        } catch {
            target.discard(staged)
            throw .cannotWrite(path: target.folder.path, reason: "\(error)")
        }
    }

    /// Plan: whom to call today, then (with a roster) when, over the coming working days. One ranking
    /// serves both: the call list is its households due today, in the same order. Each step reads the
    /// ranking and adds its part to `Planned` (a further step, such as matching facilities, goes between
    /// the call list and the booking, with a field of its own in `Planned`).
    func plan(
        _ standing: inout Standing, roster: Roster?, known: KnownState, runID: Int64?, recording: Bool,
        diagnostics: DiagnosticsCollector
    ) throws(RunError) -> Planned {
        let config = options.configuration
        let planner = config.schedule.flatMap { schedule in
            roster.map { appointmentPlanner(roster: $0, schedule: schedule, runID: runID) }
        }
        let lastPlannedDay = planner.map { checkHorizon($0, diagnostics: diagnostics) } ?? options.asOf
        let ranking = rank(standing, through: lastPlannedDay)
        var planned = Planned()
        planned.callList = callList(ranking, statuses: standing.statuses)
        if let planner {
            planned.appointments = try book(
                ranking, with: planner, standing: &standing, known: known, recording: recording,
                diagnostics: diagnostics)
        }
        return planned
    }

    /// The open households due by `lastPlannedDay`, in call order (`ranked`), with the household index of each.
    func rank(_ standing: Standing, through lastPlannedDay: LocalDate) -> Ranking {
        let households = standing.households
        let statuses = standing.statuses
        let priority = CallListPlanner(asOf: options.asOf, priority: options.configuration.priority)
        let open = households.indices.filter { i in
            let status = statuses[i]
            return status.state == .open && (status.nextCallOn.map { $0 <= max(lastPlannedDay, options.asOf) } ?? true)
        }
        var (ranked, rankedFrom) = priority.ranking(
            open.map { households[$0] }, attempts: open.map { statuses[$0].attempts })
        if !standing.referrals.isEmpty {  // follow-ups opened in this run or an earlier one
            for k in ranked.indices where statuses[open[rankedFrom[k]]].nextCallReason == .visitCheck {
                ranked[k].why.visitCheck = true
            }
        }
        return Ranking(ranked: ranked, household: rankedFrom.map { open[$0] })
    }

    /// Today's call list: the ranked households due today, numbered in order; those outside the service
    /// area set apart at its end.
    func callList(_ ranking: Ranking, statuses: [HouseholdStatus]) -> [CallListEntry] {
        var callList: [CallListEntry] = []
        callList.reserveCapacity(ranking.ranked.count)
        for k in ranking.ranked.indices where statuses[ranking.household[k]].isDue(on: options.asOf) {
            callList.append(ranking.ranked[k])
            callList[callList.count - 1].rank = callList.count
        }
        ServiceArea.setApart(&callList)
        return callList
    }

    /// Appointments over the coming working days for the ranked households (those in the service area,
    /// unless the configuration books every one), kept with earlier runs' appointments; the state writes
    /// when `recording`.
    func book(
        _ ranking: Ranking, with planner: AppointmentPlanner, standing: inout Standing, known: KnownState,
        recording: Bool, diagnostics: DiagnosticsCollector
    ) throws(RunError) -> AppointmentPlan {
        let byID = Dictionary(
            zip(standing.households.lazy.map(\.applicantID), standing.statuses), uniquingKeysWith: { _, last in last })
        let bookable = ServiceArea.bookable(
            ranking.ranked, bookOutOfArea: options.configuration.schedule?.bookOutOfArea ?? false)
        let plan = try planner.plan(
            ranked: bookable, statuses: byID, known: known.appointments,
            mergedInto: standing.changes.mergedInto)
        plan.reportMissedPromises(to: diagnostics)
        if recording { standing.changes.schedule = ScheduleWrite(appointments: plan.stored, changes: plan.changes) }
        return plan
    }

    /// The row-accounting check, then the summary and the report's figures (compared with the last run when
    /// there is a state file).
    func summarize(
        _ intake: Intake, standing: inout Standing, planned: Planned, known: KnownState, hasState: Bool,
        purged: StateStore.PurgeReport, facilities: FacilityMatching?
    ) throws(RunError) -> RunSummary {
        let accepted = try checkInvariant(
            expected: intake.expected, households: standing.households, rejects: intake.rejects,
            carried: standing.carriedSources, readerRows: intake.reports.map { ($0.file, $0.dataRows) })
        standing.delta.newHouseholds = standing.changes.newHouseholds.count
        standing.delta.reopenedHouseholds = standing.changes.reopened.count
        standing.delta.purgedHouseholds = purged.households
        var summary = makeSummary(
            reports: intake.reports, counts: intake.counts, accepted: accepted, households: standing.households,
            rejects: intake.rejects, issuesByCode: standing.issuesByCode, delta: standing.delta,
            statuses: standing.statuses, callListSize: planned.callList.count)
        let resolution = standing.resolution
        summary.dedupe = RunSummary.Dedupe(
            pairsCompared: resolution.pairsCompared, pairsMerged: resolution.merged.count,
            pairsForReview: resolution.review.count, oversizedBlocks: resolution.oversizedBlocks.count,
            keptApartByDecision: resolution.keptApartByDecision, chainGuarded: resolution.chainGuarded)
        summary.schedule = planned.appointments.map(RunSummary.Schedule.init)
        summary.report = ReportFigures(
            households: standing.households, statuses: standing.statuses, earlier: known.households,
            comparedWithLastRun: hasState, delta: standing.delta, rejects: intake.rejects,
            perFile: summary.perFile, reviewPairs: resolution.review.count,
            plan: planned.appointments, asOf: options.asOf,
            serviceAreaSet: !(options.configuration.serviceArea ?? []).isEmpty)
        if hasState { summary.referrals = RunSummary.Referrals(standing.referrals.values.joined(), asOf: options.asOf) }
        if let facilities {
            summary.facilities = FacilitySummary(
                facilities.plan, matches: facilities.matches, households: standing.households)
            summary.report?.capacity = .init(
                matches: facilities.matches, households: standing.households, statuses: standing.statuses)
        }
        if let counts = summary.referrals { summary.report?.capacity.referrals = counts.reportCounts }
        return summary
    }

    /// State first, then outputs: the files are rendered while the commit ends, and published once it has
    /// (a kill in between leaves new state and old outputs, and the next run, with no changes left to commit,
    /// rewrites the outputs). Returns the names written.
    func publish(
        _ publication: Publication, standing: Standing, planned: Planned, summary: RunSummary, commit: OpenCommit?,
        clock: inout StageTimes
    ) throws(RunError) -> [String] {
        commit?.close(schedule: standing.changes.schedule)
        let staged = publication.staged
        let names: [String]
        do {
            names = try publication.writer.finish(
                publication.pending, into: staged.url, fileMode: staged.fileMode,
                callList: planned.callList, summary: summary, appointments: planned.appointments)
        } catch {
            if let error = error as? RunError { throw error }
            if let error = error as? OutputFile.Failure { throw .cannotWrite(path: error.path, reason: error.reason) }
            throw .cannotWrite(path: publication.target.folder.path, reason: "\(error)")
        }
        clock.mark("write")
        if let commit {
            do { try commit.wait() } catch { throw .state(error) }
            clock.mark("state commit")
        }
        return try publication.target.publish(staged, names: names)
    }
}
