import DolbomNormalize
import Testing

@testable import DolbomFacility

@Suite struct FacilityTextTests {
    @Test(arguments: [
        ("0900", 540), ("900", 540), ("09:00", 540), ("9:00", 540), ("9시", 540), ("18시 30분", 1110), ("18시반", 1110),
        ("오후 6시", 1080), ("2000", 1200), ("24:00", 1440), (" 1300 ", 780),
    ])
    func clocks(_ text: String, _ minutes: Int) {
        #expect(FacilityText.clock(text) == minutes)
    }

    @Test(arguments: ["", "abc", "2500", "25:00", "12:75", "오후", "9시간"])
    func unreadableClocks(_ text: String) {
        #expect(FacilityText.clock(text) == nil)
    }

    @Test func ranges() {
        #expect(FacilityText.range("0900", "2000") == MinuteRange(start: 540, end: 1200))
        #expect(FacilityText.range("13:00~19:00") == MinuteRange(start: 780, end: 1140))
        #expect(FacilityText.range("9시-18시") == MinuteRange(start: 540, end: 1080))
        #expect(FacilityText.range("1030", "0730") == nil)  // an end before the start: the reader decides
        #expect(FacilityText.range("", "1900") == nil)
        #expect(FacilityText.range("13:00") == nil)
    }

    @Test func bands() {
        #expect(FacilityText.band("초등학생") == Facility.Band(grades: 1...6))
        #expect(FacilityText.band("초중생") == Facility.Band(grades: 1...9))
        #expect(FacilityText.band("중학생") == Facility.Band(grades: 7...9))
        #expect(FacilityText.band("영유아") == Facility.Band(ages: 0...5))
        #expect(FacilityText.band("초등 1~3학년") == Facility.Band(grades: 1...3))
        #expect(FacilityText.band("초1~2학년") == Facility.Band(grades: 1...2))
        #expect(FacilityText.band("중1-3학년") == Facility.Band(grades: 7...9))
        #expect(FacilityText.band("만 6~12세") == Facility.Band(ages: 6...12))
        #expect(FacilityText.band("만 12세 이하") == Facility.Band(ages: 0...12))
        #expect(FacilityText.band("18세 미만 아동") == Facility.Band(ages: 0...17))
        #expect(FacilityText.band("아동") == Facility.Band(ages: 0...17))
        #expect(FacilityText.band("영유아, 초등학생") == Facility.Band(ages: 0...12))
        #expect(FacilityText.band("누가 와도 돼요?") == nil)
        #expect(FacilityText.band("") == nil)
    }

    @Test func bandServes() {
        let elementary = Facility.Band(grades: 1...6)
        #expect(elementary.serves(age: 8, grade: 2) == true)
        #expect(elementary.serves(age: 13, grade: 7) == false)
        #expect(elementary.serves(age: 4, grade: nil) == false)
        #expect(elementary.serves(age: 6, grade: nil) == true)  // 만 6: grade 1 or preschool
        #expect(elementary.serves(age: 12, grade: nil) == true)  // 만 12: grade 6 or 7
        #expect(elementary.serves(age: nil, grade: nil) == nil)
        let ages = Facility.Band(ages: 6...12)
        #expect(ages.serves(age: 5, grade: nil) == false)
        #expect(ages.serves(age: nil, grade: 3) == true)
        #expect(Facility.Band().serves(age: 30, grade: nil) == nil)
    }

    @Test func yesNoCountsFees() {
        #expect(FacilityText.yesNo("Y") == true)
        #expect(FacilityText.yesNo("n") == false)
        #expect(FacilityText.yesNo("운영") == true)
        #expect(FacilityText.yesNo("미운영") == false)
        #expect(FacilityText.yesNo("가끔") == nil)
        #expect(FacilityText.count("25") == 25)
        #expect(FacilityText.count("25명") == 25)
        #expect(FacilityText.count("1,200") == 1200)
        #expect(FacilityText.count("약 20") == nil)
        #expect(FacilityText.won("50000") == 50000)
        #expect(FacilityText.won("50,000원") == 50000)
        #expect(FacilityText.won("5만원") == 50000)
        #expect(FacilityText.won("월 3.5만 원") == 35000)
        #expect(FacilityText.won("무료") == 0)
        #expect(FacilityText.won("시간제") == nil)
    }

    @Test func programmesAndLanguages() {
        #expect(FacilityText.programmes("느린학습자 학습지원, 저녁 돌봄(20시까지)") == [.느린학습자, .저녁])
        #expect(FacilityText.programmes("장애아동 통합돌봄") == [.장애통합])
        #expect(FacilityText.programmes("다문화 가정 한국어 교실") == [.다문화])
        #expect(FacilityText.programmes("토요 체험, 방학 집중돌봄") == [.주말방학])
        #expect(FacilityText.programmes("독서 공부방") == [])
        #expect(FacilityText.languages("베트남어, 중국어") == ["베트남어", "중국어"])
        #expect(FacilityText.languages("한국어/영어") == ["영어"])
        #expect(FacilityText.languages("") == [])
    }

    @Test func needsFromTheMemo() {
        #expect(CareNeeds.read(["주말 돌봄도 가능한지 궁금합니다"]).times == .saturday)
        #expect(CareNeeds.read(["방학 때 종일 맡길 곳이 필요해요", "저녁 8시까지 봐 주셨으면"]).times == [.vacation, .evening])
        // A time to call is not a time to care.
        #expect(CareNeeds.read(["저녁 7시 이후 통화 가능합니다"]).times == [])
        #expect(CareNeeds.read(["맞벌이라 퇴근 후 연락 부탁드려요"]).times == [])
        #expect(CareNeeds.read(["오전 통화 가능. 토요일에도 돌봄 필요"]).times == .saturday)
        #expect(CareNeeds.read(["아이가 느린학습자 판정을 받았어요"]).programmes == [.느린학습자])
        #expect(CareNeeds.read(["주말 돌봄 필요"]).programmes == [])
    }

    /// A time the family says it does not need is not a need; the rest of the clause still counts.
    @Test(arguments: [
        ("주말은 필요 없어요", CareTimes()) as (String, CareTimes),
        ("주말은 필요 없고 저녁 늦게까지 봐 주시면 좋겠어요", CareTimes.evening),
        ("방학 제외 평일만", CareTimes()),
        ("저녁 말고 방학 때 종일", CareTimes.vacation),
        ("토요일 돌봄은 불필요", CareTimes()),
        ("방학은 안 해도 돼요 주말이 필요해요", CareTimes.saturday),
        ("주말 돌봄은 없어도 됩니다", CareTimes()),
        ("야간 돌봄은 필요하지 않습니다", CareTimes()),
        // Not negations: a question, and `괜찮` asking for it.
        ("주말 돌봄도 가능한지 궁금합니다", CareTimes.saturday),
        ("저녁 늦게까지도 괜찮은 곳이면 좋겠어요", CareTimes.evening),
        ("필요 없는 건 없고 주말 돌봄 필요", CareTimes.saturday),
        ("방학, 주말 모두 필요", CareTimes([.vacation, .saturday])),
    ])
    func negationsTakeATimeBack(memo: String, times: CareTimes) {
        #expect(CareNeeds.read([memo]).times == times, "\(memo)")
    }

    /// The quick look never passes over a word `read` would find: each word, spaced or not, inside a memo;
    /// ordinary memos without one are passed over.
    @Test func quickLookFindsEveryWord() {
        let words = [
            "주말", "토요", "방학", "저녁", "야간", "늦게", "늦은 시간", "퇴근 후",
            "19시", "22시", "7시 이후", "9시까지",
            "느린 학습", "경계선", "기초학력", "장애", "통합", "발달지연",
            "다문화", "이중언어", "통역", "한국어 교실", "외국어", "연장",
        ]
        for w in words {
            #expect(CareNeeds.mayAsk("아이가 \(w) 관련해서 여쭤요"), "\(w)")
            let spaced = w.map(String.init).joined(separator: " ")
            #expect(CareNeeds.mayAsk(spaced), "\(spaced)")
        }
        for memo in ["아이가 낯을 많이 가려요.", "오전에 통화 부탁드립니다", "", "방.학"] {
            #expect(!CareNeeds.mayAsk(memo), "\(memo)")
            #expect(CareNeeds.read([memo]).times == [])
        }
    }

    @Test func distanceTexts() {
        #expect(DistanceText.text(1234, precision: .eupmyeondong) == "약 1.2 km (동 중심 기준)")
        #expect(DistanceText.text(340, precision: .building) == "약 350 m (주소 기준)")
        #expect(DistanceText.text(12, precision: .building) == "50 m 이내 (주소 기준)")
        #expect(DistanceText.text(60, precision: .building) == "약 50 m (주소 기준)")
        #expect(DistanceText.text(300, precision: .eupmyeondong) == "0.5 km 이내 (동 중심 기준)")
        #expect(DistanceText.text(12_400, precision: .sigungu) == "약 12 km (시군구 중심 기준)")
        #expect(DistanceText.short(960) == "1.0 km")
    }
}
