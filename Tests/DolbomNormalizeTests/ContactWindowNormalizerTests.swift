import DolbomNormalize
import Testing

struct ContactCase: Sendable, CustomTestStringConvertible {
    let input: String
    let days: ContactWindow.Days
    let ranges: [MinuteRange]
    let anytime: Bool
    let warnings: [String]

    init(_ input: String, _ days: ContactWindow.Days, _ ranges: [(Int, Int)], anytime: Bool? = nil, warn: [String] = [])
    {
        self.input = input
        self.days = days
        self.ranges = ranges.map { MinuteRange(start: $0.0, end: $0.1) }
        self.anytime = anytime ?? (days == .any && ranges.isEmpty)
        self.warnings = warn.sorted()
    }
    var testDescription: String { "contact window \(input.debugDescription)" }
}

let contactCases: [ContactCase] = [
    ContactCase("", .any, []),
    ContactCase("평일 오전(9시~12시)", .weekdays, [(540, 720)]),
    ContactCase("오후 2시~5시", .any, [(840, 1020)]),
    ContactCase("언제든 가능", .any, []),
    ContactCase("아무때나", .any, []),
    ContactCase("아무 때나 괜찮아요", .any, []),
    ContactCase("상관없음", .any, []),
    ContactCase("평일 저녁(18시 이후)", .weekdays, [(1080, 1260)]),
    ContactCase("오전", .any, [(540, 720)]),
    ContactCase("오후", .any, [(720, 1080)]),
    ContactCase("점심시간", .any, [(720, 780)]),
    ContactCase("저녁", .any, [(1080, 1260)]),
    ContactCase("퇴근 후", .any, [(1080, 1260)]),
    ContactCase("10시~12시", .any, [(600, 720)]),
    ContactCase("10:00-12:00", .any, [(600, 720)]),
    ContactCase("10:30~11:30", .any, [(630, 690)]),
    ContactCase("14~16시", .any, [(840, 960)]),
    ContactCase("10시반~12시", .any, [(630, 720)]),
    ContactCase("10시부터 12시까지", .any, [(600, 720)]),
    ContactCase("주말", .weekend, []),
    ContactCase("주말 언제나 가능", .weekend, []),
    ContactCase("평일 언제든", .weekdays, []),
    ContactCase("평일 오전, 평일 오후", .weekdays, [(540, 720), (720, 1080)]),
    ContactCase("오전, 오후", .any, [(540, 720), (720, 1080)]),
    ContactCase("평일 오전(9시~12시), 평일 오후(12시~18시)", .weekdays, [(540, 720), (720, 1080)]),
    ContactCase("9시-11시 또는 3시-5시", .any, [(540, 660), (900, 1020)], warn: ["contact_window_hour_assumed_pm"]),
    ContactCase("오전 10시~오후 2시", .any, [(600, 840)]),
    ContactCase("저녁 7시 이후", .any, [(1140, 1260)]),
    ContactCase("6시 이후", .any, [(1080, 1260)], warn: ["contact_window_hour_assumed_pm"]),
    ContactCase("12시 이전", .any, [(540, 720)]),
    ContactCase("평일 10시", .weekdays, [(600, 660)]),
    ContactCase("오후 3시쯤", .any, [(900, 960)]),
    ContactCase("11시~1시", .any, [(660, 780)], warn: ["contact_window_hour_assumed_pm"]),
    ContactCase("아침 8시", .any, [(480, 540)]),
    ContactCase("오후 12시~1시", .any, [(720, 780)]),
    ContactCase("10시~12시, 오후 3시 이후", .any, [(600, 720), (900, 1260)]),
    ContactCase("평일 오전, 주말 오후", .any, [(540, 720), (720, 1080)], warn: ["contact_window_days_merged"]),
    ContactCase("평일 오후 2시 이후, 주말 언제든", .any, [(840, 1260)], warn: ["contact_window_days_merged"]),
    ContactCase("월요일 오전", .weekdays, [(540, 720)], warn: ["contact_window_specific_days"]),
    ContactCase("평일 오전 불가", .any, [], warn: ["contact_window_negation"]),
    ContactCase("문자로 연락 부탁드립니다", .any, [], warn: ["contact_window_unparsed"]),
    ContactCase("?", .any, [], warn: ["contact_window_unparsed"]),
    ContactCase("오전, 문자 선호", .any, [(540, 720)], warn: ["contact_window_unparsed"]),
    ContactCase("오전 9시~오후 6시 사이", .any, [(540, 1080)]),
    ContactCase("언제든지요", .any, []),
    ContactCase("평일 6시 이후", .weekdays, [(1080, 1260)], warn: ["contact_window_hour_assumed_pm"]),
    ContactCase("18:00 이후", .any, [(1080, 1260)]),
    ContactCase("밤 9시 이후", .any, [(1260, 1320)]),
    ContactCase("평일 9~18시", .weekdays, [(540, 1080)]),
    ContactCase("평일 9시~6시", .weekdays, [(540, 1080)], warn: ["contact_window_hour_assumed_pm"]),
    ContactCase("오후6시이후", .any, [(1080, 1260)]),
    ContactCase("전화 말고 문자", .any, [], warn: ["contact_window_negation"]),
    ContactCase("오전 중", .any, [(540, 720)]),
    ContactCase("저녁 시간대", .any, [(1080, 1260)]),
    ContactCase("ＡＭ 10시", .any, [(600, 660)]),
]

@Suite("ContactWindowNormalizer")
struct ContactWindowNormalizerTests {
    @Test(arguments: contactCases)
    func table(_ c: ContactCase) {
        let r = ContactWindowNormalizer.normalize(c.input)
        #expect(issuesAreWellFormed(r))
        #expect(codes(r, .fatal) == [])
        #expect(r.value?.days == c.days)
        #expect(r.value?.ranges == c.ranges)
        #expect(r.value?.anytime == c.anytime)
        #expect(codes(r) == c.warnings)
    }

    @Test func keepsCleanedText() {
        #expect(ContactWindowNormalizer.normalize("  평일   오전 ").value?.text == "평일 오전")
    }
}
