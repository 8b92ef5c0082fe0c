import DolbomNormalize
import Testing

struct TimestampCase: Sendable, CustomTestStringConvertible {
    let input: String
    /// ISO with +09:00, or nil when fatal.
    let iso: String?
    let fatal: String?
    let warnings: [String]

    init(_ input: String, _ iso: String, warn: [String] = []) {
        self.input = input
        self.iso = iso
        self.fatal = nil
        self.warnings = warn.sorted()
    }
    init(_ input: String, fatal: String) {
        self.input = input
        self.iso = nil
        self.fatal = fatal
        self.warnings = []
    }
    var testDescription: String { "timestamp \(input.debugDescription)" }
}

let timestampCases: [TimestampCase] = [
    // Google Forms CSV download
    TimestampCase("2024/07/01 10:03:08 오후 GMT+9", "2024-07-01T22:03:08+09:00"),
    TimestampCase("2024/07/01 10:03:08 오전 GMT+9", "2024-07-01T10:03:08+09:00"),
    TimestampCase("2024/07/01 12:03:08 오전 GMT+9", "2024-07-01T00:03:08+09:00"),
    TimestampCase("2024/07/01 12:03:08 오후 GMT+9", "2024-07-01T12:03:08+09:00"),
    TimestampCase("2024/07/01 10:03:08 PM GMT+9", "2024-07-01T22:03:08+09:00"),
    TimestampCase("2024/07/01 10:03:08 am GMT+9", "2024-07-01T10:03:08+09:00"),
    TimestampCase("2024/07/01 10:03:08 오후 GMT+09:00", "2024-07-01T22:03:08+09:00"),
    TimestampCase("2024/07/01 10:03:08 오전 GMT+0", "2024-07-01T19:03:08+09:00"),
    TimestampCase("2024/07/01 11:30:00 오후 GMT-4", "2024-07-02T12:30:00+09:00"),
    // Google Sheets, Korean locale
    TimestampCase("2024. 7. 1. 오후 10:03:08", "2024-07-01T22:03:08+09:00"),
    TimestampCase("2024. 7. 1 오후 10:03:08", "2024-07-01T22:03:08+09:00"),
    TimestampCase("2024. 7. 1. 오전 12:00:00", "2024-07-01T00:00:00+09:00"),
    TimestampCase("2024. 7. 1. 오후 12:30:00", "2024-07-01T12:30:00+09:00"),
    TimestampCase("2024. 7. 1. 오전 9:05:01", "2024-07-01T09:05:01+09:00"),
    TimestampCase("2024. 7. 1. 오후 13:05:00", "2024-07-01T13:05:00+09:00", warn: ["timestamp_meridiem_conflict"]),
    // Google Sheets, US locale (M/D/YYYY)
    TimestampCase("7/1/2024 22:03:08", "2024-07-01T22:03:08+09:00"),
    TimestampCase("12/31/2023 23:59:59", "2023-12-31T23:59:59+09:00"),
    TimestampCase("7/1/2024 10:03:08 PM", "2024-07-01T22:03:08+09:00"),
    TimestampCase("13/1/2024 10:00", "2024-01-13T10:00:00+09:00"),
    TimestampCase("1/1/2024", "2024-01-01T00:00:00+09:00", warn: ["timestamp_date_only"]),
    // Naver Form / Excel / ISO
    TimestampCase("2024-07-01 08:28", "2024-07-01T08:28:00+09:00"),
    TimestampCase("2024-07-01 08:28:15", "2024-07-01T08:28:15+09:00"),
    TimestampCase("2024-07-01 08:28:15.123", "2024-07-01T08:28:15+09:00"),
    TimestampCase("2024-07-01T08:28:15+09:00", "2024-07-01T08:28:15+09:00"),
    TimestampCase("2024-07-01T08:28:15+0900", "2024-07-01T08:28:15+09:00"),
    TimestampCase("2024-07-01T08:28:15Z", "2024-07-01T17:28:15+09:00"),
    TimestampCase("2024-07-01T20:28:15Z", "2024-07-02T05:28:15+09:00"),
    TimestampCase("2024-07-01T08:28:15-05:00", "2024-07-01T22:28:15+09:00"),
    TimestampCase("2024-12-31T23:30:00+00:00", "2025-01-01T08:30:00+09:00"),
    TimestampCase("2024-01-01T01:00:00+10:00", "2024-01-01T00:00:00+09:00"),
    TimestampCase("2024-07-01 10:03:08 KST", "2024-07-01T10:03:08+09:00"),
    TimestampCase("2024-07-01 10:03:08 (KST)", "2024-07-01T10:03:08+09:00"),
    TimestampCase("2024.07.01 22:03", "2024-07-01T22:03:00+09:00"),
    TimestampCase("2024.07.01 22:03:08", "2024-07-01T22:03:08+09:00"),
    TimestampCase("2024/7/1 9:05", "2024-07-01T09:05:00+09:00"),
    TimestampCase("20240701 10:03", "2024-07-01T10:03:00+09:00"),
    TimestampCase("2024-07-01 오후 3:05", "2024-07-01T15:05:00+09:00"),
    TimestampCase("2024년 7월 1일 오후 3시 5분", "2024-07-01T15:05:00+09:00"),
    TimestampCase("2024년 7월 1일 14시", "2024-07-01T14:00:00+09:00"),
    TimestampCase("２０２４－０７－０１　１０：００", "2024-07-01T10:00:00+09:00"),
    TimestampCase("2024-02-29 10:00", "2024-02-29T10:00:00+09:00"),
    TimestampCase("2024-07-01", "2024-07-01T00:00:00+09:00", warn: ["timestamp_date_only"]),
    // Excel serials
    TimestampCase("45474.5", "2024-07-01T12:00:00+09:00"),
    TimestampCase("45474.75", "2024-07-01T18:00:00+09:00"),
    TimestampCase("45474.917453703704", "2024-07-01T22:01:08+09:00"),
    TimestampCase("45474.999999", "2024-07-02T00:00:00+09:00"),
    TimestampCase("45474", "2024-07-01T00:00:00+09:00", warn: ["timestamp_date_only"]),
    TimestampCase("2024-07-01 22:03:08 +0900", "2024-07-01T22:03:08+09:00"),
    TimestampCase("2024. 7. 1. PM 10:03:08", "2024-07-01T22:03:08+09:00"),
    TimestampCase("2024-07-01 22:03:08 GMT+0900", "2024-07-01T22:03:08+09:00"),
    TimestampCase("2024-07-01 오후 10:03:08", "2024-07-01T22:03:08+09:00"),
    // Invalid
    TimestampCase("", fatal: "timestamp_missing"),
    TimestampCase("  ", fatal: "timestamp_missing"),
    TimestampCase("abc", fatal: "timestamp_invalid"),
    TimestampCase("10:03:08", fatal: "timestamp_invalid"),
    TimestampCase("2024-13-01 10:00", fatal: "timestamp_invalid"),
    TimestampCase("2023-02-29 10:00", fatal: "timestamp_invalid"),
    TimestampCase("2024-07-01 25:00", fatal: "timestamp_invalid"),
    TimestampCase("2024-07-01 10:61", fatal: "timestamp_invalid"),
    TimestampCase("2024-07-01 오후", fatal: "timestamp_invalid"),
    TimestampCase("2024-07-01 10:00 어제", fatal: "timestamp_invalid"),
    TimestampCase("123", fatal: "timestamp_invalid"),
]

@Suite("TimestampNormalizer")
struct TimestampNormalizerTests {
    @Test(arguments: timestampCases)
    func table(_ c: TimestampCase) {
        let r = TimestampNormalizer.normalize(c.input)
        #expect(issuesAreWellFormed(r))
        if let fatal = c.fatal {
            #expect(r.value == nil)
            #expect(codes(r, .fatal) == [fatal])
            return
        }
        #expect(codes(r, .fatal) == [])
        #expect(r.value?.iso == c.iso)
        #expect(codes(r) == c.warnings)
    }
}
