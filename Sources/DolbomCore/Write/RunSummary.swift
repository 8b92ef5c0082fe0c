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
    public var formatVersion = 1
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
    public var invariant: String

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
        case tool, inputs, counts, encodings, invariant, delta, dedupe
        case householdsByStatus = "households_by_status"
        case callListSize = "call_list_size"
        case formatVersion = "format_version"
        case asOf = "as_of"
        case perFile = "per_file"
        case rejectsByReason = "rejects_by_reason"
        case issuesByCode = "issues_by_code"
    }
}
