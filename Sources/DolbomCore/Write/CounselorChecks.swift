import DolbomNormalize

/// `확인할 점` for the person on the phone: what to ask or check in the call, in plain words, instead of
/// the message written for the staff who fix the form export. Issues only staff act on (a submission time
/// without a clock) are left out.
enum CounselorChecks {
    /// The phrase for one issue, nil when it is not the counselor's to check.
    static func phrase(_ issue: RowIssue) -> String? {
        let code = issue.code
        let child = issue.field.hasPrefix("child")
        switch code {
        case ServiceArea.outsideCode:
            return issue.message
        case "phone_leading_zero_restored":
            return "전화번호 앞의 0이 빠진 채 적혀 있어 붙여서 걸었습니다. 연결되지 않으면 번호 오류로 적어 주세요."
        case "age_column_ignored", "age_ambiguous_sal", "age_korean_age_approximate", "birth_year_only",
            "age_birth_mismatch", "grade_age_mismatch", "grade_birth_mismatch", "age_multiple_values",
            "birth_date_order_ambiguous":
            return "자녀의 나이나 학년이 분명하지 않습니다. 자녀 생년월일을 여쭤 주세요."
        case "age_out_of_range":
            return "자녀 나이가 돌봄 대상 나이 밖으로 적혀 있습니다. 자녀 생년월일을 여쭤 주세요."
        case "grade_not_elementary":
            return "자녀가 중·고등학생으로 적혀 있습니다. 돌봄이 필요한 자녀가 있는지 여쭤 주세요."
        case "child_missing":
            return "신청서에 자녀 정보가 없습니다. 자녀 이름과 나이를 여쭤 주세요."
        case "children_age_unpaired":
            return issue.message
        case "care_type_undecided", "care_type_unknown", "care_type_legacy_name":
            return "원하는 돌봄 서비스가 분명하지 않습니다. 어떤 도움이 필요한지 여쭤 주세요."
        case "name_masked", "name_nickname", "name_keyboard_recovered", "name_jamo_composed", "name_multiple_words",
            "name_unusual_length", "name_unexpected_characters", "name_annotation_removed":
            return child
                ? "자녀 이름이 분명하지 않습니다. 자녀 이름을 여쭤 주세요."
                : "보호자 이름이 분명하지 않습니다. 통화하는 분의 성함을 여쭤 주세요."
        case "address_missing":
            return "신청서에 주소가 없습니다. 사는 곳(시·군·구, 동)을 여쭤 주세요."
        default:
            if code.hasPrefix("timestamp_") { return nil }
            if code.hasPrefix("contact_window_") {
                return "통화하기 좋은 시간을 신청서에서 다 읽지 못했습니다. 다음에 전화하기 좋은 시간을 여쭤 주세요."
            }
            if code.hasPrefix("address_") { return "주소가 분명하지 않습니다. 사는 곳(시·군·구, 동)을 여쭤 주세요." }
            return issue.message
        }
    }
}
