import DolbomNormalize
import DolbomSchedule

/// One counselor's appointments as an iCalendar file (RFC 5545) in Asia/Seoul time, to import or
/// subscribe to in a phone or groupware calendar.
///
/// Calendars leave the phone number, the address and the children's names out: they sync to phones
/// and cloud services. The printed call sheet has those. Each booking keeps its UID when it moves and
/// its SEQUENCE goes up, so a subscribed calendar moves the event instead of showing it twice.
struct CounselorCalendar {
    var counselor: Counselor
    var appointments: [Appointment]
    var plan: AppointmentPlan
    var asOf: LocalDate

    /// TEXT escaping of RFC 5545 §3.3.11.
    static func escapeText(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n": out += "\\n"
            case "\r": continue
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// Folds a content line at 75 octets (§3.1) without splitting a UTF-8 sequence; lines end in CRLF.
    static func fold(_ line: String) -> String {
        var out = ""
        var count = 0
        for ch in line.unicodeScalars {
            let n = UTF8.width(ch)
            if count + n > 75 {
                out += "\r\n "
                count = 1
            }
            out.unicodeScalars.append(ch)
            count += n
        }
        return out + "\r\n"
    }

    static func stamp(_ t: LocalDateTime) -> String {
        func p2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return t.date.iso.replacingOccurrences(of: "-", with: "") + "T" + p2(t.hour) + p2(t.minute) + p2(t.second)
    }

    static func childFacts(_ h: Household) -> String {
        h.children.map { c -> String in
            var facts: [String] = []
            if let age = c.age { facts.append("만 \(age)세") }
            if let grade = c.schoolGrade { facts.append("초\(grade)") }
            return facts.isEmpty ? "나이 모름" : facts.joined(separator: " ")
        }.joined(separator: ", ")
    }

    func render() -> String {
        var lines: [String] = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//dolbom//돌봄상담 일정//KO", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
            "X-WR-CALNAME:"
                + Self.escapeText("돌봄상담 \(counselor.name.isEmpty ? counselor.id : counselor.name) (\(counselor.id))"),
            "X-WR-TIMEZONE:Asia/Seoul",
            "BEGIN:VTIMEZONE", "TZID:Asia/Seoul",
            "BEGIN:STANDARD", "DTSTART:19700101T000000", "TZOFFSETFROM:+0900", "TZOFFSETTO:+0900", "TZNAME:KST",
            "END:STANDARD",
            "END:VTIMEZONE",
        ]
        // DTSTAMP must be UTC; the as-of day's midnight in Seoul keeps the file the same on a rerun.
        let dtstamp = asOf.adding(days: -1).iso.replacingOccurrences(of: "-", with: "") + "T150000Z"
        for a in appointments.sorted(by: { ($0.start, $0.applicantID) < ($1.start, $1.applicantID) }) {
            guard let e = plan.entries[a.applicantID] else { continue }
            let h = e.household
            let booking = plan.bookings[a.applicantID]
            var description = ["신청번호 \(h.applicantID)", "우선순위 \(e.rank)순위: \(e.reason)"]
            if let name = h.guardianName?.name { description.append("보호자 \(Masking.name(name))") }
            if !h.children.isEmpty { description.append("자녀 \(Self.childFacts(h))") }
            let care = HouseholdText.careTypes(h)
            if !care.isEmpty { description.append("희망 서비스 \(care)") }
            let window = HouseholdText.window(h)
            if !window.isEmpty { description.append("통화 가능 \(window)") }
            if let language = h.language { description.append("상담 언어 \(language)") }
            description.append("전화번호와 주소는 인쇄한 상담 전화 목록(call-sheets)에 있습니다.")
            lines += [
                "BEGIN:VEVENT",
                "UID:\(h.applicantID)-\(booking?.bookedRun ?? 0)@dolbom",
                "DTSTAMP:\(dtstamp)",
                "SEQUENCE:\(booking?.sequence ?? 0)",
                "DTSTART;TZID=Asia/Seoul:\(Self.stamp(a.start))",
                "DTEND;TZID=Asia/Seoul:\(Self.stamp(a.end))",
                "SUMMARY:" + Self.escapeText("돌봄상담 전화 \(e.rank)순위 \(h.applicantID)"),
                "DESCRIPTION:" + Self.escapeText(description.joined(separator: "\n")),
                "CATEGORIES:" + Self.escapeText("돌봄상담"),
                "STATUS:CONFIRMED",
                "TRANSP:OPAQUE",
                "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        return lines.map(Self.fold).joined()
    }
}
