import DolbomNormalize
import Foundation

/// Reads the counselors' results sheet (CSV saved from Excel): one row per
/// call with the applicant id (신청번호), the result (통화완료, 부재중,
/// 번호오류, 상담거부, 재통화요청), when, who, a note and an optional callback day.
public enum OutcomeFile {
    public typealias Problem = SheetProblem

    enum Column { case applicant, result, time, counselor, note, callback, facility, visit, visitResult }

    static func column(for header: String) -> Column? {
        let h = HeaderDetector.fold(header)
        if h.contains("신청번호") || h.contains("applicant") || h == "id" { return .applicant }
        // Before `결과` and `일시`: `방문 결과`, `방문 예약(일시)`.
        if h.contains("방문결과") || h.contains("visitresult") { return .visitResult }
        if h.contains("방문예약") || h.contains("방문일") || h == "visit" || h.contains("visitat") { return .visit }
        if h.contains("안내기관") || h.contains("기관") || h.contains("facility") { return .facility }
        if h.contains("재통화일") || h.contains("다시전화") || h.contains("callback") { return .callback }
        if h.contains("결과") || h.contains("outcome") { return .result }
        if h.contains("일시") || h.contains("시각") || h.contains("통화시간") || h.contains("날짜") || h == "at" { return .time }
        if h.contains("상담원") || h.contains("담당") || h.contains("counselor") { return .counselor }
        if h.contains("메모") || h.contains("비고") || h.contains("note") { return .note }
        return nil
    }

    /// Every line of a results sheet and what became of it: read (with how its dates were read), skipped (no
    /// result written yet), or rejected (with the reason). Rows are spreadsheet rows (the header is row 1).
    public struct Sheet: Sendable {
        public enum Verdict: Sendable, Equatable {
            /// Read into `outcome`; `notes` say how a date or time was completed, when it was.
            case read(CallOutcome, notes: [String])
            case skipped(String)
            case rejected(String)
        }

        public struct Line: Sendable, Equatable {
            public var row: Int
            /// As written (empty when the cell was).
            public var applicantID: String
            public var verdict: Verdict
        }

        public var file: String
        public var lines: [Line] = []

        public var outcomes: [CallOutcome] {
            lines.compactMap { if case .read(let o, _) = $0.verdict { return o } else { return nil } }
        }

        public var problems: [Problem] {
            lines.compactMap {
                if case .rejected(let why) = $0.verdict {
                    return Problem(row: $0.row, message: why)
                } else {
                    return nil
                }
            }
        }

        /// Lines with an applicant id and no result yet (a `call-results.csv` line nobody has called).
        public var unfilled: Int {
            lines.filter { if case .skipped = $0.verdict { return !$0.applicantID.isEmpty } else { return false } }
                .count
        }
    }

    /// The sheet's outcomes, its problems, and how many lines had no result yet (see `sheet`).
    public static func read(
        _ url: URL, booked: [String: LocalDateTime] = [:], importDay: LocalDate? = nil,
        facilities: (any FacilityDirectory)? = nil
    ) throws
        -> (outcomes: [CallOutcome], problems: [Problem], unfilled: Int)
    {
        let sheet = try sheet(url, booked: booked, importDay: importDay, facilities: facilities)
        return (sheet.outcomes, sheet.problems, sheet.unfilled)
    }

    /// Reads every line. `booked` holds each household's booked call (the sheet's own line was printed for it):
    /// a call time without a date or year is read against it. Without one, a date without a year is the latest
    /// such date on or before `importDay` (nil: such a date is refused). `facilities` (the configured registry)
    /// names the facility of `안내 기관`; without one the text is kept as written.
    public static func sheet(
        _ url: URL, booked: [String: LocalDateTime] = [:], importDay: LocalDate? = nil,
        facilities: (any FacilityDirectory)? = nil
    ) throws -> Sheet {
        let (lines, sheetProblems) = try StaffSheet.read(url)
        var sheet = Sheet(file: url.lastPathComponent)
        for p in sheetProblems {
            sheet.lines.append(Sheet.Line(row: p.row, applicantID: "", verdict: .rejected(p.message)))
        }
        var columns: [Column: Int]?
        for line in lines {
            let row = line.row
            let cells = line.cells
            guard let map = columns else {
                var found: [Column: Int] = [:]
                for (i, header) in cells.enumerated() {
                    if let c = column(for: header), found[c] == nil { found[c] = i }
                }
                if found[.applicant] == nil || found[.result] == nil {
                    let why = "머리글에 '신청번호'와 '결과' 열이 있어야 합니다."
                    sheet.lines.append(Sheet.Line(row: row, applicantID: "", verdict: .rejected(why)))
                }
                columns = found
                continue
            }
            func cell(_ c: Column) -> String { map[c].map { $0 < cells.count ? cells[$0] : "" } ?? "" }
            let id = cell(.applicant)
            let referral = ReferralCells(facility: cell(.facility), visit: cell(.visit), result: cell(.visitResult))
            let verdict = Self.verdict(
                id: id, result: cell(.result), time: cell(.time), counselor: cell(.counselor),
                note: cell(.note), callback: cell(.callback), referral: referral, blank: cells.allSatisfy(\.isEmpty),
                booked: booked[id], importDay: importDay, source: SourceRef(file: sheet.file, row: row),
                facilities: facilities)
            sheet.lines.append(Sheet.Line(row: row, applicantID: id, verdict: verdict))
        }
        sheet.lines.sort { $0.row < $1.row }
        return sheet
    }

    static func verdict(
        id: String, result: String, time: String, counselor: String, note: String, callback: String,
        referral cells: ReferralCells = ReferralCells(), blank: Bool,
        booked: LocalDateTime?, importDay: LocalDate?, source: SourceRef,
        facilities: (any FacilityDirectory)? = nil
    ) -> Sheet.Verdict {
        if blank { return .skipped("빈 줄") }
        if result.trimmedWhitespace.isEmpty && note.isEmpty && callback.isEmpty && cells.isEmpty {
            return .skipped(id.isEmpty ? "신청번호와 결과가 비어 있음" : "결과를 아직 적지 않음")
        }
        guard !id.isEmpty else { return .rejected("신청번호가 비어 있습니다.") }
        guard !result.trimmedWhitespace.isEmpty else {
            return .rejected("결과가 비어 있습니다(메모, 재통화일이나 방문 칸만 적혀 있음). 통화완료, 부재중, 번호오류, 상담거부, 재통화요청 중 하나를 적어 주세요.")
        }
        guard let kind = CallOutcome.Kind(text: result) else {
            return .rejected("결과 '\(result)'를 알 수 없습니다. 통화완료, 부재중, 번호오류, 상담거부, 재통화요청 중 하나로 적어 주세요.")
        }
        var notes: [String] = []
        let at: LocalDateTime
        if time.trimmedWhitespace.isEmpty {
            guard let booked else { return .rejected("통화일시가 비어 있습니다(예: 2024-07-16 10:30).") }
            at = booked
            notes.append("통화일시가 비어 있어 약속 시각 \(booked.date.iso) \(HouseholdText.clock(booked))으로 읽었습니다")
        } else {
            switch ResultSheetDate.callTime(time, booked: booked?.date, importDay: importDay) {
            case .failure(let f): return .rejected("통화일시: " + f.message)
            case .success(let reading):
                at = reading.at
                if let n = reading.note { notes.append(n) }
            }
        }
        var callbackOn: LocalDate?
        if !callback.trimmedWhitespace.isEmpty {
            guard kind == .callback else {
                return .rejected(
                    "재통화일 '\(callback)'이(가) 적혀 있는데 결과가 '\(kind.rawValue)'입니다. "
                        + "가족이 다시 전화해 달라고 했다면 결과를 재통화요청으로, 아니면 재통화일을 지워 주세요.")
            }
            switch ResultSheetDate.callbackDay(callback, callDate: at.date) {
            case .failure(let f): return .rejected("재통화일: " + f.message)
            case .success(let reading):
                callbackOn = reading.date
                notes.append("재통화일 \(reading.date.iso)" + (reading.note.map { " (\($0))" } ?? ""))
            }
        } else if kind == .callback {
            notes.append("재통화일이 없어 \(at.date.adding(days: 1).iso)부터 다시 전화합니다")
        }
        var referral: ReferralLine?
        if !cells.isEmpty {
            switch cells.read(kind: kind, callDate: at.date, facilities: facilities) {
            case .failure(let why): return .rejected(why.message)
            case .success(let read):
                referral = read.line
                notes += read.notes
            }
        }
        return .read(
            CallOutcome(
                applicantID: id, at: at, kind: kind, counselor: counselor.isEmpty ? nil : counselor,
                note: note.isEmpty ? nil : note, callbackOn: callbackOn, source: source, referral: referral),
            notes: notes)
    }
}
