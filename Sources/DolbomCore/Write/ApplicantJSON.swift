import DolbomNormalize

/// The `applicants.jsonl` line for a household: the machine contract in docs/output.md.
/// Every key is always present, `null` where unknown.
enum ApplicantJSON {
    static func line(_ h: Household, status: HouseholdStatus) -> JSONLine {
        .object([
            ("applicant_id", .string(h.applicantID)),
            ("guardian", .object([
                ("name", .optional(h.guardianName?.name)),
                ("role", .optional(h.guardianName?.role)),
                ("phone", .optional(h.primaryPhone?.formatted)),
                ("other_phones", .strings(h.phones.dropFirst().map(\.formatted))),
            ])),
            ("address", h.address.map(address) ?? .null),
            ("children", .array(h.children.map { c in
                .object([
                    ("name", .optional(c.name)),
                    ("birth_date", .optional(c.birthDate?.iso)),
                    ("age", .optional(c.age)),
                    ("school_grade", .optional(c.schoolGrade)),
                    ("age_text", .optional(c.ageText)),
                ])
            })),
            ("care_types", .strings(h.careTypes.map(\.rawValue))),
            ("contact_window", h.contactWindow.map { w in
                .object([
                    ("days", .string(w.days.rawValue)),
                    ("anytime", .bool(w.anytime)),
                    ("ranges", .strings(w.ranges.map(ContactWindowText.range))),
                    ("text", .string(w.text)),
                ])
            } ?? .null),
            ("household_flags", .strings(h.flags.map(\.rawValue))),
            ("language", .optional(h.language)),
            ("memos", .strings(h.memos)),
            ("first_submitted_at", .optional(h.firstSubmittedAt?.iso)),
            ("last_submitted_at", .optional(h.lastSubmittedAt?.iso)),
            ("sources", .array(h.sources.map(source))),
            ("extra", .array(h.extra.map(cell))),
            ("issues", .array(h.issues.map(issue))),
            ("merge_evidence", .strings(h.mergeEvidence)),
            ("status", .string(status.state.rawValue)),
            ("call_attempts", .int(status.attempts)),
            ("next_call_on", .optional(status.nextCallOn?.iso)),
            ("last_outcome", .optional(status.lastOutcome)),
        ])
    }

    static func address(_ a: Address) -> JSONLine {
        .object([
            ("sido", .optional(a.sido)), ("sigungu", .optional(a.sigungu)), ("eupmyeondong", .optional(a.eupmyeondong)),
            ("ri", .optional(a.ri)), ("road", .optional(a.road)), ("building_number", .optional(a.buildingNumber)),
            ("underground", .bool(a.underground)), ("jibun", .optional(a.jibun)), ("detail", .optional(a.detail)),
            ("building_name", .optional(a.buildingName)), ("postal_code", .optional(a.postalCode)),
            ("sigungu_code", .optional(a.sigunguCode)), ("legal_dong_code", .optional(a.legalDongCode)),
            ("kind", .string(a.kind.rawValue)), ("text", .string(a.text)),
        ])
    }

    static func source(_ s: SourceRef) -> JSONLine {
        var pairs: [(String, JSONLine)] = [("file", .string(s.file)), ("row", .int(s.row))]
        if let fromState = s.fromState { pairs.append(("from_state", .bool(fromState))) }
        return .object(pairs)
    }

    static func cell(_ c: ExtraCell) -> JSONLine {
        .object([("column", .string(c.column)), ("value", .string(c.value))])
    }

    static func issue(_ i: RowIssue) -> JSONLine {
        var pairs: [(String, JSONLine)] = [("field", .string(i.field)), ("code", .string(i.code)),
                                           ("severity", .string(i.severity.rawValue)), ("message", .string(i.message))]
        if let source = i.source { pairs.append(("source", self.source(source))) }
        return .object(pairs)
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
