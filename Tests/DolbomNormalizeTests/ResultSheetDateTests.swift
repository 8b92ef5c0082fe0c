import DolbomNormalize
import Testing

/// A callback day as written on the results sheet, read for a call on `call`.
struct CallbackCase: Sendable, CustomTestStringConvertible {
    let input: String
    let call: String
    /// ISO day, or nil when refused.
    let day: String?
    /// Words the refusal or the note must contain.
    let says: String?

    init(_ input: String, call: String = "2024-07-16", _ day: String, says: String? = nil) {
        self.input = input
        self.call = call
        self.day = day
        self.says = says
    }
    init(_ input: String, call: String = "2024-07-16", refused says: String) {
        self.input = input
        self.call = call
        self.day = nil
        self.says = says
    }
    var testDescription: String { "callback \(input.debugDescription) for a call on \(call)" }
}

let callbackCases: [CallbackCase] = [
    // The call sheet's own blanks, filled in.
    CallbackCase("7월 18일", "2024-07-18", says: "연도가 없어"),
    CallbackCase("07월 18일", "2024-07-18"),
    CallbackCase("7월18일", "2024-07-18"),
    CallbackCase("7 월 18 일", "2024-07-18"),
    CallbackCase("7월 18일(목)", "2024-07-18"),
    CallbackCase("7월 18일 목요일", "2024-07-18"),
    CallbackCase("7/18", "2024-07-18"),
    CallbackCase("7.18", "2024-07-18"),
    CallbackCase("7.18.", "2024-07-18"),
    CallbackCase("07-18", "2024-07-18"),
    CallbackCase("18일", "2024-07-18", says: "월과 연도가 없어"),
    CallbackCase("16일", "2024-07-16"),  // the same day counts as on or after the call
    CallbackCase("15일", "2024-08-15"),  // the 15th has passed: next month's
    CallbackCase("1월 3일", call: "2024-12-30", "2025-01-03"),
    CallbackCase("12/31", call: "2024-12-30", "2024-12-31"),
    CallbackCase("7월 15일", "2025-07-15"),  // before the call this year: next year's
    // Full dates.
    CallbackCase("2024-07-18", "2024-07-18"),
    CallbackCase("2024.7.18", "2024-07-18"),
    CallbackCase("2024. 7. 18.", "2024-07-18"),
    CallbackCase("2024/07/18", "2024-07-18"),
    CallbackCase("2024년 7월 18일", "2024-07-18"),
    CallbackCase("24.07.18", "2024-07-18"),
    CallbackCase("20240718", "2024-07-18"),
    // Excel date cells.
    CallbackCase("45491", "2024-07-18", says: "엑셀 날짜 45491"),
    CallbackCase("46221", call: "2026-07-10", "2026-07-18"),
    CallbackCase("2024-07-18 0:00:00", "2024-07-18"),
    CallbackCase("2024-07-18 00:00", "2024-07-18"),
    // Full-width digits and punctuation (Korean IME).
    CallbackCase("７월 １８일", "2024-07-18"),
    CallbackCase("７／１８", "2024-07-18"),
    CallbackCase("２０２４－０７－１８", "2024-07-18"),
    // Relative to the call.
    CallbackCase("내일", "2024-07-17"),
    CallbackCase("모레", "2024-07-18"),
    // A time with the day: the day is kept, the time said not to decide it.
    CallbackCase("7월 18일 오후 2시", "2024-07-18", says: "14:00"),
    // Refused, with the reason.
    CallbackCase("18", refused: "날짜인지 시각인지"),
    CallbackCase("7월", refused: "일이 없습니다"),
    CallbackCase("13/18", refused: "월(13)"),
    CallbackCase("7/32", refused: "일(32)"),
    CallbackCase("2024-02-30", refused: "없는 날짜"),
    CallbackCase("7/8/2024", refused: "월/일 순서"),
    CallbackCase("7월 18일(금)", refused: "목요일인데 금요일"),
    CallbackCase("2024-07-10", refused: "통화일 2024-07-16보다 앞"),
    CallbackCase("다음주", refused: "읽을 수 없습니다"),
    CallbackCase("오후 2시", refused: "날짜가 없습니다"),
    CallbackCase("7/18/24", refused: "읽을 수 없습니다"),
    CallbackCase("12345", refused: "엑셀 날짜"),
]

/// A call time as written on the results sheet.
struct CallTimeCase: Sendable, CustomTestStringConvertible {
    let input: String
    let booked: String?
    let importDay: String?
    /// `YYYY-MM-DDTHH:MM`, or nil when refused.
    let at: String?
    let says: String?

    init(
        _ input: String, booked: String? = "2024-07-16", importDay: String? = "2024-07-20", _ at: String,
        says: String? = nil
    ) {
        self.input = input
        self.booked = booked
        self.importDay = importDay
        self.at = at
        self.says = says
    }
    init(_ input: String, booked: String? = "2024-07-16", importDay: String? = "2024-07-20", refused says: String) {
        self.input = input
        self.booked = booked
        self.importDay = importDay
        self.at = nil
        self.says = says
    }
    var testDescription: String { "call time \(input.debugDescription) booked \(booked ?? "-")" }
}

let callTimeCases: [CallTimeCase] = [
    CallTimeCase("2024-07-16 10:30", "2024-07-16T10:30"),
    CallTimeCase("2024-07-16 10:30:00", "2024-07-16T10:30"),
    CallTimeCase("2024. 7. 16. 오후 2:05:00", "2024-07-16T14:05"),
    CallTimeCase("7월 16일 오후 2시", "2024-07-16T14:00", says: "연도가 없어"),
    CallTimeCase("7/17 9:00", "2024-07-17T09:00"),
    CallTimeCase("9:00", "2024-07-16T09:00", says: "약속일"),
    CallTimeCase("오후 2시", "2024-07-16T14:00"),
    CallTimeCase("2시 반", "2024-07-16T02:30"),
    CallTimeCase("오후 2시 반", "2024-07-16T14:30"),
    CallTimeCase("14시 30분", "2024-07-16T14:30"),
    CallTimeCase("14시30분", "2024-07-16T14:30"),
    CallTimeCase("2:00 PM", "2024-07-16T14:00"),
    CallTimeCase("오전 12시", "2024-07-16T00:00"),
    CallTimeCase("정오", "2024-07-16T12:00"),
    CallTimeCase("１４：３０", "2024-07-16T14:30"),
    CallTimeCase("45489.4375", "2024-07-16T10:30"),
    CallTimeCase("2024-07-16", "2024-07-16T00:00", says: "00:00"),
    // Without a booking: the latest such date on or before the import day.
    CallTimeCase("7월 16일 10:00", booked: nil, "2024-07-16T10:00", says: "가져온 날"),
    CallTimeCase("12월 30일 10:00", booked: nil, importDay: "2025-01-02", "2024-12-30T10:00"),
    // The booked day is the nearest candidate across a new year.
    CallTimeCase("1/2 10:00", booked: "2024-12-31", "2025-01-02T10:00"),
    // Refused.
    CallTimeCase("9:00", booked: nil, refused: "약속일도 없습니다"),
    CallTimeCase("7월 16일 10:00", booked: nil, importDay: nil, refused: "연도가 없습니다"),
    CallTimeCase("오후 14시", refused: "오후 14시"),
    CallTimeCase("25:00", refused: "하루 안의 시각"),
    CallTimeCase("내일 10시", refused: "날짜를 적어"),
    CallTimeCase("통화함", refused: "읽을 수 없습니다"),
    CallTimeCase("2024-07-16(수) 10:00", refused: "화요일인데 수요일"),
]

@Suite("Results sheet dates and times")
struct ResultSheetDateTests {
    @Test(arguments: callbackCases)
    func callbackDay(_ c: CallbackCase) {
        let result = ResultSheetDate.callbackDay(c.input, callDate: LocalDate(iso: c.call)!)
        switch result {
        case .success(let reading):
            #expect(reading.date.iso == c.day, "\(c.input) read as \(reading.date.iso)")
            if let says = c.says { #expect(reading.note?.contains(says) == true, "\(reading.note ?? "no note")") }
        case .failure(let f):
            #expect(c.day == nil, "\(c.input) refused: \(f.message)")
            if let says = c.says { #expect(f.message.contains(says), "\(f.message)") }
        }
    }

    @Test(arguments: callTimeCases)
    func callTime(_ c: CallTimeCase) {
        let result = ResultSheetDate.callTime(
            c.input, booked: c.booked.flatMap(LocalDate.init(iso:)),
            importDay: c.importDay.flatMap(LocalDate.init(iso:)))
        switch result {
        case .success(let reading):
            #expect(String(reading.at.iso.prefix(16)) == c.at, "\(c.input) read as \(reading.at.iso)")
            if let says = c.says { #expect(reading.note?.contains(says) == true, "\(reading.note ?? "no note")") }
        case .failure(let f):
            #expect(c.at == nil, "\(c.input) refused: \(f.message)")
            if let says = c.says { #expect(f.message.contains(says), "\(f.message)") }
        }
    }

    /// Whatever year or month the rule chose is said: a reading without a note names its year itself.
    @Test func everyCompletedDateIsSaid() {
        for text in ["7월 18일", "18일", "7/18", "7.18", "내일"] {
            let reading = try? ResultSheetDate.callbackDay(text, callDate: LocalDate(iso: "2024-07-16")!).get()
            #expect(reading?.note?.contains("2024-07-") == true, "\(text)")
        }
        let full = try? ResultSheetDate.callbackDay("2024-07-18", callDate: LocalDate(iso: "2024-07-16")!).get()
        #expect(full?.note == nil)
    }
}
