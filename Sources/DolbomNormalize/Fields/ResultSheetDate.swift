/// Reads the dates and times counselors write on the results sheet (`call-results.csv`): the call sheet's own
/// `7월 18일`, `07월 18일`, `7/18`, `7.18`, `18일`, ISO and Korean full dates (`2024-07-18`, `2024. 7. 18.`,
/// `2024년 7월 18일`), Excel date cells (serials like `46221`, `46221.4375`, and `2026-07-18 0:00:00`),
/// full-width digits, a weekday in brackets (`7월 18일(목)`, checked against the date), `오늘`/`내일`/`모레`
/// for a callback, and times `9:00`, `09:30:00`, `오후 2시`, `2시 반`, `14시 30분`, `2:00 PM`.
///
/// A date without a year (or without a month) is completed by a stated rule, and the reading says so:
/// - a callback day takes the first such date on or after the call day (`1월 3일` written for a call on
///   2024-12-30 is 2025-01-03; `18일` for a call on 2024-07-20 is 2024-08-18);
/// - a call time takes the date nearest the day the call was booked for, or without a booking, the latest such
///   date on or before the import day (calls are not made in the future).
/// Anything that could be read two ways (`18` alone, `3/5/2024`, a weekday that does not match the date, a month
/// over 12) is refused with the reason, never guessed.
public enum ResultSheetDate {
    /// What a cell says, before a year or month is chosen for it.
    public struct Written: Equatable, Sendable {
        public var year: Int?
        public var month: Int?
        public var day: Int?
        /// `오늘` 0, `내일` 1, `모레` 2: days after the call.
        public var daysAfterCall: Int?
        /// An Excel serial, already a full date.
        public var excelSerial: Int?
        /// ISO weekday written beside the date (`(목)`, `목요일`).
        public var weekday: Int?
        /// Minutes since midnight, when a time was written.
        public var minutes: Int?

        public var hasDate: Bool {
            year != nil || month != nil || day != nil || daysAfterCall != nil || excelSerial != nil
        }
    }

    /// A date or time as read, with how missing parts were completed (Korean, for the import report).
    public struct Reading: Equatable, Sendable {
        public var date: LocalDate
        public var minutes: Int?
        /// nil when the cell said everything; otherwise which rule completed it, to report.
        public var note: String?
    }

    /// Why a cell cannot be read (Korean, names the cell text and what to write instead).
    public struct Failure: Error, Equatable, Sendable {
        public var message: String
        init(_ message: String) { self.message = message }
    }

    static let weekdays: [String: Int] = ["월": 1, "화": 2, "수": 3, "목": 4, "금": 5, "토": 6, "일": 7]

    // MARK: - Reading the cell

    /// Reads the cell's parts; no year or month is chosen here.
    public static func read(_ raw: String) -> Result<Written, Failure> {
        let a = FieldText.collapseSpaces(FieldText.fold(raw))
        let text = FieldText.string(a)
        guard !a.isEmpty else { return .failure(Failure("비어 있습니다.")) }
        guard a.count <= 60 else { return .failure(Failure("'\(text.prefix(20))…'은(는) 날짜로 읽기에 너무 깁니다.")) }
        let t = FieldToken.tokenize(a)
        func unreadable(_ why: String = "") -> Result<Written, Failure> {
            .failure(Failure("'\(text)'을(를) 날짜·시각으로 읽을 수 없습니다\(why). 예: 7월 18일, 2024-07-18, 14:30, 오후 2시."))
        }
        var w = Written()
        var i = 0
        func num(_ k: Int, _ digits: ClosedRange<Int> = 1...2) -> Int? {
            k < t.count && t[k].kind == .number && digits.contains(t[k].digitCount) ? t[k].value : nil
        }
        func isSep(_ k: Int) -> Bool { k < t.count && (t[k].isSymbol("/") || t[k].isSymbol(".") || t[k].isSymbol("-")) }

        // An Excel date cell: 46221, or 46221.4375 with the time of day as the fraction.
        if t[0].kind == .number, t[0].digitCount == 5,
            t.count == 1 || (t.count == 3 && t[1].isSymbol(".") && t[2].kind == .number && !t[1].spaced && !t[2].spaced)
        {
            guard let day = DateScan.excelDate(serial: t[0].value), (2000...2099).contains(day.year) else {
                return unreadable(" (엑셀 날짜 숫자라면 2000~2099년이어야 합니다)")
            }
            w.excelSerial = t[0].value
            w.year = day.year
            w.month = day.month
            w.day = day.day
            if t.count == 3 {
                var fraction = 0.0
                var scale = 0.1
                for c in t[2].text {
                    fraction += Double(FieldText.digitValue(c)) * scale
                    scale /= 10
                }
                let minutes = Int((fraction * 1440).rounded())
                w.minutes = min(minutes, 1439)
            }
            return .success(w)
        }

        // The date.
        if t[0].kind == .word, let n = ["오늘": 0, "내일": 1, "모레": 2][t[0].word] {
            w.daysAfterCall = n
            i = 1
        } else if let m = DateScan.match(t, at: 0, pivotYY: 99) {
            if m.orderAmbiguous {
                let readings = "\(m.month)월 \(m.day)일 또는 \(m.day)월 \(m.month)일"
                return .failure(Failure("'\(text)'은(는) 월/일 순서를 알 수 없습니다(\(readings)). 2024-07-18처럼 적어 주세요."))
            }
            w.year = m.year
            w.month = m.month
            w.day = m.day
            i = m.next
        } else if let m = num(0), 1 < t.count, t[1].isWord("월") {
            guard let d = num(2), 3 < t.count, t[3].isWord("일") else {
                return .failure(Failure("'\(text)'에 일이 없습니다. 7월 18일처럼 적어 주세요."))
            }
            w.month = m
            w.day = d
            i = 4
        } else if let m = num(0), isSep(1), let d = num(2), !isSep(3) || (t[3].isSymbol(".") && num(4) == nil) {
            // 7/18, 7.18, 7.18. (a trailing dot is skipped at the end), never followed by a third number.
            w.month = m
            w.day = d
            i = 3
        } else if let d = num(0), 1 < t.count, t[1].isWord("일") {
            w.day = d
            i = 2
        } else if t[0].kind == .number, t.count == 1 {
            return .failure(Failure("'\(text)'이(가) 날짜인지 시각인지 알 수 없습니다. 18일, 7월 18일 또는 14:00처럼 적어 주세요."))
        }
        if let m = w.month, !(1...12).contains(m) {
            return .failure(Failure("'\(text)'의 월(\(m))이 1~12가 아닙니다. 월/일 순서로 7/18처럼 적어 주세요."))
        }
        if let d = w.day, !(1...31).contains(d) { return .failure(Failure("'\(text)'의 일(\(d))이 1~31이 아닙니다.")) }

        // A weekday beside the date: (목), (목요일), 목요일.
        if w.hasDate, i < t.count {
            if t[i].isSymbol("("), i + 2 < t.count, t[i + 2].isSymbol(")"), let wd = weekday(t[i + 1]) {
                w.weekday = wd
                i += 3
            } else if t[i].kind == .word, t[i].word.hasSuffix("요일"), let wd = weekday(t[i]) {
                w.weekday = wd
                i += 1
            }
        }

        // The time.
        var meridiem: Int?  // 0 오전, 1 오후
        func takeMeridiem() {
            guard i < t.count, t[i].kind == .word else { return }
            switch t[i].word {
            case "오전", "am", "a":
                meridiem = 0
                i += 1
            case "오후", "pm", "p", "저녁", "밤":
                meridiem = 1
                i += 1
            default: break
            }
        }
        takeMeridiem()
        if i < t.count, t[i].kind == .word, t[i].word == "정오" {
            w.minutes = 12 * 60
            i += 1
        } else if let h = num(i) {
            var minute = 0
            var hadClock = false
            if i + 2 < t.count, t[i + 1].isSymbol(":"), let m = num(i + 2, 2...2) {
                minute = m
                i += 3
                hadClock = true
                if i + 1 < t.count, t[i].isSymbol(":"), num(i + 1, 2...2) != nil { i += 2 }  // seconds
            } else if i + 1 < t.count, t[i + 1].kind == .word, ["시", "시반", "시쯤", "시경"].contains(t[i + 1].word) {
                if t[i + 1].word == "시반" { minute = 30 }
                i += 2
                hadClock = true
                if i < t.count, t[i].isWord("반") {
                    minute = 30
                    i += 1
                } else if let m = num(i), i + 1 < t.count, t[i + 1].isWord("분") {
                    minute = m
                    i += 2
                }
            }
            guard hadClock else { return unreadable() }
            takeMeridiem()
            var hour = h
            if let meridiem {
                guard (1...12).contains(h) else {
                    let written = "\(meridiem == 0 ? "오전" : "오후") \(h)시"
                    return .failure(Failure("'\(text)'의 시각이 맞지 않습니다(\(written)). 14:00 또는 오후 2시처럼 적어 주세요."))
                }
                hour = h % 12 + (meridiem == 1 ? 12 : 0)
            }
            guard (0...23).contains(hour), (0...59).contains(minute) else {
                return .failure(Failure("'\(text)'의 시각(\(h):\(minute))이 하루 안의 시각이 아닙니다."))
            }
            w.minutes = hour * 60 + minute
        } else if meridiem != nil {
            return unreadable()
        }
        while i < t.count, t[i].isSymbol(".") || (t[i].kind == .word && ["경", "쯤"].contains(t[i].word)) { i += 1 }
        guard i == t.count, w.hasDate || w.minutes != nil else { return unreadable() }
        return .success(w)
    }

    static func weekday(_ token: FieldToken) -> Int? {
        guard token.kind == .word else { return nil }
        var word = token.word
        if word.hasSuffix("요일") { word = String(word.dropLast(2)) }
        return weekdays[word]
    }

    // MARK: - Completing the date

    static func label(_ d: LocalDate) -> String {
        let names = ["", "월", "화", "수", "목", "금", "토", "일"]
        return "\(d.iso)(\(names[d.isoWeekday]))"
    }

    /// The day a family asked to be called back: on or after the call day.
    public static func callbackDay(_ raw: String, callDate: LocalDate) -> Result<Reading, Failure> {
        Result { () throws(Failure) -> Reading in
            let w = try read(raw).get()
            guard w.hasDate else {
                throw Failure("'\(raw)'에 날짜가 없습니다. 7월 18일처럼 적어 주세요.")
            }
            var notes: [String] = []
            let date = try dayFromCall(w, raw: raw, callDate: callDate, field: "", notes: &notes)
            guard date >= callDate else {
                throw Failure("재통화일 \(date.iso)이(가) 통화일 \(callDate.iso)보다 앞입니다.")
            }
            if let minutes = w.minutes {
                let time = "\(FieldText.p2(minutes / 60)):\(FieldText.p2(minutes % 60))"
                notes.append(
                    "시각 \(time)은 일정의 날만 정합니다"
                        + "(시간은 가족의 통화 가능 시간 안에서 잡음)")
            }
            return Reading(date: date, minutes: w.minutes, note: notes.isEmpty ? nil : notes.joined(separator: "; "))
        }
    }

    /// A day on or after the call (a callback, a visit): `오늘`/`내일`/`모레` count from the call day, and a date
    /// without a year (or month) is the first such date on or after it. How the day was read joins `notes`;
    /// `field` starts the messages that quote the cell (`방문 예약 `).
    static func dayFromCall(
        _ w: Written, raw: String, callDate: LocalDate, field: String, notes: inout [String]
    ) throws(Failure) -> LocalDate {
        let date: LocalDate
        if let n = w.daysAfterCall {
            date = callDate.adding(days: n)
            notes.append("'\(raw)': 통화일 \(callDate.iso) 기준 \(label(date))")
        } else if let full = try fullDate(w, raw: raw, field: field, notes: &notes) {
            date = full
        } else {
            guard let first = completions(w, around: callDate).first(where: { $0 >= callDate }) else {
                throw Failure("\(field)'\(raw)': 통화일 \(callDate.iso) 뒤 1년 안에 그런 날이 없습니다.")
            }
            date = first
            notes.append(
                "\(field)'\(raw)'에 \(w.month == nil ? "월과 연도" : "연도")가 없어 "
                    + "통화일(\(callDate.iso)) 이후 가장 가까운 \(label(date))로 읽었습니다")
        }
        if let wd = w.weekday, wd != date.isoWeekday { throw weekdayMismatch(raw, date, wd) }
        return date
    }

    /// The date the cell wrote in full (year, month and day), noting an Excel serial; nil when it left a part
    /// out. A day that does not exist (`2024-02-30`) is refused; `field` starts the message.
    static func fullDate(
        _ w: Written, raw: String, field: String, notes: inout [String]
    ) throws(Failure) -> LocalDate? {
        guard let y = w.year, let m = w.month, let d = w.day else { return nil }
        guard let date = LocalDate(year: y, month: m, day: d) else {
            throw Failure("\(field)'\(raw)'은(는) 없는 날짜입니다(\(y)-\(m)-\(d)).")
        }
        if let serial = w.excelSerial { notes.append("엑셀 날짜 \(serial) = \(label(date))") }
        return date
    }

    /// When a call was made. `booked` is the day its appointment was for (the sheet's own line), `importDay`
    /// the day of the import (nil: a date without a year and without a booking is refused).
    public static func callTime(_ raw: String, booked: LocalDate?, importDay: LocalDate?) -> Result<
        LocalDateTimeReading, Failure
    > {
        Result { () throws(Failure) -> LocalDateTimeReading in
            let w = try read(raw).get()
            var notes: [String] = []
            let date: LocalDate
            if w.daysAfterCall != nil {
                throw Failure("통화일시 '\(raw)'에는 날짜를 적어 주세요(예: 2024-07-16 10:30).")
            } else if !w.hasDate {
                guard let booked else {
                    throw Failure(
                        "통화일시 '\(raw)'에 날짜가 없고 이 가구의 약속일도 없습니다. "
                            + "2024-07-16 10:30처럼 적어 주세요.")
                }
                date = booked
                notes.append("통화일시에 날짜가 없어 약속일 \(label(booked))로 읽었습니다")
            } else if let full = try fullDate(w, raw: raw, field: "통화일시 ", notes: &notes) {
                date = full
            } else {
                guard let reference = booked ?? importDay else {
                    throw Failure(
                        "통화일시 '\(raw)'에 연도가 없습니다. "
                            + "2024-07-16 10:30처럼 연도까지 적어 주세요.")
                }
                let candidates = completions(w, around: reference)
                let chosen: LocalDate?
                if let booked {
                    func distance(_ d: LocalDate) -> Int { abs(d.daysSinceEpoch - booked.daysSinceEpoch) }
                    chosen = candidates.min { distance($0) < distance($1) }
                } else {
                    chosen = candidates.last { $0 <= reference }
                }
                guard let chosen else {
                    throw Failure(
                        "통화일시 '\(raw)'의 날짜를 정할 수 없습니다. "
                            + "2024-07-16처럼 연도까지 적어 주세요.")
                }
                date = chosen
                notes.append(
                    "통화일시 '\(raw)'에 \(w.month == nil ? "월과 연도" : "연도")가 없어 "
                        + (booked != nil
                            ? "약속일(\(reference.iso))에 가장 가까운"
                            : "가져온 날(\(reference.iso)) 이전 가장 가까운")
                        + " \(label(date))로 읽었습니다")
            }
            if let wd = w.weekday, wd != date.isoWeekday { throw weekdayMismatch(raw, date, wd) }
            if w.minutes == nil && w.excelSerial == nil {
                notes.append("통화 시각이 없어 00:00으로 적었습니다")
            }
            let minutes = w.minutes ?? 0
            let at = LocalDateTime(date: date, hour: minutes / 60, minute: minutes % 60)!
            return LocalDateTimeReading(at: at, note: notes.isEmpty ? nil : notes.joined(separator: "; "))
        }
    }

    /// A call time as read, with how missing parts were completed.
    public struct LocalDateTimeReading: Equatable, Sendable {
        public var at: LocalDateTime
        public var note: String?
    }

    /// Every real date the written month/day (or day alone) can be, around `reference`, in order: the three
    /// years about it, or for a day alone, the months from two before to twelve after.
    static func completions(_ w: Written, around reference: LocalDate) -> [LocalDate] {
        guard let d = w.day else { return [] }
        if let m = w.month {
            return (reference.year - 1...reference.year + 1).compactMap { LocalDate(year: $0, month: m, day: d) }
        }
        return (-2...12).compactMap { k in
            let index = reference.year * 12 + reference.month - 1 + k
            return LocalDate(year: index / 12, month: index % 12 + 1, day: d)
        }
    }

    static func weekdayMismatch(_ raw: String, _ date: LocalDate, _ written: Int) -> Failure {
        let names = ["", "월", "화", "수", "목", "금", "토", "일"]
        return Failure(
            "'\(raw)': \(date.iso)은(는) \(names[date.isoWeekday])요일인데 \(names[written])요일로 적혀 있습니다. 날짜를 확인해 주세요.")
    }
}
