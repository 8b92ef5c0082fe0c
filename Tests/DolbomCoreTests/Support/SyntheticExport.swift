import Foundation

/// Google Forms-style exports made in the test, so state tests control exactly which rows appear.
enum SyntheticExport {
    static let header =
        "\"타임스탬프\",\"보호자 성명\",\"보호자 연락처(휴대전화)\",\"거주지 주소\",\"자녀 이름\",\"자녀 생년월일 또는 나이\",\"희망하는 돌봄 서비스\",\"상담 가능한 시간대\",\"가구 유형(해당 항목 모두 선택)\",\"개인정보 수집·이용 동의\",\"기타 문의사항\"\n"
    static let surnames = ["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임"]
    static let given = ["민준", "서연", "하은", "도윤", "지호", "서준", "하준", "지우", "수아", "지아"]

    /// Row `i` is household `i / 2` (every household sends two children on two rows).
    static func row(_ i: Int, memo: String = "") -> String {
        let household = i / 2
        let day = 1 + (i / 500) % 28
        let second = i % 60
        let minute = (i / 60) % 60
        let phone = String(format: "010-%04d-%04d", 2000 + household / 10_000, household % 10_000)
        let guardian = surnames[household % 10] + given[(household / 10) % 10]
        let child = surnames[household % 10] + given[(household + i) % 10]
        let fields = [
            String(format: "2024/07/%02d 10:%02d:%02d 오후 GMT+9", day, minute, second),
            guardian, phone,
            "충청남도 아산시 배방읍 배미로34번길 \(1 + household % 200), \(100 + household % 9)동 \(1001 + household % 300)호",
            child, "201\(i % 8)-0\(1 + i % 9)-1\(i % 9)", "지역아동센터", "평일 오후(13시~18시)", i % 7 == 0 ? "한부모" : "해당없음",
            "동의합니다", memo,
        ]
        return fields.map { "\"\($0)\"" }.joined(separator: ",") + "\n"
    }

    static func text(_ rows: Range<Int>, edits: [Int: String] = [:]) -> String {
        header + rows.map { row($0, memo: edits[$0] ?? "") }.joined()
    }
}
