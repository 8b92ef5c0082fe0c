import DolbomNormalize
import Foundation

/// Reads the counselors' results sheet (CSV saved from Excel): one row per
/// call with the applicant id (신청번호), the result (통화완료, 부재중,
/// 번호오류, 상담거부, 재통화요청), when, who, a note and an optional callback day.
public enum OutcomeFile {
    public typealias Problem = SheetProblem

    enum Column { case applicant, result, time, counselor, note, callback }

    static func column(for header: String) -> Column? {
        let h = HeaderDetector.fold(header)
        if h.contains("신청번호") || h.contains("applicant") || h == "id" { return .applicant }
        if h.contains("재통화일") || h.contains("다시전화") || h.contains("callback") { return .callback }
        if h.contains("결과") || h.contains("outcome") { return .result }
        if h.contains("일시") || h.contains("시각") || h.contains("통화시간") || h.contains("날짜") || h == "at" { return .time }
        if h.contains("상담원") || h.contains("담당") || h.contains("counselor") { return .counselor }
        if h.contains("메모") || h.contains("비고") || h.contains("note") { return .note }
        return nil
    }

    /// `unfilled` counts rows with an applicant id and no result yet (a `call-results.csv` line nobody has called):
    /// they are skipped, not reported as problems.
    public static func read(_ url: URL) throws -> (outcomes: [CallOutcome], problems: [Problem], unfilled: Int) {
        let (lines, sheetProblems) = try StaffSheet.read(url)
        var columns: [Column: Int]?
        var outcomes: [CallOutcome] = []
        var problems = sheetProblems
        var unfilled = 0
        let name = url.lastPathComponent
        for line in lines {
            let row = line.row, cells = line.cells
            guard let map = columns else {
                var found: [Column: Int] = [:]
                for (i, header) in cells.enumerated() { if let c = column(for: header), found[c] == nil { found[c] = i } }
                if found[.applicant] == nil || found[.result] == nil {
                    problems.append(Problem(row: row, message: "머리글에 '신청번호'와 '결과' 열이 있어야 합니다."))
                }
                columns = found
                continue
            }
            func cell(_ c: Column) -> String { map[c].map { $0 < cells.count ? cells[$0] : "" } ?? "" }
            if cells.allSatisfy(\.isEmpty) { continue }
            let id = cell(.applicant)
            guard !id.isEmpty else { problems.append(Problem(row: row, message: "신청번호가 비어 있습니다.")); continue }
            if cell(.result).trimmedWhitespace.isEmpty && cell(.note).isEmpty && cell(.callback).isEmpty {
                unfilled += 1
                continue
            }
            guard let kind = CallOutcome.Kind(text: cell(.result)) else {
                problems.append(Problem(row: row, message: "결과 '\(cell(.result))'를 알 수 없습니다. 통화완료, 부재중, 번호오류, 상담거부, 재통화요청 중 하나로 적어 주세요."))
                continue
            }
            guard let at = TimestampNormalizer.normalize(cell(.time)).value else {
                problems.append(Problem(row: row, message: "통화 일시 '\(cell(.time))'를 읽을 수 없습니다(예: 2024-07-16 10:30)."))
                continue
            }
            var callback: LocalDate?
            let callbackText = cell(.callback)
            if !callbackText.isEmpty {
                callback = TimestampNormalizer.normalize(callbackText).value?.date ?? LocalDate(iso: callbackText)
                if callback == nil { problems.append(Problem(row: row, message: "재통화일 '\(callbackText)'를 읽을 수 없습니다.")) }
            }
            outcomes.append(CallOutcome(applicantID: id, at: at, kind: kind, counselor: cell(.counselor).isEmpty ? nil : cell(.counselor),
                                        note: cell(.note).isEmpty ? nil : cell(.note), callbackOn: callback,
                                        source: SourceRef(file: name, row: row)))
        }
        return (outcomes, problems, unfilled)
    }
}
