import DolbomNormalize
import DolbomRuntime
import DolbomSchedule

/// Where household text goes: a `String` for the pages that want one, or straight into a CSV cell
/// (the call list writes hundreds of thousands of rows; joining pieces into strings first costs more
/// than the writing). One implementation per piece keeps the two identical.
protocol TextSink {
    mutating func text(_ s: String)
    /// Fixed text with nothing a format must escape (no quotes, backslashes or control characters).
    mutating func literal(_ s: StaticString)
    mutating func number(_ n: Int)
    /// One ASCII byte that no format escapes (a digit, `-`, `*`).
    mutating func ascii(_ byte: UInt8)
}

struct StringSink: TextSink {
    var string = ""
    mutating func text(_ s: String) { string += s }
    mutating func literal(_ s: StaticString) { string += s.description }
    mutating func number(_ n: Int) { string += String(n) }
    mutating func ascii(_ byte: UInt8) { string.unicodeScalars.append(Unicode.Scalar(byte)) }

    static func build(_ body: (inout StringSink) -> Void) -> String {
        var sink = StringSink()
        body(&sink)
        return sink.string
    }
}

extension TextSink {
    /// `PhoneNumber.formatted` (or `.masked`) without making the string: `010-1234-5678`.
    mutating func phone(_ p: PhoneNumber, masked: Bool) {
        let digits = p.digits
        let written = digits.utf8.withContiguousStorageIfAvailable { d -> Bool in
            let n = d.count
            // Longer than any number (20 digits): left to `PhoneNumber` itself.
            guard n > 4, n <= 20 else { return false }
            let prefixLength =
                d[0] == UInt8(ascii: "0") && d[1] == UInt8(ascii: "2")
                ? 2
                : d[0] == UInt8(ascii: "0") && d[1] == UInt8(ascii: "5") && d[2] == UInt8(ascii: "0") ? 4 : 3
            let prefix = min(prefixLength, n - 4)
            let midEnd = n - 4
            // The digits are ASCII and need no escaping: written byte by byte, no string made.
            for k in 0..<n {
                if k == prefix || k == midEnd { ascii(UInt8(ascii: "-")) }
                ascii(masked && k >= prefix && k < midEnd ? UInt8(ascii: "*") : d[k])
            }
            return true
        }
        if written != true { text(masked ? p.masked : p.formatted) }
    }

    /// `LocalDate.iso`: `2024-07-15` (nothing in it to escape).
    mutating func isoDate(_ d: LocalDate) { text(d.iso) }

    /// `ScoreText.oneDecimal` without making the string: `15.5`.
    mutating func oneDecimal(_ score: Double) {
        let tenths = score * 10
        guard tenths == tenths.rounded(), abs(tenths) < 1e15, !(tenths == 0 && score.sign == .minus) else {
            return text(ScoreText.oneDecimal(score))
        }
        let n = Int(tenths)
        if n < 0 { literal("-") }
        number(Int(n.magnitude / 10))
        literal(".")
        number(Int(n.magnitude % 10))
    }

    /// `items` with `separator` between them.
    /// Elements are lent by index (a `for in` would copy each, with its strings' reference counts).
    mutating func joined<C: Collection>(_ items: C, separator: StaticString, _ each: (inout Self, C.Element) -> Void) {
        var i = items.startIndex
        while i != items.endIndex {
            if i != items.startIndex { literal(separator) }
            each(&self, items[i])
            items.formIndex(after: &i)
        }
    }

    /// `HH:MM` for minutes since midnight (hours past 23 as they come).
    mutating func clock(_ minutes: Int) {
        let h = minutes / 60
        let m = minutes % 60
        if h < 10 { literal("0") }
        number(h)
        literal(":")
        if m < 10 { literal("0") }
        number(m)
    }
}

/// How a household reads to a counselor, shared by the call list, the schedule and the call sheets
/// so the same family looks the same on every page.
enum HouseholdText {
    static func guardian(_ h: Household) -> String { StringSink.build { guardian(h, into: &$0) } }

    /// `김민준 (모)`, `김민준`, or nothing.
    static func guardian<S: TextSink>(_ h: Household, into out: inout S) {
        guard let g = h.guardianName else { return }
        out.text(g.name)
        if let role = g.role {
            out.literal(" (")
            out.text(role)
            out.literal(")")
        }
    }

    static func phone(_ p: PhoneNumber?, masked: Bool) -> String {
        p.map { masked ? $0.masked : $0.formatted } ?? ""
    }

    static func otherPhones(_ h: Household, masked: Bool) -> String {
        StringSink.build { otherPhones(h, masked: masked, into: &$0) }
    }

    static func otherPhones<S: TextSink>(_ h: Household, masked: Bool, into out: inout S) {
        out.joined(h.phones.dropFirst(), separator: ", ") { $0.phone($1, masked: masked) }
    }

    static func children(_ h: Household) -> String { StringSink.build { children(h, into: &$0) } }

    static func children<S: TextSink>(_ h: Household, into out: inout S) {
        // Each child is read through the array's subscript, not copied with its name and sources.
        let children = h.children
        for i in children.indices {
            if i > 0 { out.literal("; ") }
            child(children[i], into: &out)
        }
    }

    /// `김하은 (만 7세, 초2)`, `김하은 (2017-03-05생, 만 7세, 초2)`, or what the parent wrote.
    static func child(_ c: Household.Child) -> String { StringSink.build { child(c, into: &$0) } }

    static func child<S: TextSink>(_ c: Household.Child, into out: inout S) {
        if let name = c.name { out.text(name) } else { out.literal("(이름 없음)") }
        var facts = 0
        func next(_ out: inout S) {
            out.literal(facts == 0 ? " (" : ", ")
            facts += 1
        }
        if let birth = c.birthDate {
            next(&out)
            out.isoDate(birth)
            out.literal("생")
        }
        if let age = c.age {
            next(&out)
            out.literal("만 ")
            out.number(age)
            out.literal("세")
        }
        if let grade = c.schoolGrade {
            next(&out)
            out.literal("초")
            out.number(grade)
        }
        if facts == 0, let text = c.ageText {
            next(&out)
            out.text("\"")
            out.text(text)
            out.text("\"")
        }
        if facts > 0 { out.literal(")") }
    }

    static func window(_ h: Household) -> String { StringSink.build { window(h, into: &$0) } }

    static func window<S: TextSink>(_ h: Household, into out: inout S) {
        guard let w = h.contactWindow else { return }
        let structured = ContactWindowText.korean(w)
        out.text(structured)
        if !(w.text.isEmpty || sameText(w.text, plainNFC: structured)) {
            out.literal(" (")
            out.text(w.text)
            out.literal(")")
        }
    }

    /// `a == b` (canonical equivalence) where `b` is known to be plainly in NFC (`isPlainNFC`, as the
    /// structured window text is): when `a` is too, equal text means equal bytes, and the slow
    /// normalizing comparison is left for unusual text.
    static func sameText(_ a: String, plainNFC b: String) -> Bool {
        if a.utf8.elementsEqual(b.utf8) { return true }
        if isPlainNFC(a) { return false }
        return a == b
    }

    /// Only scalars below U+0300 (nothing combines with them) and precomposed Hangul syllables
    /// (U+AC00–U+D7A3, which nothing follows to combine when no jamo is present): such text is in NFC.
    static func isPlainNFC(_ s: String) -> Bool {
        s.readingUTF8 { b in
            var i = 0
            while i < b.count {
                let lead = b[i]
                switch lead {
                case 0x00..<0x80:
                    i += 1
                case 0xC2...0xCB:
                    i += 2
                case 0xEA...0xED:
                    guard i + 2 < b.count else { return false }
                    let scalar = (UInt32(lead & 0x0F) << 12) | (UInt32(b[i + 1] & 0x3F) << 6) | UInt32(b[i + 2] & 0x3F)
                    guard scalar >= 0xAC00 && scalar <= 0xD7A3 else { return false }
                    i += 3
                default:
                    return false
                }
            }
            return true
        }
    }

    static func careTypes(_ h: Household) -> String { StringSink.build { careTypes(h, into: &$0) } }

    static func careTypes<S: TextSink>(_ h: Household, into out: inout S) {
        out.joined(h.careTypes, separator: ", ") { $0.text($1.rawValue) }
    }

    static func flags(_ h: Household) -> String { StringSink.build { flags(h, into: &$0) } }

    static func flags<S: TextSink>(_ h: Household, into out: inout S) {
        out.joined(h.flags, separator: ", ") { $0.text($1.rawValue) }
    }

    /// Warnings a counselor should check on the phone, each once.
    /// What the counselor should ask or check in the call (`CounselorChecks`), each said once.
    static func checks(_ h: Household) -> [String] {
        var seen: Set<String> = []
        return h.issues.filter { $0.severity == .warning || $0.severity == .fatal }.compactMap(CounselorChecks.phrase)
            .filter { seen.insert($0).inserted }
    }

    /// `checks(h)` joined with `separator`, without building the list when there is nothing to check.
    static func checks<S: TextSink>(_ h: Household, separator: StaticString, into out: inout S) {
        let issues = h.issues
        guard issues.contains(where: { $0.severity == .warning || $0.severity == .fatal }) else { return }
        out.joined(checks(h), separator: separator) { $0.text($1) }
    }

    /// `YYYY-MM-DD HH:MM`
    static func dayAndClock<S: TextSink>(_ t: LocalDateTime, into out: inout S) {
        out.isoDate(t.date)
        out.literal(" ")
        out.clock(t.hour * 60 + t.minute)
    }

    static let weekdayNames = ["", "월", "화", "수", "목", "금", "토", "일"]

    static func weekday(_ d: LocalDate) -> String { weekdayNames[d.isoWeekday] }

    static func clock(_ t: LocalDateTime) -> String { ContactWindowText.clock(t.hour * 60 + t.minute) }

    /// `07-16(화) 09:00`
    static func shortWhen(_ t: LocalDateTime) -> String {
        "\(t.date.iso.dropFirst(5))(\(weekday(t.date))) \(clock(t))"
    }

    static func counselorName(_ plan: AppointmentPlan, _ id: String) -> String {
        guard let c = plan.counselor(id) else { return id }
        return c.name.isEmpty ? id : c.name
    }

    /// Why an earlier appointment moved, for the family's phone call: `07-16(화) 09:00 김상담 → 공휴일 …`.
    static func moveNote(_ r: Rescheduled, plan: AppointmentPlan) -> String {
        "이전 약속 \(shortWhen(r.old.start)) \(counselorName(plan, r.old.counselorID)): \(r.reason.message)"
    }
}

extension AppointmentPlan {
    /// For `dolbom explain`: where the household stands in this plan, an earlier appointment that moved, and the
    /// moves and drops the state recorded (`history`, oldest first).
    public func explanation(for applicantID: String, history: [AppointmentChange]) -> [String] {
        func when(_ a: Appointment) -> String {
            let name = HouseholdText.counselorName(self, a.counselorID)
            return
                "\(a.start.date.iso) \(HouseholdText.clock(a.start)) \(name == a.counselorID ? name : "\(name) (\(a.counselorID))")"
        }
        var lines: [String] = []
        if let a = result.appointments.first(where: { $0.applicantID == applicantID }) {
            lines.append("  약속: \(when(a)) (\(kinds[applicantID]?.korean ?? ""))")
        } else if let u = result.unscheduled.first(where: { $0.applicantID == applicantID }) {
            lines.append("  약속: 미배정 — \(u.reason.message)")
        } else {
            lines.append("  약속: 계획 대상이 아닙니다(종료되었거나 다시 걸 날이 계획 기간 뒤).")
        }
        if let r = result.rescheduled.first(where: { $0.applicantID == applicantID }) {
            lines.append("  이전 약속 \(when(r.old)): \(r.reason.message)")
        }
        if !history.isEmpty {
            lines.append("  약속 기록:")
            for c in history { lines.append("    \(c.old.map(when) ?? "-") → \(c.new.map(when) ?? "-") (\(c.reason))") }
        }
        return lines
    }
}
