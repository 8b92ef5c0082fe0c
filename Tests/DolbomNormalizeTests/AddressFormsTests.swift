import Testing

@testable import DolbomNormalize

/// Every kind of writing issue 18 lists, under several regions: spaces inside road names and
/// numbers, no spaces, roads led or ended by digits, numbers glued to what follows, 지번 forms,
/// 동 with numbers and 가, building names around units, shortened 구 names.
@Suite struct AddressFormsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let input: String
        let spec: String
        var testDescription: String { input }
    }

    /// Regions each tail is written under, with the 시도 and 시군구 expected.
    static let regions: [(text: String, sido: String, sigungu: String)] = [
        ("충남 아산시", "충청남도", "아산시"),
        ("서울 마포구", "서울특별시", "마포구"),
        ("경기 수원시 팔달구", "경기도", "수원시 팔달구"),
        ("부산광역시 해운대구", "부산광역시", "해운대구"),
        ("전북 전주시 완산구", "전북특별자치도", "전주시 완산구"),
    ]

    /// What follows the region, and the parts expected of it (`-`: none).
    static let tails: [(String, String)] = [
        // Spaces inside road names and numbers.
        ("하나 2길 7", "road=하나2길;no=7;detail=-"),
        ("중앙로 12번길34", "road=중앙로12번길;no=34"),
        ("시청로 88 번길 5", "road=시청로88번길;no=5"),
        ("번영로 224 번길 15, 101동 202호", "road=번영로224번길;no=15;detail=101동 202호"),
        ("신대방 1길 42", "road=신대방1길;no=42"),
        // Roads whose names start or end with digits.
        ("63로 50", "road=63로;no=50;kind=road"),
        ("3번도로길 10", "road=3번도로길;no=10"),
        ("젊음의2거리 5", "road=젊음의2거리;no=5;ri=-"),
        // A building number glued to what follows.
        ("온천대로 311상가동 2층", "road=온천대로;no=311;detail=상가동 2층;bldg=-"),
        ("배방로 12.3층", "road=배방로;no=12;detail=3층"),
        ("장재로 45(장재리)", "road=장재로;no=45;ri=장재리;detail=-"),
        ("테헤란로 328역삼동", "road=테헤란로;no=328;emd=역삼동;detail=-"),
        ("청계천로35, 16층서린동, 관정빌딩", "road=청계천로;no=35;emd=서린동;detail=16층;bldg=관정빌딩"),
        // 지번 forms.
        ("배방읍 장재리 1784번지 3호", "emd=배방읍;ri=장재리;jibun=1784-3;detail=-;kind=jibun"),
        ("배방읍 장재리 1784의3", "emd=배방읍;ri=장재리;jibun=1784-3"),
        ("배방읍 장재리 1784-0", "ri=장재리;jibun=1784"),
        ("배방읍 장재리 산12-3", "ri=장재리;jibun=산12-3"),
        ("읍내동산51번지", "emd=읍내동;jibun=산51;detail=-"),
        ("모종동592-11", "emd=모종동;jibun=592-11;kind=jibun"),
        // 동 with numbers and 가.
        ("온양 1동 100", "emd=온양1동;jibun=100;bldg=-"),
        ("당산동 3가 385-1", "emd=당산동3가;jibun=385-1"),
        ("반포 4동 59-4", "emd=반포4동;jibun=59-4"),
        ("성수동1가 656-1", "emd=성수동1가;jibun=656-1"),
        // Building names before or after the unit.
        ("번영로 100 온양자이 106동 103호", "no=100;bldg=온양자이;detail=106동 103호"),
        ("번영로 100 (배방휴먼시아) 115동 1101호", "bldg=배방휴먼시아;detail=115동 1101호"),
        ("번영로 100 106동 103호 온양자이", "bldg=온양자이;detail=106동 103호"),
        ("번영로 100 B동 203호", "bldg=-;detail=B동 203호"),
        ("번영로 100 지층1호", "detail=지층 1호"),
        ("번영로 100 상가 2층 201호", "bldg=상가;detail=2층 201호"),
        ("번영로 100 103-1803", "detail=103동 1803호"),
        ("번영로 100 (배방휴먼시아) 103-1803", "bldg=배방휴먼시아;detail=103동 1803호"),
        ("송악로 100 (송악휴먼시아) 102동 803호", "bldg=송악휴먼시아;detail=102동 803호"),
        ("학동로 169 논현2문화센터 6층", "bldg=논현2문화센터;detail=6층"),
        ("광평로 301-4 수서동주민센터2층", "no=301-4;bldg=수서동주민센터;detail=2층"),
        ("부일로1길 62 1층 마중물도서관", "detail=1층;bldg=마중물도서관"),
        ("일원로 115 삼성생명빌딩 B동 203호", "bldg=삼성생명빌딩;detail=B동 203호"),
        ("천호대로 405 장안동 416-6 동보빌딩 7층", "emd=장안동;jibun=416-6;bldg=동보빌딩;detail=7층;kind=road"),
    ]

    static let regionCases: [Case] = regions.flatMap { r in
        tails.map { t in Case(input: r.text + " " + t.0, spec: "sido=\(r.sido);sgg=\(r.sigungu);" + t.1) }
    }

    /// No spaces at all: the region glued to the road.
    static let gluedCases: [Case] = regions.flatMap { r in
        let glued = r.text.split(separator: " ").joined()
        return [
            Case(input: glued + "번영로224번길15", spec: "sido=\(r.sido);sgg=\(r.sigungu);road=번영로224번길;no=15"),
            Case(input: glued + "월드컵로10길 5", spec: "sido=\(r.sido);sgg=\(r.sigungu);road=월드컵로10길;no=5"),
        ]
    }

    /// Shortened 구 names; roads that start with a 시도's name stay roads.
    static let otherCases: [Case] = [
        Case(input: "서울 동대문 고미술로 9", spec: "sido=서울특별시;sgg=동대문구;road=고미술로;no=9;detail=-"),
        Case(input: "서울 영등포 여의대로 24", spec: "sgg=영등포구;road=여의대로;no=24"),
        Case(input: "경기 분당 불정로 6", spec: "sido=경기도;sgg=성남시 분당구;road=불정로"),
        Case(input: "부산 해운대 해운대로 100", spec: "sgg=해운대구;road=해운대로;no=100"),
        Case(input: "대전 유성 대학로 99", spec: "sido=대전광역시;sgg=유성구"),
        Case(input: "서울 서대문 모래내로 412", spec: "sgg=서대문구;road=모래내로"),
        Case(input: "서울 세종대로 110", spec: "sido=서울특별시;road=세종대로;no=110"),
        Case(input: "인천대로 100", spec: "road=인천대로;no=100"),
        Case(input: "서울 종로구 종로 33", spec: "sgg=종로구;road=종로;no=33;jibun=-"),
        Case(input: "서울 마포구 어딘가 성산로 128", spec: "road=성산로;no=128;detail=어딘가;issue=address_words_unplaced"),
        Case(input: "경기도평택시고덕면고덕국제대로310", spec: "sido=경기도;sgg=평택시;emd=고덕면;road=고덕국제대로;no=310"),
        Case(input: "세종특별자치시한누리대로2154 104동 604호", spec: "sido=세종특별자치시;sgg=-;road=한누리대로;no=2154;detail=104동 604호"),
        Case(input: "세종시 한누리대로 2130 (호려울마을10단지) 104동 303호", spec: "bldg=호려울마을10단지;detail=104동 303호"),
        Case(input: "충남 아산시 탕정면 탕정면로8번길 15", spec: "emd=탕정면;road=탕정면로8번길;no=15"),
        Case(input: "충남 아산시탕정면탕정면로8번길15", spec: "sgg=아산시;emd=탕정면;road=탕정면로8번길;no=15"),
        Case(input: "서울 동작구 대방동길 55", spec: "road=대방동길;no=55;emd=-"),
        // A road's last syllable one key off `로`: read as the road as written, and said.
        Case(input: "충남 아산시 번영료 224", spec: "road=번영료;no=224;kind=road;issue=address_road_suffix_unusual"),
        Case(
            input: "서울 마포구 월드컵료 10 101동 202호",
            spec: "road=월드컵료;no=10;detail=101동 202호;issue=address_road_suffix_unusual"),
        Case(input: "충남 아산시 온천대루 311", spec: "road=온천대루;no=311;issue=address_road_suffix_unusual"),
        Case(input: "충남 아산시 배방읍 남부류 5", spec: "emd=배방읍;road=남부류;no=5;issue=address_road_suffix_unusual"),
        Case(input: "서울 강남구 테헤란려 152", spec: "sgg=강남구;road=테헤란려;no=152;issue=address_road_suffix_unusual"),
        // Words ending so that are not roads when no building number follows.
        Case(input: "충남 아산시 배방읍 우리루 아파트", spec: "road=-;emd=배방읍"),
    ]

    @Test(arguments: regionCases + gluedCases + otherCases)
    func kindsOfWriting(_ t: Case) {
        let r = AddressNormalizer().normalize(t.input)
        guard let a = r.value else {
            Issue.record("no value for \(t.input): \(r.issues)")
            return
        }
        for pair in t.spec.split(separator: ";") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            let key = String(kv[0])
            let want: String? = kv.count > 1 && kv[1] != "-" ? String(kv[1]) : nil
            let got: String?
            switch key {
            case "sido": got = a.sido
            case "sgg": got = a.sigungu
            case "emd": got = a.eupmyeondong
            case "ri": got = a.ri
            case "road": got = a.road
            case "no": got = a.buildingNumber
            case "jibun": got = a.jibun
            case "detail": got = a.detail
            case "bldg": got = a.buildingName
            case "kind": got = a.kind.rawValue
            case "issue":
                #expect(
                    r.issues.contains { $0.code == want },
                    "\(t.input): expected issue \(want ?? ""), got \(r.issues.map(\.code))")
                continue
            default:
                Issue.record("bad spec key \(key)")
                continue
            }
            #expect(
                got == want,
                "\(key) of \(t.input): got \(got ?? "-"), want \(want ?? "-") [issues: \(r.issues.map(\.code))]")
        }
    }

    @Test func tableCoversEveryKind() {
        let inputs = (Self.regionCases + Self.gluedCases + Self.otherCases).map(\.input)
        #expect(Set(inputs).count == inputs.count)
        #expect(inputs.count >= 150)
    }
}
