import DolbomNormalize
import Testing

/// A `방문 예약` cell as counselors write it, read for a call on `call` (2024-07-16 is a Tuesday).
struct VisitCase: Sendable, CustomTestStringConvertible {
    let input: String
    let call: String
    /// `2024-07-20 14:00`, `2024-07-20` (no time), or nil when refused.
    let visit: String?
    /// Words the refusal or the note must contain.
    let says: String?

    init(_ input: String, call: String = "2024-07-16", _ visit: String, says: String? = nil) {
        self.input = input
        self.call = call
        self.visit = visit
        self.says = says
    }
    init(_ input: String, call: String = "2024-07-16", refused says: String) {
        self.input = input
        self.call = call
        self.visit = nil
        self.says = says
    }
    var testDescription: String { "visit \(input.debugDescription) booked on \(call)" }
}

let visitCases: [VisitCase] = [
    // As the call sheet's blanks are filled in, and as people type them.
    VisitCase("7월 20일 오후 2시", "2024-07-20 14:00", says: "연도가 없어"),
    VisitCase("7월 20일 14시", "2024-07-20 14:00"),
    VisitCase("7월 20일 14시 30분", "2024-07-20 14:30"),
    VisitCase("7/20 14:00", "2024-07-20 14:00"),
    VisitCase("7.20 오전 10시", "2024-07-20 10:00"),
    VisitCase("07월 20일(토) 오후 2시 반", "2024-07-20 14:30"),
    VisitCase("7월 20일 토요일 15:00", "2024-07-20 15:00"),
    VisitCase("20일 오후 3시", "2024-07-20 15:00", says: "월과 연도가 없어"),
    VisitCase("16일 17:00", "2024-07-16 17:00"),  // the call's own day counts
    VisitCase("15일 10:00", "2024-08-15 10:00"),  // the 15th has passed: next month's
    VisitCase("1월 3일 10:00", call: "2024-12-30", "2025-01-03 10:00"),
    VisitCase("2024-07-20 14:00", "2024-07-20 14:00"),
    VisitCase("2024. 7. 20. 오후 2:00", "2024-07-20 14:00"),
    VisitCase("2024년 7월 20일 오후 2시", "2024-07-20 14:00"),
    VisitCase("24.07.20 14:00", "2024-07-20 14:00"),
    VisitCase("７월 ２０일 １４시", "2024-07-20 14:00"),  // full-width digits
    VisitCase("내일 오후 4시", "2024-07-17 16:00"),
    VisitCase("모레 10:30", "2024-07-18 10:30"),
    VisitCase("45493.5833333", "2024-07-20 14:00"),  // an Excel date-time cell
    VisitCase("45493", "2024-07-20", says: "엑셀 날짜"),  // an Excel date cell: no time
    VisitCase("2024-07-20 0:00:00", "2024-07-20", says: "시각 없이"),  // how Excel shows a date cell as text
    VisitCase("7월 20일", "2024-07-20"),  // a day without a time is kept as such
    VisitCase("7월 20일 정오", "2024-07-20 12:00"),
    VisitCase("7월 20일 오전 7시", "2024-07-20 07:00"),
    VisitCase("7월 20일 21:00", "2024-07-20 21:00"),
    // Refused, never guessed.
    VisitCase("14:00", refused: "날짜가 없습니다"),
    VisitCase("오후 2시", refused: "날짜가 없습니다"),
    VisitCase("20", refused: "날짜인지 시각인지"),
    VisitCase("2024-07-15 14:00", refused: "통화일 2024-07-16보다 앞"),
    VisitCase("7월 20일 2시", refused: "기관 방문 시간"),  // 02:00: write 오후 2시
    VisitCase("7월 20일 22:30", refused: "기관 방문 시간"),
    VisitCase("7월 20일 새벽 5시", refused: "읽을 수 없습니다"),
    VisitCase("7월 20일(금) 14:00", refused: "토요일인데 금요일"),
    VisitCase("3/5/2024 14:00", refused: "월/일 순서"),
    VisitCase("13월 1일", refused: "1~12"),
    VisitCase("2024-02-30 10:00", refused: "없는 날짜"),
    VisitCase("2024-12-20 14:00", refused: "90일 넘게"),
    VisitCase("7월 20일 오후 14시", refused: "시각이 맞지 않습니다"),
    VisitCase("다음주쯤", refused: "읽을 수 없습니다"),
]

@Suite("Results sheet: 방문 예약 and 방문 결과")
struct ResultSheetVisitTests {
    @Test(arguments: visitCases)
    func visit(_ c: VisitCase) {
        let result = ResultSheetDate.visitTime(c.input, callDate: LocalDate(iso: c.call)!)
        switch result {
        case .success(let reading):
            let text =
                reading.date.iso
                + (reading.minutes.map { " \($0 / 60 < 10 ? "0" : "")\($0 / 60):\($0 % 60 < 10 ? "0" : "")\($0 % 60)" }
                    ?? "")
            #expect(text == c.visit, "read as \(text)")
            if let says = c.says, c.visit != nil {
                #expect(reading.note?.contains(says) == true, "note: \(reading.note ?? "-")")
            }
        case .failure(let f):
            #expect(c.visit == nil, "refused: \(f.message)")
            if let says = c.says, c.visit == nil { #expect(f.message.contains(says), "message: \(f.message)") }
        }
    }

    /// A month/day before the call is next year's (as a callback day), which the 90-day guard then refuses.
    @Test func aDayBeforeTheCallWithoutAYearIsNextYearsAndTooFar() {
        guard case .failure(let f) = ResultSheetDate.visitTime("7월 15일 14:00", callDate: LocalDate(iso: "2024-07-16")!)
        else {
            Issue.record("read")
            return
        }
        #expect(f.message.contains("2025-07-15") && f.message.contains("90일"))
    }

    static let results: [(String, VisitResult?, String?)] = [
        ("등록", .registered, nil), ("등록함", .registered, nil), ("등록 완료", .registered, nil), ("입소", .registered, nil),
        ("등록 (9월부터 다님)", .registered, "9월부터 다님"), ("등록-오후반", .registered, "오후반"),
        ("대기 등록", .waitlisted, nil), ("대기등록", .waitlisted, nil), ("대기자 등록", .waitlisted, nil),
        ("대기 등록(3번째)", .waitlisted, "3번째"), ("대기 신청 / 9월 자리 남", .waitlisted, "9월 자리 남"),
        ("안 함", .declined, nil), ("안함", .declined, nil), ("등록 안 함", .declined, nil), ("방문 안 함", .declined, nil),
        ("미등록", .declined, nil), ("안 함 - 거리가 멀어서", .declined, "거리가 멀어서"), ("포기: 시간이 안 맞음", .declined, "시간이 안 맞음"),
        // Refused: no result, or words that undo it.
        ("등록 예정", nil, nil), ("등록 못 함", nil, nil), ("등록 전", nil, nil), ("대기", nil, nil), ("방문함", nil, nil),
        ("등록자 많음", nil, nil), ("모름", nil, nil), ("?", nil, nil),
    ]

    @Test(arguments: results.indices)
    func result(_ k: Int) {
        let (input, expected, note) = Self.results[k]
        switch VisitResult.read(input) {
        case .success(let read):
            #expect(read.0 == expected, "\(input) read as \(read.0)")
            #expect(read.note == note, "\(input) note \(read.note ?? "-")")
        case .failure(let f):
            #expect(expected == nil, "\(input) refused: \(f.message)")
            #expect(f.message.contains("등록, 대기 등록, 안 함"))
        }
    }
}
