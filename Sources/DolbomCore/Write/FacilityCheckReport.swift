import DolbomFacility
import DolbomGeo
import DolbomNormalize

/// What `dolbom facilities check` prints: what was read from each list, counts by type and 시군구, how the
/// facilities were located, the vacancy sheet, and every reject with its reason (warnings counted, listed
/// with `--verbose`).
public enum FacilityCheckReport {
    public static func text(_ load: FacilityLoad, verbose: Bool = false) -> String {
        var lines: [String] = []
        for f in load.files {
            lines.append("\(f.file): 데이터 행 \(f.dataRows), 읽은 기관 \(f.accepted)" + (f.error.map { "  ⚠ \($0)" } ?? ""))
            if !f.mapped.isEmpty {
                lines.append("  열 → 항목: " + f.mapped.map { "\($0.header) → \($0.field)" }.joined(separator: ", "))
            }
            if !f.unmapped.isEmpty { lines.append("  읽지 않은 열: " + f.unmapped.joined(separator: ", ")) }
        }
        let facilities = load.registry.facilities
        lines.append("")
        lines.append(
            "기관 \(facilities.count)곳, 뺀 행 \(load.rejectedCount)개, 경고 \(load.rejects.count - load.rejectedCount)건")
        lines.append("유형별: " + counted(facilities.map { $0.type.rawValue }, order: CareType.allCases.map(\.rawValue)))
        let original = Dictionary(grouping: facilities, by: \.typeText).mapValues(\.count)
        if original.keys.contains(where: { CareType(rawValue: $0) == nil }) {
            lines.append(
                "  목록에 적힌 유형: "
                    + original.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) \($0.value)" }
                    .joined(separator: ", "))
        }
        lines.append("시군구별: " + counted(facilities.map { $0.sigungu ?? "(모름)" }, order: nil))
        let sources = facilities.map { f -> String in
            switch f.locationSource {
            case .coordinates: "목록의 좌표(건물)"
            case .addressFile: "도로명주소 파일(건물 입구)"
            case .areaCentroid: f.location?.precision == .eupmyeondong ? "주소의 읍면동 중심" : "주소의 시군구 중심"
            case nil: "위치 없음(시군구만)"
            }
        }
        lines.append("위치: " + counted(sources, order: nil))
        let withVacancy = facilities.filter { $0.places.vacancies != nil }.count
        let withCapacity = facilities.filter { $0.places.capacity != nil }.count
        lines.append("정원 있는 기관 \(withCapacity)곳, 빈자리 아는 기관 \(withVacancy)곳")
        if let v = load.vacancySheet {
            lines.append(
                "빈자리 표 \(v.file): 데이터 행 \(v.dataRows), 반영 \(load.vacanciesApplied)곳"
                    + (v.error.map { "  ⚠ \($0)" } ?? ""))
        }
        let rejects = load.rejects.filter { !$0.kept }
        if !rejects.isEmpty {
            lines.append("")
            lines.append("뺀 행 (facility-rejects.csv에도 있습니다):")
            for r in rejects { lines.append("  " + line(r)) }
        }
        let warnings = load.rejects.filter(\.kept)
        if !warnings.isEmpty {
            lines.append("")
            lines.append(
                "경고와 함께 읽은 행: " + counted(warnings.map(\.code), order: nil) + (verbose ? "" : " (--verbose로 모두 보기)"))
            if verbose { for r in warnings { lines.append("  " + line(r)) } }
        }
        return lines.joined(separator: "\n")
    }

    static func line(_ r: FacilityReject) -> String {
        var s = "\(r.file):\(r.row): [\(r.code)] \(r.message)"
        if let c = r.column { s += " (열 '\(c)'" + (r.value.map { ", 값 '\($0)'" } ?? "") + ")" }
        return s
    }

    /// `지역아동센터 425, 다함께돌봄센터 229`: in `order` when given, else most first, then by name.
    static func counted(_ values: [String], order: [String]?) -> String {
        let counts = Dictionary(grouping: values, by: { $0 }).mapValues(\.count)
        let keys =
            order.map { o in o.filter { counts[$0] != nil } + counts.keys.filter { !o.contains($0) }.sorted() }
            ?? counts.keys.sorted { (counts[$0]!, $1) > (counts[$1]!, $0) }
        return keys.map { "\($0) \(counts[$0]!)" }.joined(separator: ", ")
    }
}
