import DolbomNormalize
import Testing

@testable import DolbomCore

/// A cell over a field's length cap becomes an issue on its row, never a lost row: an overlong
/// address, name, age or timestamp keeps the row (the field is empty, the issue says why); an
/// overlong phone rejects it, as every unreadable phone does.
@Suite("Hostile cells")
struct HostileCellTests {
    static let mapping = HeaderDetector().map(headers: ["타임스탬프", "보호자 성명", "연락처", "주소", "자녀 생년월일", "개인정보 동의"])
    static let builder = SubmissionBuilder(asOf: LocalDate(year: 2024, month: 7, day: 15)!)

    static func row(
        time: String = "2024/07/01 10:03:08 오후 GMT+9", name: String = "김민준", phone: String = "010-1234-5678",
        address: String = "충청남도 아산시 번영로 15", birth: String = "2017-03-05"
    ) -> RawRecord {
        RawRecord(file: "hostile.csv", row: 2, cells: [time, name, phone, address, birth, "동의합니다"])
    }

    @Test func overlongCellsKeepTheRowWithAnIssue() {
        let megabyte = String(repeating: "아산시", count: 350_000)
        let cases: [(RawRecord, String, String)] = [
            (Self.row(address: megabyte), "address", "address_too_long"),
            (Self.row(name: megabyte), "guardian_name", "name_too_long"),
            (Self.row(birth: megabyte), "child.age", "age_too_long"),
            (Self.row(time: megabyte), "submitted_at", "timestamp_too_long"),
        ]
        for (record, field, code) in cases {
            guard case .submission(let s) = Self.builder.build(record, mapping: Self.mapping) else {
                Issue.record("\(code): the row was rejected")
                continue
            }
            #expect(
                s.issues.contains { $0.field == field && $0.code == code && $0.severity == .fatal },
                "\(s.issues.map(\.code))")
        }
    }

    @Test func anOverlongPhoneRejectsTheRow() {
        let record = Self.row(phone: String(repeating: "010-1234-5678 ", count: 80_000))
        guard case .reject(let r) = Self.builder.build(record, mapping: Self.mapping) else {
            Issue.record("the row was kept")
            return
        }
        #expect(r.reason == "phone_too_long" && r.column == "연락처")
    }
}
