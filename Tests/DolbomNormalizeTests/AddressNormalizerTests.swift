import Foundation
import Testing

@testable import DolbomNormalize

private func c(_ input: String, _ spec: String) -> AddressNormalizerTests.Case {
    AddressNormalizerTests.Case(input: input, spec: spec)
}

private func check(_ r: Normalized<Address>, _ spec: String, _ input: String) {
    guard let a = r.value else {
        Issue.record("no value for \(input): \(r.issues)")
        return
    }
    for pair in spec.split(separator: ";") {
        let kv = pair.split(separator: "=", maxSplits: 1)
        let key = String(kv[0])
        let want: String? = kv.count > 1 ? (kv[1] == "-" ? nil : String(kv[1])) : nil
        func eq(_ got: String?) {
            #expect(
                got == want,
                "\(key) of \(input): got \(got ?? "nil"), want \(want ?? "nil") [issues: \(r.issues.map(\.code))]")
        }
        switch key {
        case "sido": eq(a.sido)
        case "sgg": eq(a.sigungu)
        case "emd": eq(a.eupmyeondong)
        case "ri": eq(a.ri)
        case "road": eq(a.road)
        case "no": eq(a.buildingNumber)
        case "ug": eq(a.underground ? "true" : "false")
        case "jibun": eq(a.jibun)
        case "detail": eq(a.detail)
        case "bldg": eq(a.buildingName)
        case "postal": eq(a.postalCode)
        case "kind": eq(a.kind.rawValue)
        case "code": eq(a.sigunguCode)
        case "ldc": eq(a.legalDongCode)
        case "text": eq(a.text)
        case "issue":
            #expect(
                r.issues.contains { $0.code == want },
                "\(input): expected issue \(want ?? ""), got \(r.issues.map(\.code))")
        case "noissue":
            #expect(r.issues.isEmpty, "\(input): expected no issues, got \(r.issues.map(\.code))")
        default:
            Issue.record("bad spec key \(key)")
        }
    }
}

// MARK: - 시도 spellings (generated: every short/old form × a tail)

private let sidoForms: [(forms: [String], tail: String, spec: String)] = [
    (
        ["서울", "서울시", "서울특별시", "서울 특별시", "서울특별시 서울특별시"], "종로구 세종대로 175",
        "sido=서울특별시;sgg=종로구;road=세종대로;no=175;code=11110;kind=road;noissue"
    ),
    (
        ["부산", "부산시", "부산광역시", "부산 광역시"], "해운대구 해운대로 100",
        "sido=부산광역시;sgg=해운대구;road=해운대로;no=100;noissue"
    ),
    (["대구", "대구시", "대구광역시"], "수성구 달구벌대로 2000", "sido=대구광역시;sgg=수성구;road=달구벌대로;no=2000;noissue"),
    (["인천", "인천시", "인천광역시"], "연수구 컨벤시아대로 165", "sido=인천광역시;sgg=연수구;road=컨벤시아대로;no=165;noissue"),
    (["광주", "광주광역시", "광주 광역시"], "북구 용봉로 77", "sido=광주광역시;sgg=북구;code=29170;road=용봉로;no=77;noissue"),
    (["대전", "대전시", "대전광역시"], "유성구 대학로 99", "sido=대전광역시;sgg=유성구;road=대학로;no=99;noissue"),
    (["울산", "울산시", "울산광역시"], "남구 삼산로 100", "sido=울산광역시;sgg=남구;code=31140;road=삼산로;no=100;noissue"),
    (
        ["세종", "세종시", "세종특별자치시", "세종 특별자치시"], "한누리대로 2130",
        "sido=세종특별자치시;sgg=-;code=36110;road=한누리대로;no=2130;kind=road;text=세종특별자치시 한누리대로 2130;noissue"
    ),
    (["경기", "경기도"], "수원시 팔달구 효원로 1", "sido=경기도;sgg=수원시 팔달구;code=41115;road=효원로;no=1;noissue"),
    (["강원", "강원도", "강원특별자치도", "강원 특별자치도"], "춘천시 중앙로 1", "sido=강원특별자치도;sgg=춘천시;code=51110;road=중앙로;no=1;noissue"),
    (["충북", "충청북도"], "청주시 상당구 상당로 82", "sido=충청북도;sgg=청주시 상당구;code=43111;road=상당로;no=82;noissue"),
    (["충남", "충청남도", "충남 충청남도"], "아산시 번영로 224번길 15", "sido=충청남도;sgg=아산시;code=44200;road=번영로224번길;no=15;noissue"),
    (["전북", "전라북도", "전북특별자치도"], "전주시 완산구 효자로 225", "sido=전북특별자치도;sgg=전주시 완산구;code=52111;road=효자로;no=225;noissue"),
    (["전남", "전라남도"], "무안군 삼향읍 오룡길 1", "sido=전라남도;sgg=무안군;emd=삼향읍;road=오룡길;no=1;noissue"),
    (["경북", "경상북도"], "안동시 풍천면 도청대로 455", "sido=경상북도;sgg=안동시;emd=풍천면;road=도청대로;no=455;noissue"),
    (["경남", "경상남도"], "창원시 의창구 중앙대로 300", "sido=경상남도;sgg=창원시 의창구;code=48121;road=중앙대로;no=300;noissue"),
    (["제주", "제주도", "제주특별자치도"], "제주시 문연로 6", "sido=제주특별자치도;sgg=제주시;code=50110;road=문연로;no=6;noissue"),
]

private let sidoFormCases: [AddressNormalizerTests.Case] = sidoForms.flatMap { entry in
    entry.forms.map { AddressNormalizerTests.Case(input: "\($0) \(entry.tail)", spec: entry.spec) }
}

// MARK: - Hand-written table

private let addressCases: [AddressNormalizerTests.Case] = [
    // 시도 inferred from 시군구 / postal code
    c("아산시 번영로224번길 15", "sido=충청남도;sgg=아산시;code=44200;road=번영로224번길;no=15;noissue"),
    c("아산 번영로 15", "sido=충청남도;sgg=아산시;road=번영로;no=15"),
    c("천안시 서북구 불당21로 67", "sido=충청남도;sgg=천안시 서북구;code=44133;road=불당21로;no=67;noissue"),
    c("천안시서북구 불당21로 67", "sido=충청남도;sgg=천안시 서북구;code=44133;road=불당21로;no=67"),
    c("서북구 불당21로 67", "sido=충청남도;sgg=천안시 서북구;code=44133"),
    c("충남 천안시 서북구 불당21로 67", "sido=충청남도;sgg=천안시 서북구;text=충청남도 천안시 서북구 불당21로 67"),
    c("충청남도 천안시 동남구 만남로 43", "sgg=천안시 동남구;code=44131"),
    c("천안시 번영로 100", "sido=충청남도;sgg=천안시;code=44130"),
    c("강남구 테헤란로 152", "sido=서울특별시;sgg=강남구;code=11680;road=테헤란로;no=152;noissue"),
    c("[06236] 테헤란로 152", "sido=서울특별시;sgg=-;postal=06236;road=테헤란로;issue=address_sigungu_missing"),
    c("30151 한누리대로 2130", "sido=세종특별자치시;code=36110;postal=30151;road=한누리대로;no=2130"),
    c("수지구 포은대로 435", "sido=경기도;sgg=용인시 수지구;code=41465"),
    c("분당구 불정로 6", "sido=경기도;sgg=성남시 분당구;code=41135"),
    c("고양시 일산동구 중앙로 1275", "sido=경기도;sgg=고양시 일산동구;code=41285"),
    c("일산서구 주엽로 100", "sgg=고양시 일산서구;code=41287"),
    c("수원시 장안구 송원로 1", "sgg=수원시 장안구;code=41111"),
    c("청주시 흥덕구 강내면 청단로 1", "sido=충청북도;sgg=청주시 흥덕구;emd=강내면"),
    c("포항시 북구 중앙로 100", "sido=경상북도;sgg=포항시 북구;code=47113"),
    c("경북 포항시 남구 대잠동길 10", "sgg=포항시 남구;code=47111"),
    c("창원시 마산합포구 3·15대로 100", "sgg=창원시 마산합포구;sido=경상남도;road=3·15대로;no=100;kind=road"),
    c("전주시 덕진구 백제대로 567", "sgg=전주시 덕진구;sido=전북특별자치도"),
    c("안양시 동안구 시민대로 235", "sgg=안양시 동안구;code=41173"),
    c("안산시 단원구 화랑로 387", "sgg=안산시 단원구;code=41273"),
    c("성남시 중원구 성남대로 997", "sgg=성남시 중원구"),
    c("용인시 처인구 중부대로 1199", "sgg=용인시 처인구"),
    c("화성시 동탄구 동탄대로 100", "sgg=화성시 동탄구;sido=경기도"),
    c("강원 원주시 단구로 170", "sido=강원특별자치도;sgg=원주시;code=51130"),
    c("전라북도 군산시 시청로 17", "sido=전북특별자치도;sgg=군산시;code=52130"),
    c("익산시 인북로 32길 1", "sido=전북특별자치도;sgg=익산시;road=인북로32길;no=1"),
    c("제주도 서귀포시 중앙로 105", "sido=제주특별자치도;sgg=서귀포시;code=50130"),
    // ambiguous 구/군: never guessed
    c("중구 세종대로 110", "sido=-;sgg=-;code=-;road=세종대로;no=110;text=중구 세종대로 110;issue=address_sido_ambiguous"),
    c("[04524] 중구 세종대로 110", "sido=서울특별시;sgg=중구;code=11140;postal=04524"),
    c("중구 세종대로 110 (04524)", "sido=서울특별시;sgg=중구;postal=04524"),
    c("(48943) 중구 중앙대로 120", "sido=부산광역시;sgg=중구;code=26110;postal=48943"),
    c("우)34838 중구 대종로 373", "sido=대전광역시;sgg=중구;code=30140;postal=34838"),
    c("중구 대종로 373 우편번호 34838", "sido=대전광역시;sgg=중구;postal=34838"),
    c("(우)41911 중구 공평로 88", "sido=대구광역시;sgg=중구;code=27110;postal=41911"),
    c("22314 중구 신포로 27", "sido=인천광역시;sgg=중구;code=28110"),
    c("44538 중구 종가로 405", "sido=울산광역시;sgg=중구;code=31110"),
    c("서울 중구 세종대로 110", "sido=서울특별시;sgg=중구;code=11140;noissue"),
    c("동구 필문대로 100", "sido=-;issue=address_sido_ambiguous"),
    c("동구 필문대로 100 61452", "sido=광주광역시;sgg=동구;code=29110;postal=61452"),
    c("서구 둔산로 100", "sido=-;issue=address_sido_ambiguous"),
    c("대전 서구 둔산로 100", "sido=대전광역시;sgg=서구;code=30170"),
    c("남구 삼산로 100", "sido=-;sgg=-;issue=address_sido_ambiguous"),
    c("북구 용봉로 77", "sido=-;issue=address_sido_ambiguous"),
    c("강서구 공항대로 124", "sido=-;issue=address_sido_ambiguous"),
    c("07808 강서구 공항대로 124", "sido=서울특별시;sgg=강서구;code=11500"),
    c("부산 강서구 공항진입로 108", "sido=부산광역시;sgg=강서구;code=26440"),
    c("고성군 간성읍 고성중앙길 9", "sido=-;sgg=-;emd=간성읍;issue=address_sido_ambiguous"),
    c("강원 고성군 간성읍 고성중앙길 9", "sido=강원특별자치도;sgg=고성군;code=51820;emd=간성읍"),
    c("강원도 고성군 토성면 봉포리 123", "sido=강원특별자치도;sgg=고성군;emd=토성면;ri=봉포리;jibun=123;kind=jibun"),
    c("경남 고성군 고성읍 중앙로 100", "sido=경상남도;sgg=고성군;code=48820"),
    c("고성군 고성읍 성내로 130 (52943)", "sido=경상남도;sgg=고성군;code=48820;postal=52943"),
    c("24730 고성군 간성읍 수성로 35", "sido=강원특별자치도;sgg=고성군;code=51820"),
    c("고성 간성읍 수성로 35", "sido=-;issue=address_sido_ambiguous"),
    // 광주광역시 vs 경기도 광주시
    c("광주 북구 우치로 100", "sido=광주광역시;sgg=북구;code=29170"),
    c("광주시 북구 용봉로 77", "sido=광주광역시;sgg=북구"),
    c("광주 광산구 광산로 29번길 15", "sido=광주광역시;sgg=광산구;code=29200;road=광산로29번길;no=15"),
    c("광산구 광산로29번길 15", "sido=광주광역시;sgg=광산구"),
    c("광주광역시 서구 내방로 111", "sido=광주광역시;sgg=서구;code=29140;noissue"),
    c("광주시 오포읍 오포로 100", "sido=경기도;sgg=광주시;code=41610;emd=오포읍"),
    c("광주 오포읍 문형리 100", "sido=경기도;sgg=광주시;ri=문형리;jibun=100"),
    c("경기 광주시 경충대로 100", "sido=경기도;sgg=광주시;code=41610"),
    c("경기도 광주 역동로 10", "sido=경기도;sgg=광주시"),
    c("광주시 역동로 10 [12753]", "sido=경기도;sgg=광주시;postal=12753"),
    c("광주시 경충대로 100", "sido=-;sgg=-;road=경충대로;text=광주시 경충대로 100;issue=address_sido_ambiguous"),
    c("광주 경충대로 100", "sido=-;sgg=-;issue=address_sido_ambiguous"),
    c("광주시 상무대로 100 (61945)", "sido=광주광역시;sgg=-"),
    // 세종
    c("세종특별자치시 한누리대로 2130 (보람동)", "sido=세종특별자치시;sgg=-;code=36110;emd=보람동;text=세종특별자치시 한누리대로 2130 (보람동)"),
    c("세종시 조치원읍 군청로 93", "sido=세종특별자치시;emd=조치원읍;road=군청로;no=93;text=세종특별자치시 조치원읍 군청로 93"),
    c("세종 도움6로 11, 301동 1502호", "sido=세종특별자치시;road=도움6로;no=11;detail=301동 1502호"),
    c("세종특별자치시 세종시 갈매로 477", "sido=세종특별자치시;road=갈매로;no=477"),
    c("세종시 금남면 장재리 100", "sido=세종특별자치시;emd=금남면;ri=장재리;jibun=100;kind=jibun"),
    c("충남 연기군 조치원읍 군청로 93", "sido=세종특별자치시;code=36110;issue=address_sigungu_renamed"),
    // 군위 (경북 → 대구 2023-07-01)
    c("경북 군위군 군위읍 군청로 200", "sido=대구광역시;sgg=군위군;code=27720;issue=address_sigungu_moved"),
    c("경상북도 군위군 효령면 장군로 1", "sido=대구광역시;sgg=군위군;issue=address_sigungu_moved"),
    c("군위군 군위읍 군청로 200", "sido=대구광역시;sgg=군위군;code=27720;noissue"),
    c("대구광역시 군위군 군위읍 군청로 200", "sido=대구광역시;sgg=군위군;noissue"),
    c("대구 군위군 삼국유사면 화북리 100", "sido=대구광역시;sgg=군위군;emd=삼국유사면;ri=화북리;jibun=100"),
    // 부천 (구 revived 2024-01-01)
    c("경기도 부천시 원미구 길주로 210", "sido=경기도;sgg=부천시 원미구;code=41192;noissue"),
    c("부천시 소사구 소사로 100", "sgg=부천시 소사구;code=41194;sido=경기도"),
    c("오정구 오정로 100", "sgg=부천시 오정구;code=41196;sido=경기도"),
    c("부천시 길주로 210", "sgg=부천시;code=41190;sido=경기도"),
    c("경기 부천시원미구 길주로 210", "sgg=부천시 원미구;code=41192"),
    // renames
    c("인천 남구 주안로 100", "sido=인천광역시;sgg=미추홀구;code=28177;issue=address_sigungu_renamed"),
    c("인천광역시 미추홀구 주안로 100", "sgg=미추홀구;code=28177;noissue"),
    c("미추홀구 주안로 100", "sido=인천광역시;sgg=미추홀구"),
    c("경기도 여주군 여주읍 세종로 1", "sido=경기도;sgg=여주시;issue=address_sigungu_renamed"),
    c("충북 청원군 오창읍 중심상업로 1", "sido=충청북도;sgg=청주시;code=43110;issue=address_sigungu_renamed"),
    // roads
    c("충남 아산시 번영로 224번길 15-1", "road=번영로224번길;no=15-1"),
    c("충남 아산시 번영로224번길15", "road=번영로224번길;no=15"),
    c("용인시 기흥구 용구대로125-24", "road=용구대로;no=125-24;sgg=용인시 기흥구"),
    c("용인시 기흥구 용구대로 125-24", "road=용구대로;no=125-24"),
    c("충남 아산시 배미로34번길 8-10", "road=배미로34번길;no=8-10;sgg=아산시"),
    c("대구 중구 중앙로 지하 100", "road=중앙로;no=100;ug=true;text=대구광역시 중구 중앙로 지하 100"),
    c("서울 중구 을지로 지하100", "road=을지로;no=100;ug=true"),
    c("서울특별시 중구 세종대로 110", "road=세종대로;no=110;ug=false"),
    c("서울 강남구 테헤란로7길 22", "road=테헤란로7길;no=22"),
    c("서울 강남구 테헤란로 7길 22", "road=테헤란로7길;no=22"),
    c("서울 중구 삼일대로 30길 21", "road=삼일대로30길;no=21"),
    c("서울 동작구 동작대로35차길 7", "road=동작대로35차길;no=7"),
    c("서울 종로구 창신7가길 14-7", "road=창신7가길;no=14-7"),
    c("서울 구로구 오리로13가길 30", "road=오리로13가길;no=30"),
    c("서울 마포구 월드컵로 36길52", "road=월드컵로36길;no=52"),
    c("서울 성동구 상원길63 쌍용아파트, 105동 101호", "road=상원길;no=63;bldg=쌍용아파트;detail=105동 101호"),
    c("서울 은평구 진관4로 78-7", "road=진관4로;no=78-7"),
    c("서울 도봉구 도봉로 28나길 7", "road=도봉로28나길;no=7"),
    c("서울특별시 동작구 신대방 1길 42, (신대방동)", "road=신대방1길;no=42;emd=신대방동;detail=-"),
    c("서울 동작구 신대방2길 42-10", "road=신대방2길;no=42-10"),
    c("충남 아산시 번영로 15번", "road=번영로;no=15"),
    c("충남 아산시 번영로 224 번길 15", "road=번영로224번길;no=15"),
    c("충남 아산시 번영로 15번지", "road=번영로;no=15;kind=road"),
    c("충남 아산시 배방읍 ○○아파트 101동 202호", "emd=배방읍;kind=partial;bldg=○○아파트;detail=101동 202호;issue=address_incomplete"),
    c("충남 아산시 탕정면 탕정로 123번길 45-6, 101동 202호", "emd=탕정면;road=탕정로123번길;no=45-6;detail=101동 202호"),
    c("서울 강남구 테헤란로", "road=테헤란로;no=-;kind=partial;issue=address_building_number_missing"),
    // 지번
    c(
        "충남 아산시 배방읍 장재리 1784",
        "sido=충청남도;sgg=아산시;emd=배방읍;ri=장재리;jibun=1784;kind=jibun;text=충청남도 아산시 배방읍 장재리 1784;noissue"),
    c("충남 아산시 배방읍 장재리 1784번지", "jibun=1784;kind=jibun"),
    c("강원 정선군 사북읍 사북리 산 12-3", "jibun=산12-3;ri=사북리"),
    c("강원 정선군 사북읍 사북리 산12-3", "jibun=산12-3"),
    c("서울 강남구 역삼동 123-4번지", "emd=역삼동;jibun=123-4;kind=jibun;text=서울특별시 강남구 역삼동 123-4"),
    c("서울 강남구 역삼동 123-4 번지", "emd=역삼동;jibun=123-4"),
    c("서울특별시 강남구 역삼동 123-4 101동 1203호", "jibun=123-4;detail=101동 1203호;text=서울특별시 강남구 역삼동 123-4, 101동 1203호"),
    c("역삼동 123-4", "emd=역삼동;jibun=123-4;sido=-;issue=address_sido_missing"),
    c("충남 아산시 탕정면 명암리 100-5 아산탕정삼성트라팰리스 101동 1203호", "emd=탕정면;ri=명암리;jibun=100-5;bldg=아산탕정삼성트라팰리스;detail=101동 1203호"),
    // detail units
    c("서울 노원구 동일로 1456 101-1203", "no=1456;detail=101동 1203호"),
    c("서울 노원구 동일로 1456, 101-1203", "no=1456;detail=101동 1203호"),
    c("서울 노원구 동일로 1456 101동1203호", "detail=101동 1203호"),
    c("서울 노원구 동일로 1456 101동 1203호", "detail=101동 1203호"),
    c("서울 노원구 동일로 1456, 101동 1203호", "detail=101동 1203호;text=서울특별시 노원구 동일로 1456, 101동 1203호"),
    c("서울 노원구 동일로 1456 101 동 1203 호", "detail=101동 1203호"),
    c("서울 노원구 동일로 1456 101동 1203", "detail=101동 1203호"),
    c("서울 노원구 동일로 1456 1203호", "detail=1203호"),
    c("서울 노원구 동일로 1456 3층", "detail=3층"),
    c("서울 노원구 동일로 1456 지하1층", "detail=지하1층"),
    c("서울 노원구 동일로 1456 지하 1층", "detail=지하1층"),
    c("서울 강남구 봉은사로49길 26 B동 201호", "detail=B동 201호"),
    c("서울 강남구 봉은사로49길 26 b동201호", "detail=B동 201호"),
    c("서울 노원구 한글비석로 371 가동 101호", "detail=가동 101호"),
    c("서울 노원구 한글비석로 371 가동101호", "detail=가동 101호"),
    c("서울 노원구 한글비석로 371,3층", "detail=3층"),
    c("서울 노원구 섬밭로 229, 3-111 (하계동 극동건영벽산아파트)", "detail=3동 111호;emd=하계동;bldg=극동건영벽산아파트"),
    c("서울 강남구 광평로 185, 305호 406호", "detail=305호 406호"),
    // brackets
    c("충남 아산시 번영로224번길 15 (장재리)", "ri=장재리;emd=-;road=번영로224번길;no=15"),
    c("충남 아산시 번영로224번길 15 (장재리) (장재리)", "ri=장재리;detail=-"),
    c(
        "충남 아산시 번영로224번길 15, 109동 1804호 (배방읍, 아산탕정삼성트라팰리스)",
        "emd=배방읍;bldg=아산탕정삼성트라팰리스;detail=109동 1804호;text=충청남도 아산시 배방읍 번영로224번길 15, 109동 1804호 (아산탕정삼성트라팰리스)"),
    c(
        "충남 아산시 번영로224번길 15, 109동 1804호 (배방읍, 아산탕정삼성트라팰리스) (배방읍, 아산탕정삼성트라팰리스)",
        "emd=배방읍;bldg=아산탕정삼성트라팰리스;detail=109동 1804호"),
    c(
        "충청남도 아산시 배방읍 번영로224번길 15, 109동 1804호 (장재리, 아산탕정삼성트라팰리스)",
        "emd=배방읍;ri=장재리;bldg=아산탕정삼성트라팰리스;detail=109동 1804호"),
    c("서울특별시 강남구 테헤란로 152 (역삼동, 강남파이낸스센터)", "emd=역삼동;bldg=강남파이낸스센터;text=서울특별시 강남구 테헤란로 152 (역삼동, 강남파이낸스센터)"),
    c("서울특별시 강남구 테헤란로 152(역삼동)", "emd=역삼동;bldg=-;text=서울특별시 강남구 테헤란로 152 (역삼동)"),
    c("서울특별시 송파구 위례북로4길 12, 커뮤니티센터 1층 (거여동 위례포레샤인 18단지)", "emd=거여동;bldg=위례포레샤인 18단지;detail=커뮤니티센터 1층"),
    c("서울특별시 노원구 동일로 215길 48 (상계주공3단지아파트), 326동 112호", "road=동일로215길;no=48;bldg=상계주공3단지아파트;detail=326동 112호"),
    c("서울특별시 영등포구 디지털로69가길 2, 2층 (대림동", "emd=대림동;detail=2층"),
    c("서울특별시 은평구 연서로27길 31-7, 지층(갈현동 501-5 (갈현동)", "emd=갈현동;no=31-7;detail=지층;jibun=501-5"),
    c("서울특별시 노원구 중계로14바길 43, (중계동)", "emd=중계동;detail=-"),
    // postal code positions
    c("[31502] 충남 아산시 번영로 15", "postal=31502;sido=충청남도"),
    c("(31502) 충남 아산시 번영로 15", "postal=31502"),
    c("31502 충남 아산시 번영로 15", "postal=31502;road=번영로;no=15"),
    c("충남 아산시 번영로 15 31502", "postal=31502;no=15"),
    c("충남 아산시 번영로 15 [31502]", "postal=31502;no=15"),
    c("우)31502 충남 아산시 번영로 15", "postal=31502"),
    c("우) 31502 충남 아산시 번영로 15", "postal=31502"),
    c("우편번호: 31502 충남 아산시 번영로 15", "postal=31502;sido=충청남도"),
    c("［３１５０２］ 충남 아산시 번영로 １５", "postal=31502;no=15"),
    c("06236 서울 중구 세종대로 110", "sido=서울특별시;postal=06236;noissue"),
    c("31502 서울 중구 세종대로 110", "sido=서울특별시;issue=address_postal_code_mismatch"),
    // whitespace, full-width, spacing
    c("  서울특별시   강남구\t테헤란로  152  ", "sido=서울특별시;sgg=강남구;road=테헤란로;no=152;text=서울특별시 강남구 테헤란로 152"),
    c("서울특별시\u{00A0}강남구\u{00A0}테헤란로\u{00A0}152", "sgg=강남구;no=152"),
    c("서울특별시　강남구　테헤란로　１５２（역삼동）", "sgg=강남구;no=152;emd=역삼동"),
    c("서울특별시 강남구 테헤란로 152，１０１동 １２０３호", "detail=101동 1203호"),
    c("충남 아산시 번영로 224－1", "no=224-1"),
    c("서울 특별시 강남구 테헤란로 152", "sido=서울특별시;sgg=강남구"),
    c("서울특별시강남구 테헤란로 152", "sido=서울특별시;sgg=강남구;road=테헤란로"),
    c("부산 광역시 수영구 광안해변로 219", "sido=부산광역시;sgg=수영구"),
    c("충남 충청남도 아산시 번영로 15", "sido=충청남도;sgg=아산시;noissue"),
    c("충청남도 아산시 아산시 번영로 15", "sgg=아산시;noissue"),
    c("충남아산시 번영로 15", "sido=충청남도;sgg=아산시"),
    c("아산시배방읍 장재리 1784", "sgg=아산시;emd=배방읍;ri=장재리;jibun=1784"),
    // failures and partials
    c("모름", "kind=partial;text=모름;detail=-;issue=address_unrecognized"),
    c("ㅇㅇ ㅇㅇ", "kind=partial;text=ㅇㅇ ㅇㅇ;issue=address_unrecognized"),
    c("  없음  ", "kind=partial;text=없음;issue=address_unrecognized"),
    c("홍길동 010-1234-5678", "kind=partial;emd=-;detail=-;text=홍길동 010-1234-5678;issue=address_unrecognized"),
    c("(장재리)", "kind=partial;ri=-;issue=address_unrecognized"),
    c("경상남도 창원시 마산합포구 3.15대로 100", "road=3.15대로;no=100;kind=road"),
    c("경기도 부천시 중동 1234", "sgg=부천시;emd=중동;jibun=1234;kind=jibun"),
    c("서울 송파구 올림픽로 300 롯데월드타워 85층", "bldg=롯데월드타워;detail=85층;text=서울특별시 송파구 올림픽로 300, 85층 (롯데월드타워)"),
    c(
        "서울특별시 노원구 상계동 123-4 상계주공아파트 101동 1002호",
        "jibun=123-4;bldg=상계주공아파트;detail=101동 1002호;text=서울특별시 노원구 상계동 123-4, 101동 1002호 (상계주공아파트)"),
    c("서울 강남구", "sido=서울특별시;sgg=강남구;kind=partial;text=서울특별시 강남구;issue=address_incomplete"),
    c("충청남도", "sido=충청남도;kind=partial;issue=address_incomplete"),
    c("충남 아산시 배방읍", "emd=배방읍;kind=partial;text=충청남도 아산시 배방읍"),
    c("테헤란로 152", "sido=-;road=테헤란로;no=152;kind=road;issue=address_sido_missing"),
    c("서울 아산시 번영로 15", "sido=충청남도;sgg=아산시;issue=address_sido_sigungu_mismatch"),
    c("부산 고성군 고성읍 중앙로 1", "sido=-;sgg=-;issue=address_sido_ambiguous"),
    // a few more real-world shapes
    c("서울시 노원구 공릉로 34길 62 태강아파트 , 1002동 101호", "road=공릉로34길;no=62;bldg=태강아파트;detail=1002동 101호"),
    c("서울특별시 노원구 동일로 215길 48 (상계주공3단지아파트)", "bldg=상계주공3단지아파트;detail=-"),
    c("서울특별시 성동구 무학봉길 35 KCC스위첸아파트, 103동 205호", "road=무학봉길;no=35;bldg=KCC스위첸아파트;detail=103동 205호"),
    c("서울특별시 구로구 연동로 191-19, 항동복합행정센터 내 2층 (항동)", "road=연동로;no=191-19;emd=항동;detail=2층;bldg=항동복합행정센터 내"),
    c("서울특별시 동작구 양녕로 220,  (상도동 상도역 롯데캐슬 파크엘) 상가2층", "emd=상도동;bldg=상도역 롯데캐슬 파크엘;detail=상가 2층"),
    c(
        "서울특별시 노원구 동일로 1127, 본관3층(공릉1동 / 공릉종합사회복지관) (공릉동 공릉1단지아파트)",
        "emd=공릉동;bldg=공릉1단지아파트;detail=본관 3층 (공릉1동 / 공릉종합사회복지관)"),
    c("서울특별시 강남구 역삼로52길 14, 304호(역삼동 도곡프라자) (역삼동)", "emd=역삼동;bldg=도곡프라자;detail=304호"),
    c("서울특별시 구로구 고척로 49, 210동 상가 3층(오류동) (오류동 동부골든아파트)", "emd=오류동;bldg=동부골든아파트;detail=210동 상가 3층"),
    c("서울특별시 강북구 한천로105길 33, (번동 유치원상가 3층) (번동)", "emd=번동;bldg=-;detail=(번동 유치원상가 3층)"),
    c("서울특별시 중랑구 신내로 110, 15동 103호 (신내동 동성아파트)", "detail=15동 103호;emd=신내동;bldg=동성아파트"),
    c("경기도 성남시 분당구 판교역로 166 (백현동, 카카오 판교 아지트)", "sgg=성남시 분당구;emd=백현동;bldg=카카오 판교 아지트"),
    c("경기 수원시 영통구 광교중앙로 145, 3층 302호 (하동, 광교푸르지오)", "sgg=수원시 영통구;emd=하동;detail=3층 302호;bldg=광교푸르지오"),
    c("전북 전주시 완산구 효자로 225 (효자동2가)", "sido=전북특별자치도;emd=효자동2가"),
    c("서울특별시 성동구 왕십리로11길 19 (성수동1가)", "emd=성수동1가"),
    c("서울특별시 종로구 충신길 22 (종로6가)", "emd=종로6가;road=충신길"),
    c("서울특별시 성북구 동소문로34길 24, 304 305호 (돈암동삼성상가)", "emd=-;detail=304 305호;bldg=돈암동삼성상가"),
    c("서울특별시 용산구 원효로64길 25 (원효로2가)", "emd=원효로2가;road=원효로64길"),
    c("제주 제주시 애월읍 애월로 1", "sido=제주특별자치도;sgg=제주시;emd=애월읍"),
    c("경남 창원시 진해구 진해대로 100", "sgg=창원시 진해구;code=48129"),
    c("울산 울주군 범서읍 천상중앙길 1", "sgg=울주군;emd=범서읍"),
    c("인천 옹진군 백령면 백령로 1", "sgg=옹진군;emd=백령면"),
    c("대구 달성군 화원읍 비슬로 2600", "sgg=달성군"),
    c("부산 기장군 기장읍 기장대로 560", "sgg=기장군;sido=부산광역시"),
    c("경기 양평군 양평읍 군청앞길 2", "sgg=양평군;road=군청앞길;no=2"),
    c("양평 양평읍 군청앞길 2", "sido=경기도;sgg=양평군"),
]

// MARK: - Reference data (skipped when absent)

/// `../shared/reference` beside the package root (present on the team's machines and in CI).
private func referenceDirectory() -> URL? {
    let testFile = URL(fileURLWithPath: #filePath)
    let packageRoot = testFile.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let candidates = [packageRoot.deletingLastPathComponent().appendingPathComponent("shared/reference")]
    return candidates.first { FileManager.default.fileExists(atPath: $0.path) }
}

/// The official file is CP949. Swift Foundation on Linux has no `.dosKorean`
/// member, but the raw NSStringEncoding of kCFStringEncodingDOSKorean
/// (0x0422 | 0x80000000) decodes CP949 including extended syllables; EUC-KR
/// (0x80000940) turns 똠 into garbage.
private let cp949 = String.Encoding(rawValue: 0x8000_0422)

private func loadLegalGazetteer() throws -> Gazetteer? {
    guard let dir = referenceDirectory() else { return nil }
    let url = dir.appendingPathComponent("법정동코드_전체자료.txt")
    guard let data = FileManager.default.contents(atPath: url.path),
        let text = String(data: data, encoding: cp949)
    else { return nil }
    return try Gazetteer(legalDongCodeText: text)
}

private let legalCases: [AddressNormalizerTests.Case] = [
    c("충남 아산시 번영로224번길 15 (장재리)", "emd=배방읍;ri=장재리;ldc=4420025331;sgg=아산시"),
    c("충남 아산시 배방읍 장재리 1784", "emd=배방읍;ri=장재리;ldc=4420025331;kind=jibun;noissue"),
    c("아산시 번영로224번길 15, 109동 1804호 (배방읍, 아산탕정삼성트라팰리스)", "emd=배방읍;ldc=4420025300;bldg=아산탕정삼성트라팰리스"),
    c("서울특별시 강남구 테헤란로 152 (역삼동)", "emd=역삼동;ldc=1168010100;noissue"),
    c("중구 다산로 75 (신당동)", "sido=서울특별시;sgg=중구;code=11140;ldc=1114016200"),
    c("고성군 간성읍 고성중앙길 9", "sido=강원특별자치도;sgg=고성군;code=51820;ldc=5182025000"),
    c("천안시 번영로 100 (두정동)", "sgg=천안시 서북구;code=44133;ldc=4413310400"),
    c("광주시 경안동 100", "sido=경기도;sgg=광주시;code=41610;ldc=4161010100"),
    c("서울특별시 노원구 동일로 1697 (상계1동)", "emd=상계1동;ldc=1135010500"),
    c("서울 강남구 없는동 12", "issue=address_eupmyeondong_unknown"),
    c("세종시 조치원읍 원리 1", "emd=조치원읍;ri=원리;ldc=3611025021;code=36110"),
    c("서울 역삼동 123-4", "sgg=강남구;code=11680;jibun=123-4"),
    c("경기도 부천시 중동 1234", "sgg=부천시 원미구;code=41192;ldc=4119210800"),
    c("충남 천안시 두정동 123", "sgg=천안시 서북구;code=44133;ldc=4413310400"),
    c("경기도 광주시 오포읍 신현리 123", "sgg=광주시;issue=address_eupmyeondong_unknown"),
    c("충청북도 청주시 청원구 오창읍 각리 123", "ldc=4311425344;noissue"),
    c("경기도 용인시 수지구 풍덕천동 123 (풍덕천2동)", "emd=풍덕천동;ldc=4146510100"),
]

/// Quote-aware split of one CSV line (the files have no newlines inside quotes).
private func splitCSVLine(_ line: Substring) -> [String] {
    var fields: [String] = []
    var cur = ""
    var quoted = false
    var i = line.startIndex
    while i < line.endIndex {
        let ch = line[i]
        if quoted {
            if ch == "\"" {
                let n = line.index(after: i)
                if n < line.endIndex, line[n] == "\"" {
                    cur.append("\"")
                    i = n
                } else {
                    quoted = false
                }
            } else {
                cur.append(ch)
            }
        } else if ch == "\"" {
            quoted = true
        } else if ch == "," {
            fields.append(cur)
            cur = ""
        } else {
            cur.append(ch)
        }
        i = line.index(after: i)
    }
    fields.append(cur)
    return fields
}

/// Address normalization: table-driven cases, the gazetteer, and the real
/// reference files (skipped when `shared/reference` is absent).
@Suite("Korean address normalization")
struct AddressNormalizerTests {
    /// One table row: an input and the components it must give. `spec` is
    /// `key=value;key=value` with keys sido, sgg, emd, ri, road, no, ug, jibun,
    /// detail, bldg, postal, kind, code, text, issue (code that must be present),
    /// noissue (no issues at all); the value `-` means nil.
    struct Case: Sendable, CustomTestStringConvertible {
        let input: String
        let spec: String
        var testDescription: String { input }
    }

    @Test(arguments: sidoFormCases)
    func sidoSpellings(_ t: Case) {
        check(AddressNormalizer().normalize(t.input), t.spec, t.input)
    }

    @Test(arguments: addressCases)
    func addressTable(_ t: Case) {
        check(AddressNormalizer().normalize(t.input), t.spec, t.input)
    }

    @Test func tableIsLargeAndDistinct() {
        let inputs = (addressCases + sidoFormCases).map(\.input)
        #expect(Set(inputs).count == inputs.count, "duplicate inputs in the table: \(inputs.count - Set(inputs).count)")
        #expect(Set(inputs).count >= 200)
    }

    @Test(arguments: ["", "   ", "\u{00A0}\u{3000}", "\t\n", "()"])
    func blankIsFatal(_ input: String) {
        let r = AddressNormalizer().normalize(input)
        #expect(r.value == nil)
        #expect(r.isFatal)
        #expect(r.issues.first?.code == "address_missing")
    }

    @Test func messagesAreKoreanAndDoNotLeakTheAddress() {
        let inputs = [
            "중구 세종대로 110 9층 901호", "광주시 경충대로 100 101동 202호", "경북 군위군 군위읍 군청로 200 301호",
            "모름 홍길동 010-1234-5678", "31502 서울 중구 세종대로 110 3층", "서울 아산시 번영로 15 5층",
        ]
        for input in inputs {
            let r = AddressNormalizer().normalize(input)
            #expect(!r.issues.isEmpty)
            for issue in r.issues {
                #expect(!issue.message.contains(input))
                #expect(!issue.message.contains("세종대로 110"))
                #expect(!issue.message.contains("010-1234"))
                #expect(issue.message.unicodeScalars.contains { $0.value >= 0xAC00 && $0.value <= 0xD7A3 })
                #expect(issue.code.allSatisfy { $0.isLowercase || $0 == "_" })
            }
        }
        let amb = AddressNormalizer().normalize("중구 세종대로 110")
        #expect(
            amb.issues.first { $0.code == "address_sido_ambiguous" }?.message.hasPrefix("‘중구’만으로는 시도를 알 수 없습니다.")
                == true)
    }

    @Test func builtInGazetteerIsComplete() {
        let g = Gazetteer.builtIn
        #expect(g.allSigungu.count >= 250)
        #expect(g.sidoName(code: "51") == "강원특별자치도")
        #expect(g.sidoName(code: "52") == "전북특별자치도")
        #expect(g.sidoName(code: "36") == "세종특별자치시")
        #expect(g.sigungu(code: "27720")?.name == "군위군")
        #expect(g.sigungu(code: "41192")?.name == "부천시 원미구")
        #expect(g.sigungu(code: "28177")?.name == "미추홀구")
        #expect(g.sigungu(code: "44133")?.name == "천안시 서북구")
        #expect(Set(g.sigunguCodes(named: "중구").map { $0.prefix(2) }) == ["11", "26", "27", "28", "30", "31"])
        #expect(g.sigunguCodes(named: "고성군").sorted() == ["48820", "51820"])
        #expect(g.sigunguCodes(named: "서북구") == ["44133"])
        #expect(
            g.renameList.contains { $0.oldName == "군위군" && $0.effective == LocalDate(year: 2023, month: 7, day: 1) })
        #expect(
            g.renameList.contains { $0.oldName == "강원도" && $0.effective == LocalDate(year: 2023, month: 6, day: 11) })
        #expect(
            g.renameList.contains { $0.oldName == "전라북도" && $0.effective == LocalDate(year: 2024, month: 1, day: 18) })
        #expect(g.renameList.contains { $0.oldName == "남구" && $0.newCode == "28177" })
        #expect(
            g.renameList.contains {
                $0.oldName == "부천시" && $0.newCode == "41192" && $0.effective == LocalDate(year: 2024, month: 1, day: 1)
            })
        let postal: [(String, String)] = [
            ("01000", "11"), ("09999", "11"), ("12753", "41"), ("18000", "41"), ("21000", "28"),
            ("24730", "51"), ("28000", "43"), ("30151", "36"), ("31502", "44"), ("34838", "30"),
            ("36000", "47"), ("41911", "27"), ("43100", "27"), ("44538", "31"), ("48943", "26"),
            ("52943", "48"), ("54000", "52"), ("58000", "46"), ("61452", "29"), ("63000", "50"),
        ]
        for (p, s) in postal { #expect(g.sidoCode(postalCode: p) == s, "\(p)") }
        #expect(g.sidoCode(postalCode: "19000") == nil)
        #expect(g.sidoCode(postalCode: "1234") == nil)
    }

    @Test func cp949DecodingKeepsExtendedSyllables() {
        let bytes = Data([0x8C, 0x63, 0xB9, 0xE6, 0xB0, 0xA2, 0xC7, 0xCF])  // 똠방각하 in CP949
        #expect(String(data: bytes, encoding: cp949) == "똠방각하")
    }

    @Test func gazetteerTextParsingIsPure() throws {
        let text =
            "법정동코드\t법정동명\t폐지여부\r\n4400000000\t충청남도\t존재\r\n4420000000\t충청남도 아산시\t존재\r\n"
            + "4420025000\t충청남도 아산시 배방읍\t존재\r\n4420025331\t충청남도 아산시 배방읍 장재리\t존재\r\n"
            + "4420025399\t충청남도 아산시 배방읍 없어진리\t폐지\r\n"
        let g = try Gazetteer(legalDongCodeText: text)
        #expect(g.hasLegalDongs)
        let r = AddressNormalizer(gazetteer: g).normalize("충남 아산시 번영로224번길 15 (장재리)")
        #expect(r.value?.eupmyeondong == "배방읍")
        #expect(r.value?.legalDongCode == "4420025331")
        #expect(throws: Gazetteer.LoadError.missingHeader) { try Gazetteer(legalDongCodeText: "1111\t서울\t존재") }
        #expect(throws: Gazetteer.LoadError.noRows) { try Gazetteer(legalDongCodeText: "법정동코드\t법정동명\t폐지여부\n") }
    }

    @Test(arguments: legalCases)
    func withLegalDongList(_ t: Case) throws {
        guard let g = try loadLegalGazetteer() else { return }
        check(AddressNormalizer(gazetteer: g).normalize(t.input), t.spec, t.input)
    }

    @Test func legalDongFileLoads() throws {
        guard let g = try loadLegalGazetteer() else { return }
        #expect(g.hasLegalDongs)
        #expect(g.allSigungu.count == Gazetteer.builtIn.allSigungu.count)
    }

    @Test func seoulOpenDataAddresses() throws {
        guard let dir = referenceDirectory()?.appendingPathComponent("seoul-open-data"),
            let files = try? FileManager.default.contentsOfDirectory(atPath: dir.path)
        else { return }
        let plain = AddressNormalizer()
        let legalGazetteer = try loadLegalGazetteer()
        let legal = legalGazetteer.map { AddressNormalizer(gazetteer: $0) }
        var total = 0
        var full = 0
        var guMatches = 0
        var withLegalCode = 0
        var failures: [String] = []
        for file in files.sorted() where file.hasSuffix(".csv") {
            guard let text = try? String(contentsOfFile: dir.appendingPathComponent(file).path, encoding: .utf8) else {
                continue
            }
            let lines = text.split(whereSeparator: \.isNewline)
            guard let header = lines.first.map(splitCSVLine) else { continue }
            guard let iBase = header.firstIndex(of: "기본주소"), let iDetail = header.firstIndex(of: "상세주소"),
                let iGu = header.firstIndex(of: "자치구명")
            else { continue }
            let iPostal = header.firstIndex(of: "우편번호")
            for line in lines.dropFirst() {
                let f = splitCSVLine(line)
                guard f.count == header.count else {
                    Issue.record("\(file): bad CSV line with \(f.count) fields")
                    continue
                }
                let base = f[iBase].trimmingCharacters(in: .whitespaces)
                guard !base.isEmpty else { continue }
                let detail = f[iDetail].trimmingCharacters(in: .whitespaces)
                let input = detail.isEmpty ? base : base + ", " + detail
                total += 1
                let r = plain.normalize(input)
                let a = r.value
                if let a, a.sido != nil, a.sigungu != nil, a.road != nil, a.buildingNumber != nil, a.kind == .road {
                    full += 1
                } else {
                    failures.append("\(input) -> \(String(describing: a)) \(r.issues.map(\.code))")
                }
                if a?.sigungu == f[iGu] { guMatches += 1 }
                if let iPostal, !f[iPostal].isEmpty, let a, a.postalCode == nil, input.contains(f[iPostal]) {
                    Issue.record("postal code not picked up: \(input)")
                }
                if let legal, legal.normalize(input).value?.legalDongCode != nil { withLegalCode += 1 }
            }
        }
        print(
            "seoul-open-data: \(full) of \(total) rows with an address normalize to sido + sigungu + road + building number; 자치구명 matches \(guMatches); legalDongCode set for \(withLegalCode)"
        )
        for f in failures { print("  FAIL \(f)") }
        #expect(total > 600)
        #expect(full == total)
        #expect(guMatches == total)
    }
}
