import DolbomNormalize
import Testing

let consentYes: [String] = [
    "동의합니다", "동의함", "동의", "예", "네", "Y", "y", "yes", "Yes", "YES", "O", "○", "☑", "✔", "✓", "TRUE", "true", "1",
    "개인정보 수집·이용에 동의합니다", "[필수] 동의합니다", " 동의합니다 ", "예(동의)", "네, 동의합니다", "동의해요",
    "개인정보 수집 및 이용에 동의합니다.", "ｙ", "동의합니다(필수)",
]

let consentNo: [String] = [
    "", "   ", "미동의", "동의하지 않음", "동의하지 않습니다", "동의 안함", "비동의", "아니오", "아니요", "N", "n", "no", "NO",
    "0", "false", "FALSE", "X", "☐", "확인", "?", "개인정보 수집·이용에 동의하지 않습니다", "동의(X)", "거부", "동의를 거부합니다",
]

@Suite("ConsentNormalizer")
struct ConsentNormalizerTests {
    @Test(arguments: consentYes)
    func yes(_ input: String) {
        let r = ConsentNormalizer.normalize(input)
        #expect(r.value == true)
        #expect(r.issues.isEmpty)
    }

    @Test(arguments: consentNo)
    func no(_ input: String) {
        let r = ConsentNormalizer.normalize(input)
        #expect(r.value == nil)
        #expect(codes(r, .fatal) == ["consent_missing"])
        #expect(issuesAreWellFormed(r))
    }
}
