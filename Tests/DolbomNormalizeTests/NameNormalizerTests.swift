import DolbomNormalize
import Testing

struct NameCase: Sendable, CustomTestStringConvertible {
    let input: String
    let name: String?
    let role: String?
    let script: PersonName.Script?
    let fatal: String?
    let warnings: [String]

    init(
        _ input: String, _ name: String, role: String? = nil, _ script: PersonName.Script = .hangul, warn: [String] = []
    ) {
        self.input = input
        self.name = name
        self.role = role
        self.script = script
        self.fatal = nil
        self.warnings = warn.sorted()
    }
    init(_ input: String, fatal: String) {
        self.input = input
        self.name = nil
        self.role = nil
        self.script = nil
        self.fatal = fatal
        self.warnings = []
    }
    var testDescription: String { "name \(input.debugDescription)" }
}

let nameCases: [NameCase] = [
    NameCase("김민준", "김민준"),
    NameCase("  김민준  ", "김민준"),
    NameCase("김 민준", "김민준"),
    NameCase("김 민 준", "김민준"),
    NameCase("남궁 민", "남궁민"),
    NameCase("남궁민", "남궁민"),
    NameCase("선우 재덕", "선우재덕"),
    NameCase("제갈 공명", "제갈공명"),
    // Honorifics and roles
    NameCase("김민준님", "김민준"),
    NameCase("김민준 님", "김민준"),
    NameCase("김민준 씨", "김민준"),
    NameCase("김민준(모)", "김민준", role: "모"),
    NameCase("김민준 (엄마)", "김민준", role: "모"),
    NameCase("김민준 어머니", "김민준", role: "모"),
    NameCase("김민준어머님", "김민준", role: "모"),
    NameCase("김민준어머니", "김민준", role: "모"),
    NameCase("김민준 엄마", "김민준", role: "모"),
    NameCase("엄마 김민준", "김민준", role: "모"),
    NameCase("김민준 아버지", "김민준", role: "부"),
    NameCase("김민준(부)", "김민준", role: "부"),
    NameCase("김민준 (아빠)", "김민준", role: "부"),
    NameCase("이서연 할머니", "이서연", role: "조모"),
    NameCase("이서연(조모)", "이서연", role: "조모"),
    NameCase("박지호 (할아버지)", "박지호", role: "조부"),
    NameCase("박지호 외할머니", "박지호", role: "외조모"),
    NameCase("김민준 보호자", "김민준"),
    NameCase("김민준님 (모)", "김민준", role: "모"),
    NameCase("김민준(민준이)", "김민준", warn: ["name_annotation_removed"]),
    NameCase("(엄마)", fatal: "name_missing"),
    // Nicknames kept as written
    NameCase("민준맘", "민준맘", warn: ["name_nickname"]),
    NameCase("민준이엄마", "민준이엄마", warn: ["name_nickname"]),
    // Latin names
    NameCase("Nguyen Thi Lan", "Nguyen Thi Lan", .latin),
    NameCase("  Nguyen   Thi  Lan ", "Nguyen Thi Lan", .latin),
    NameCase("NGUYEN THI LAN", "NGUYEN THI LAN", .latin),
    NameCase("Tran Van An", "Tran Van An", .latin),
    NameCase("Nguyễn Thị Lan", "Nguyễn Thị Lan", .latin),
    NameCase("Trần Văn Đức", "Trần Văn Đức", .latin),
    NameCase("Nguye\u{302}\u{303}n Thi\u{323} Lan", "Nguye\u{302}\u{303}n Thi\u{323} Lan", .latin),
    NameCase("Nguyễn Thị Lan 2", "Nguyễn Thị Lan 2", .latin, warn: ["name_unexpected_characters"]),
    NameCase("Maria Santos (엄마)", "Maria Santos", role: "모", .latin),
    NameCase("O'Brien Mary", "O'Brien Mary", .latin),
    NameCase("Jean-Pierre", "Jean-Pierre", .latin),
    NameCase("Anna", "Anna", .latin),
    NameCase("anna", "anna", .latin),
    NameCase("rla", "rla", .latin),
    NameCase("Ｌａｎ", "Lan", .latin),
    // Mixed
    NameCase("김 Lan", "김 Lan", .mixed),
    NameCase("金敏俊", "金敏俊", .mixed),
    // Keyboard recovery (two-beolsik typed in English mode)
    NameCase("rlaalswns", "김민준", warn: ["name_keyboard_recovered"]),
    NameCase("qkrtjdgh", "박성호", warn: ["name_keyboard_recovered"]),
    NameCase("dlwlgh", "이지호", warn: ["name_keyboard_recovered"]),
    NameCase("rlaRhcsla", "김꽃님", warn: ["name_keyboard_recovered"]),
    NameCase("ghkdgmlwls", "황희진", warn: ["name_keyboard_recovered"]),
    NameCase("rlaqkfrdma", "김밝음", warn: ["name_keyboard_recovered"]),
    NameCase("chlwndnjs", "최주원", warn: ["name_keyboard_recovered"]),
    NameCase("wjdEkdms", "정따은", warn: ["name_keyboard_recovered"]),
    // Test rows
    NameCase("테스트", "테스트", warn: ["name_placeholder"]),
    NameCase("테스트1", "테스트1", warn: ["name_placeholder"]),
    NameCase("test", "test", .latin, warn: ["name_placeholder"]),
    NameCase("TEST", "TEST", .latin, warn: ["name_placeholder"]),
    NameCase("asdf", "asdf", .latin, warn: ["name_placeholder"]),
    NameCase("홍길동", "홍길동", warn: ["name_placeholder"]),
    NameCase("홍길동님", "홍길동", warn: ["name_placeholder"]),
    NameCase("ㅇㅇㅇ", "ㅇㅇㅇ", warn: ["name_placeholder"]),
    NameCase("ㅁㄴㅇㄹ", "ㅁㄴㅇㄹ", warn: ["name_placeholder"]),
    NameCase("ㄱ", fatal: "name_invalid"),
    NameCase("ㅎ", fatal: "name_invalid"),
    NameCase("ㄱㄴ", fatal: "name_invalid"),
    NameCase("", fatal: "name_missing"),
    NameCase("   ", fatal: "name_missing"),
    // Decomposed / jamo input
    NameCase("\u{1100}\u{1175}\u{11B7}\u{1106}\u{1175}\u{11AB}\u{110C}\u{116E}\u{11AB}", "김민준"),
    NameCase("ㄱㅣㅁㅁㅣㄴㅈㅜㄴ", "김민준", warn: ["name_jamo_composed"]),
    NameCase("김민준 (010-1234-5678)", "김민준", warn: ["name_annotation_removed"]),
    NameCase("보호자", fatal: "name_missing"),
    NameCase("엄마", fatal: "name_missing"),
    NameCase("님", fatal: "name_missing"),
    // Oddities kept with a warning
    NameCase("김ㅇㅇ", "김ㅇㅇ", warn: ["name_masked"]),
    NameCase("김*준", "김*준", warn: ["name_masked"]),
    NameCase("김", "김", warn: ["name_unusual_length"]),
    NameCase("김민준1", "김민준1", warn: ["name_unexpected_characters"]),
    NameCase("김민준 이서연", "김민준 이서연", warn: ["name_multiple_words"]),
]

@Suite("NameNormalizer")
struct NameNormalizerTests {
    @Test(arguments: nameCases)
    func table(_ c: NameCase) {
        let r = NameNormalizer.normalize(c.input)
        #expect(issuesAreWellFormed(r))
        if let fatal = c.fatal {
            #expect(r.value == nil)
            #expect(codes(r, .fatal) == [fatal])
            return
        }
        #expect(codes(r, .fatal) == [])
        #expect(r.value == PersonName(name: c.name!, role: c.role, script: c.script!))
        #expect(codes(r) == c.warnings)
    }
}
