/// Why rows were or were not merged, for `dolbom explain`: everything is
/// derived from a `Resolution`, nothing is recomputed differently.
public struct MergeExplanation: Sendable {
    public struct Line: Sendable, Equatable {
        public var left: SourceRef
        public var right: SourceRef
        public var score: Double
        public var verdict: String
        public var agreed: String
        public var disagreed: String
    }

    public var household: Household?
    public var rows: [SourceRef]
    public var lines: [Line]

    /// `target` is an applicant id (`H-…`) or a row (`file.csv:12`).
    public init?(target: String, resolution r: Resolution, thresholds: MatchWeights) {
        var indices: [Int]
        if let h = r.households.first(where: { $0.applicantID == target }) {
            household = h
            let sources = Set(h.sources)
            indices = r.submissions.indices.filter { sources.contains(r.submissions[$0].source) }
        } else {
            indices = r.submissions.indices.filter { i in
                let s = r.submissions[i]
                return ([s.source] + s.alsoSeenAt).contains { $0.label == target || "\($0.file):\($0.row)" == target }
            }
            guard let first = indices.first else { return nil }
            household = r.households.first { $0.sources.contains(r.submissions[first].source) }
        }
        guard !indices.isEmpty else { return nil }
        rows = indices.map { r.submissions[$0].source }
        let mine = Set(indices)
        let merged = Set(r.merged.map { [$0.a, $0.b] })
        let review = Set(r.review.map { [$0.a, $0.b] })
        lines = r.compared.filter { mine.contains($0.a) || mine.contains($0.b) }.map { e in
            let verdict: String
            if merged.contains([e.a, e.b]) {
                verdict = "합침 (점수 ≥ \(thresholds.mergeThreshold))"
            } else if review.contains([e.a, e.b]) {
                verdict = "검토 필요 (review.csv)"
            } else if e.score >= thresholds.mergeThreshold {
                verdict = "다른 연결로 이미 같은 가구이거나, 판정/연쇄 방지로 합치지 않음"
            } else {
                verdict = "다른 가구 (점수 < \(thresholds.reviewThreshold))"
            }
            let k = e.korean
            return Line(
                left: r.submissions[e.a].source, right: r.submissions[e.b].source, score: e.score, verdict: verdict,
                agreed: k.agreed, disagreed: k.disagreed)
        }.sorted { $0.score > $1.score }
    }
}
