import DolbomNormalize
import Foundation
import Testing

@testable import DolbomSchedule

struct RosterCase: Sendable, CustomTestStringConvertible {
    let label: String
    let counselor: Counselor
    let field: String
    let code: RosterIssue.Code
    var testDescription: String { label }
}

private func c(
    _ id: String = "C1", weekdays: [Int] = [1, 2, 3, 4, 5], hours: String = "09:00-18:00",
    lunch: String? = "12:00-13:00", cap: Int = 10
) -> Counselor {
    Counselor(id: id, name: "김상담", weekdays: weekdays, hours: hours, lunch: lunch, maxCallsPerDay: cap)
}

@Suite("Roster")
struct RosterTests {
    static let bad: [RosterCase] = [
        RosterCase(label: "no separator", counselor: c(hours: "0900 1800"), field: "hours", code: .badTimeText),
        RosterCase(label: "hour only", counselor: c(hours: "9-18"), field: "hours", code: .badTimeText),
        RosterCase(label: "hour 25", counselor: c(hours: "09:00-25:00"), field: "hours", code: .badTimeText),
        RosterCase(label: "minute 60", counselor: c(hours: "09:60-18:00"), field: "hours", code: .badTimeText),
        RosterCase(label: "korean text", counselor: c(hours: "오전 9시-오후 6시"), field: "hours", code: .badTimeText),
        RosterCase(
            label: "end before start", counselor: c(hours: "18:00-09:00"), field: "hours", code: .endBeforeStart),
        RosterCase(label: "empty range", counselor: c(hours: "09:00-09:00"), field: "hours", code: .endBeforeStart),
        RosterCase(label: "lunch reversed", counselor: c(lunch: "13:00-12:00"), field: "lunch", code: .endBeforeStart),
        RosterCase(label: "lunch garbage", counselor: c(lunch: "점심"), field: "lunch", code: .badTimeText),
        RosterCase(
            label: "lunch outside", counselor: c(hours: "13:00-18:00", lunch: "12:00-13:00"), field: "lunch",
            code: .lunchOutsideHours),
        RosterCase(label: "weekday 0", counselor: c(weekdays: [0, 1]), field: "weekdays", code: .unknownWeekday),
        RosterCase(label: "weekday 8", counselor: c(weekdays: [1, 8]), field: "weekdays", code: .unknownWeekday),
        RosterCase(label: "negative cap", counselor: c(cap: -1), field: "max_calls_per_day", code: .negativeCap),
        RosterCase(label: "empty id", counselor: c(" "), field: "id", code: .emptyID),
    ]

    @Test(arguments: bad)
    func invalidCounselorIsNamed(_ rc: RosterCase) {
        let issues = Roster(counselors: [c("OK"), rc.counselor]).validate()
        #expect(issues.count == 1)
        #expect(issues.first?.counselorID == rc.counselor.id)
        #expect(issues.first?.field == rc.field)
        #expect(issues.first?.code == rc.code)
        #expect(
            issues.first.map { $0.message.unicodeScalars.contains { $0.value >= 0xAC00 && $0.value <= 0xD7A3 } } == true
        )
        #expect(throws: RosterValidationError.self) {
            try Scheduler(policy: SchedulePolicy(horizonStart: d("2025-07-01"))).plan(
                requests: [], roster: Roster(counselors: [rc.counselor]), holidays: KoreanHolidays())
        }
    }

    @Test func duplicateIDsAndAllIssuesAtOnce() {
        let issues = Roster(counselors: [c("A"), c("A", hours: "x", cap: -2)]).validate()
        #expect(issues.map(\.code) == [.duplicateID, .badTimeText, .negativeCap])
        #expect(issues.allSatisfy { $0.counselorID == "A" })
    }

    static let times: [(String, Int?, Int?)] = [
        ("09:00-18:00", 540, 1080), ("9:00-18:00", 540, 1080), ("09:00 ~ 18:00", 540, 1080),
        ("09:30–17:30", 570, 1050), ("00:00-23:59", 0, 1439), ("9-18", nil, nil), ("09:00-", nil, nil),
    ]

    @Test(arguments: times)
    func clockText(_ t: (String, Int?, Int?)) {
        let r = try? ClockText.parseRange(t.0).get()
        #expect(r?.start == t.1)
        #expect(r?.end == t.2)
    }

    @Test func decodesSnakeCaseJSON() throws {
        let json = """
            {"counselors":[{"id":"C07","name":"응우옌 상담사","weekdays":[1,2,3,4,5],"hours":"09:00-18:00",
              "lunch":"12:00-13:00","max_calls_per_day":12,"languages":["베트남어"],"leave":["2025-07-03"]}]}
            """
        let roster = try JSONDecoder().decode(Roster.self, from: Data(json.utf8))
        #expect(roster.counselors[0].maxCallsPerDay == 12)
        #expect(roster.counselors[0].leave == [d("2025-07-03")])
        #expect(roster.validate().isEmpty)
        let again = try JSONDecoder().decode(Roster.self, from: JSONEncoder().encode(roster))
        #expect(again == roster)
        let text = String(decoding: try JSONEncoder().encode(roster), as: UTF8.self)
        #expect(text.contains("\"max_calls_per_day\":12"))
    }

    @Test func appointmentCodableUsesKoreanOffset() throws {
        let a = Appointment(
            applicantID: "H1", counselorID: "C1", start: at("2025-07-01", 9, 0), end: at("2025-07-01", 9, 20))
        let text = String(decoding: try JSONEncoder().encode(a), as: UTF8.self)
        #expect(text.contains("2025-07-01T09:00:00+09:00"))
        #expect(text.contains("\"applicant_id\""))
        #expect(try JSONDecoder().decode(Appointment.self, from: Data(text.utf8)) == a)
    }
}

@Suite("Weekdays as staff write them")
struct WeekdayTextTests {
    static let cases: [(String, [Int]?)] = [
        ("월-금", [1, 2, 3, 4, 5]), ("월~토", [1, 2, 3, 4, 5, 6]), ("화 - 토", [2, 3, 4, 5, 6]), ("월,수,금", [1, 3, 5]),
        ("월수금", [1, 3, 5]), ("월요일, 수요일", [1, 3]), ("일요일", [7]), ("토,일", [6, 7]), ("평일", [1, 2, 3, 4, 5]),
        ("주말", [6, 7]), ("매일", [1, 2, 3, 4, 5, 6, 7]), ("1,3,5", [1, 3, 5]), ("월·목", [1, 4]),
        ("금-월", nil), ("월-금금", nil), ("", nil), ("월요일부터", nil), ("8", nil),
    ]

    @Test(arguments: cases)
    func parse(_ c: (String, [Int]?)) {
        #expect(WeekdayText.parse(c.0) == c.1, "\(c.0)")
    }

    @Test func rosterYAMLMayUseWords() throws {
        let json = #"{"id": "C1", "weekdays": "월,수,금", "hours": "09:00-18:00", "max_calls_per_day": 3}"#
        let c = try JSONDecoder().decode(Counselor.self, from: Data(json.utf8))
        #expect(c.weekdays == [1, 3, 5])
        let bad = #"{"id": "C1", "weekdays": "월-금금", "hours": "09:00-18:00", "max_calls_per_day": 3}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Counselor.self, from: Data(bad.utf8)) }
    }
}
