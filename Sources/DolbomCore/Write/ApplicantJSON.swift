import DolbomFacility
import DolbomGeo
import DolbomNormalize
import DolbomRuntime

/// The `applicants.jsonl` line for a household: the machine contract in docs/output.md.
/// Every key is always present, `null` where unknown.
enum ApplicantJSON {
    /// Written straight into `buffer` without building a `JSONLine` tree (the applicants file is most
    /// of a run's output); keys in byte order and strings escaped exactly as `JSONLine` does.
    static func write(
        _ h: Household, status: HouseholdStatus, suggestions: HouseholdFacilityMatch? = nil, into buffer: ByteBuffer
    ) {
        var w = JSONBytes(into: buffer)
        // Most lines fit: the tokens below then rarely grow the buffer.
        buffer.reserve(1 << 13)
        w.open()
        w.key("address")
        if let a = h.address { w.address(a, verified: h.addressVerified, location: h.location) } else { w.null() }
        w.key("applicant_id")
        w.string(h.applicantID)
        w.key("call_attempts")
        w.int(status.attempts)
        w.key("care_types")
        w.careTypes(h.careTypes)
        w.key("children")
        w.array(h.children) { $0.child($1) }
        w.key("contact_window")
        if let cw = h.contactWindow {
            w.open()
            w.key("anytime")
            w.bool(cw.anytime)
            w.key("days")
            w.string(cw.days.rawValue)
            w.key("ranges")
            w.array(cw.ranges) { $0.range($1) }
            w.key("text")
            w.string(cw.text)
            w.close()
        } else {
            w.null()
        }
        w.key("extra")
        w.array(h.extra) { $0.extraCell($1) }
        w.key("first_submitted_at")
        w.optional(h.firstSubmittedAt)
        w.key("guardian")
        w.open()
        w.key("name")
        w.optional(h.guardianName?.name)
        let phones = h.phones
        w.key("other_phones")
        w.array(phones.dropFirst()) { $0.phone($1) }
        w.key("phone")
        if let p = phones.first { w.phone(p) } else { w.null() }
        w.key("role")
        w.optional(h.guardianName?.role)
        w.close()
        w.key("household_flags")
        w.flags(h.flags)
        w.key("issues")
        w.array(h.issues) { $0.issue($1) }
        w.key("language")
        w.optional(h.language)
        w.key("last_outcome")
        w.optional(status.lastOutcome)
        w.key("last_submitted_at")
        w.optional(h.lastSubmittedAt)
        w.key("memos")
        w.strings(h.memos)
        w.key("merge_evidence")
        let evidence = h.storedMergeEvidence
        w.beginArray()
        for text in evidence.texts {
            w.item()
            w.string(text)
        }
        if !evidence.links.isEmpty {
            let sources = h.sources
            for link in evidence.links {
                w.item()
                w.mergeLink(link, sources: sources)
            }
        }
        w.endArray()
        w.key("next_call_on")
        w.optional(status.nextCallOn)
        w.key("sources")
        w.array(h.sources) { $0.source($1) }
        w.key("status")
        w.string(status.state.rawValue)
        if let suggestions { FacilityOutputs.writeSuggestions(suggestions, into: &w) }
        w.close()
    }

    /// `write` into an array (tests and one-off callers).
    static func line(_ h: Household, status: HouseholdStatus) -> [UInt8] {
        let buffer = ByteBuffer()
        write(h, status: status, into: buffer)
        return buffer.array
    }

    static func cell(_ c: ExtraCell) -> JSONLine {
        .object([("column", .string(c.column)), ("value", .string(c.value))])
    }

    /// `reject(r)` written straight into `buffer` (keys in byte order, as `JSONLine` sorts them).
    static func writeReject(_ r: Reject, into buffer: ByteBuffer) {
        var w = JSONBytes(into: buffer)
        w.open()
        w.key("cells")
        w.array(r.cells) { $0.extraCell($1) }
        if let column = r.column {
            w.key("column")
            w.string(column)
        }
        w.key("file")
        w.string(r.file)
        w.key("message")
        w.string(r.message)
        w.key("reason")
        w.string(r.reason)
        w.key("row")
        w.int(r.row)
        if let value = r.value {
            w.key("value")
            w.string(value)
        }
        w.close()
    }

    /// A `rejects.jsonl` line; `column` and `value` are omitted when unknown.
    static func reject(_ r: Reject) -> JSONLine {
        var pairs: [(String, JSONLine)] = [
            ("file", .string(r.file)), ("row", .int(r.row)), ("reason", .string(r.reason)),
            ("message", .string(r.message)),
            ("cells", .array(r.cells.map(cell))),
        ]
        if let column = r.column { pairs.append(("column", .string(column))) }
        if let value = r.value { pairs.append(("value", .string(value))) }
        return .object(pairs)
    }
}

/// Writes JSON tokens with `JSONLine`'s formatting: commas between members and items are
/// placed by tracking whether the current object or array is still empty.
struct JSONBytes {
    let buffer: ByteBuffer
    private var empty = false

    init(into buffer: ByteBuffer) { self.buffer = buffer }

    /// Writes after `out`'s bytes; `out` (the property) gives them all back.
    init(out: [UInt8]) {
        buffer = ByteBuffer(capacity: Swift.max(out.capacity, out.count + 256))
        buffer.write(out)
    }

    var out: [UInt8] { buffer.array }

    mutating func open() {
        buffer.write(UInt8(ascii: "{"))
        empty = true
    }
    mutating func close() {
        buffer.write(UInt8(ascii: "}"))
        empty = false
    }
    mutating func beginArray() {
        buffer.write(UInt8(ascii: "["))
        empty = true
    }
    mutating func endArray() {
        buffer.write(UInt8(ascii: "]"))
        empty = false
    }

    /// An array of `items`, each written by `each`.
    mutating func array<S: Sequence>(_ items: S, _ each: (inout JSONBytes, S.Element) -> Void) {
        beginArray()
        for x in items {
            item()
            each(&self, x)
        }
        endArray()
    }

    /// Before each array item.
    mutating func item() {
        if !empty { buffer.write(UInt8(ascii: ",")) }
        empty = false
    }

    /// `,"key":` (a line has some fifty keys), stored in one go: the key's length is a constant
    /// once this is inlined, so its copy is a few moves.
    @inline(__always)
    mutating func key(_ k: StaticString) {
        buffer.writeJSONKey(k, first: empty)
        empty = false
    }

    mutating func null() { buffer.write("null") }
    mutating func bool(_ b: Bool) { buffer.write(b ? "true" : "false") }
    mutating func int(_ i: Int) { buffer.writeDecimal(i) }
    mutating func string(_ s: String) { buffer.writeJSONString(s) }
    mutating func optional(_ s: String?) { if let s { string(s) } else { null() } }
    mutating func optional(_ i: Int?) { if let i { int(i) } else { null() } }
    mutating func optional(_ d: LocalDate?) { if let d { date(d) } else { null() } }
    mutating func optional(_ t: LocalDateTime?) { if let t { time(t) } else { null() } }

    /// `PhoneNumber.formatted` as a JSON string, without making the string.
    mutating func phone(_ p: PhoneNumber) {
        buffer.write(UInt8(ascii: "\""))
        var text = JSONStringText(buffer: buffer)
        text.phone(p, masked: false)
        buffer.write(UInt8(ascii: "\""))
    }

    /// `LocalDate.iso` as a JSON string, without making the string.
    mutating func date(_ d: LocalDate) {
        guard (1...9999).contains(d.year) else { return string(d.iso) }
        buffer.write(UInt8(ascii: "\""))
        iso(d)
        buffer.write(UInt8(ascii: "\""))
    }

    /// `LocalDateTime.iso` as a JSON string: `"2024-07-01T22:03:08+09:00"`.
    mutating func time(_ t: LocalDateTime) {
        guard (1...9999).contains(t.date.year) else { return string(t.iso) }
        buffer.write(UInt8(ascii: "\""))
        iso(t.date)
        buffer.write(UInt8(ascii: "T"))
        buffer.writeTwoDigits(t.hour)
        buffer.write(UInt8(ascii: ":"))
        buffer.writeTwoDigits(t.minute)
        buffer.write(UInt8(ascii: ":"))
        buffer.writeTwoDigits(t.second)
        buffer.write("+09:00\"")
    }

    /// `YYYY-MM-DD` for a year in 1...9999.
    @inline(__always)
    private func iso(_ d: LocalDate) {
        buffer.writeFourDigits(d.year)
        buffer.write(UInt8(ascii: "-"))
        buffer.writeTwoDigits(d.month)
        buffer.write(UInt8(ascii: "-"))
        buffer.writeTwoDigits(d.day)
    }

    /// Each care type's and flag's name as a JSON string, by `order`, made once: a line names a few of
    /// them, and copying the bytes costs less than escaping the Korean names each time.
    static let careTypeNames: [[UInt8]] = names(CareType.allCases, order: \.order)
    static let flagNames: [[UInt8]] = names(HouseholdFlag.allCases, order: \.order)

    private static func names<T: RawRepresentable>(_ cases: [T], order: (T) -> Int) -> [[UInt8]]
    where T.RawValue == String {
        var names = [[UInt8]](repeating: [], count: cases.count)
        for c in cases {
            let buffer = ByteBuffer()
            buffer.writeJSONString(c.rawValue)
            names[order(c)] = buffer.array
        }
        return names
    }

    /// `strings(types.map(\.rawValue))`.
    mutating func careTypes(_ types: [CareType]) { names(types.lazy.map(\.order), from: Self.careTypeNames) }

    /// `strings(flags.map(\.rawValue))`.
    mutating func flags(_ flags: [HouseholdFlag]) { names(flags.lazy.map(\.order), from: Self.flagNames) }

    /// An array of names already written as JSON strings, by their position in `table`.
    private mutating func names(_ orders: some Sequence<Int>, from table: [[UInt8]]) {
        beginArray()
        for order in orders {
            item()
            buffer.write(table[order])
        }
        endArray()
    }

    mutating func strings<S: Sequence>(_ items: S) where S.Element == String {
        beginArray()
        for s in items {
            item()
            string(s)
        }
        endArray()
    }

    /// `ContactWindowText.range` as a JSON string, without making the string: `"09:00-12:00"`.
    mutating func range(_ r: MinuteRange) {
        buffer.write(UInt8(ascii: "\""))
        clock(r.start)
        buffer.write(UInt8(ascii: "-"))
        clock(r.end)
        buffer.write(UInt8(ascii: "\""))
    }

    /// `ContactWindowText.clock`: digits and a colon, nothing to escape.
    private mutating func clock(_ minutes: Int) {
        let h = minutes / 60
        let m = minutes % 60
        if h < 10 { buffer.write(UInt8(ascii: "0")) }
        int(h)
        buffer.write(UInt8(ascii: ":"))
        if m < 10 { buffer.write(UInt8(ascii: "0")) }
        int(m)
    }

    /// `Household.MergeLink.text` as a JSON string, written in place:
    /// `a.csv:2 ~ a.csv:3: 15.5 (phone=same, guardian_name=same)`.
    mutating func mergeLink(_ link: Household.MergeLink, sources: [SourceRef]) {
        buffer.write(UInt8(ascii: "\""))
        var text = JSONStringText(buffer: buffer)
        text.sourceLabel(sources[Int(link.left)])
        text.literal(" ~ ")
        text.sourceLabel(sources[Int(link.right)])
        text.literal(": ")
        text.oneDecimal(link.score)
        text.literal(" (")
        text.text(Self.agreementTexts[Int(link.fields.bits)])
        text.literal(")")
        buffer.write(UInt8(ascii: "\""))
    }

    /// The `field=agreement, ...` part of a merge link for every combination of agreements and commonness
    /// levels (sixteen bits), as `MergeLink.text` writes it.
    static let agreementTexts: [String] = (0..<(1 << 16)).map { PairEvidence.Fields(bits: UInt16($0)).text }

    /// A row's issue, as in `applicants.jsonl` and (the same keys) in stored submissions.
    mutating func issue(_ i: RowIssue) {
        open()
        key("code")
        string(i.code)
        key("field")
        string(i.field)
        key("message")
        string(i.message)
        key("severity")
        string(i.severity.rawValue)
        if let source = i.source {
            key("source")
            self.source(source)
        }
        close()
    }

    /// A child, as in `applicants.jsonl`.
    mutating func child(_ c: Household.Child) {
        open()
        key("age")
        optional(c.age)
        key("age_text")
        optional(c.ageText)
        key("birth_date")
        optional(c.birthDate)
        key("name")
        optional(c.name)
        key("school_grade")
        optional(c.schoolGrade)
        close()
    }

    /// A cell the form had no role for, as in `applicants.jsonl` and (the same keys) in stored submissions.
    mutating func extraCell(_ c: ExtraCell) {
        open()
        key("column")
        string(c.column)
        key("value")
        string(c.value)
        close()
    }

    mutating func source(_ s: SourceRef) {
        open()
        key("file")
        string(s.file)
        if let fromState = s.fromState {
            key("from_state")
            bool(fromState)
        }
        key("row")
        int(s.row)
        close()
    }

    mutating func address(_ a: Address, verified: Bool, location: Location?) {
        open()
        key("building_name")
        optional(a.buildingName)
        key("building_number")
        optional(a.buildingNumber)
        key("detail")
        optional(a.detail)
        key("eupmyeondong")
        optional(a.eupmyeondong)
        key("jibun")
        optional(a.jibun)
        key("kind")
        string(a.kind.rawValue)
        key("legal_dong_code")
        optional(a.legalDongCode)
        key("location")
        if let location {
            open()
            key("lat")
            buffer.write(utf8: Location.decimal(location.latitudeE7))
            key("lon")
            buffer.write(utf8: Location.decimal(location.longitudeE7))
            key("precision")
            string(location.precision.rawValue)
            close()
        } else {
            null()
        }
        key("postal_code")
        optional(a.postalCode)
        key("ri")
        optional(a.ri)
        key("road")
        optional(a.road)
        key("sido")
        optional(a.sido)
        key("sigungu")
        optional(a.sigungu)
        key("sigungu_code")
        optional(a.sigunguCode)
        key("text")
        string(a.text)
        key("underground")
        bool(a.underground)
        key("verified")
        bool(verified)
        close()
    }
}

/// Renders contact windows for people: `09:00-12:00`, `평일 09:00-12:00`, `언제든`.
enum ContactWindowText {
    static func clock(_ minutes: Int) -> String {
        let h = minutes / 60
        let m = minutes % 60
        return (h < 10 ? "0\(h)" : "\(h)") + ":" + (m < 10 ? "0\(m)" : "\(m)")
    }

    static func range(_ r: MinuteRange) -> String { "\(clock(r.start))-\(clock(r.end))" }

    static func korean(_ w: ContactWindow) -> String {
        let days: String
        switch w.days {
        case .any: days = ""
        case .weekdays: days = "평일 "
        case .weekend: days = "주말 "
        }
        if w.anytime || w.ranges.isEmpty { return days + "언제든" }
        return days + w.ranges.map(range).joined(separator: ", ")
    }
}

/// Text written into an open JSON string, escaped as `JSONLine.writeString` escapes it.
struct JSONStringText: TextSink {
    let buffer: ByteBuffer

    mutating func text(_ s: String) { buffer.writeJSONEscaped(s) }

    mutating func literal(_ s: StaticString) { buffer.write(s) }

    mutating func number(_ n: Int) { buffer.writeDecimal(n) }

    mutating func ascii(_ byte: UInt8) { buffer.write(byte) }
}
