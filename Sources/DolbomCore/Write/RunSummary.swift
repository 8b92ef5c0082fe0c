import DolbomSchedule

/// `summary.json`: what a run read, normalized, rejected and wrote, per file
/// and per stage. Deterministic: no clock times or durations.
public struct RunSummary: Sendable, Codable, Equatable {
    public struct Counts: Sendable, Codable, Equatable {
        /// Records after the header row in every file, each one a submission or a reject.
        public var dataRows = 0
        public var rejectedAtRead = 0
        public var rejectedAtNormalize = 0
        public var submissions = 0
        public var households = 0
        public var mergedSubmissions = 0
        public var blankLines = 0

        enum CodingKeys: String, CodingKey {
            case households
            case dataRows = "data_rows"
            case rejectedAtRead = "rejected_at_read"
            case rejectedAtNormalize = "rejected_at_normalize"
            case submissions
            case mergedSubmissions = "merged_submissions"
            case blankLines = "blank_lines"
        }
    }

    public struct FileCounts: Sendable, Codable, Equatable {
        public var file: String
        public var dataRows: Int
        public var accepted: Int
        public var rejected: Int

        enum CodingKeys: String, CodingKey {
            case file, accepted, rejected
            case dataRows = "data_rows"
        }
    }

    public var tool = "dolbom"
    /// 2: `report` added; `schedule.priority_inversions` and `priority_pairs` replaced by
    /// `report.team.by_priority_quarter`.
    public var formatVersion = 2
    public var asOf: String
    public var inputs: [ExportFileReport]
    public var counts: Counts
    public var perFile: [FileCounts]
    public var rejectsByReason: [String: Int]
    public var issuesByCode: [String: Int]
    public var encodings: [String: String]
    /// What changed against the state database (all new without one).
    public var delta: RunDelta
    public var householdsByStatus: [String: Int]
    public var callListSize: Int
    public var dedupe = Dedupe()
    /// Present when a roster is configured.
    public var schedule: Schedule?
    public var invariant: String
    /// The figures of report.html (`ReportFigures`).
    public var report: ReportFigures?
    /// Families guided to facilities and their visits (with a state file only).
    public var referrals: Referrals?
    /// Present when facilities are configured: what the registry read and how households were matched.
    public var facilities: FacilitySummary?

    public struct Dedupe: Sendable, Codable, Equatable {
        public var pairsCompared = 0
        public var pairsMerged = 0
        public var pairsForReview = 0
        public var oversizedBlocks = 0
        public var keptApartByDecision = 0
        public var chainGuarded = 0

        enum CodingKeys: String, CodingKey {
            case pairsCompared = "pairs_compared"
            case pairsMerged = "pairs_merged"
            case pairsForReview = "pairs_for_review"
            case oversizedBlocks = "oversized_blocks"
            case keptApartByDecision = "kept_apart_by_decision"
            case chainGuarded = "chain_guarded"
        }
    }

    enum CodingKeys: String, CodingKey {
        case tool, inputs, counts, encodings, invariant, delta, dedupe, schedule, report, referrals, facilities
        case householdsByStatus = "households_by_status"
        case callListSize = "call_list_size"
        case formatVersion = "format_version"
        case asOf = "as_of"
        case perFile = "per_file"
        case rejectsByReason = "rejects_by_reason"
        case issuesByCode = "issues_by_code"
    }
}

extension RunSummary {
    /// The plan's trade-offs per constraint: hard ones are never broken, so only soft ones are counted.
    public struct Schedule: Sendable, Codable, Equatable {
        public var horizon: [String]
        public var appointments: Int
        public var kept: Int
        public var new: Int
        public var moved: Int
        public var unscheduled: Int
        public var unscheduledByReason: [String: Int]
        public var rescheduledByReason: [String: Int]
        /// Earlier appointments that left the plan: used by a call result, household closed, waiting for a later retry day.
        public var droppedByReason: [String: Int]
        public var placedInWindow: Int
        public var windowMissed: Int
        public var callsPerCounselor: [String: Int]
        public var callsPerCounselorDay: [String: [String: Int]]
        /// Busiest minus idlest counselor over the plan.
        public var loadSpread: Int
        public var sameCounselorKept: Int
        public var sameCounselorMissed: Int
        /// Households booked on the day they were promised (a dated callback, a retry's due day).
        public var promisesKept: Int
        /// Promised days the plan could not keep (booked on the nearest later day, or not at all), by reason.
        public var promisesMissed: Int
        public var promisesMissedByReason: [String: Int]

        enum CodingKeys: String, CodingKey {
            case horizon, appointments, kept, new, moved, unscheduled
            case unscheduledByReason = "unscheduled_by_reason"
            case rescheduledByReason = "rescheduled_by_reason"
            case droppedByReason = "dropped_by_reason"
            case placedInWindow = "placed_in_window"
            case windowMissed = "window_missed"
            case callsPerCounselor = "calls_per_counselor"
            case callsPerCounselorDay = "calls_per_counselor_day"
            case loadSpread = "load_spread"
            case sameCounselorKept = "same_counselor_kept"
            case sameCounselorMissed = "same_counselor_missed"
            case promisesKept = "promises_kept"
            case promisesMissed = "promises_missed"
            case promisesMissedByReason = "promises_missed_by_reason"
        }

        public init(_ plan: AppointmentPlan) {
            let r = plan.result
            horizon = r.horizon.map(\.iso)
            appointments = r.appointments.count
            kept = plan.kinds.values.filter { $0 == .kept }.count
            new = plan.kinds.values.filter { $0 == .new }.count
            moved = plan.kinds.values.filter { $0 == .moved }.count
            unscheduled = r.unscheduled.count
            unscheduledByReason = Dictionary(r.unscheduled.map { ($0.reason.code, 1) }, uniquingKeysWith: +)
            rescheduledByReason = Dictionary(r.rescheduled.map { ($0.reason.code, 1) }, uniquingKeysWith: +)
            let movedReasons = Set(RescheduleReason.allCases.map(\.code))
            droppedByReason = Dictionary(
                plan.changes.filter { !movedReasons.contains($0.reason) }.map { ($0.reason, 1) }, uniquingKeysWith: +)
            placedInWindow = r.scores.placedInWindow
            windowMissed = r.scores.windowMissed
            callsPerCounselor = r.scores.callsPerCounselor
            callsPerCounselorDay = r.scores.callsPerCounselorDay.mapValues { days in
                Dictionary(days.map { ($0.key.iso, $0.value) }, uniquingKeysWith: +)
            }
            loadSpread = r.scores.loadSpread
            sameCounselorKept = r.scores.sameCounselorKept
            sameCounselorMissed = r.scores.sameCounselorMissed
            promisesKept = r.promisesKept
            promisesMissed = r.promiseMisses.count
            promisesMissedByReason = Dictionary(r.promiseMisses.map { ($0.reason.code, 1) }, uniquingKeysWith: +)
        }
    }
}
