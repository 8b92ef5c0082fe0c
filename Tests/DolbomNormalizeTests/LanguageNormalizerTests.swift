import DolbomNormalize
import Testing

struct LanguageCase: Sendable, CustomTestStringConvertible {
    let input: String
    let language: String?
    let warnings: [String]
    init(_ input: String, _ language: String?, warn: [String] = []) {
        self.input = input
        self.language = language
        self.warnings = warn
    }
    var testDescription: String { "language \(input.debugDescription)" }
}

let languageCases: [LanguageCase] = [
    LanguageCase("", nil), LanguageCase("  ", nil), LanguageCase("한국어", nil), LanguageCase("없음", nil),
    LanguageCase("해당 없음", nil),
    LanguageCase("한국어 가능", nil), LanguageCase("한국말 잘해요", nil), LanguageCase("필요 없음", nil), LanguageCase("-", nil),
    LanguageCase("베트남어", "베트남어"), LanguageCase("베트남", "베트남어"), LanguageCase("Tiếng Việt", "베트남어"),
    LanguageCase("Vietnamese", "베트남어"), LanguageCase("통역 필요(베트남어)", "베트남어"), LanguageCase("베트남어, 한국어 조금", "베트남어"),
    LanguageCase("한국어/베트남어", "베트남어"), LanguageCase("중국어", "중국어"), LanguageCase("중국(조선족)", "중국어"),
    LanguageCase("中文", "중국어"), LanguageCase("Chinese", "중국어"), LanguageCase("필리핀어", "타갈로그어"),
    LanguageCase("타갈로그어", "타갈로그어"),
    LanguageCase("캄보디아어", "크메르어"), LanguageCase("태국어", "태국어"), LanguageCase("몽골어", "몽골어"), LanguageCase("러시아어", "러시아어"),
    LanguageCase("우즈벡어", "우즈베크어"), LanguageCase("네팔어", "네팔어"), LanguageCase("일본어", "일본어"),
    LanguageCase("English", "영어"),
    LanguageCase("영어 가능", "영어"),
    LanguageCase("라오스어", "라오스어", warn: ["language_unknown"]),
    LanguageCase("  스와힐리어 ", "스와힐리어", warn: ["language_unknown"]),
]

@Suite("Counselling language")
struct LanguageNormalizerTests {
    @Test(arguments: languageCases)
    func normalize(_ c: LanguageCase) {
        let result = LanguageNormalizer.normalize(c.input)
        #expect(result.value == c.language)
        #expect(result.issues.map(\.code) == c.warnings)
    }
}
