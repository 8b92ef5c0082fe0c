import DolbomNormalize
import Testing

struct FlagCase: Sendable, CustomTestStringConvertible {
    let input: String
    let flags: [HouseholdFlag]
    let warnings: [String]
    init(_ input: String, _ flags: [HouseholdFlag], warn: [String] = []) {
        self.input = input
        self.flags = flags
        self.warnings = warn.sorted()
    }
    var testDescription: String { "household \(input.debugDescription)" }
}

let flagCases: [FlagCase] = [
    FlagCase("", []),
    FlagCase("기초생활수급가정, 한부모가정", [.기초생활수급, .한부모]),
    FlagCase("한부모가정, 기초생활수급가정", [.기초생활수급, .한부모]),
    FlagCase("수급자", [.기초생활수급]),
    FlagCase("기초수급 한부모", [.기초생활수급, .한부모]),
    FlagCase("생계급여 수급", [.기초생활수급]),
    FlagCase("차상위계층", [.차상위]),
    FlagCase("차상위, 차상위", [.차상위]),
    FlagCase("맞벌이 가정", [.맞벌이]),
    FlagCase("다문화가족", [.다문화]),
    FlagCase("장애인 가정", [.장애]),
    FlagCase("장애아동", [.장애]),
    FlagCase("조손가정", [.조손]),
    FlagCase("다자녀(3자녀 이상)", [.다자녀]),
    FlagCase("모자가정", [.한부모]),
    FlagCase("맞벌이, 다자녀, 다문화", [.다문화, .맞벌이, .다자녀]),
    FlagCase("맞벌이/다자녀", [.맞벌이, .다자녀]),
    FlagCase("해당없음", []),
    FlagCase("해당 없음", []),
    FlagCase("없음", []),
    FlagCase("일반", []),
    FlagCase("저소득", [], warn: ["household_flag_unknown"]),
    FlagCase("한부모, 저소득층", [.한부모], warn: ["household_flag_unknown"]),
    FlagCase("장애 없음", []),
    FlagCase("한부모가정(모자가정)", [.한부모]),
    FlagCase("맞벌이, 장애 해당없음", [.맞벌이]),
    FlagCase("기초생활수급자(생계)", [.기초생활수급]),
    FlagCase("다문화 / 기타", [.다문화], warn: ["household_flag_unknown"]),
    FlagCase("기초생활수급\n장애", [.기초생활수급, .장애]),
]

@Suite("HouseholdFlagNormalizer")
struct HouseholdFlagNormalizerTests {
    @Test(arguments: flagCases)
    func table(_ c: FlagCase) {
        let r = HouseholdFlagNormalizer.normalize(c.input)
        #expect(issuesAreWellFormed(r))
        #expect(codes(r, .fatal) == [])
        #expect(r.value == c.flags)
        #expect(codes(r) == c.warnings)
    }

    @Test func caseOrderIsSortOrder() {
        #expect(HouseholdFlag.allCases.sorted() == HouseholdFlag.allCases)
        #expect(HouseholdFlag.기초생활수급 < HouseholdFlag.다자녀)
    }
}
