import DolbomNormalize

/// The `applicants.jsonl` line for a household: the machine contract in docs/output.md.
/// Every key is always present, `null` where unknown.
enum ApplicantJSON {
    /// Written straight into `out` without building a `JSONLine` tree (the applicants file is most
    /// of a run's output); keys in byte order and strings escaped exactly as `JSONLine` does.
    static func write(_ h: Household, status: HouseholdStatus, into out: inout [UInt8]) {
        var w = JSONBytes(out: out)
        out = []
        w.open()
        w.key("address")
        if let a = h.address { w.address(a) } else { w.null() }
        w.key("applicant_id"); w.string(h.applicantID)
        w.key("call_attempts"); w.int(status.attempts)
        w.key("care_types"); w.strings(h.careTypes.lazy.map(\.rawValue))
        w.key("children")
        w.beginArray()
        for c in h.children {
            w.item()
            w.open()
            w.key("age"); w.optional(c.age)
            w.key("age_text"); w.optional(c.ageText)
            w.key("birth_date"); w.optional(c.birthDate?.iso)
            w.key("name"); w.optional(c.name)
            w.key("school_grade"); w.optional(c.schoolGrade)
            w.close()
        }
        w.endArray()
        w.key("contact_window")
        if let cw = h.contactWindow {
            w.open()
            w.key("anytime"); w.bool(cw.anytime)
            w.key("days"); w.string(cw.days.rawValue)
            w.key("ranges")
            w.beginArray()
            for r in cw.ranges {
                w.item()
                w.range(r)
            }
            w.endArray()
            w.key("text"); w.string(cw.text)
            w.close()
        } else {
            w.null()
        }
        w.key("extra")
        w.beginArray()
        for c in h.extra {
            w.item()
            w.extraCell(c)
        }
        w.endArray()
        w.key("first_submitted_at"); w.optional(h.firstSubmittedAt?.iso)
        w.key("guardian")
        w.open()
        w.key("name"); w.optional(h.guardianName?.name)
        w.key("other_phones"); w.strings(h.phones.dropFirst().lazy.map(\.formatted))
        w.key("phone"); w.optional(h.primaryPhone?.formatted)
        w.key("role"); w.optional(h.guardianName?.role)
        w.close()
        w.key("household_flags"); w.strings(h.flags.lazy.map(\.rawValue))
        w.key("issues")
        w.beginArray()
        for i in h.issues {
            w.item()
            w.issue(i)
        }
        w.endArray()
        w.key("language"); w.optional(h.language)
        w.key("last_outcome"); w.optional(status.lastOutcome)
        w.key("last_submitted_at"); w.optional(h.lastSubmittedAt?.iso)
        w.key("memos"); w.strings(h.memos)
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
        w.key("next_call_on"); w.optional(status.nextCallOn?.iso)
        w.key("sources")
        w.beginArray()
        for source in h.sources {
            w.item()
            w.source(source)
        }
        w.endArray()
        w.key("status"); w.string(status.state.rawValue)
        w.close()
        out = w.out
    }

    static func cell(_ c: ExtraCell) -> JSONLine {
        .object([("column", .string(c.column)), ("value", .string(c.value))])
    }

    /// A `rejects.jsonl` line; `column` and `value` are omitted when unknown.
    static func reject(_ r: Reject) -> JSONLine {
        var pairs: [(String, JSONLine)] = [
            ("file", .string(r.file)), ("row", .int(r.row)), ("reason", .string(r.reason)), ("message", .string(r.message)),
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
    var out: [UInt8]
    private var empty = false

    init(out: [UInt8]) { self.out = out }

    mutating func open() { out.append(UInt8(ascii: "{")); empty = true }
    mutating func close() { out.append(UInt8(ascii: "}")); empty = false }
    mutating func beginArray() { out.append(UInt8(ascii: "[")); empty = true }
    mutating func endArray() { out.append(UInt8(ascii: "]")); empty = false }

    /// Before each array item.
    mutating func item() {
        if !empty { out.append(UInt8(ascii: ",")) }
        empty = false
    }

    /// `,"key":` (a line has some fifty keys). Appended piece by piece: single bytes are a capacity check
    /// and a store, cheaper than assembling the token in a temporary buffer first.
    mutating func key(_ k: StaticString) {
        if !empty { out.append(UInt8(ascii: ",")) }
        empty = false
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: UnsafeBufferPointer(start: k.utf8Start, count: k.utf8CodeUnitCount))
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ":"))
    }

    mutating func null() { out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C]) }
    mutating func bool(_ b: Bool) {
        if b { out.append(contentsOf: [0x74, 0x72, 0x75, 0x65]) } else { out.append(contentsOf: [0x66, 0x61, 0x6C, 0x73, 0x65]) }
    }
    mutating func int(_ i: Int) { appendDecimal(i, to: &out) }
    mutating func string(_ s: String) { JSONLine.writeString(s, into: &out) }
    mutating func optional(_ s: String?) { if let s { string(s) } else { null() } }
    mutating func optional(_ i: Int?) { if let i { int(i) } else { null() } }

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
        out.append(UInt8(ascii: "\""))
        clock(r.start)
        out.append(UInt8(ascii: "-"))
        clock(r.end)
        out.append(UInt8(ascii: "\""))
    }

    /// `ContactWindowText.clock`: digits and a colon, nothing to escape.
    private mutating func clock(_ minutes: Int) {
        let h = minutes / 60, m = minutes % 60
        if h < 10 { out.append(UInt8(ascii: "0")) }
        int(h)
        out.append(UInt8(ascii: ":"))
        if m < 10 { out.append(UInt8(ascii: "0")) }
        int(m)
    }

    /// `Household.MergeLink.text` as a JSON string, written in place:
    /// `a.csv:2 ~ a.csv:3: 15.5 (phone=same, guardian_name=same)`.
    mutating func mergeLink(_ link: Household.MergeLink, sources: [SourceRef]) {
        out.append(UInt8(ascii: "\""))
        // The buffer is lent to the text writer and taken back by swapping (a copy would not be unique).
        var text = JSONStringText(out: [])
        swap(&text.out, &out)
        text.sourceLabel(sources[Int(link.left)])
        text.literal(" ~ ")
        text.sourceLabel(sources[Int(link.right)])
        text.literal(": ")
        text.text(ScoreText.oneDecimal(link.score))
        text.literal(" (")
        text.text(Self.agreementTexts[Int(link.fields.bits)])
        text.literal(")")
        swap(&text.out, &out)
        out.append(UInt8(ascii: "\""))
    }

    /// The `field=agreement, ...` part of a merge link for every combination of agreements (five fields,
    /// two bits each), as `MergeLink.text` writes it.
    static let agreementTexts: [String] = (0..<(1 << (2 * PairEvidence.Fields.order.count))).map { bits in
        let fields = PairEvidence.Fields(bits: UInt16(bits))
        return PairEvidence.Fields.order.compactMap { f in fields.get(f).map { "\(f.rawValue)=\($0.rawValue)" } }.joined(separator: ", ")
    }

    /// A row's issue, as in `applicants.jsonl` and (the same keys) in stored submissions.
    mutating func issue(_ i: RowIssue) {
        open()
        key("code"); string(i.code)
        key("field"); string(i.field)
        key("message"); string(i.message)
        key("severity"); string(i.severity.rawValue)
        if let source = i.source { key("source"); self.source(source) }
        close()
    }

    /// A cell the form had no role for, as in `applicants.jsonl` and (the same keys) in stored submissions.
    mutating func extraCell(_ c: ExtraCell) {
        open()
        key("column"); string(c.column)
        key("value"); string(c.value)
        close()
    }

    mutating func source(_ s: SourceRef) {
        open()
        key("file"); string(s.file)
        if let fromState = s.fromState { key("from_state"); bool(fromState) }
        key("row"); int(s.row)
        close()
    }

    mutating func address(_ a: Address) {
        open()
        key("building_name"); optional(a.buildingName)
        key("building_number"); optional(a.buildingNumber)
        key("detail"); optional(a.detail)
        key("eupmyeondong"); optional(a.eupmyeondong)
        key("jibun"); optional(a.jibun)
        key("kind"); string(a.kind.rawValue)
        key("legal_dong_code"); optional(a.legalDongCode)
        key("postal_code"); optional(a.postalCode)
        key("ri"); optional(a.ri)
        key("road"); optional(a.road)
        key("sido"); optional(a.sido)
        key("sigungu"); optional(a.sigungu)
        key("sigungu_code"); optional(a.sigunguCode)
        key("text"); string(a.text)
        key("underground"); bool(a.underground)
        close()
    }
}

/// Renders contact windows for people: `09:00-12:00`, `평일 09:00-12:00`, `언제든`.
enum ContactWindowText {
    static func clock(_ minutes: Int) -> String {
        let h = minutes / 60, m = minutes % 60
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
    var out: [UInt8]

    mutating func text(_ s: String) {
        if s.utf8.withContiguousStorageIfAvailable({ JSONLine.appendEscaped($0, into: &out) }) == nil {
            Array(s.utf8).withUnsafeBufferPointer { JSONLine.appendEscaped($0, into: &out) }
        }
    }

    mutating func literal(_ s: StaticString) { s.withUTF8Buffer { out.append(contentsOf: $0) } }

    mutating func number(_ n: Int) { appendDecimal(n, to: &out) }
}
