import DolbomNormalize

/// Where a household stands with the counselors, from the outcomes they import.
public struct HouseholdStatus: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Codable, CaseIterable {
        /// Waiting to be called (again).
        case open
        /// Consultation done (통화완료).
        case done
        /// The family declined (상담거부): never call again.
        case refused
        /// No answer after the maximum number of attempts.
        case unreachable
        /// The number does not work (번호오류); staff must find a new one.
        case wrongNumber = "wrong_number"

        public var isClosed: Bool { self != .open }

        public var korean: String {
            switch self {
            case .open: return "대기"
            case .done: return "상담 완료"
            case .refused: return "상담 거부"
            case .unreachable: return "연락 안 됨"
            case .wrongNumber: return "번호 오류"
            }
        }
    }

    /// Why `nextCallOn` is set, when it is a day someone promised: the family asked for that day
    /// (`재통화요청` with a date), or a retry after no answer is due then.
    public enum NextCallReason: String, Sendable, Codable, CaseIterable {
        case callback
        case retry
        /// A visit the family booked at a facility has passed without a result: ask how it went ("방문 결과 확인").
        /// Not a promised day: any day from the one after the visit will do.
        case visitCheck = "visit_check"
    }

    public var state: State = .open
    public var attempts = 0
    /// Do not call before this day (a retry after no answer, or a requested callback).
    public var nextCallOn: LocalDate?
    /// nil for a callback without a date (any day from the next one will do) and for closed households.
    public var nextCallReason: NextCallReason?
    public var closedOn: LocalDate?
    public var lastOutcome: String?
    public var lastOutcomeAt: String?
    public var counselor: String?

    public init() {}

    /// Open and due on `day`.
    public func isDue(on day: LocalDate) -> Bool {
        state == .open && (nextCallOn.map { $0 <= day } ?? true)
    }
}

/// What the state database knew before this run.
public struct KnownState: Sendable {
    /// A submission earlier runs saw, without its payload: most come back in today's cumulative export and
    /// need only their hash and household; the few carried from the state are read in full when needed.
    public struct StoredSubmission: Sendable {
        public var contentHash: String
        public var applicantID: String
        public var source: SourceRef
        public var firstRun: Int64
    }

    public var submissions: [String: StoredSubmission] = [:]
    public var households: [String: HouseholdStatus] = [:]
    public var householdCreatedRun: [String: Int64] = [:]
    /// Appointments given in earlier runs, by applicant id.
    public var appointments: [String: StoredAppointment] = [:]
    /// Every call result imported so far, by applicant id (only households that were called).
    public var callHistory: [String: CallHistory] = [:]
    /// Every id earlier runs issued, and the aliases merges left.
    public var issued = IssuedIDs()
    /// Facilities families were guided to and the visits booked, by applicant id (oldest first).
    public var referrals: [String: [Referral]] = [:]

    public init() {}
}
