/// Reads the submission timestamp of a form row as Korean local time.
///
/// Submission order decides who is called first, so every export flavour must
/// land on the same clock: Google Forms CSV (`2024/07/01 10:03:08 오후 GMT+9`),
/// Google Sheets in Korean (`2024. 7. 1. 오후 10:03:08`) or US locale
/// (`7/1/2024 22:03:08`, read as M/D/YYYY), Naver Form/Excel
/// (`2024-07-01 08:28:15`, `2024.07.01 22:03`), ISO 8601 with offsets, and
/// Excel serials (`45474.5`, the fraction is the time of day). Other offsets
/// (`GMT+0`, `Z`, `-05:00`) are converted to +09:00. `오전 12:xx` is 00:xx and
/// `오후 12:xx` is 12:xx.
/// Warnings: `timestamp_date_only` (time set to 00:00:00), `timestamp_meridiem_conflict` (`오후 13:00`).
/// Fatal: `timestamp_missing`, `timestamp_invalid`, `timestamp_too_long` (a cell over `maxCharacters`, not read).
public enum TimestampNormalizer: LengthCappedNormalizer {
    /// The longest timestamp cell read, in characters (Unicode scalars): the longest export
    /// shape, `2024/07/01 10:03:08 오후 GMT+9`, has 28.
    public static let maxCharacters = 100

    public static let tooLong = CellTooLong(
        code: "timestamp_too_long", field: "제출 시각",
        advice: "원본 파일의 타임스탬프 열이 맞는지 확인해 주세요.")

    public static func normalizeWithinCap(_ raw: String) -> Normalized<LocalDateTime> {
        if let fast = fastPath(raw) { return .ok(fast, []) }
        let a = FieldText.collapseSpaces(FieldText.fold(raw))
        if a.isEmpty {
            return .failed(.fatal("timestamp_missing", "제출 시각(타임스탬프)이 비어 있습니다. 원본 파일의 타임스탬프 열을 확인해 주세요."))
        }
        func text() -> String { FieldText.string(a) }
        var invalid: FieldIssue {
            .fatal("timestamp_invalid", "제출 시각 '\(text())'을(를) 읽을 수 없습니다. 2024-07-01 13:05:00 형식인지 확인해 주세요.")
        }
        let t = FieldToken.tokenize(a)
        var warnings: [FieldIssue] = []

        // Excel serial: 45474 or 45474.5
        if t[0].kind == .number, t[0].digitCount == 5,
            t.count == 1 || (t.count == 3 && t[1].isSymbol(".") && t[2].kind == .number && !t[1].spaced && !t[2].spaced)
        {
            guard let day = DateScan.excelDate(serial: t[0].value), day.year >= 1990 else { return .failed(invalid) }
            var fraction = 0.0
            if t.count == 3 {
                var scale = 0.1
                for c in t[2].text {
                    fraction += Double(FieldText.digitValue(c)) * scale
                    scale /= 10
                }
            }
            var secs = Int((fraction * 86400).rounded())
            var date = day
            if secs >= 86400 {
                secs -= 86400
                date = date.adding(days: 1)
            }
            if t.count == 1 {
                warnings.append(
                    .warning(
                        "timestamp_date_only",
                        "제출 시각이 날짜(엑셀 숫자 \(t[0].value))만 있어 \(date.iso) 00:00:00으로 처리했습니다. 같은 날 제출자 사이 순서는 원본을 확인해 주세요."
                    ))
            }
            return .ok(
                LocalDateTime(date: date, hour: secs / 3600, minute: (secs / 60) % 60, second: secs % 60)!, warnings)
        }

        guard let m = DateScan.match(t, at: 0, pivotYY: 69) else { return .failed(invalid) }
        guard let date = LocalDate(year: m.year, month: m.month, day: m.day) else {
            return .failed(
                .fatal(
                    "timestamp_invalid", "제출 시각 '\(text())'의 날짜(\(m.year)-\(m.month)-\(m.day))가 존재하지 않습니다. 원본을 확인해 주세요."
                ))
        }
        var i = m.next
        var hour: Int?
        var minute = 0
        var second = 0
        var meridiem: Int? = nil  // 0 am, 1 pm
        var offsetMinutes: Int? = nil
        func num(_ k: Int) -> Int? { k < t.count && t[k].kind == .number ? t[k].value : nil }
        while i < t.count {
            let tok = t[i]
            if tok.kind == .word {
                switch tok.word {
                case "t":
                    i += 1
                    continue
                case "오전", "am", "a":
                    meridiem = 0
                    i += 1
                    continue
                case "오후", "pm", "p":
                    meridiem = 1
                    i += 1
                    continue
                case "z", "utc", "gmt", "kst":
                    if tok.word == "kst" { offsetMinutes = 540 } else { offsetMinutes = 0 }
                    i += 1
                    if tok.word != "kst", i < t.count, t[i].isSymbol("+") || t[i].isSymbol("-") {
                        guard let (off, next) = parseOffset(t, at: i) else { return .failed(invalid) }
                        offsetMinutes = off
                        i = next
                    }
                    continue
                default:
                    return .failed(invalid)
                }
            }
            if tok.kind == .number, hour == nil {
                // h:mm[:ss[.fff]] or h시 m분 s초
                if i + 2 < t.count, t[i + 1].isSymbol(":"), let mm = num(i + 2) {
                    hour = tok.value
                    minute = mm
                    i += 3
                    if i + 1 < t.count, t[i].isSymbol(":"), let ss = num(i + 1) {
                        second = ss
                        i += 2
                    }
                    if i + 1 < t.count, t[i].isSymbol("."), t[i + 1].kind == .number, !t[i + 1].spaced { i += 2 }
                    continue
                }
                if i + 1 < t.count, t[i + 1].isWord("시") {
                    hour = tok.value
                    i += 2
                    if let mm = num(i), i + 1 < t.count, t[i + 1].isWord("분") {
                        minute = mm
                        i += 2
                    }
                    if let ss = num(i), i + 1 < t.count, t[i + 1].isWord("초") {
                        second = ss
                        i += 2
                    }
                    continue
                }
                return .failed(invalid)
            }
            if tok.kind == .symbol {
                if tok.isSymbol("+") || tok.isSymbol("-"), hour != nil {
                    guard let (off, next) = parseOffset(t, at: i) else { return .failed(invalid) }
                    offsetMinutes = off
                    i = next
                    continue
                }
                if tok.isSymbol("(") || tok.isSymbol(")") || tok.isSymbol(",") || tok.isSymbol(".") {
                    i += 1
                    continue
                }
            }
            return .failed(invalid)
        }
        guard var h = hour else {
            if meridiem != nil || offsetMinutes != nil { return .failed(invalid) }
            warnings.append(
                .warning(
                    "timestamp_date_only", "제출 시각에 시간이 없어 \(date.iso) 00:00:00으로 처리했습니다. 같은 날 제출자 사이 순서는 원본을 확인해 주세요."))
            return .ok(LocalDateTime(date: date, hour: 0, minute: 0)!, warnings)
        }
        if let mer = meridiem {
            if (1...12).contains(h) {
                if mer == 1 { h = h == 12 ? 12 : h + 12 } else { h = h == 12 ? 0 : h }
            } else if h > 12 {
                warnings.append(
                    .warning(
                        "timestamp_meridiem_conflict", "'\(text())'에 오전/오후와 24시간제 시각이 함께 있어 \(h)시로 보았습니다. 원본을 확인해 주세요.")
                )
            }
        }
        guard (0...23).contains(h), (0...59).contains(minute), (0...59).contains(second) else {
            return .failed(.fatal("timestamp_invalid", "제출 시각 '\(text())'의 시간이 올바르지 않습니다. 원본을 확인해 주세요."))
        }
        var result = LocalDateTime(date: date, hour: h, minute: minute, second: second)!
        if let off = offsetMinutes, off != 540 {
            let total = (date.daysSinceEpoch * 1440 + h * 60 + minute) - off + 540
            let days = total >= 0 ? total / 1440 : (total - 1439) / 1440
            let mins = total - days * 1440
            result = LocalDateTime(
                date: LocalDate(daysSinceEpoch: days), hour: mins / 60, minute: mins % 60, second: second)!
        }
        return .ok(result, warnings)
    }

    /// The export shapes nearly every row has, read straight from the UTF-8 bytes:
    /// `YYYY/MM/DD hh:mm[:ss][ 오전|오후][ GMT+9]` (Google Forms; `-` as date separator too,
    /// Naver/Excel). Single spaces, 1–2 digit month/day/hour, 2-digit minute/second.
    /// Gives exactly what the general path gives for these texts, and nil (general path)
    /// for anything else, including every case that has a warning or an error:
    /// date only, impossible dates and times, `오후 13:00`.
    private static let morning = Array("오전".utf8), afternoon = Array("오후".utf8), koreanOffset = Array("GMT+9".utf8)

    static func fastPath(_ raw: String) -> LocalDateTime? {
        var text = raw
        return text.withUTF8 { bytes -> LocalDateTime? in
            var c = ByteCursor(bytes)
            guard let year = c.number(4, 4), c.skip(anyOf: "/-"), let month = c.number(1, 2), c.skip(anyOf: "/-"),
                let day = c.number(1, 2), c.skip(0x20), var hour = c.number(1, 2), c.skip(0x3A),
                let minute = c.number(2, 2)
            else { return nil }
            var second = 0
            if c.skip(0x3A) {
                guard let s = c.number(2, 2) else { return nil }
                second = s
            }
            if !c.atEnd {
                guard c.skip(0x20) else { return nil }
                let am = c.skip(Self.morning)
                if am || c.skip(Self.afternoon) {
                    guard (1...12).contains(hour) else { return nil }
                    hour = am ? (hour == 12 ? 0 : hour) : (hour == 12 ? 12 : hour + 12)
                    if !c.atEnd { guard c.skip(0x20) else { return nil } }
                }
                // `GMT+9` is +09:00, Korean time as it is.
                if !c.atEnd { guard c.skip(Self.koreanOffset), c.atEnd else { return nil } }
            }
            guard hour <= 23, minute <= 59, second <= 59, let date = LocalDate(year: year, month: month, day: day)
            else { return nil }
            return LocalDateTime(date: date, hour: hour, minute: minute, second: second)
        }
    }

    /// `+9`, `+09`, `+0900`, `+09:00`, `-5` → minutes east of UTC.
    private static func parseOffset(_ t: [FieldToken], at i: Int) -> (Int, Int)? {
        guard i + 1 < t.count, t[i + 1].kind == .number else { return nil }
        let sign = t[i].isSymbol("-") ? -1 : 1
        let n = t[i + 1]
        var minutes: Int
        var next = i + 2
        switch n.digitCount {
        case 1, 2:
            minutes = n.value * 60
            if next + 1 < t.count, t[next].isSymbol(":"), t[next + 1].kind == .number, t[next + 1].digitCount == 2 {
                minutes += t[next + 1].value
                next += 2
            }
        case 4:
            minutes = (n.value / 100) * 60 + n.value % 100
        default:
            return nil
        }
        guard minutes <= 14 * 60 else { return nil }
        return (sign * minutes, next)
    }
}
