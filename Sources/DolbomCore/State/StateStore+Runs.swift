import DolbomNormalize
import DolbomRuntime
import Foundation
import GRDB

/// A row of the run history.
public struct RunHistoryEntry: Sendable, Codable, Equatable {
    public var id: Int64
    public var startedAt: String
    public var finishedAt: String?
    public var asOf: String
    public var command: String
    public var dryRun: Bool
    public var exitCode: Int?
    public var durationMilliseconds: Int?
    public var counts: String?
    public var inputs: [Input]

    public struct Input: Sendable, Codable, Equatable {
        public var name: String
        public var sha256: String?
        public var dataRows: Int
        public var error: String?

        public init(name: String, sha256: String?, dataRows: Int, error: String?) {
            self.name = name
            self.sha256 = sha256
            self.dataRows = dataRows
            self.error = error
        }
    }
}

/// The changes one run makes, applied in one transaction.
public struct StateChanges: Sendable {
    /// One `submission` row to insert or update: 32 bytes (a first run makes one per row). Its
    /// fingerprint, content hash and place come from the run's submission it points at; a row that
    /// only moves (possibly carried from the state, with no submission of this run) keeps them itself.
    public struct SubmissionWrite: Sendable {
        public var applicantID: String
        /// Where the submission is in `StateChanges.submissions`, or -1.
        var row: Int32
        var moved: Shared<Moved>?

        struct Moved: Sendable {
            var fingerprintCode: SubmissionIdentity.Code
            var contentCode: SubmissionIdentity.Code
            var source: SourceRef
        }

        init(applicantID: String, row: Int) {
            self.applicantID = applicantID
            self.row = Int32(row)
        }

        init(applicantID: String, moved: Moved) {
            self.applicantID = applicantID
            row = -1
            self.moved = Shared(moved)
        }
    }

    /// This run's submissions the writes point into. Their JSON is made during the commit, a few
    /// thousand at a time: a first run at 1M rows would otherwise hold over a gigabyte of payloads
    /// (or a copy of every submission) until then.
    var submissions: [Submission] = []

    /// The fingerprint, content hash and place (file, row) `write` stores.
    // Both read the fields through the array's subscript, which projects a field without copying the
    // whole submission.
    func fingerprintCode(_ write: SubmissionWrite) -> SubmissionIdentity.Code {
        if let moved = write.moved?.value { return moved.fingerprintCode }
        return submissions[Int(write.row)].identity!.fingerprintCode
    }

    func key(_ write: SubmissionWrite) -> (fingerprint: String, contentHash: String, source: SourceRef) {
        if let moved = write.moved?.value { return (moved.fingerprintCode.text, moved.contentCode.text, moved.source) }
        let row = Int(write.row)
        return (submissions[row].identity!.fingerprint, submissions[row].identity!.contentHash, submissions[row].source)
    }

    /// What the `submission` row of `write` stores besides its household id: its fingerprint, content hash and
    /// place, and the submission as stored (without what belongs to this run only: where else it was seen, its
    /// identity and household id, which have columns of their own), as JSON (`StatePayload`). Made for a
    /// chunk of rows at a time on every core while the transaction stores the chunk before.
    func stored(_ write: SubmissionWrite) -> StoredRow {
        guard write.row >= 0 else {
            let (fingerprint, contentHash, source) = key(write)
            return StoredRow(fingerprint: fingerprint, contentHash: contentHash, source: source, payload: "")
        }
        return Self.stored(submissions[Int(write.row)])
    }

    private static func stored(_ s: Submission) -> StoredRow {
        StoredRow(
            fingerprint: s.identity!.fingerprint, contentHash: s.identity!.contentHash, source: s.source,
            payload: String(decoding: StatePayload.encodeStored(s), as: UTF8.self))
    }

    struct StoredRow: Sendable {
        var fingerprint: String
        var contentHash: String
        var source: SourceRef
        var payload: String
    }

    public var inserted: [SubmissionWrite] = []
    public var updated: [SubmissionWrite] = []
    /// Seen again unchanged, but at another file or row (or now in another household).
    public var relocated: [SubmissionWrite] = []
    /// The time stays a value until the commit formats it (a string per household would cost ~35 MB at 1M rows).
    public var newHouseholds: [(id: String, firstSubmittedAt: LocalDateTime?)] = []
    /// Closed (done) households that sent a new submission after closing.
    public var reopened: [String] = []
    /// Households whose ids were merged into another (id → surviving id).
    public var mergedInto: [String: String] = [:]
    /// The plan to remember (nil: no roster, leave the stored appointments alone).
    public var schedule: ScheduleWrite?
    /// Households called again because a booked visit passed without a result.
    public var visitFollowUps: [VisitFollowUp] = []

    public init() {}

    public var isEmpty: Bool {
        inserted.isEmpty && updated.isEmpty && relocated.isEmpty && newHouseholds.isEmpty && reopened.isEmpty
            && mergedInto.isEmpty
            && schedule == nil && visitFollowUps.isEmpty
    }
}

extension StateStore {
    static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "Asia/Seoul")
        return formatter.string(from: Date())
    }

    /// Records the start of a run in the history (its own small transaction, so an interrupted run shows up).
    public func beginRun(asOf: LocalDate, command: String, dryRun: Bool) throws(StateError) -> Int64 {
        do {
            return try queue.write { db in
                try db.execute(
                    sql: "INSERT INTO run (started_at, as_of, command, dry_run) VALUES (?, ?, ?, ?)",
                    arguments: [Self.timestamp(), asOf.iso, command, dryRun])
                return db.lastInsertedRowID
            }
        } catch { throw .failed(path: path, reason: "\(error)") }
    }

    /// Closes a run's history row with its outcome.
    public func finishRun(
        _ id: Int64, exitCode: Int32, durationMilliseconds: Int, counts: String?, inputs: [RunHistoryEntry.Input]
    ) {
        try? queue.write { db in
            try db.execute(
                sql: "UPDATE run SET finished_at = ?, exit_code = ?, duration_ms = ?, counts = ? WHERE id = ?",
                arguments: [Self.timestamp(), Int(exitCode), durationMilliseconds, counts, id])
            for input in inputs {
                try db.execute(
                    sql: "INSERT INTO run_input (run_id, name, sha256, data_rows, error) VALUES (?, ?, ?, ?, ?)",
                    arguments: [id, input.name, input.sha256, input.dataRows, input.error])
            }
        }
    }

    public func history(limit: Int = 20) throws(StateError) -> [RunHistoryEntry] {
        do {
            return try queue.read { db in
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM run ORDER BY id DESC LIMIT ?", arguments: [limit])
                return try rows.map { row in
                    let id: Int64 = row["id"]
                    let inputs = try Row.fetchAll(
                        db, sql: "SELECT * FROM run_input WHERE run_id = ? ORDER BY rowid", arguments: [id]
                    ).map {
                        RunHistoryEntry.Input(
                            name: $0["name"], sha256: $0["sha256"], dataRows: $0["data_rows"], error: $0["error"])
                    }
                    return RunHistoryEntry(
                        id: id, startedAt: row["started_at"], finishedAt: row["finished_at"], asOf: row["as_of"],
                        command: row["command"], dryRun: row["dry_run"], exitCode: row["exit_code"],
                        durationMilliseconds: row["duration_ms"], counts: row["counts"], inputs: inputs)
                }
            }
        } catch { throw .failed(path: path, reason: "\(error)") }
    }

    /// Everything Resolve and Plan need from earlier runs.
    public func loadKnown() throws(StateError) -> KnownState {
        do {
            return try queue.read { db in
                var known = KnownState()
                for row in try Row.fetchAll(
                    db, sql: "SELECT fingerprint, content_hash, applicant_id, file, row, first_run FROM submission")
                {
                    let fingerprint: String = row["fingerprint"]
                    known.submissions[fingerprint] = KnownState.StoredSubmission(
                        contentHash: row["content_hash"], applicantID: row["applicant_id"],
                        source: SourceRef(file: row["file"], row: row["row"]), firstRun: row["first_run"])
                }
                for row in try Row.fetchAll(db, sql: "SELECT * FROM household") {
                    let id: String = row["applicant_id"]
                    known.households[id] = HouseholdStatus(row: row)
                    known.householdCreatedRun[id] = row["created_run"]
                }
                known.appointments = try Self.loadAppointments(db)
                known.callHistory = try Self.loadCallHistory(db)
                known.issued = try Self.loadIssuedIDs(db)
                known.referrals = try Self.loadReferrals(db)
                return known
            }
        } catch { throw .failed(path: path, reason: "\(error)") }
    }

    /// The stored submissions with these fingerprints, decoded (for those carried from earlier runs).
    public func storedSubmissions(_ fingerprints: [String]) throws(StateError) -> [String: Submission] {
        guard !fingerprints.isEmpty else { return [:] }
        do {
            return try queue.read { db in
                var out: [String: Submission] = [:]
                out.reserveCapacity(fingerprints.count)
                let decoder = JSONDecoder()
                var start = 0
                while start < fingerprints.count {
                    let chunk = Array(fingerprints[start..<min(start + 500, fingerprints.count)])
                    let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                    for row in try Row.fetchAll(
                        db, sql: "SELECT fingerprint, payload FROM submission WHERE fingerprint IN (\(marks))",
                        arguments: StatementArguments(chunk))
                    {
                        let payload: String = row["payload"]
                        out[row["fingerprint"]] = try decoder.decode(Submission.self, from: Data(payload.utf8))
                    }
                    start += 500
                }
                return out
            }
        } catch { throw .failed(path: path, reason: "\(error)") }
    }

    /// Calls `body` for each write with what its row stores (`StateChanges.stored`). Rows are made a chunk at a
    /// time on every core, the next chunk while `body` stores this one (only two chunks' JSON are held at once):
    /// the thread that holds the transaction only binds and inserts.
    static func withStoredRows(
        _ writes: [StateChanges.SubmissionWrite], of changes: StateChanges,
        _ body: (StateChanges.SubmissionWrite, StateChanges.StoredRow) throws -> Void
    ) throws {
        let chunk = 8192
        func encoded(_ range: Range<Int>) -> Ahead<[StateChanges.StoredRow]> {
            Ahead { ParallelMap.map(count: range.count, chunk: 512) { changes.stored(writes[range.lowerBound + $0]) } }
        }
        var range = 0..<min(writes.count, chunk)
        var next = encoded(range)
        while !range.isEmpty {
            let rows = next.value()
            let following = range.upperBound..<min(writes.count, range.upperBound + chunk)
            if !following.isEmpty { next = encoded(following) }
            for (i, k) in range.enumerated() { try body(writes[k], rows[i]) }
            range = following
        }
    }

    /// Page cache of the connection while it commits a run, in KiB (SQLite's own default is 2 MiB). Pages
    /// are taken only as the transaction needs them: a nightly run of a few thousand rows uses little of it.
    static let commitCacheKiB = 64 * 1024

    /// `writes` ordered by the leading bytes of their fingerprints (the order of the stored hex text).
    static func inFingerprintOrder(_ writes: [StateChanges.SubmissionWrite], of changes: StateChanges) -> [StateChanges
        .SubmissionWrite]
    {
        var keyed: [(high: UInt64, low: UInt64)] = writes.indices.map { i in
            guard case .digest(let leading, _, _, _) = changes.fingerprintCode(writes[i]) else { return (0, UInt64(i)) }
            return (leading, UInt64(i))
        }
        RadixSort.sort(&keyed)
        return keyed.map { writes[Int($0.low)] }
    }

    /// A commit storing this many new submissions or more (a first run over an export, not a night's few new
    /// rows) goes through a rollback journal instead of the WAL. Low enough that the kill test's first run
    /// (4,000 rows) takes this path.
    static let bulkInsertRows = 2_000

    /// The index of stored submissions by applicant id, as migration v1 creates it.
    static let submissionApplicantIndex = "CREATE INDEX submission_applicant ON submission(applicant_id)"

    /// Applies one run's changes atomically.
    public func commit(_ changes: StateChanges, run: Int64) throws(StateError) {
        try commit(changes, run: run, schedule: { changes.schedule })
    }

    /// Starts committing a run's changes on a thread of its own as soon as its submissions and households are
    /// known, so the rows go in while the run plans and writes; the schedule, known after planning, ends it
    /// (`OpenCommit.close`). Until the commit has ended, the run must not use this store otherwise.
    public func beginCommit(_ changes: StateChanges, run: Int64) -> OpenCommit {
        let rest = Handoff<ScheduleWrite??>()
        let outcome = Ahead<StateError?>.onOwnThread { [self] in
            do throws(StateError) {
                try commit(changes, run: run, schedule: { rest.take() })
                return nil
            } catch {
                return error
            }
        }
        return OpenCommit(rest: rest, outcome: outcome)
    }

    /// `changes` with the schedule `schedule()` gives once the other writes are made, all in one transaction;
    /// `schedule()` gives nil to abandon it (nothing is written).
    private func commit(_ changes: StateChanges, run: Int64, schedule: () -> ScheduleWrite??) throws(StateError) {
        var changes = changes
        if changes.isEmpty {
            // Nothing to write but perhaps the schedule: no transaction is opened before it is known.
            guard let last = schedule() else { return }
            changes.schedule = last
            guard !changes.isEmpty else { return }
            return try commit(changes, run: run, schedule: { last })
        }
        // In WAL mode every new page is written twice: into the WAL at the commit, then into the file at the
        // checkpoint. A first run stores a kilobyte per row (a gigabyte at 1M rows), so its commit uses a
        // rollback journal, which holds only the few pages the commit changes rather than adds, and is as safe
        // against a kill (a hot journal is rolled back at the next open). WAL comes back right after; while
        // the commit runs, `dolbom status` waits (busy timeout) instead of reading the state before it. When
        // another connection holds the file, the mode stays WAL.
        let bulk = changes.inserted.count >= Self.bulkInsertRows
        if bulk { try? queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode = DELETE") } }
        defer {
            if bulk { try? queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode = WAL") } }
        }
        do {
            try queue.write { db in
                // One prepared statement per kind of write, not one per row: a first run stores every row.
                let insert = try db.cachedStatement(
                    sql: """
                        INSERT INTO submission (fingerprint, content_hash, applicant_id, payload, file, row, first_run, updated_run)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                // A first run stores every row of a big export in one transaction. SQLite's default page cache
                // (2 MB) cannot hold the two indexes it grows, so pages were spilled to the WAL and read back
                // for almost every row; a larger cache for this connection, and inserts in fingerprint order
                // (the primary-key index then grows at its right edge), keep them in memory until the commit.
                try db.execute(sql: "PRAGMA cache_size = -\(Self.commitCacheKiB)")
                // Into an empty table (a first run), the index by applicant id is built once after the rows
                // (one sort) instead of taking each row at a random place: same index, in the same transaction.
                let empty = try Bool.fetchOne(db, sql: "SELECT NOT EXISTS (SELECT 1 FROM submission)") ?? false
                let rebuildIndex = bulk && empty
                if rebuildIndex { try db.execute(sql: "DROP INDEX submission_applicant") }
                try Self.withStoredRows(Self.inFingerprintOrder(changes.inserted, of: changes), of: changes) {
                    s, stored in
                    try insert.execute(arguments: [
                        stored.fingerprint, stored.contentHash, s.applicantID, stored.payload,
                        stored.source.file, stored.source.row, run, run,
                    ])
                }
                if rebuildIndex { try db.execute(sql: Self.submissionApplicantIndex) }
                let update = try db.cachedStatement(
                    sql: """
                        UPDATE submission SET content_hash = ?, applicant_id = ?, payload = ?, file = ?, row = ?, updated_run = ?
                        WHERE fingerprint = ?
                        """)
                try Self.withStoredRows(changes.updated, of: changes) { s, stored in
                    try update.execute(arguments: [
                        stored.contentHash, s.applicantID, stored.payload,
                        stored.source.file, stored.source.row, run, stored.fingerprint,
                    ])
                }
                let relocate = try db.cachedStatement(
                    sql: "UPDATE submission SET applicant_id = ?, file = ?, row = ? WHERE fingerprint = ?")
                for s in changes.relocated {
                    let key = changes.key(s)
                    try relocate.execute(arguments: [s.applicantID, key.source.file, key.source.row, key.fingerprint])
                }
                let newHousehold = try db.cachedStatement(
                    sql: "INSERT INTO household (applicant_id, created_run, first_submitted_at) VALUES (?, ?, ?)")
                for h in changes.newHouseholds {
                    try newHousehold.execute(arguments: [h.id, run, h.firstSubmittedAt?.iso])
                }
                // Issued in order of the families' first submissions: "the earlier id" of a merge is the older family's.
                let issuedOrder = changes.newHouseholds.sorted { a, b in
                    switch (a.firstSubmittedAt, b.firstSubmittedAt) {
                    case (let x?, let y?) where x != y: return x < y
                    case (_?, nil): return true
                    case (nil, _?): return false
                    default: return a.id < b.id
                    }
                }
                try Self.recordIssuedIDs(issuedOrder.map(\.id), mergedInto: changes.mergedInto, run: run, db: db)
                for id in changes.reopened {
                    try db.execute(
                        sql:
                            "UPDATE household SET status = 'open', closed_on = NULL, attempts = 0, next_call_on = NULL WHERE applicant_id = ?",
                        arguments: [id])
                }
                for (old, survivor) in changes.mergedInto.sorted(by: { $0.key < $1.key }) {
                    // The same call (time and result) imported under both ids is one call: the survivor's row stays
                    // (a plain UPDATE broke the UNIQUE key and failed the whole commit).
                    try db.execute(
                        sql: "UPDATE OR IGNORE call_outcome SET applicant_id = ? WHERE applicant_id = ?",
                        arguments: [survivor, old])
                    try db.execute(sql: "DELETE FROM call_outcome WHERE applicant_id = ?", arguments: [old])
                    // The same call and facility under both ids is one referral typed twice: the survivor's stays.
                    try db.execute(
                        sql: "UPDATE OR IGNORE referral SET applicant_id = ? WHERE applicant_id = ?",
                        arguments: [survivor, old])
                    try db.execute(sql: "DELETE FROM referral WHERE applicant_id = ?", arguments: [old])
                    try db.execute(
                        sql: "UPDATE appointment_change SET applicant_id = ? WHERE applicant_id = ?",
                        arguments: [survivor, old])
                    try db.execute(sql: "DELETE FROM household WHERE applicant_id = ?", arguments: [old])
                }
                for f in changes.visitFollowUps {
                    try db.execute(
                        sql: f.reopens
                            ? "UPDATE household SET status = 'open', closed_on = NULL, attempts = 0, next_call_on = ?, next_call_reason = 'visit_check' WHERE applicant_id = ?"
                            : "UPDATE household SET next_call_on = ?, next_call_reason = 'visit_check' WHERE applicant_id = ?",
                        arguments: [f.dueOn.iso, f.applicantID])
                }
                guard let last = schedule() else { throw Abandoned() }
                if let last { try Self.writeSchedule(last, run: run, db: db) }
            }
        } catch is Abandoned {
            return
        } catch { throw .failed(path: path, reason: "\(error)") }
    }

    /// Thrown inside a transaction the run abandoned: it is rolled back.
    private struct Abandoned: Error {}
}

/// A run's commit under way (`StateStore.beginCommit`): it writes the submissions and households, then waits
/// for the schedule.
public struct OpenCommit: Sendable {
    let rest: Handoff<ScheduleWrite??>
    let outcome: Ahead<StateError?>

    /// Hands over the schedule (nil: none to remember); the commit then ends on its own.
    public func close(schedule: ScheduleWrite?) { rest.give(.some(schedule)) }

    /// Blocks until the commit has ended; throws its failure.
    public func wait() throws(StateError) {
        if let error = outcome.value() { throw error }
    }

    /// Rolls the commit back, unless it was closed (then waits for it to end): the run failed first.
    public func abandon() {
        rest.give(nil)
        _ = outcome.value()
    }
}

extension HouseholdStatus {
    /// Reads a `household` table row.
    init(row: Row) {
        self.init()
        state = State(rawValue: row["status"]) ?? .open
        attempts = row["attempts"]
        nextCallOn = (row["next_call_on"] as String?).flatMap(LocalDate.init(iso:))
        nextCallReason = (row["next_call_reason"] as String?).flatMap(NextCallReason.init(rawValue:))
        closedOn = (row["closed_on"] as String?).flatMap(LocalDate.init(iso:))
        lastOutcome = row["last_outcome"]
        lastOutcomeAt = row["last_outcome_at"]
        counselor = row["counselor"]
    }
}
