/// Child-care services a family asks for; the raw values are the official Korean names.
public enum CareType: String, Hashable, Sendable, Codable, CaseIterable {
    case 지역아동센터, 다함께돌봄센터, 늘봄학교, 온종일돌봄, 아이돌봄, 드림스타트, 기타

    /// Position in `allCases` (and the sort order), for bit sets that need no hashing of the raw text.
    public var order: Int {
        switch self {
        case .지역아동센터: 0
        case .다함께돌봄센터: 1
        case .늘봄학교: 2
        case .온종일돌봄: 3
        case .아이돌봄: 4
        case .드림스타트: 5
        case .기타: 6
        }
    }
}

/// Reads a (multi-select) care-type cell such as `지역아동센터, 다함께돌봄센터`.
///
/// Each comma/slash/newline-separated part may name several services; names
/// are matched on key words with spaces removed (`다함께 돌봄` → 다함께돌봄센터, Seoul's
/// `우리동네키움센터`/`융합형키움센터`/`거점형키움센터` (its 다함께돌봄센터, under the city's own name) → 다함께돌봄센터,
/// `아이돌보미`/`아이돌봄서비스` → 아이돌봄, `늘봄`/`방과후(늘봄학교)` → 늘봄학교).
/// Decision: the pre-2024 names `초등돌봄교실`/`돌봄교실`/`방과후` map to 늘봄학교 (they
/// were merged into it) with warning `care_type_legacy_name`. Unknown text and
/// `기타: …` → `.기타` with warning `care_type_unknown` (read the original);
/// a bare `기타` option → `.기타` without a warning. `없음`/`해당없음` → [];
/// `모름`/`상관없음` → [] with warning `care_type_undecided`. Empty → [] without issues.
/// The result is sorted in `CareType.allCases` order and has no duplicates.
public enum CareTypeNormalizer {
    public static func normalize(_ raw: String) -> Normalized<[CareType]> {
        var found: UInt8 = 0  // bit per CareType.order; avoids hashing String raw values
        var warnings: [FieldIssue] = []
        func warn(_ issue: FieldIssue) {
            if !warnings.contains(where: { $0.code == issue.code }) { warnings.append(issue) }
        }
        for part in FieldText.listParts(raw) {
            let compact = FieldText.removingSpaces(part)
            if noneWords.contains(compact) { continue }
            var key: String { FieldText.string(compact) }
            if undecidedWords.contains(compact) {
                warn(.warning("care_type_undecided", "희망 돌봄 유형을 정하지 않았습니다('\(key)'). 상담할 때 필요한 서비스를 여쭤봐 주세요."))
                continue
            }
            var matched = false
            for (needle, type) in keywords where FieldText.contains(compact, needle) {
                found |= 1 << type.order
                matched = true
            }
            if !FieldText.contains(compact, 늘봄) {
                for needle in legacyKeywords where FieldText.contains(compact, needle) {
                    found |= 1 << CareType.늘봄학교.order
                    matched = true
                    warn(
                        .warning(
                            "care_type_legacy_name",
                            "'\(key)'은(는) 2024년부터 늘봄학교로 통합된 이름이라 늘봄학교로 처리했습니다. 원하는 서비스가 맞는지 확인해 주세요."))
                    break
                }
            }
            if compact == 기타 {
                found |= 1 << CareType.기타.order
                continue
            }
            if !matched {
                found |= 1 << CareType.기타.order
                warn(.warning("care_type_unknown", "알 수 없는 돌봄 유형('\(key)')은 기타로 처리했습니다. 원본 내용을 확인해 주세요."))
            }
        }
        return .ok(CareType.allCases.filter { found & (1 << $0.order) != 0 }, warnings)
    }

    private static let 늘봄: [Unicode.Scalar] = Array("늘봄".unicodeScalars)

    private static let keywords: [([Unicode.Scalar], CareType)] =
        ([
            ("지역아동센터", .지역아동센터), ("지역아동", .지역아동센터), ("지역센터", .지역아동센터),
            ("다함께", .다함께돌봄센터), ("키움센터", .다함께돌봄센터), ("우리동네키움", .다함께돌봄센터), ("늘봄", .늘봄학교), ("온종일", .온종일돌봄),
            ("아이돌봄", .아이돌봄), ("아이돌보미", .아이돌봄), ("드림스타트", .드림스타트), ("드림start", .드림스타트),
        ] as [(String, CareType)]).map { (Array($0.0.unicodeScalars), $0.1) }

    private static let legacyKeywords: [[Unicode.Scalar]] = ["초등돌봄", "돌봄교실", "방과후"].map { Array($0.unicodeScalars) }

    private static let 기타: [Unicode.Scalar] = Array("기타".unicodeScalars)
    private static let noneWords = FieldText.keys(["없음", "해당없음", "해당사항없음", "-", "x", "X", "무"])
    private static let undecidedWords = FieldText.keys(["모름", "잘모름", "잘모르겠음", "모르겠음", "상관없음", "무관", "아무거나", "상담후결정"])
}
