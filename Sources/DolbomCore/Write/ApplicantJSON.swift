import DolbomNormalize

/// The `applicants.jsonl` line for a household: the machine contract in docs/output.md.
/// Every key is always present, `null` where unknown.
enum ApplicantJSON {
    static func line(_ h: Household, status: HouseholdStatus) -> JSONLine {
        // Keys in byte order, as written (JSONLine only checks it).
        .object([
            ("address", h.address.map(address) ?? .null),
            ("applicant_id", .string(h.applicantID)),
            ("call_attempts", .int(status.attempts)),
            ("care_types", .strings(h.careTypes.map(\.rawValue))),
            ("children", .array(h.children.map { c in
                .object([
                    ("age", .optional(c.age)),
                    ("age_text", .optional(c.ageText)),
                    ("birth_date", .optional(c.birthDate?.iso)),
                    ("name", .optional(c.name)),
                    ("school_grade", .optional(c.schoolGrade)),
                ])
            })),
            ("contact_window", h.contactWindow.map { w in
                .object([
                    ("anytime", .bool(w.anytime)),
                    ("days", .string(w.days.rawValue)),
                    ("ranges", .strings(w.ranges.map(ContactWindowText.range))),
                    ("text", .string(w.text)),
                ])
            } ?? .null),
            ("extra", .array(h.extra.map(cell))),
            ("first_submitted_at", .optional(h.firstSubmittedAt?.iso)),
            ("guardian", .object([
                ("name", .optional(h.guardianName?.name)),
                ("other_phones", .strings(h.phones.dropFirst().map(\.formatted))),
                ("phone", .optional(h.primaryPhone?.formatted)),
                ("role", .optional(h.guardianName?.role)),
            ])),
            ("household_flags", .strings(h.flags.map(\.rawValue))),
            ("issues", .array(h.issues.map(issue))),
            ("language", .optional(h.language)),
            ("last_outcome", .optional(status.lastOutcome)),
            ("last_submitted_at", .optional(h.lastSubmittedAt?.iso)),
            ("memos", .strings(h.memos)),
            ("merge_evidence", .strings(h.mergeEvidence)),
            ("next_call_on", .optional(status.nextCallOn?.iso)),
            ("sources", .array(h.sources.map(source))),
            ("status", .string(status.state.rawValue)),
        ])
    }

    static func address(_ a: Address) -> JSONLine {
        .object([
            ("building_name", .optional(a.buildingName)), ("building_number", .optional(a.buildingNumber)),
            ("detail", .optional(a.detail)), ("eupmyeondong", .optional(a.eupmyeondong)), ("jibun", .optional(a.jibun)),
            ("kind", .string(a.kind.rawValue)), ("legal_dong_code", .optional(a.legalDongCode)),
            ("postal_code", .optional(a.postalCode)), ("ri", .optional(a.ri)), ("road", .optional(a.road)),
            ("sido", .optional(a.sido)), ("sigungu", .optional(a.sigungu)), ("sigungu_code", .optional(a.sigunguCode)),
            ("text", .string(a.text)), ("underground", .bool(a.underground)),
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
        var pairs: [(String, JSONLine)] = [("code", .string(i.code)), ("field", .string(i.field)),
                                           ("message", .string(i.message)), ("severity", .string(i.severity.rawValue))]
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
