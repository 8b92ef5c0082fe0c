import DolbomNormalize
import GRDB

/// A household's calls so far, from the imported results sheets: what the next counselor should know
/// before dialling (the last result, who called and when, how many times, and every memo).
///
/// Kept in the `call_outcome` table, which holds each imported call once; memos are counselors' own
/// words and go only into the files counselors read, never into logs.
public struct CallHistory: Sendable, Hashable {
    public struct Call: Sendable, Hashable {
        public var at: LocalDateTime
        /// The result as the sheet names it (`통화완료`, `부재중`, `번호오류`, `상담거부`, `재통화요청`).
        public var outcome: String
        /// The counselor id (or name) the sheet gave.
        public var counselor: String?
        public var note: String?
        public var callbackOn: LocalDate?

        public init(at: LocalDateTime, outcome: String, counselor: String?, note: String?, callbackOn: LocalDate?) {
            self.at = at
            self.outcome = outcome
            self.counselor = counselor
            self.note = note
            self.callbackOn = callbackOn
        }
    }

    /// Oldest first.
    public var calls: [Call]

    public init(calls: [Call]) { self.calls = calls.sorted { $0.at < $1.at } }

    public var last: Call? { calls.last }
    /// Calls made so far, whatever their result.
    public var attempts: Int { calls.count }
    public var noAnswers: Int { calls.filter { $0.outcome == CallOutcome.Kind.noAnswer.rawValue }.count }
    /// The calls that left a memo, oldest first.
    public var memos: [Call] { calls.filter { !($0.note ?? "").isEmpty } }

    /// Histories by the household they now belong to: when Resolve merges two households in a run, the survivor
    /// carries both families' calls (the state moves them at the commit).
    public static func byCurrentID(_ histories: [String: CallHistory], mergedInto: [String: String]) -> [String:
        CallHistory]
    {
        guard !mergedInto.isEmpty else { return histories }
        var out: [String: CallHistory] = [:]
        for (id, history) in histories {
            let owner = mergedInto[id] ?? id
            out[owner] = CallHistory(calls: (out[owner]?.calls ?? []) + history.calls)
        }
        return out
    }
}

extension StateStore {
    /// `v4-call-history`: the reason a next-call day was set (a dated callback or a retry: promised days the
    /// scheduler keeps), and an index to read a household's calls in order.
    static let callHistoryMigration = """
        ALTER TABLE household ADD COLUMN next_call_reason TEXT;
        CREATE INDEX call_outcome_applicant ON call_outcome(applicant_id, at);
        UPDATE household SET next_call_reason = 'retry'
            WHERE status = 'open' AND next_call_on IS NOT NULL AND last_outcome = '부재중';
        UPDATE household SET next_call_reason = 'callback'
            WHERE status = 'open' AND next_call_on IS NOT NULL AND last_outcome = '재통화요청'
            AND EXISTS (SELECT 1 FROM call_outcome c WHERE c.applicant_id = household.applicant_id
                        AND c.callback_on = household.next_call_on);
        """

    static func loadCallHistory(_ db: Database) throws -> [String: CallHistory] {
        var calls: [String: [CallHistory.Call]] = [:]
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT applicant_id, at, outcome, counselor, note, callback_on FROM call_outcome ORDER BY applicant_id, at, id
                """)
        while let row = try rows.next() {
            guard let at = LocalDateTime(iso: row["at"]) else { continue }
            let call = CallHistory.Call(
                at: at, outcome: row["outcome"], counselor: row["counselor"], note: row["note"],
                callbackOn: (row["callback_on"] as String?).flatMap(LocalDate.init(iso:)))
            calls[row["applicant_id"], default: []].append(call)
        }
        return calls.mapValues { CallHistory(calls: $0) }
    }

    /// One household's calls (after following a merged-away id), for `dolbom explain`; nil when it has none.
    public func callHistory(applicantID: String) throws(StateError) -> CallHistory? {
        do {
            return try queue.read { db in
                let id = try Self.loadIssuedIDs(db).current(applicantID)
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT at, outcome, counselor, note, callback_on FROM call_outcome WHERE applicant_id = ? ORDER BY at, id
                        """, arguments: [id])
                let calls = rows.compactMap { row -> CallHistory.Call? in
                    guard let at = LocalDateTime(iso: row["at"]) else { return nil }
                    return CallHistory.Call(
                        at: at, outcome: row["outcome"], counselor: row["counselor"], note: row["note"],
                        callbackOn: (row["callback_on"] as String?).flatMap(LocalDate.init(iso:)))
                }
                return calls.isEmpty ? nil : CallHistory(calls: calls)
            }
        } catch { throw .failed(path: path, reason: "\(error)") }
    }
}
