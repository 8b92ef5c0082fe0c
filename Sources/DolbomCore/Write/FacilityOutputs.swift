import DolbomFacility
import DolbomNormalize
import DolbomRuntime
import Foundation

/// What the writers show of the facility suggestions (only when `facilities:` is configured): applicants.jsonl
/// `suggestions`, the call list's last columns, a block on each call sheet, `facility-matches.csv` for staff
/// and `facility-rejects.csv`.
public struct FacilityOutputs: Sendable {
    public var matches: FacilityMatches
    public var load: FacilityLoad
    /// Applicant id → position in `matches.byIndex` (the call list and the call sheets look households up by id).
    let byID: [String: Int]

    public init(matches: FacilityMatches, load: FacilityLoad) {
        self.matches = matches
        self.load = load
        byID = matches.positions()
    }

    func match(_ applicantID: String) -> HouseholdFacilityMatch? { byID[applicantID].map { matches.byIndex[$0] } }

    // MARK: applicants.jsonl

    /// `"suggestions":[{children, distance_m, facility_id, name, precision, reasons, type}]`, after `status`.
    static func writeSuggestions(_ m: HouseholdFacilityMatch, into w: inout JSONBytes) {
        w.key("suggestions")
        w.beginArray()
        for s in m.suggestions {
            w.item()
            w.open()
            w.key("children")
            w.strings(s.childNames)
            w.key("distance_m")
            w.optional(s.metres.map { Int($0.rounded()) })
            w.key("facility_id")
            w.string(s.facility.id)
            w.key("name")
            w.string(s.facility.name)
            w.key("precision")
            w.optional(s.precision?.rawValue)
            w.key("reasons")
            w.strings(s.reasons)
            w.key("type")
            w.string(s.facility.type.rawValue)
            w.close()
        }
        w.endArray()
    }

    // MARK: call-list.csv

    static let callListHeader = ["추천 기관 1", "추천 기관 2", "추천 기관 3", "추천 기관 id"]

    /// `햇살지역아동센터 (지역아동센터) · 약 1.2 km (동 중심 기준) · 빈자리 3 · 041-541-1234`: one cell per suggestion.
    static func oneLine(_ s: FacilitySuggestion) -> String { StringSink.build { oneLine(s, into: &$0) } }

    static func oneLine<Sink: TextSink>(_ s: FacilitySuggestion, into out: inout Sink) {
        out.text(s.facility.name)
        out.literal(" (")
        out.text(s.facility.type.rawValue)
        out.literal(") · ")
        out.text(s.distanceText)
        out.literal(" · ")
        vacancy(s, into: &out)
        if let phone = s.facility.phone {
            out.literal(" · ")
            out.text(phone)
        }
    }

    static func vacancyText(_ s: FacilitySuggestion) -> String { StringSink.build { vacancy(s, into: &$0) } }

    /// `빈자리 3`, `대기 가능(빈자리 없음)` or `빈자리 확인 필요`.
    static func vacancy<Sink: TextSink>(_ s: FacilitySuggestion, into out: inout Sink) {
        if s.waitlist {
            out.literal("대기 가능(빈자리 없음)")
        } else if let left = s.vacanciesLeft {
            out.literal("빈자리 ")
            out.number(left)
        } else {
            out.literal("빈자리 확인 필요")
        }
    }

    /// `oneLine` of each of the first three, then their ids, written into the cells as they are made.
    func writeCallListColumns(_ applicantID: String, into csv: inout SpreadsheetCSV) {
        let suggestions = match(applicantID)?.suggestions ?? []
        for k in 0..<3 {
            guard k < suggestions.count else {
                csv.emptyCell()
                continue
            }
            csv.cell { Self.oneLine(suggestions[k], into: &$0) }
        }
        csv.cell {
            for (j, s) in suggestions.enumerated() {
                if j > 0 { $0.literal("; ") }
                $0.text(s.facility.id)
            }
        }
    }

    // MARK: call sheets

    static let callSheetStyle = """
        .fac { margin-top: 1.2mm; border-top: 1px solid #bbb; padding-top: 1mm; }
        .fac-h { font-weight: 700; font-size: 9pt; }
        .fac ol { margin: 0.5mm 0 0 0; padding-left: 5mm; }
        .fac li { margin: 0.4mm 0; }
        .fac .fn { font-weight: 700; font-size: 10pt; }
        .fac .fd { font-weight: 600; }
        .fac .fv { background: #e6f4e6; border-radius: 1mm; padding: 0 1mm; white-space: nowrap; }
        .fac .fv.full { background: #fde2e2; }
        .fac .fv.unknown { background: none; border: 1px solid #bbb; }
        .fac .fs { color: #444; font-size: 8.5pt; }
        """

    /// A compact block: per suggestion the name, type and distance on one line, then hours, 빈자리 and phone.
    func callSheetBlock(_ applicantID: String, childCount: Int) -> String {
        guard let m = match(applicantID) else { return "" }
        let e = CallSheetHTML.escape
        var html = "<div class=\"fac\"><div class=\"fac-h\">안내할 기관</div>"
        guard !m.suggestions.isEmpty else {
            return html + "<div class=\"fs\">" + e(Self.noSuggestionText(m)) + "</div></div>\n"
        }
        html += "<ol>"
        for s in m.suggestions {
            let f = s.facility
            let vacancy = Self.vacancyText(s)
            var second: [String] = []
            let hours = f.hours.text
            if !hours.isEmpty { second.append(e(hours)) }
            if let phone = f.phone { second.append("☎ " + e(phone)) }
            if !s.childNames.isEmpty && s.children.count < childCount {
                second.append("자녀: " + e(s.childNames.joined(separator: ", ")))
            }
            // The distance and 빈자리 are on the first line already.
            let shown = s.metres.map { DistanceText.text($0, precision: s.precision ?? .building) }
            let extra = s.reasons.filter {
                $0 != shown && $0 != "방문·시군구 서비스" && !$0.hasPrefix("빈자리") && !$0.hasPrefix("대기 가능")
                    && !$0.hasPrefix("같은 시군구")
            }
            if !extra.isEmpty { second.append(e(extra.joined(separator: ", "))) }
            html +=
                "<li><span class=\"fn\">\(e(f.name))</span> · \(e(f.type.rawValue)) · <span class=\"fd\">\(e(s.distanceText))</span> "
                + "<span class=\"fv\(s.waitlist || s.vacanciesLeft == 0 ? " full" : s.vacanciesLeft == nil ? " unknown" : "")\">\(e(vacancy))</span>"
                + (second.isEmpty ? "" : "<br><span class=\"fs\">" + second.joined(separator: " · ") + "</span>")
                + "</li>"
        }
        html += "</ol>"
        if !m.uncovered.isEmpty {
            html += "<div class=\"fs\">맞는 기관이 없는 자녀가 있습니다: 연령·거리 조건을 확인해 주세요.</div>"
        }
        return html + "</div>\n"
    }

    static func noSuggestionText(_ m: HouseholdFacilityMatch) -> String {
        switch m.basis {
        case .unknown: return "주소로 위치를 알 수 없어 기관을 찾지 못했습니다. 주소를 여쭤봐 주세요."
        case .sigungu: return "같은 시군구에 유형·연령에 맞는 기관이 없습니다."
        case .distance: return "가까운 곳에 유형·연령·운영시간에 맞고 자리가 있는 기관이 없습니다."
        }
    }

    // MARK: facility-matches.csv

    static let matchesHeader = [
        "신청번호", "보호자", "주소", "순서", "기관 id", "기관명", "유형", "거리(m)", "거리 기준", "거리",
        "대상 자녀", "빈자리", "운영시간", "전화", "근거", "점수", "가장 가까운 기관", "가까운 기관이 빠진 이유",
    ]

    /// One row per suggestion (households without one: one row saying why), in applicant-id order, rendered
    /// in chunks by whichever writer task is free (`OrderedChunks`): a few rows for every household of the run.
    /// Written cell by cell (a row of strings would make a dozen strings per suggestion).
    func matchesChunks(_ households: [Household], to file: OutputFile) throws -> OrderedChunks {
        var header = SpreadsheetCSV()
        header.appendRow(Self.matchesHeader)
        try file.take(header.buffer)
        // A facility's hours read the same for every household it is suggested to: put in words once.
        let hours = matches.registry.facilities.map(\.hours.text)
        let order = OutputWriter.idOrder(households)
        let matches = self.matches
        return OrderedChunks(file: file, count: order.count, chunkSize: 1024) { range, out in
            var csv = SpreadsheetCSV(continuing: out)
            var scores = ScoreTexts()
            for n in range {
                let i = order[n]
                Self.matchRows(
                    households[i], matches.byIndex[i], hours: hours, scores: &scores, into: &csv)
            }
        }
    }

    /// The rows of one household.
    private static func matchRows(
        _ h: Household, _ m: HouseholdFacilityMatch, hours: [String], scores: inout ScoreTexts,
        into csv: inout SpreadsheetCSV
    ) {
        let address = h.address?.text ?? ""
        if m.suggestions.isEmpty {
            householdCells(h, address: address, into: &csv)
            for _ in 0..<11 { csv.emptyCell() }
            csv.cell(noSuggestionText(m))
            csv.emptyCell()
            nearestCells(m, into: &csv)
            csv.endRow()
        }
        for k in m.suggestions.indices {
            householdCells(h, address: address, into: &csv)
            csv.cell(k + 1)
            suggestionCells(m.suggestions[k], hours: hours, scores: &scores, into: &csv)
            if k == 0 {
                nearestCells(m, into: &csv)
            } else {
                csv.emptyCell()
                csv.emptyCell()
            }
            csv.endRow()
        }
    }

    /// From `기관 id` to `점수`.
    private static func suggestionCells(
        _ s: FacilitySuggestion, hours: [String], scores: inout ScoreTexts, into csv: inout SpreadsheetCSV
    ) {
        let f = s.facility
        csv.cell(f.id)
        csv.cell(f.name)
        csv.cell(f.type.rawValue)
        if let metres = s.metres { csv.cell(Int(metres.rounded())) } else { csv.emptyCell() }
        csv.cell(s.precision.map { DistanceText.basis($0) } ?? "")
        csv.cell(s.distanceText)
        csv.cell { list(s.childNames, into: &$0) }
        csv.cell { vacancy(s, into: &$0) }
        csv.cell(s.registryIndex >= 0 ? hours[s.registryIndex] : f.hours.text)
        csv.cell(f.phone ?? "")
        csv.cell { list(s.reasons, into: &$0) }
        csv.cell(scores.text(s.score))
    }

    /// `%.1f` of each score, formatted once per distinct score (formatting went through Foundation's
    /// `String(format:)` for every row; a run has a few hundred distinct scores).
    struct ScoreTexts {
        private var known: [UInt64: String] = [:]

        mutating func text(_ score: Double) -> String {
            if let t = known[score.bitPattern] { return t }
            let t = String(format: "%.1f", score)
            known[score.bitPattern] = t
            return t
        }
    }

    private static func householdCells(_ h: Household, address: String, into csv: inout SpreadsheetCSV) {
        csv.cell(h.applicantID)
        csv.cell { HouseholdText.guardian(h, into: &$0) }
        csv.cell(address)
    }

    /// `가장 가까운 기관` and why it was left out.
    private static func nearestCells(_ m: HouseholdFacilityMatch, into csv: inout SpreadsheetCSV) {
        guard let n = m.nearest else {
            csv.emptyCell()
            csv.emptyCell()
            return
        }
        csv.cell {
            $0.text(n.facility.name)
            $0.literal(" (")
            $0.text(DistanceText.short(n.metres))
            $0.literal(")")
        }
        csv.cell { Self.list(n.why, into: &$0) }
    }

    /// `a, b, c` into the open cell.
    private static func list(_ items: [String], into csv: inout SpreadsheetCSV) {
        for (j, item) in items.enumerated() {
            if j > 0 { csv.literal(", ") }
            csv.text(item)
        }
    }

    // MARK: facility-rejects.csv

    static let rejectsHeader = ["파일", "행", "처리", "사유 코드", "내용", "열", "값"]

    static func writeRejectsCSV(_ rejects: [FacilityReject], to file: OutputFile) throws {
        var csv = SpreadsheetCSV()
        csv.appendRow(rejectsHeader)
        for r in rejects {
            csv.appendRow([
                r.file, String(r.row), r.kept ? "읽음(경고)" : "제외", r.code, r.message, r.column ?? "", r.value ?? "",
            ])
        }
        try file.take(csv.buffer)
        try file.close()
    }
}
