/// Reads the personal-information consent checkbox (개인정보 수집·이용 동의).
///
/// Calling a family without consent is not allowed, so only an explicit yes
/// counts: `동의합니다`, `[필수] 동의합니다`, `예`, `네`, `Y`, `O`, `○`, `☑`, `✔`,
/// `TRUE`, `1`. Negations are checked first because `동의하지 않습니다` contains `동의`.
/// Everything else, including empty, is fatal `consent_missing` (value nil).
public enum ConsentNormalizer {
    public static func normalize(_ raw: String) -> Normalized<Bool> {
        let a = FieldText.compactLowered(FieldText.fold(raw))
        if a.isEmpty {
            return .failed(.fatal("consent_missing", "개인정보 수집·이용 동의 칸이 비어 있습니다. 동의를 받은 뒤에만 연락할 수 있으니 동의 여부를 확인해 주세요."))
        }
        if negativeExact.contains(a) || negativeParts.contains(where: { FieldText.contains(a, $0) }) {
            return .failed(
                .fatal(
                    "consent_missing",
                    "개인정보 수집·이용에 동의하지 않은 것으로 적혀 있습니다('\(FieldText.string(a))'). 동의 없이는 연락할 수 없으니 동의를 다시 받아 주세요."))
        }
        if FieldText.contains(a, agree) || positiveExact.contains(a) {
            return .ok(true)
        }
        return .failed(
            .fatal("consent_missing", "동의 여부('\(FieldText.string(a))')를 알 수 없습니다. '동의합니다'처럼 명확한 동의가 있는지 확인해 주세요."))
    }

    private static let agree: [Unicode.Scalar] = Array("동의".unicodeScalars)

    private static let negativeParts: [[Unicode.Scalar]] = [
        "않", "미동의", "비동의", "불동의", "부동의", "거부", "거절", "아니", "안함", "안해", "안합", "안했", "철회", "반대",
        "disagree", "미체크",
    ].map { Array($0.unicodeScalars) }

    private static let negativeExact = FieldText.keys([
        "n", "no", "x", "false", "f", "0", "✗", "✘", "×", "☐", "□", "-", "없음", "무", "미", "아뇨",
        "동의(x)", "동의x", "동의:x",
    ])

    private static let positiveExact = FieldText.keys([
        "예", "네", "넵", "넹", "응", "y", "yes", "o", "○", "◯", "●", "☑", "✔", "✓", "✅", "v", "true", "t", "1",
        "체크", "checked", "agree", "agreed", "ok", "예.", "네.",
    ])
}
