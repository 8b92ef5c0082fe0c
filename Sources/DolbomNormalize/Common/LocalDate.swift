/// A calendar date in Korea (Asia/Seoul), without a time zone.
///
/// Ages, school grades, waiting days and holidays are all about the local
/// calendar day, so the pipeline carries dates as plain values instead of
/// `Date` + `Calendar`, which keeps normalization pure and fast.
public struct LocalDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    // Four bytes instead of three Ints: every submission, child and household carries dates.
    private let y: Int16
    private let m: UInt8
    private let d: UInt8

    public var year: Int { Int(y) }
    public var month: Int { Int(m) }
    public var day: Int { Int(d) }

    /// Returns nil for dates that do not exist (2023-02-29, month 13, ...).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            day >= 1, day <= LocalDate.daysIn(month: month, year: year)
        else { return nil }
        self.y = Int16(year)
        self.m = UInt8(month)
        self.d = UInt8(day)
    }

    /// Parses strict ISO `YYYY-MM-DD`.
    public init?(iso: String) {
        let parts = iso.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: return 31
        case 4, 6, 9, 11: return 30
        case 2: return isLeap(year) ? 29 : 28
        default: return 0
        }
    }

    /// `YYYY-MM-DD`.
    public var iso: String {
        guard (1...9999).contains(y) else {
            func pad(_ v: Int, _ width: Int) -> String {
                let s = String(v)
                return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
            }
            return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
        }
        return String(unsafeUninitializedCapacity: 10) { out in
            var out = out
            writeISO(into: &out, at: 0)
            return 10
        }
    }

    /// `YYYY-MM-DD` into the 10 bytes of `out` from `o` (for years 1...9999).
    @inline(__always)
    func writeISO<Out: MutableCollection>(into out: inout Out, at o: Int) where Out.Element == UInt8, Out.Index == Int {
        let year = Int(y)
        let month = Int(m)
        let day = Int(d)
        out[o] = UInt8(0x30 + year / 1000)
        out[o + 1] = UInt8(0x30 + year / 100 % 10)
        out[o + 2] = UInt8(0x30 + year / 10 % 10)
        out[o + 3] = UInt8(0x30 + year % 10)
        out[o + 4] = 0x2D
        out[o + 5] = UInt8(0x30 + month / 10)
        out[o + 6] = UInt8(0x30 + month % 10)
        out[o + 7] = 0x2D
        out[o + 8] = UInt8(0x30 + day / 10)
        out[o + 9] = UInt8(0x30 + day % 10)
    }

    public var description: String { iso }

    /// Days since 1970-01-01 (negative before), for date arithmetic.
    public var daysSinceEpoch: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    public init(daysSinceEpoch z0: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.y = Int16(clamping: y)
        self.m = UInt8(m)
        self.d = UInt8(d)
    }

    public func adding(days: Int) -> LocalDate {
        LocalDate(daysSinceEpoch: daysSinceEpoch + days)
    }

    /// ISO weekday: 1 = Monday ... 7 = Sunday.
    public var isoWeekday: Int {
        let w = (daysSinceEpoch + 3) % 7  // 1970-01-01 was a Thursday (ISO 4)
        return (w < 0 ? w + 7 : w) + 1
    }

    /// Full age (만 나이) on `date` of someone born on `self`; the legal age in Korea since 2023-06-28.
    public func fullAge(on date: LocalDate) -> Int {
        var age = date.year - year
        if (date.month, date.day) < (month, day) { age -= 1 }
        return age
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = LocalDate(iso: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected YYYY-MM-DD, got \(text)")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}

/// A local wall-clock time in Korea, as forms record it.
public struct LocalDateTime: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let date: LocalDate
    private let h: UInt8
    private let m: UInt8
    private let s: UInt8

    public var hour: Int { Int(h) }
    public var minute: Int { Int(m) }
    public var second: Int { Int(s) }

    public init?(date: LocalDate, hour: Int, minute: Int, second: Int = 0) {
        guard (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else { return nil }
        self.date = date
        self.h = UInt8(hour)
        self.m = UInt8(minute)
        self.s = UInt8(second)
    }

    /// ISO 8601 with the Korean offset, e.g. `2024-07-01T22:03:08+09:00`.
    public var iso: String {
        guard (1...9999).contains(date.year) else {
            func p2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
            return "\(date.iso)T\(p2(hour)):\(p2(minute)):\(p2(second))+09:00"
        }
        return String(unsafeUninitializedCapacity: 25) { out in
            var out = out
            writeDigits(into: &out, at: 0)
            return 25
        }
    }

    /// The byte count of `iso` for years 1...9999.
    public static let isoByteCount = 25

    /// Appends the UTF-8 of `iso` to `bytes`: callers that assemble bytes skip the String.
    public func appendISO(to bytes: inout [UInt8]) {
        guard (1...9999).contains(date.year) else { return bytes.append(contentsOf: iso.utf8) }
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: Self.isoByteCount))
        writeDigits(into: &bytes, at: start)
    }

    @inline(__always)
    private func writeDigits<Out: MutableCollection>(into out: inout Out, at o: Int)
    where Out.Element == UInt8, Out.Index == Int {
        date.writeISO(into: &out, at: o)
        out[o + 10] = UInt8(ascii: "T")
        out[o + 11] = 0x30 + h / 10
        out[o + 12] = 0x30 + h % 10
        out[o + 13] = UInt8(ascii: ":")
        out[o + 14] = 0x30 + m / 10
        out[o + 15] = 0x30 + m % 10
        out[o + 16] = UInt8(ascii: ":")
        out[o + 17] = 0x30 + s / 10
        out[o + 18] = 0x30 + s % 10
        out[o + 19] = UInt8(ascii: "+")
        out[o + 20] = UInt8(ascii: "0")
        out[o + 21] = UInt8(ascii: "9")
        out[o + 22] = UInt8(ascii: ":")
        out[o + 23] = UInt8(ascii: "0")
        out[o + 24] = UInt8(ascii: "0")
    }

    public var description: String { iso }

    public static func < (lhs: LocalDateTime, rhs: LocalDateTime) -> Bool {
        (lhs.date, lhs.hour, lhs.minute, lhs.second) < (rhs.date, rhs.hour, rhs.minute, rhs.second)
    }

    /// Parses what `iso` writes (`YYYY-MM-DDTHH:MM:SS+09:00`); the offset must be +09:00.
    public init?(iso text: String) {
        guard text.count == 25, text.hasSuffix("+09:00") else { return nil }
        let chars = Array(text)
        guard chars[10] == "T", let date = LocalDate(iso: String(chars[0..<10])),
            let h = Int(String(chars[11..<13])), let m = Int(String(chars[14..<16])),
            let s = Int(String(chars[17..<19]))
        else { return nil }
        self.init(date: date, hour: h, minute: m, second: s)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = LocalDateTime(iso: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected YYYY-MM-DDTHH:MM:SS+09:00, got \(text)")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}
