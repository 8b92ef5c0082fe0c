import DolbomNormalize
import Foundation
import GRDB

/// One call a counselor made and how it went, as imported from their sheet.
public struct CallOutcome: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        case done = "통화완료"
        case noAnswer = "부재중"
        case wrongNumber = "번호오류"
        case refused = "상담거부"
        case callback = "재통화요청"

        /// The words counselors write for each result.
        public init?(text: String) {
            let t = text.replacingOccurrences(of: " ", with: "")
            switch t {
            case "통화완료", "완료", "상담완료", "통화함", "done": self = .done
            case "부재중", "부재", "미응답", "안받음", "no_answer": self = .noAnswer
            case "번호오류", "결번", "없는번호", "잘못된번호", "wrong_number": self = .wrongNumber
            case "상담거부", "거부", "거절", "refused": self = .refused
            case "재통화요청", "재통화", "다시전화", "callback": self = .callback
            default: return nil
            }
        }
    }

    public var applicantID: String
    public var at: LocalDateTime
    public var kind: Kind
    public var counselor: String?
    public var note: String?
    public var callbackOn: LocalDate?
    public var source: SourceRef
    /// The facility the family was guided to, the visit booked, or the result of an earlier visit (nil: none written).
    public var referral: ReferralLine? = nil
}

/// How outcomes change a household's place on the call list.
public struct CallPolicy: Sendable, Equatable {
    /// Days to wait after no answer before calling again.
    public var retryDelayDays = 2
    /// No-answers after which a household is closed as unreachable.
    public var maxAttempts = 3

    public init(retryDelayDays: Int = 2, maxAttempts: Int = 3) {
        self.retryDelayDays = retryDelayDays
        self.maxAttempts = maxAttempts
    }

    /// The household's status after one more outcome.
    public func apply(_ outcome: CallOutcome, to status: HouseholdStatus) -> HouseholdStatus {
        var s = status
        s.lastOutcome = outcome.kind.rawValue
        s.lastOutcomeAt = outcome.at.iso
        if let counselor = outcome.counselor, !counselor.isEmpty { s.counselor = counselor }
        // A family that refused is never called again, whatever comes later.
        if s.state == .refused { return s }
        switch outcome.kind {
        case .done:
            s.close(as: .done, on: outcome.at.date)
        case .noAnswer:
            s.attempts += 1
            if s.attempts >= maxAttempts {
                s.close(as: .unreachable, on: outcome.at.date)
            } else {
                s.state = .open
                s.nextCallOn = outcome.at.date.adding(days: retryDelayDays)
                s.nextCallReason = .retry
            }
        case .wrongNumber:
            s.close(as: .wrongNumber, on: outcome.at.date)
        case .refused:
            s.close(as: .refused, on: outcome.at.date)
        case .callback:
            s.state = .open
            s.closedOn = nil
            s.nextCallOn = outcome.callbackOn ?? outcome.at.date.adding(days: 1)
            // Only a day the family named is a promise; without one, any day from the next will do.
            s.nextCallReason = outcome.callbackOn == nil ? nil : .callback
        }
        return s
    }
}

extension HouseholdStatus {
    /// Closes the household on `day`: no next call is planned.
    fileprivate mutating func close(as closed: State, on day: LocalDate) {
        state = closed
        closedOn = day
        nextCallOn = nil
        nextCallReason = nil
    }
}

/// What importing an outcomes file did.
public struct OutcomeImportReport: Sendable {
    /// What happened to one outcome.
    public enum Verdict: Sendable, Equatable {
        case imported
        /// The same call (household, time, result) with the same memo and callback day is in the state already.
        case alreadyImported
        /// The same call is in the state with another memo or callback day: nothing is changed (say which).
        case conflicting(String)
        /// No household has this applicant id.
        case unknownHousehold
        /// The line's visit cells do not fit the household's referrals (say why); nothing of the line is recorded.
        case refused(String)
    }

    public var imported = 0
    public var alreadyImported = 0
    public var unknownHouseholds: [SourceRef] = []
    public var byKind: [String: Int] = [:]
    /// Referrals recorded: visits booked, facilities named without a visit, visit results.
    public var visitsBooked = 0
    public var guided = 0
    public var visitResults = 0
    /// Each outcome's verdict, by its sheet row.
    public var verdicts: [SourceRef: Verdict] = [:]

    /// Rows whose call is in the state with other content.
    public var conflicts: [SourceRef] {
        verdicts.filter { if case .conflicting = $0.value { return true } else { return false } }.map(\.key).sorted()
    }
}

extension StateStore {
    /// Records outcomes (each at most once) and updates the households, in one transaction.
    public func importOutcomes(_ outcomes: [CallOutcome], policy: CallPolicy, run: Int64) throws(StateError)
        -> OutcomeImportReport
    {
        var report = OutcomeImportReport()
        do {
            try queue.write { db in
                // A sheet printed before a merge names the merged-away id: its result goes to the survivor.
                let issued = try Self.loadIssuedIDs(db)
                for var outcome in outcomes.sorted(by: { ($0.at, $0.source) < ($1.at, $1.source) }) {
                    outcome.applicantID = issued.current(outcome.applicantID)
                    guard
                        let row = try Row.fetchOne(
                            db, sql: "SELECT * FROM household WHERE applicant_id = ?", arguments: [outcome.applicantID])
                    else {
                        report.unknownHouseholds.append(outcome.source)
                        report.verdicts[outcome.source] = .unknownHousehold
                        continue
                    }
                    // A call already in the state: the same line again, or the same call with other content.
                    if try Self.isImported(outcome, db: db) {
                        let verdict = try Self.compareWithImported(outcome, db: db)
                        report.verdicts[outcome.source] = verdict
                        if verdict == .alreadyImported { report.alreadyImported += 1 }
                        continue
                    }
                    // The visit cells are checked against the household's referrals before anything is written.
                    var referralAction: ReferralAction?
                    if let line = outcome.referral {
                        switch try Self.referralAction(line, outcome: outcome, db: db) {
                        case .failure(let refusal):
                            report.verdicts[outcome.source] = .refused(refusal.message)
                            continue
                        case .success(let action): referralAction = action
                        }
                    }
                    try db.execute(
                        sql: """
                            INSERT OR IGNORE INTO call_outcome (applicant_id, at, outcome, counselor, note, callback_on, import_run,
                                facility, visit, visit_result)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            outcome.applicantID, outcome.at.iso, outcome.kind.rawValue, outcome.counselor, outcome.note,
                            outcome.callbackOn?.iso, run, outcome.referral?.facility?.text,
                            outcome.referral?.visit?.text,
                            outcome.referral?.resultText,
                        ])
                    if let referralAction {
                        try Self.apply(referralAction, outcome: outcome, run: run, db: db)
                        switch referralAction {
                        case .book(let line):
                            if line.visit != nil { report.visitsBooked += 1 } else { report.guided += 1 }
                            if line.result != nil { report.visitResults += 1 }
                        case .result: report.visitResults += 1
                        }
                    }
                    let next = policy.apply(outcome, to: HouseholdStatus(row: row))
                    try db.execute(
                        sql: """
                            UPDATE household SET status = ?, attempts = ?, next_call_on = ?, closed_on = ?, last_outcome = ?,
                                last_outcome_at = ?, counselor = ?, next_call_reason = ? WHERE applicant_id = ?
                            """,
                        arguments: [
                            next.state.rawValue, next.attempts, next.nextCallOn?.iso, next.closedOn?.iso,
                            next.lastOutcome,
                            next.lastOutcomeAt, next.counselor, next.nextCallReason?.rawValue, outcome.applicantID,
                        ])
                    report.imported += 1
                    report.verdicts[outcome.source] = .imported
                    report.byKind[outcome.kind.rawValue, default: 0] += 1
                }
            }
        } catch { throw .failed(path: path, reason: "\(error)") }
        return report
    }

    /// An outcome already in the state (same household, time and result): the same memo and callback day make it
    /// a harmless re-import; others are a conflict to fix by hand, since the first import already moved the household.
    static func isImported(_ outcome: CallOutcome, db: Database) throws -> Bool {
        try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM call_outcome WHERE applicant_id = ? AND at = ? AND outcome = ?)",
            arguments: [outcome.applicantID, outcome.at.iso, outcome.kind.rawValue]) ?? false
    }

    static func compareWithImported(_ outcome: CallOutcome, db: Database) throws -> OutcomeImportReport.Verdict {
        let sql =
            "SELECT note, callback_on, facility, visit, visit_result FROM call_outcome WHERE applicant_id = ? AND at = ? AND outcome = ?"
        guard
            let row = try Row.fetchOne(
                db, sql: sql, arguments: [outcome.applicantID, outcome.at.iso, outcome.kind.rawValue])
        else {
            return .alreadyImported
        }
        let note: String? = row["note"]
        let callback: String? = row["callback_on"]
        let facility: String? = row["facility"]
        let visit: String? = row["visit"]
        let visitResult: String? = row["visit_result"]
        var differences: [String] = []
        if (note ?? "") != (outcome.note ?? "") { differences.append("메모") }
        if callback != outcome.callbackOn?.iso { differences.append("재통화일(이전 \(callback ?? "없음"))") }
        let line = outcome.referral
        if FacilityRef.fold(facility ?? "") != FacilityRef.fold(line?.facility?.text ?? "") {
            differences.append("안내 기관(이전 \(facility ?? "없음"))")
        }
        if visit != line?.visit?.text { differences.append("방문 예약(이전 \(visit ?? "없음"))") }
        if visitResult != line?.resultText { differences.append("방문 결과(이전 \(visitResult ?? "없음"))") }
        guard !differences.isEmpty else { return .alreadyImported }
        let call = "\(outcome.applicantID), \(outcome.at.iso.prefix(16)), \(outcome.kind.rawValue)"
        return .conflicting(
            "같은 통화(\(call))가 이미 반영되어 있는데 " + differences.joined(separator: "·")
                + "이(가) 다릅니다. 바뀐 내용은 반영하지 않았습니다.")
    }

    /// What `dolbom purge` removed.
    public struct PurgeReport: Sendable, Equatable {
        public var households = 0
        public var submissions = 0
        public var outcomes = 0
        public var byStatus: [String: Int] = [:]
    }

    /// Deletes the personal data of households closed before `before`
    /// (개인정보보호법 제21조), keeping anonymous counts in the run history.
    public func purge(closedBefore before: LocalDate, run: Int64, dryRun: Bool = false) throws(StateError)
        -> PurgeReport
    {
        var report = PurgeReport()
        do {
            try queue.write { db in
                let ids = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT applicant_id, status FROM household WHERE status != 'open' AND closed_on IS NOT NULL AND closed_on < ?
                        ORDER BY applicant_id
                        """, arguments: [before.iso])
                for row in ids {
                    let id: String = row["applicant_id"]
                    let status: String = row["status"]
                    report.byStatus[status, default: 0] += 1
                    report.submissions +=
                        try Int.fetchOne(
                            db, sql: "SELECT COUNT(*) FROM submission WHERE applicant_id = ?", arguments: [id]) ?? 0
                    report.outcomes +=
                        try Int.fetchOne(
                            db, sql: "SELECT COUNT(*) FROM call_outcome WHERE applicant_id = ?", arguments: [id]) ?? 0
                    report.households += 1
                    if dryRun { continue }
                    try db.execute(sql: "DELETE FROM submission WHERE applicant_id = ?", arguments: [id])
                    try db.execute(sql: "DELETE FROM call_outcome WHERE applicant_id = ?", arguments: [id])
                    try db.execute(sql: "DELETE FROM referral WHERE applicant_id = ?", arguments: [id])
                    try db.execute(sql: "DELETE FROM household WHERE applicant_id = ?", arguments: [id])
                    try db.execute(sql: "DELETE FROM appointment WHERE applicant_id = ?", arguments: [id])
                    try db.execute(sql: "DELETE FROM appointment_change WHERE applicant_id = ?", arguments: [id])
                }
                if !dryRun {
                    let byStatus = String(decoding: try JSONEncoder.sorted.encode(report.byStatus), as: UTF8.self)
                    try db.execute(
                        sql:
                            "INSERT INTO purge (run_id, before, households, submissions, outcomes, by_status) VALUES (?, ?, ?, ?, ?, ?)",
                        arguments: [run, before.iso, report.households, report.submissions, report.outcomes, byStatus])
                }
            }
            if !dryRun && report.households > 0 {
                // Deleted rows must not linger in free pages or the WAL.
                try queue.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                    try db.execute(sql: "VACUUM")
                }
            }
        } catch { throw .failed(path: path, reason: "\(error)") }
        return report
    }

    /// Counts for `dolbom status`.
    public struct StatusReport: Sendable {
        public var householdsByStatus: [String: Int]
        public var dueOn: Int
        public var waitingLater: Int
        public var submissions: Int
        public var lastRuns: [RunHistoryEntry]
        public var purges: [(at: String, before: String, households: Int)]
        /// Appointments in the state: on the day by counselor id, after it, and before it (no call result yet).
        public var appointmentsOnDay: [String: Int] = [:]
        public var appointmentsLater = 0
        public var appointmentsPast = 0
        /// Referrals on the day (summary.json's `referrals` counts).
        public var referrals = RunSummary.Referrals()
    }

    public func status(on day: LocalDate) throws(StateError) -> StatusReport {
        let known = try loadKnown()
        var byStatus: [String: Int] = [:]
        var due = 0
        var later = 0
        for status in known.households.values {
            byStatus[status.state.rawValue, default: 0] += 1
            if status.state == .open { if status.isDue(on: day) { due += 1 } else { later += 1 } }
        }
        let runs = try history(limit: 5)
        do {
            let purges = try queue.read { db in
                try Row.fetchAll(
                    db,
                    sql:
                        "SELECT run.started_at AS at, purge.before AS before, purge.households AS n FROM purge JOIN run ON run.id = purge.run_id ORDER BY purge.id DESC LIMIT 5"
                )
                .map { (at: $0["at"] as String, before: $0["before"] as String, households: $0["n"] as Int) }
            }
            var report = StatusReport(
                householdsByStatus: byStatus, dueOn: due, waitingLater: later, submissions: known.submissions.count,
                lastRuns: runs, purges: purges)
            report.referrals = RunSummary.Referrals(known.referrals.values.joined(), asOf: day)
            for stored in known.appointments.values {
                let date = stored.appointment.start.date
                if date == day {
                    report.appointmentsOnDay[stored.appointment.counselorID, default: 0] += 1
                } else if date > day {
                    report.appointmentsLater += 1
                } else {
                    report.appointmentsPast += 1
                }
            }
            return report
        } catch { throw .failed(path: path, reason: "\(error)") }
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
