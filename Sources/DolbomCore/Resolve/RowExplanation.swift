import Foundation

/// `dolbom explain file.csv:ROW` for a row that became no applicant: the reject's reason, the column and the
/// value it is about, and what to fix, so staff need not search rejects.csv.
public struct RejectExplanation: Sendable {
    public var reject: Reject

    /// nil when `target` names no rejected row (`file.csv:12`, also `folder/file.csv:12`).
    public init?(target: String, rejects: [Reject]) {
        guard let reject = rejects.first(where: { $0.source.label == target || "\($0.file):\($0.row)" == target })
        else {
            return nil
        }
        self.reject = reject
    }

    public var lines: [String] {
        var lines = ["\(reject.source.label): 제외된 행입니다 (신청으로 받지 않음)."]
        lines.append("  사유: \(reject.reason) — \(reject.message)")
        if let column = reject.column {
            lines.append("  열: \(column)" + (reject.value.map { ", 값: '\(Self.shown($0, column: column))'" } ?? ""))
        }
        lines.append("  고친 뒤 다시 실행하면 이 행도 가구로 들어갑니다. 전체 목록: rejects.csv")
        return lines
    }

    /// The value as the terminal may show it: a phone number or an address is masked (personal data), other
    /// values are shown as written so staff see what to fix.
    static func shown(_ value: String, column: String) -> String {
        if value.filter(\.isNumber).count >= 8 { return Masking.phone(value) }
        if column.contains("주소") { return Masking.address(value) }
        return value
    }
}

extension MergeExplanation {
    /// The staff decisions (the decisions file, from review.csv) that name one of the household's rows, as
    /// `same`/`different` with the other row: they override the scores.
    public func decisionLines(_ decisions: MergeDecisions, resolution r: Resolution) -> [String] {
        guard !decisions.isEmpty else { return [] }
        var labelByKey: [String: String] = [:]
        for s in r.submissions { labelByKey[SubmissionKey.of(s)] = s.source.label }
        let mine = Set(r.submissions.filter { rows.contains($0.source) }.map(SubmissionKey.of))
        var lines: [String] = []
        for (pairs, verdict) in [(decisions.same, "같은 가구"), (decisions.different, "다른 가구")] {
            for pair in pairs.sorted(by: { ($0.first, $0.second) < ($1.first, $1.second) })
            where mine.contains(pair.first) || mine.contains(pair.second) {
                let a = labelByKey[pair.first] ?? "(이번 입력에 없는 행)"
                let b = labelByKey[pair.second] ?? "(이번 입력에 없는 행)"
                lines.append("  판정 파일: \(a) ~ \(b) → \(verdict) (점수보다 우선)")
            }
        }
        return lines
    }
}

extension DolbomRun {
    /// The staff decisions the run honours (`dedupe.decisions`), for `dolbom explain`; none when the file is
    /// missing or unreadable (the run itself reports that).
    public func staffDecisions() -> MergeDecisions {
        (try? loadDecisions(diagnostics: DiagnosticsCollector())) ?? MergeDecisions()
    }
}
