import DolbomNormalize
import Foundation

/// The fields dolbom understands, whatever a form calls them.
public enum CanonicalField: String, Sendable, Codable, CaseIterable, Hashable {
    case submittedAt = "submitted_at"
    case guardianName = "guardian_name"
    case guardianPhone = "guardian_phone"
    case address
    case addressDetail = "address_detail"
    case postalCode = "postal_code"
    case childName = "child_name"
    case childBirth = "child_birth"
    case childAge = "child_age"
    case childGrade = "child_grade"
    /// One cell that may hold a birth date, an age or a grade ("자녀 생년월일 또는 나이").
    case childBirthOrAge = "child_birth_or_age"
    case careType = "care_type"
    case contactWindow = "contact_window"
    case householdFlags = "household_flags"
    case consent
    case memo
    /// The language the family asks to be counselled in ("상담 희망 언어", "통역 필요 언어").
    case language

    public var isChildField: Bool {
        switch self {
        case .childName, .childBirth, .childAge, .childGrade, .childBirthOrAge: return true
        default: return false
        }
    }
}

/// What one column of an export holds.
public enum ColumnRole: Hashable, Sendable, Codable {
    /// A household-level field, or a child field in a one-row-per-child form.
    case field(CanonicalField)
    /// A child field of the n-th child (1-based) in a one-row-per-family form.
    case child(Int, CanonicalField)
    /// Not understood: kept and passed through under its header.
    case passThrough

    public var label: String {
        switch self {
        case .field(let f): return f.rawValue
        case .child(let n, let f): return "child[\(n)].\(f.rawValue.replacingOccurrences(of: "child_", with: ""))"
        case .passThrough: return "(pass-through)"
        }
    }
}

/// Whether an export has one row per child or one row per family.
public enum ExportLayout: String, Sendable, Codable {
    case rowPerChild = "row_per_child"
    case rowPerFamily = "row_per_family"
}

/// The meaning of every column of one export, decided from its header row.
public struct HeaderMapping: Sendable, Hashable {
    public var headers: [String]
    public var roles: [ColumnRole]
    public var layout: ExportLayout
    /// Columns whose role came from the configuration rather than detection.
    public var overridden: Set<Int>

    /// Column of a household-level field (first one if repeated).
    public func column(_ field: CanonicalField) -> Int? {
        roles.firstIndex(of: .field(field))
    }

    /// Child slots present, each with its columns, in child order.
    public var childSlots: [[CanonicalField: Int]] {
        switch layout {
        case .rowPerChild:
            var slot: [CanonicalField: Int] = [:]
            for (i, role) in roles.enumerated() {
                if case .field(let f) = role, f.isChildField, slot[f] == nil { slot[f] = i }
            }
            return slot.isEmpty ? [] : [slot]
        case .rowPerFamily:
            var slots: [Int: [CanonicalField: Int]] = [:]
            for (i, role) in roles.enumerated() {
                if case .child(let n, let f) = role, slots[n]?[f] == nil { slots[n, default: [:]][f] = i }
            }
            return slots.keys.sorted().map { slots[$0]! }
        }
    }

    public var mappedFieldCount: Int { roles.filter { $0 != .passThrough }.count }

    public var passThroughColumns: [Int] {
        roles.indices.filter { roles[$0] == .passThrough && !headers[$0].trimmedWhitespace.isEmpty }
    }
}

/// Recognizes the Korean wordings real forms use for each field.
///
/// Detection works on a folded header (no spaces, brackets or punctuation,
/// lower case) and checks rules in an order that resolves overlaps: "상담 가능한
/// 시간대" is a contact window, not a phone; "자녀 생년월일 또는 나이" is a child
/// field, not the guardian's.
public struct HeaderDetector: Sendable {
    /// Explicit header → field choices from the configuration, by exact (trimmed) header text.
    public var overrides: [String: ColumnRole]

    public init(overrides: [String: ColumnRole] = [:]) {
        self.overrides = overrides
    }

    public func map(headers: [String]) -> HeaderMapping {
        var roles: [ColumnRole] = []
        var overridden: Set<Int> = []
        var seen: Set<ColumnRole> = []
        for (i, header) in headers.enumerated() {
            let trimmed = header.trimmedWhitespace
            var role: ColumnRole
            if let forced = overrides[trimmed] {
                role = forced
                overridden.insert(i)
            } else {
                role = Self.detect(trimmed)
            }
            // A field mapped twice keeps its first column; the second is passed through.
            if role != .passThrough {
                if seen.contains(role) && !overridden.contains(i) { role = .passThrough } else { seen.insert(role) }
            }
            roles.append(role)
        }
        let family = roles.contains { if case .child = $0 { return true } else { return false } }
        if family {
            // In a family form, un-numbered child columns belong to the first child.
            for i in roles.indices {
                if case .field(let f) = roles[i], f.isChildField, !roles.contains(.child(1, f)) {
                    roles[i] = .child(1, f)
                }
            }
        }
        return HeaderMapping(
            headers: headers, roles: roles, layout: family ? .rowPerFamily : .rowPerChild, overridden: overridden)
    }

    /// Folds a header for matching: NFC, lower case, no whitespace, no brackets or punctuation.
    static func fold(_ header: String) -> String {
        var out = ""
        for scalar in header.precomposedStringWithCanonicalMapping.lowercased().unicodeScalars {
            if scalar.properties.isWhitespace { continue }
            if "()[]{}<>·.,:;!?*-_/~'\"「」『』【】（）※".unicodeScalars.contains(scalar) { continue }
            out.unicodeScalars.append(scalar)
        }
        return out
    }

    private static let ordinals: [(String, Int)] = [
        ("첫번째", 1), ("두번째", 2), ("세번째", 3), ("네번째", 4), ("다섯번째", 5),
        ("첫째", 1), ("둘째", 2), ("셋째", 3), ("넷째", 4), ("다섯째", 5),
    ]

    /// Finds a child number in a header: 첫째/둘째, 자녀1, 아동 2, 1번 자녀, 자녀(1).
    static func childNumber(in folded: String) -> (Int, String)? {
        for (word, n) in ordinals where folded.contains(word) {
            return (n, folded.replacingOccurrences(of: word, with: ""))
        }
        for stem in ["자녀", "아동", "아이", "자녀", "학생", "child"] {
            guard let range = folded.range(of: stem) else { continue }
            let after = folded[range.upperBound...]
            let digits = after.prefix { $0.isASCII && $0.isNumber }
            if let n = Int(digits), (1...9).contains(n) {
                return (
                    n,
                    folded.replacingCharacters(
                        in: range.upperBound..<after.index(after.startIndex, offsetBy: digits.count), with: "")
                )
            }
            let before = folded[..<range.lowerBound]
            if before.hasSuffix("번"), let digit = before.dropLast().last, let n = Int(String(digit)),
                (1...9).contains(n)
            {
                return (n, folded)
            }
        }
        return nil
    }

    static func detect(_ header: String) -> ColumnRole {
        let folded = fold(header)
        if folded.isEmpty { return .passThrough }
        if let (n, rest) = childNumber(in: folded), let field = childField(rest, numbered: true) {
            return .child(n, field)
        }
        if let field = field(folded) { return .field(field) }
        return .passThrough
    }

    private static func containsAny(_ text: String, _ words: [String]) -> Bool {
        words.contains { text.contains($0) }
    }

    private static let childWords = ["자녀", "아동", "아이", "학생", "자제", "child", "kid"]

    /// Child fields: in a numbered column the child word may be missing ("첫째 생년월일").
    static func childField(_ folded: String, numbered: Bool) -> CanonicalField? {
        let isChild = numbered || containsAny(folded, childWords)
        guard isChild else { return nil }
        if containsAny(folded, ["생년월일", "생일", "출생"]) {
            return containsAny(folded, ["나이", "연령", "학년"]) ? .childBirthOrAge : .childBirth
        }
        if containsAny(folded, ["나이", "연령", "age"]) {
            return containsAny(folded, ["학년"]) ? .childBirthOrAge : .childAge
        }
        if folded.contains("학년") { return .childGrade }
        let namedAsName =
            containsAny(folded, ["이름", "성명", "name"])
            || (folded.hasSuffix("명") && !containsAny(folded, ["학교명", "기관명", "시설명", "센터명", "반명"]))
        if namedAsName || folded == "자녀" || folded == "아동" { return .childName }
        return nil
    }

    static func field(_ f: String) -> CanonicalField? {
        if containsAny(f, ["동의", "consent"]) { return .consent }
        if containsAny(f, ["이메일", "email", "메일주소"]) { return nil }
        if containsAny(
            f, ["타임스탬프", "timestamp", "제출일시", "접수일시", "신청일시", "작성일시", "응답일시", "제출시간", "접수일", "신청일", "제출일", "작성일"])
        {
            return .submittedAt
        }
        if let child = childField(f, numbered: false) { return child }
        if f.contains("학년") { return .childGrade }
        if containsAny(f, ["언어", "language", "통역", "모국어"]) { return .language }
        if containsAny(f, ["시간대", "통화가능", "상담가능", "연락가능", "통화시간", "통화희망", "연락희망", "상담희망시간", "가능시간"]) {
            return .contactWindow
        }
        if containsAny(f, ["연락처", "휴대폰", "휴대전화", "전화번호", "핸드폰", "phone", "전화", "mobile"]) { return .guardianPhone }
        if f.contains("우편번호") || f == "우편" { return .postalCode }
        if containsAny(f, ["상세주소", "나머지주소", "동호수"]) { return .addressDetail }
        if containsAny(f, ["주소", "거주지", "address", "사는곳"]) { return .address }
        if containsAny(f, ["가구유형", "가구구분", "가정유형", "가구형태", "가족형태", "대상구분", "해당사항", "해당항목", "지원대상", "가구특성"]) {
            return .householdFlags
        }
        if containsAny(f, ["돌봄서비스", "희망서비스", "희망하는", "이용희망", "돌봄유형", "서비스유형", "희망돌봄", "신청서비스"]) {
            return .careType
        }
        if containsAny(f, ["보호자", "신청인", "신청자", "학부모", "부모", "성명", "이름", "name"]) { return .guardianName }
        if containsAny(f, ["기타", "문의", "비고", "메모", "요청사항", "남기실", "하고싶은말", "특이사항", "memo", "note"]) { return .memo }
        return nil
    }
}
