/// The visit columns of the results sheet: `방문 예약` (when the family will visit the facility the counselor
/// guided them to) and `방문 결과` (what came of it). Read as forgivingly as the callback day, by the same cell
/// reader (`ResultSheetDate.read`), and refused with the reason whenever a reading would be a guess.
extension ResultSheetDate {
    /// A visit's day and, when written, its time.
    public struct VisitReading: Equatable, Sendable {
        public var date: LocalDate
        /// Minutes since midnight; nil when only the day was written.
        public var minutes: Int?
        /// How a missing year or month was completed, to report; nil when the cell said everything.
        public var note: String?
    }

    /// Facilities receive visitors between these times (minutes since midnight, both included): a time outside
    /// is a slip (`2시` for 14:00) or a night, never a visit.
    public static let visitHours = (7 * 60)...(21 * 60)
    /// A visit further ahead than this many days after the call is taken for a typo in the date.
    public static let visitMaxDaysAhead = 90

    /// The day (and time) of a visit booked during a call on `callDate`. A date without a year (or month) is the
    /// first such date on or after the call day, like a callback; `오늘`/`내일`/`모레` count from the call.
    /// Refused: no date, a day before the call, more than `visitMaxDaysAhead` days after it, a time outside
    /// `visitHours` (`2시` is 02:00: write `오후 2시` or `14:00`). `00:00` (how Excel shows a date cell) is a day
    /// without a time.
    public static func visitTime(_ raw: String, callDate: LocalDate) -> Result<VisitReading, Failure> {
        Result { () throws(Failure) -> VisitReading in
            let w = try read(raw).mapError { Failure("방문 예약: " + $0.message) }.get()
            guard w.hasDate else {
                throw Failure(
                    "방문 예약 '\(raw)'에 날짜가 없습니다. "
                        + "7월 20일 오후 2시처럼 날짜와 시각을 적어 주세요.")
            }
            var notes: [String] = []
            let date = try dayFromCall(w, raw: raw, callDate: callDate, field: "방문 예약 ", notes: &notes)
            guard date >= callDate else {
                throw Failure(
                    "방문 예약일 \(date.iso)이(가) 통화일 \(callDate.iso)보다 앞입니다. "
                        + "방문할 날을 적어 주세요.")
            }
            guard date.daysSinceEpoch - callDate.daysSinceEpoch <= visitMaxDaysAhead else {
                throw Failure(
                    "방문 예약일 \(date.iso)이(가) 통화일 \(callDate.iso)에서 "
                        + "\(visitMaxDaysAhead)일 넘게 뒤입니다. 날짜를 확인해 주세요.")
            }
            var minutes = w.minutes
            if minutes == 0 {
                minutes = nil
                notes.append("시각 00:00은 날짜만 든 엑셀 칸으로 보고 시각 없이 읽었습니다")
            }
            if let m = minutes, !visitHours.contains(m) {
                let time = "\(FieldText.p2(m / 60)):\(FieldText.p2(m % 60))"
                throw Failure(
                    "방문 예약 '\(raw)'의 시각 \(time)은(는) "
                        + "기관 방문 시간(07:00~21:00)이 아닙니다. "
                        + "오후 2시 또는 14:00처럼 적어 주세요.")
            }
            return VisitReading(date: date, minutes: minutes, note: notes.isEmpty ? nil : notes.joined(separator: "; "))
        }
    }
}

/// What came of a family's visit to the facility they were guided to, as the results sheet's `방문 결과` says it.
public enum VisitResult: String, Sendable, Hashable, CaseIterable, Codable {
    case registered = "등록"
    case waitlisted = "대기 등록"
    case declined = "안 함"

    /// The code machines read (summary.json).
    public var code: String {
        switch self {
        case .registered: return "registered"
        case .waitlisted: return "waitlisted"
        case .declined: return "declined"
        }
    }

    /// Words counselors write for each result (spaces ignored), longest first so `등록 안 함` is not read as `등록`.
    static let words: [(String, VisitResult)] = [
        ("대기자등록", .waitlisted), ("대기등록함", .waitlisted), ("대기신청", .waitlisted), ("대기등록", .waitlisted),
        ("등록안함", .declined), ("방문안함", .declined), ("등록안됨", .declined), ("안하기로", .declined), ("미등록", .declined),
        ("안함", .declined), ("포기", .declined),
        ("등록완료", .registered), ("등록함", .registered), ("입소", .registered), ("등록", .registered),
    ]

    /// Words right after a result that turn it into something else (`등록 예정`, `등록 못 함`): refused, not read.
    static let undoing = ["예정", "전", "못", "안", "않", "취소", "보류", "고민"]

    /// Reads `등록`, `대기 등록`, `안 함` and their common wordings, with free text after them (`안 함 - 거리가 멀어서`,
    /// `대기 등록(3번째)`): the result and the rest as a note. A cell that starts with no known result, or whose
    /// next words undo it, is refused with the reason.
    public static func read(_ raw: String) -> Result<(VisitResult, note: String?), ResultSheetDate.Failure> {
        let scalars = Array(raw.trimmedWhitespace.unicodeScalars)
        let choices = "등록, 대기 등록, 안 함 중 하나로 시작해 주세요(뒤에 설명을 덧붙여도 됩니다)."
        for (word, result) in words {
            let target = Array(word.unicodeScalars)
            var i = 0
            var k = 0
            while i < scalars.count && k < target.count {
                if scalars[i].properties.isWhitespace {
                    i += 1
                    continue
                }
                guard scalars[i] == target[k] else { break }
                i += 1
                k += 1
            }
            guard k == target.count else { continue }
            // The word must end there: `등록자` is not `등록` with a note.
            if i < scalars.count, scalars[i].properties.isAlphabetic { continue }
            var rest = String(String.UnicodeScalarView(scalars[i...]))
            rest = rest.trimmingCharacters(in: " \t-:,/()·.")
            let folded = String(rest.unicodeScalars.filter { !$0.properties.isWhitespace })
            if undoing.contains(where: { folded.hasPrefix($0) }) {
                return .failure(
                    ResultSheetDate.Failure("방문 결과 '\(raw)'이(가) '\(result.rawValue)'인지 알 수 없습니다. " + choices))
            }
            return .success((result, rest.isEmpty ? nil : rest))
        }
        return .failure(ResultSheetDate.Failure("방문 결과 '\(raw)'을(를) 알 수 없습니다. " + choices))
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        let drop = Set(set.unicodeScalars)
        var s = Substring(self)
        while let f = s.unicodeScalars.first, drop.contains(f) || f.properties.isWhitespace {
            s = Substring(s.unicodeScalars.dropFirst())
        }
        while let l = s.unicodeScalars.last, drop.contains(l) || l.properties.isWhitespace {
            s = Substring(s.unicodeScalars.dropLast())
        }
        return String(s)
    }
}
