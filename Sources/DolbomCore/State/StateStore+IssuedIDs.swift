import GRDB

extension StateStore {
    /// The register of every applicant id ever issued: ids are never given twice, also after a merge
    /// (the merged-away id stays as an alias of the survivor) or a purge (the household's data goes, its id
    /// stays taken). Ids only: an id is a keyed hash and holds no personal data.
    static let issuedIDMigration = """
        CREATE TABLE issued_id (
            sequence INTEGER PRIMARY KEY AUTOINCREMENT,
            applicant_id TEXT NOT NULL UNIQUE,
            run_id INTEGER,
            alias_of TEXT
        );
        INSERT OR IGNORE INTO issued_id (applicant_id, run_id)
            SELECT applicant_id, created_run FROM household ORDER BY created_run, applicant_id;
        INSERT OR IGNORE INTO issued_id (applicant_id, run_id)
            SELECT applicant_id, MIN(first_run) FROM submission GROUP BY applicant_id ORDER BY MIN(first_run), applicant_id;
        INSERT OR IGNORE INTO issued_id (applicant_id)
            SELECT DISTINCT applicant_id FROM call_outcome ORDER BY applicant_id;
        """

    /// The issued ids and aliases, for Resolve.
    static func loadIssuedIDs(_ db: Database) throws -> IssuedIDs {
        var sequence: [String: Int64] = [:]
        var aliases: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT sequence, applicant_id, alias_of FROM issued_id") {
            let id: String = row["applicant_id"]
            sequence[id] = row["sequence"]
            if let survivor: String = row["alias_of"] { aliases[id] = survivor }
        }
        return IssuedIDs(sequence: sequence, aliases: aliases)
    }

    /// Records this run's new ids (in the order given) and the ids merged into another household.
    static func recordIssuedIDs(_ newIDs: [String], mergedInto: [String: String], run: Int64, db: Database) throws {
        let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO issued_id (applicant_id, run_id) VALUES (?, ?)")
        for id in newIDs { try insert.execute(arguments: [id, run]) }
        for (old, survivor) in mergedInto.sorted(by: { $0.key < $1.key }) {
            try insert.execute(arguments: [old, run])
            try db.execute(
                sql: "UPDATE issued_id SET alias_of = ? WHERE applicant_id = ? OR alias_of = ?",
                arguments: [survivor, old, old])
        }
    }

    /// The id a household goes by now, for an id given by a person (an alias left by a merge leads to the
    /// survivor); nil when no run ever issued it.
    public func currentApplicantID(_ id: String) throws(StateError) -> String? {
        do {
            return try queue.read { db in
                let issued = try Self.loadIssuedIDs(db)
                guard issued.contains(id) else { return nil }
                return issued.current(id)
            }
        } catch { throw .failed(path: path, reason: "\(error)") }
    }
}
