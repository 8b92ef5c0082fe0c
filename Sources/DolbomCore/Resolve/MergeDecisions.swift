/// Staff decisions on pairs dolbom could not decide (from review.csv), honoured
/// by every later run, like CiviCRM's "not a duplicate" list. Submissions are
/// named by their key (`SubmissionKey`), which survives re-exports.
public struct MergeDecisions: Sendable, Equatable {
    public struct Pair: Hashable, Sendable {
        public let first: String
        public let second: String

        public init(_ a: String, _ b: String) {
            first = min(a, b)
            second = max(a, b)
        }
    }

    public var same: Set<Pair> = []
    public var different: Set<Pair> = []

    public init(same: Set<Pair> = [], different: Set<Pair> = []) {
        self.same = same
        self.different = different
    }

    public var isEmpty: Bool { same.isEmpty && different.isEmpty }
}

/// A submission's short, stable name for people and decision files: the first
/// 12 hex digits of its fingerprint.
public enum SubmissionKey {
    public static func of(_ s: Submission) -> String {
        String((s.identity?.fingerprint ?? "").prefix(12))
    }
}
