/// Household circumstances that give priority in child-care placement.
/// Case order is the display and sort order (roughly: legal priority first).
public enum HouseholdFlag: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
    case 기초생활수급, 차상위, 한부모, 조손, 다문화, 장애, 맞벌이, 다자녀

    /// Position in `allCases` (and the sort order), for bit sets that need no hashing of the raw text.
    public var order: Int {
        switch self {
        case .기초생활수급: 0
        case .차상위: 1
        case .한부모: 2
        case .조손: 3
        case .다문화: 4
        case .장애: 5
        case .맞벌이: 6
        case .다자녀: 7
        }
    }

    public static func < (lhs: HouseholdFlag, rhs: HouseholdFlag) -> Bool { lhs.order < rhs.order }
}

/// Reads a (multi-select) household-type cell such as `기초생활수급가정, 한부모가정`.
///
/// Matching is on key words with spaces removed, so `수급자`, `기초수급`,
/// `생계급여` → 기초생활수급; `차상위계층` → 차상위; `모자가정`/`부자가정` → 한부모;
/// `장애인 가정`/`장애아동` → 장애; `다자녀(3자녀 이상)` → 다자녀. `해당없음`/`없음`/`일반` → [].
/// Parts that match nothing give warning `household_flag_unknown` (e.g. `저소득`,
/// which could be 수급 or 차상위: not guessed). Sorted by case order, unique.
public enum HouseholdFlagNormalizer {
    public static func normalize(_ raw: String) -> Normalized<[HouseholdFlag]> {
        var found: UInt8 = 0  // bit per HouseholdFlag.order; avoids hashing String raw values
        var unknown: [String] = []
        for part in FieldText.listParts(raw) {
            let compact = FieldText.compactLowered(part)
            if noneWords.contains(compact) { continue }
            // `장애 없음`, `한부모 아님`: an explicit "not this".
            if negations.contains(where: { FieldText.contains(compact, $0) }) { continue }
            var matched = false
            for (needle, flag) in keywords where FieldText.contains(compact, needle) {
                found |= 1 << flag.order
                matched = true
            }
            if !matched { unknown.append(FieldText.string(compact)) }
        }
        var issues: [FieldIssue] = []
        if !unknown.isEmpty {
            issues.append(
                .warning(
                    "household_flag_unknown",
                    "알 수 없는 가구 유형(\(unknown.map { "'\($0)'" }.joined(separator: ", ")))은 반영하지 않았습니다. 해당하는 우선순위 유형(수급, 차상위, 한부모 등)을 확인해 주세요."
                ))
        }
        return .ok(HouseholdFlag.allCases.filter { found & (1 << $0.order) != 0 }, issues)
    }

    private static let keywords: [([Unicode.Scalar], HouseholdFlag)] =
        ([
            ("기초생활", .기초생활수급), ("수급", .기초생활수급), ("생계급여", .기초생활수급), ("의료급여", .기초생활수급),
            ("주거급여", .기초생활수급), ("교육급여", .기초생활수급),
            ("차상위", .차상위),
            ("한부모", .한부모), ("모자가정", .한부모), ("부자가정", .한부모), ("모자가족", .한부모), ("부자가족", .한부모),
            ("미혼모", .한부모), ("미혼부", .한부모), ("편부", .한부모), ("편모", .한부모),
            ("조손", .조손),
            ("다문화", .다문화), ("결혼이민", .다문화), ("국제결혼", .다문화),
            ("장애", .장애),
            ("맞벌이", .맞벌이), ("맞벌", .맞벌이), ("부부모두취업", .맞벌이), ("부모모두취업", .맞벌이),
            ("다자녀", .다자녀), ("다둥이", .다자녀), ("3자녀", .다자녀), ("세자녀", .다자녀), ("자녀3명", .다자녀), ("4자녀", .다자녀),
        ] as [(String, HouseholdFlag)]).map { (Array($0.0.unicodeScalars), $0.1) }

    private static let negations: [[Unicode.Scalar]] = ["없음", "아님", "아니", "해당안", "해당무", "비해당", "비장애"].map {
        Array($0.unicodeScalars)
    }

    private static let noneWords = FieldText.keys([
        "없음", "해당없음", "해당사항없음", "해당무", "무", "일반", "일반가정", "일반가구", "-", "x", "n", "no", "none", "해당안됨", "해당x",
    ])
}
