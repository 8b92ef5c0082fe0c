import DolbomNormalize
import Foundation

/// Reads the staff's merge decisions: review.csv with its `판정` column filled
/// (`same`/`같음`/`같은 가구` or `different`/`다름`/`다른 가구`), saved under the
/// name the configuration gives (`dedupe.decisions`). Rows left blank are ignored.
public enum DecisionsFile {
    public typealias Problem = SheetProblem

    public static func read(_ url: URL) throws -> (decisions: MergeDecisions, problems: [Problem]) {
        let (lines, sheetProblems) = try StaffSheet.read(url)
        var columns: (a: Int, b: Int, verdict: Int)?
        var decisions = MergeDecisions()
        var problems = sheetProblems
        for line in lines {
            let row = line.row
            let cells = line.cells
            guard let c = columns else {
                let folded = cells.map(HeaderDetector.fold)
                if let a = folded.firstIndex(where: { $0 == "키1" || $0 == "keya" || $0 == "key1" }),
                    let b = folded.firstIndex(where: { $0 == "키2" || $0 == "keyb" || $0 == "key2" }),
                    let v = folded.firstIndex(where: { $0.hasPrefix("판정") || $0 == "decision" })
                {
                    columns = (a, b, v)
                } else {
                    problems.append(Problem(row: row, message: "머리글에 '키 1', '키 2', '판정' 열이 있어야 합니다(review.csv 형식)."))
                    columns = (-1, -1, -1)
                }
                continue
            }
            guard c.a >= 0, max(c.a, c.b, c.verdict) < cells.count else { continue }
            let verdict = cells[c.verdict].lowercased().replacingOccurrences(of: " ", with: "")
            if verdict.isEmpty { continue }
            let pair = MergeDecisions.Pair(cells[c.a], cells[c.b])
            switch verdict {
            case "same", "같음", "같은가구", "동일", "동일가구", "y", "o": decisions.same.insert(pair)
            case "different", "다름", "다른가구", "n", "x": decisions.different.insert(pair)
            default:
                problems.append(
                    Problem(
                        row: row, message: "판정 '\(cells[c.verdict])'를 알 수 없습니다. same(같음) 또는 different(다름)으로 적어 주세요."))
            }
        }
        return (decisions, problems)
    }
}
