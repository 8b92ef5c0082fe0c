import DolbomNormalize
import Testing

struct CareTypeCase: Sendable, CustomTestStringConvertible {
    let input: String
    let types: [CareType]
    let warnings: [String]
    init(_ input: String, _ types: [CareType], warn: [String] = []) {
        self.input = input
        self.types = types
        self.warnings = warn.sorted()
    }
    var testDescription: String { "care type \(input.debugDescription)" }
}

let careTypeCases: [CareTypeCase] = [
    CareTypeCase("", []),
    CareTypeCase("지역아동센터", [.지역아동센터]),
    CareTypeCase("지역아동센터, 다함께돌봄센터", [.지역아동센터, .다함께돌봄센터]),
    CareTypeCase("다함께돌봄센터, 지역아동센터", [.지역아동센터, .다함께돌봄센터]),
    CareTypeCase("지역아동센터, 지역아동센터", [.지역아동센터]),
    CareTypeCase("지역아동센터 / 늘봄학교 / 아이돌봄", [.지역아동센터, .늘봄학교, .아이돌봄]),
    CareTypeCase("지역아동센터\n드림스타트", [.지역아동센터, .드림스타트]),
    CareTypeCase("지역아동센터 및 다함께돌봄센터", [.지역아동센터, .다함께돌봄센터]),
    CareTypeCase("아이돌봄서비스", [.아이돌봄]),
    CareTypeCase("아이돌보미", [.아이돌봄]),
    CareTypeCase("다함께돌봄", [.다함께돌봄센터]),
    CareTypeCase("다함께 돌봄 센터", [.다함께돌봄센터]),
    // Seoul's name for its 다함께돌봄센터 (its facility lists' 서비스분류).
    CareTypeCase("우리동네키움센터", [.다함께돌봄센터]),
    CareTypeCase("융합형키움센터", [.다함께돌봄센터]),
    CareTypeCase("거점형키움센터", [.다함께돌봄센터]),
    CareTypeCase("우리동네 키움 센터", [.다함께돌봄센터]),
    CareTypeCase("우리동네키움", [.다함께돌봄센터]),
    CareTypeCase("구로19호점 우리동네키움센터(항동융합형)", [.다함께돌봄센터]),
    CareTypeCase("우리동네키움센터, 지역아동센터", [.지역아동센터, .다함께돌봄센터]),
    CareTypeCase("늘봄", [.늘봄학교]),
    CareTypeCase("늘봄학교", [.늘봄학교]),
    CareTypeCase("방과후(늘봄학교)", [.늘봄학교]),
    CareTypeCase("초등돌봄교실", [.늘봄학교], warn: ["care_type_legacy_name"]),
    CareTypeCase("방과후", [.늘봄학교], warn: ["care_type_legacy_name"]),
    CareTypeCase("아이돌봄, 초등돌봄교실", [.늘봄학교, .아이돌봄], warn: ["care_type_legacy_name"]),
    CareTypeCase("온종일돌봄", [.온종일돌봄]),
    CareTypeCase("드림스타트", [.드림스타트]),
    CareTypeCase("기타", [.기타]),
    CareTypeCase("기타: 학원 연계", [.기타], warn: ["care_type_unknown"]),
    CareTypeCase("태권도 학원", [.기타], warn: ["care_type_unknown"]),
    CareTypeCase("지역아동센터, 태권도", [.지역아동센터, .기타], warn: ["care_type_unknown"]),
    CareTypeCase("없음", []),
    CareTypeCase("해당 없음", []),
    CareTypeCase("모름", [], warn: ["care_type_undecided"]),
    CareTypeCase("상관없음", [], warn: ["care_type_undecided"]),
    CareTypeCase("지역아동센터 이용 중", [.지역아동센터]),
    CareTypeCase("다함께돌봄센터(대기)", [.다함께돌봄센터]),
    CareTypeCase("ｄ드림스타트", [.드림스타트]),
]

@Suite("CareTypeNormalizer")
struct CareTypeNormalizerTests {
    @Test(arguments: careTypeCases)
    func table(_ c: CareTypeCase) {
        let r = CareTypeNormalizer.normalize(c.input)
        #expect(issuesAreWellFormed(r))
        #expect(codes(r, .fatal) == [])
        #expect(r.value == c.types)
        #expect(codes(r) == c.warnings)
    }
}
