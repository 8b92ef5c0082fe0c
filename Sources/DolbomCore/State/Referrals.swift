import DolbomNormalize
import GRDB

/// A family guided to a facility during a call (`안내 기관`), with the visit booked (`방문 예약`) and, once a later
/// call asks, what came of it (`방문 결과`). Kept in the `referral` table, one row per call and facility; a
/// referral whose visit day has passed without a result brings the family back to the call list ("방문 결과 확인").
public struct Referral: Sendable, Hashable {
    public var id: Int64
    public var applicantID: String
    public var facility: FacilityRef
    /// nil: the family was told about the facility, no visit was booked.
    public var visit: VisitTime?
    /// The counselor of the call that booked it (id or name as the sheet gave it).
    public var counselor: String?
    /// The call that booked it.
    public var callAt: LocalDateTime
    /// That call's memo (the counselor's words: shown to counselors and facilities, never logged).
    public var memo: String?
    public var result: VisitResult?
    public var resultNote: String?
    /// The call that reported the result.
    public var resultAt: LocalDateTime?

    /// Where a referral stands on a day.
    public enum Stage: String, Sendable, CaseIterable {
        /// Told about the facility, no visit booked.
        case guided
        /// The visit is today or later.
        case upcoming
        /// The visit day has passed and no result came in: call the family ("방문 결과 확인").
        case overdue
        case registered, waitlisted, declined

        /// The words on the sheets.
        public var korean: String {
            switch self {
            case .guided: return "안내만 함"
            case .upcoming: return "방문 예정"
            case .overdue: return "방문 결과 확인"
            case .registered: return VisitResult.registered.rawValue
            case .waitlisted: return VisitResult.waitlisted.rawValue
            case .declined: return VisitResult.declined.rawValue
            }
        }
    }

    public func stage(asOf day: LocalDate) -> Stage {
        switch result {
        case .registered?: return .registered
        case .waitlisted?: return .waitlisted
        case .declined?: return .declined
        case nil:
            guard let visit else { return .guided }
            return visit.date < day ? .overdue : .upcoming
        }
    }

    /// Referrals by the household they now belong to (merged-away ids lead to the survivor, as the state moves them
    /// at the commit), each household's oldest first.
    public static func byCurrentID(_ referrals: [String: [Referral]], mergedInto: [String: String]) -> [String:
        [Referral]]
    {
        guard !mergedInto.isEmpty else { return referrals }
        var out: [String: [Referral]] = [:]
        for (id, list) in referrals {
            let owner = mergedInto[id] ?? id
            out[owner, default: []] += list.map {
                var r = $0
                r.applicantID = owner
                return r
            }
        }
        return out.mapValues { $0.sorted { ($0.callAt, $0.id) < ($1.callAt, $1.id) } }
    }

    /// Places each facility has promised already, for the matcher to take off its vacancies: facility id → visits
    /// booked and not yet resulted (overdue ones too: the family may still come), plus those registered (`등록`)
    /// after a visit on or after `asOf` (the day the facility's vacancy count was reported; a registration from
    /// an earlier visit is in that count already). Referrals to a facility the registry did not resolve count for none.
    public static func booked(_ referrals: some Sequence<Referral>, asOf: LocalDate) -> [String: Int] {
        booked(referrals, asOf: { _ in asOf })
    }

    /// `booked`, with each facility's own vacancy day (`asOf(id)`: the day its vacancy sheet line was reported).
    public static func booked(_ referrals: some Sequence<Referral>, asOf: (String) -> LocalDate) -> [String: Int] {
        var out: [String: Int] = [:]
        for r in referrals {
            guard let id = r.facility.id, let visit = r.visit else { continue }
            switch r.result {
            case nil: out[id, default: 0] += 1
            case .registered? where visit.date >= asOf(id): out[id, default: 0] += 1
            default: break
            }
        }
        return out
    }
}

extension Referral {
    /// Referrals whose facility was kept as written (no registry at the import) named by the registry now, when
    /// exactly one facility fits the text: they then count against its places and show its name.
    public static func resolving(_ referrals: [String: [Referral]], with directory: (any FacilityDirectory)?)
        -> [String: [Referral]]
    {
        guard let directory else { return referrals }
        return referrals.mapValues { list in
            list.map { r in
                guard r.facility.id == nil, case .found(let id, let name) = directory.lookup(r.facility.text) else {
                    return r
                }
                var resolved = r
                resolved.facility = FacilityRef(id: id, name: name, text: r.facility.text)
                return resolved
            }
        }
    }
}

/// A household the run calls again because a visit it booked has passed without a result.
public struct VisitFollowUp: Sendable, Hashable {
    public var applicantID: String
    /// The day after the earliest overdue visit: the family is due from then.
    public var dueOn: LocalDate
    /// The household was closed (통화완료) and opens again.
    public var reopens: Bool

    /// The status a household takes for the follow-up, or nil when it needs none: a family that refused, could not
    /// be reached or has a wrong number is not called for it, and a dated promise (callback, retry) already calls it.
    public static func followUp(
        _ status: HouseholdStatus, of applicantID: String, referrals: [Referral],
        asOf: LocalDate
    ) -> (HouseholdStatus, VisitFollowUp)? {
        guard let overdue = referrals.filter({ $0.stage(asOf: asOf) == .overdue }).compactMap(\.visit?.date).min()
        else { return nil }
        let due = overdue.adding(days: 1)
        var s = status
        switch status.state {
        case .done:
            s.state = .open
            s.closedOn = nil
            s.attempts = 0
            s.nextCallOn = due
            s.nextCallReason = .visitCheck
            return (s, VisitFollowUp(applicantID: applicantID, dueOn: due, reopens: true))
        case .open where status.nextCallReason == nil || status.nextCallReason == .visitCheck:
            s.nextCallOn = max(status.nextCallOn ?? due, due)
            s.nextCallReason = .visitCheck
            return s == status
                ? nil : (s, VisitFollowUp(applicantID: applicantID, dueOn: s.nextCallOn!, reopens: false))
        default:
            return nil
        }
    }
}

extension StateStore {
    /// `v5-referrals`: the facility a family was guided to and the visit booked, per call (the `referral` table), and
    /// what each call's line said about it (on `call_outcome`, so a re-imported line is compared with what it said).
    static let referralMigration = """
        ALTER TABLE call_outcome ADD COLUMN facility TEXT;
        ALTER TABLE call_outcome ADD COLUMN visit TEXT;
        ALTER TABLE call_outcome ADD COLUMN visit_result TEXT;
        CREATE TABLE referral (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            applicant_id TEXT NOT NULL,
            facility_key TEXT NOT NULL,
            facility_id TEXT,
            facility_text TEXT NOT NULL,
            facility_name TEXT NOT NULL,
            visit TEXT,
            counselor TEXT,
            call_at TEXT NOT NULL,
            memo TEXT,
            result TEXT,
            result_note TEXT,
            result_at TEXT,
            booked_run INTEGER,
            result_run INTEGER,
            UNIQUE (applicant_id, call_at, facility_key)
        );
        CREATE INDEX referral_applicant ON referral(applicant_id, call_at);
        """

    static func referral(_ row: Row) -> Referral? {
        guard let callAt = LocalDateTime(iso: row["call_at"]) else { return nil }
        return Referral(
            id: row["id"], applicantID: row["applicant_id"],
            facility: FacilityRef(id: row["facility_id"], name: row["facility_name"], text: row["facility_text"]),
            visit: (row["visit"] as String?).flatMap(VisitTime.init(text:)), counselor: row["counselor"],
            callAt: callAt,
            memo: row["memo"], result: (row["result"] as String?).flatMap(VisitResult.init(rawValue:)),
            resultNote: row["result_note"], resultAt: (row["result_at"] as String?).flatMap(LocalDateTime.init(iso:)))
    }

    static func loadReferrals(_ db: Database, applicantID: String? = nil) throws -> [String: [Referral]] {
        var out: [String: [Referral]] = [:]
        let rows =
            applicantID == nil
            ? try Row.fetchAll(db, sql: "SELECT * FROM referral ORDER BY applicant_id, call_at, id")
            : try Row.fetchAll(
                db, sql: "SELECT * FROM referral WHERE applicant_id = ? ORDER BY call_at, id", arguments: [applicantID])
        for row in rows { if let r = referral(row) { out[r.applicantID, default: []].append(r) } }
        return out
    }

    /// One household's referrals (after following a merged-away id), oldest first, for `dolbom explain`.
    public func referrals(applicantID: String) throws(StateError) -> [Referral] {
        do {
            return try queue.read { db in
                let id = try Self.loadIssuedIDs(db).current(applicantID)
                return try Self.loadReferrals(db, applicantID: id)[id] ?? []
            }
        } catch { throw .failed(path: path, reason: "\(error)") }
    }

    /// Facility id → places promised already (`Referral.booked`), for the matcher to take off the vacancies of a
    /// vacancy sheet reported on `asOf`.
    public func bookedReferrals(asOf: LocalDate) throws(StateError) -> [String: Int] {
        do {
            return try queue.read { db in Referral.booked(try Self.loadReferrals(db).values.joined(), asOf: asOf) }
        } catch { throw .failed(path: path, reason: "\(error)") }
    }

    /// What a results-sheet line's visit cells do to the state, decided before its call is recorded (a refused line
    /// changes nothing).
    enum ReferralAction {
        /// A new referral from this call (with its result, when the same line gave one).
        case book(ReferralLine)
        /// The result of an earlier referral.
        case result(id: Int64, ReferralLine)
    }

    /// The action for `line`, or why the line is refused: a result for a household with no referral waiting for
    /// one (or for none at the facility named), or with several and no facility named.
    static func referralAction(_ line: ReferralLine, outcome: CallOutcome, db: Database) throws -> Result<
        ReferralAction, ReferralCells.Refusal
    > {
        if line.facility != nil && (line.visit != nil || line.result == nil) { return .success(.book(line)) }
        guard line.result != nil else { return .success(.book(line)) }
        let earlier = (try loadReferrals(db, applicantID: outcome.applicantID)[outcome.applicantID] ?? []).filter {
            $0.callAt < outcome.at
        }
        guard !earlier.isEmpty else {
            return .failure(.init("방문 결과가 적혀 있는데 이 가구에는 안내 기관·방문 예약 기록이 없습니다. 먼저 안내한 통화의 줄에 안내 기관과 방문 예약을 적어 가져와 주세요."))
        }
        var open = earlier.filter { $0.result == nil }
        var waitlisted = earlier.filter { $0.result == .waitlisted }
        if let facility = line.facility {
            open = open.filter {
                $0.facility.key == facility.key || FacilityRef.fold($0.facility.text) == FacilityRef.fold(facility.text)
            }
            waitlisted = waitlisted.filter {
                $0.facility.key == facility.key || FacilityRef.fold($0.facility.text) == FacilityRef.fold(facility.text)
            }
            if open.isEmpty && waitlisted.isEmpty {
                return .failure(.init("이 가구에는 '\(facility.text)'에 안내한 기록(결과를 기다리는 것)이 없습니다. 안내 기관을 확인해 주세요."))
            }
        }
        let candidates = open.isEmpty ? waitlisted : open
        guard candidates.count == 1 else {
            if candidates.isEmpty {
                return .failure(
                    .init(
                        "이 가구의 안내는 모두 결과가 있습니다(\(earlier.map { "\($0.facility.name) \($0.result?.rawValue ?? "")" }.joined(separator: ", "))). 바뀐 결과라면 안내 기관을 함께 적어 주세요."
                    ))
            }
            let list = candidates.map {
                "\($0.facility.name) \($0.visit.map { String($0.text.dropFirst(5)) } ?? "방문 예약 없음")"
            }.joined(separator: ", ")
            return .failure(.init("이 가구에 결과를 기다리는 안내가 여럿입니다(\(list)). 안내 기관 칸에 어느 기관의 결과인지 적어 주세요."))
        }
        return .success(.result(id: candidates[0].id, line))
    }

    static func apply(_ action: ReferralAction, outcome: CallOutcome, run: Int64, db: Database) throws {
        switch action {
        case .book(let line):
            guard let facility = line.facility else { return }
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO referral (applicant_id, facility_key, facility_id, facility_text, facility_name, visit, counselor,
                        call_at, memo, result, result_note, result_at, booked_run, result_run)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    outcome.applicantID, facility.key, facility.id, facility.text, facility.name, line.visit?.text,
                    outcome.counselor, outcome.at.iso, outcome.note, line.result?.rawValue, line.resultNote,
                    line.result == nil ? nil : outcome.at.iso, run, line.result == nil ? nil : run,
                ])
        case .result(let id, let line):
            try db.execute(
                sql: "UPDATE referral SET result = ?, result_note = ?, result_at = ?, result_run = ? WHERE id = ?",
                arguments: [line.result?.rawValue, line.resultNote, outcome.at.iso, run, id])
        }
    }
}
