import Foundation
import GRDB

/// What dolbom remembers between runs, in one SQLite file: submissions seen
/// (by a fingerprint that ignores file names and row positions), households
/// with their stable ids and call status, counselors' call outcomes, and the
/// run history. Every run changes it in one transaction.
///
/// The file holds personal data: it is created owner-only (0600), and
/// `dolbom purge` removes closed households after the retention period.
public final class StateStore: Sendable {
    public let path: String
    let queue: DatabaseQueue

    /// Opens (creating and migrating if needed) the state file.
    public init(path: String, fileMode: mode_t = 0o600) throws(StateError) {
        self.path = path
        let existed = FileManager.default.fileExists(atPath: path)
        if !existed {
            // Made by the run lock already in a run (with the configured group); 0750 here when the file is for a group.
            try? FolderAccess(mode: fileMode & 0o040 != 0 ? 0o750 : 0o700, gid: nil).create(
                RealPath.parent(RealPath.absolute(path)))
            let fd = open(path, O_CREAT | O_WRONLY | O_EXCL, fileMode)
            if fd < 0 { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
            close(fd)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.writeWithoutTransaction { db in
                // Applies to a new file only (an existing one keeps its pages). Stored submissions are about a
                // kilobyte: 4 KiB pages leave much of each page empty, and the WAL writes every page with calls
                // of its own, so larger pages make a first run's commit (every row stored) far fewer writes.
                try db.execute(sql: "PRAGMA page_size = \(Self.pageSize)")
                // WAL survives a kill at any point and lets `dolbom status` read during a run.
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            try Self.migrator.migrate(queue)
        } catch {
            throw .cannotOpen(path: path, reason: "\(error)")
        }
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            chmod(path + suffix, fileMode)
        }
    }

    /// Page size of a new state file, in bytes.
    static let pageSize = 16384

    /// Versioned schema; a migration is never edited once released, only added.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE run (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        started_at TEXT NOT NULL,
                        finished_at TEXT,
                        as_of TEXT NOT NULL,
                        command TEXT NOT NULL,
                        dry_run INTEGER NOT NULL DEFAULT 0,
                        exit_code INTEGER,
                        duration_ms INTEGER,
                        counts TEXT
                    );
                    CREATE TABLE run_input (
                        run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                        name TEXT NOT NULL,
                        sha256 TEXT,
                        data_rows INTEGER NOT NULL,
                        error TEXT
                    );
                    CREATE TABLE submission (
                        fingerprint TEXT PRIMARY KEY,
                        content_hash TEXT NOT NULL,
                        applicant_id TEXT NOT NULL,
                        payload TEXT NOT NULL,
                        file TEXT NOT NULL,
                        row INTEGER NOT NULL,
                        first_run INTEGER NOT NULL,
                        updated_run INTEGER NOT NULL
                    );
                    CREATE INDEX submission_applicant ON submission(applicant_id);
                    CREATE TABLE household (
                        applicant_id TEXT PRIMARY KEY,
                        created_run INTEGER NOT NULL,
                        first_submitted_at TEXT,
                        status TEXT NOT NULL DEFAULT 'open',
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_call_on TEXT,
                        closed_on TEXT,
                        last_outcome TEXT,
                        last_outcome_at TEXT,
                        counselor TEXT
                    );
                    CREATE TABLE call_outcome (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        applicant_id TEXT NOT NULL,
                        at TEXT NOT NULL,
                        outcome TEXT NOT NULL,
                        counselor TEXT,
                        note TEXT,
                        callback_on TEXT,
                        import_run INTEGER,
                        UNIQUE (applicant_id, at, outcome)
                    );
                    CREATE TABLE purge (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        run_id INTEGER NOT NULL REFERENCES run(id),
                        before TEXT NOT NULL,
                        households INTEGER NOT NULL,
                        submissions INTEGER NOT NULL,
                        outcomes INTEGER NOT NULL,
                        by_status TEXT NOT NULL
                    );
                    """)
        }
        // Each later migration is one SQL script, kept beside the code that reads its tables.
        for (name, sql) in [
            ("v2-appointments", appointmentMigration), ("v3-issued-ids", issuedIDMigration),
            ("v4-call-history", callHistoryMigration), ("v5-referrals", referralMigration),
        ] {
            migrator.registerMigration(name) { db in try db.execute(sql: sql) }
        }
        return migrator
    }

    /// Schema version names applied, for `dolbom status`.
    public func appliedMigrations() throws -> [String] {
        try queue.read { db in try Self.migrator.appliedMigrations(db) }
    }

    /// `PRAGMA integrity_check` — "ok" when the file is sound.
    public func integrityCheck() throws -> String {
        try queue.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "unknown" }
    }
}

public enum StateError: Error, CustomStringConvertible, Equatable {
    case cannotOpen(path: String, reason: String)
    case failed(path: String, reason: String)
    case locked(path: String, holder: String)
    case cannotLock(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): return "\(path): cannot open the state database: \(reason)"
        case .failed(let path, let reason): return "\(path): state database error: \(reason)"
        case .cannotLock(let path, let reason): return "\(path): cannot take the run lock: \(reason)"
        case .locked(let path, let holder):
            return "another dolbom run is using \(path) (\(holder)); try again when it has finished"
        }
    }
}
