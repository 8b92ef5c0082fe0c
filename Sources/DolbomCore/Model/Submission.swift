import DolbomNormalize

/// Where a value came from: the export file (base name) and its spreadsheet row.
public struct SourceRef: Hashable, Sendable, Codable, Comparable {
    public var file: String
    public var row: Int
    /// True for a row remembered from an earlier run's export (not among this run's inputs).
    public var fromState: Bool?

    public init(file: String, row: Int, fromState: Bool? = nil) {
        self.file = file
        self.row = row
        self.fromState = fromState
    }

    enum CodingKeys: String, CodingKey {
        case file, row
        case fromState = "from_state"
    }

    public static func < (a: SourceRef, b: SourceRef) -> Bool {
        (a.fromState == true ? 1 : 0, a.file, a.row) < (b.fromState == true ? 1 : 0, b.file, b.row)
    }

    public var label: String { "\(file):\(row)" + (fromState == true ? " (이전 실행)" : "") }
}

/// A cell of a column dolbom does not interpret, kept so nothing the parent wrote is lost.
public struct ExtraCell: Hashable, Sendable, Codable {
    public var column: String
    public var value: String
}

/// An issue found in one field of one row, with the field it concerns.
public struct RowIssue: Hashable, Sendable, Codable {
    public var field: String
    public var code: String
    public var severity: FieldIssue.Severity
    public var message: String
    /// The row it was found in, once submissions are merged into a household.
    public var source: SourceRef?

    public init(field: String, _ issue: FieldIssue, source: SourceRef? = nil) {
        self.field = field
        self.code = issue.code
        self.severity = issue.severity
        self.message = issue.message
        self.source = source
    }
}

/// One child as a form row described them.
public struct ChildEntry: Hashable, Sendable, Codable {
    public var name: PersonName?
    public var age: ChildAge?
    /// What the parent wrote for the age/birth/grade, for the counselor when it could not be read.
    public var ageText: String
}

/// Who a submission is across exports: `fingerprint` ignores the file name and
/// row position (a cumulative export shows the same submission every night);
/// `contentHash` changes when any cell is edited.
public struct SubmissionIdentity: Hashable, Sendable, Codable {
    public var fingerprint: String
    public var contentHash: String
}

/// One form row, normalized: the unit that Resolve groups into households.
public struct Submission: Sendable, Codable {
    public var source: SourceRef
    /// The same submission seen again in this run (another export of the same form).
    public var alsoSeenAt: [SourceRef] = []
    public var identity: SubmissionIdentity?
    /// The household id this submission had in earlier runs (from the state database).
    public var knownApplicantID: String?
    public var submittedAt: LocalDateTime?
    public var guardianName: PersonName?
    public var phones: PhoneList
    public var address: Address?
    public var children: [ChildEntry]
    public var careTypes: [CareType]
    public var contactWindow: ContactWindow?
    /// A language the counselor must speak; nil = Korean (or not asked).
    public var language: String? = nil
    public var flags: [HouseholdFlag]
    public var memo: String?
    public var extra: [ExtraCell]
    public var issues: [RowIssue]
}

/// A row that cannot become (part of) an applicant, and why.
public struct Reject: Hashable, Sendable, Codable {
    public var file: String
    public var row: Int
    /// snake_case reason: `consent_missing`, `phone_missing`, `phone_invalid_length`, `test_submission`, `empty_row`, `csv_malformed_row`, ...
    public var reason: String
    /// Korean text for staff: what is wrong and what to fix.
    public var message: String
    public var column: String?
    public var value: String?
    /// Every cell of the row as read, under its header.
    public var cells: [ExtraCell]

    public var source: SourceRef { SourceRef(file: file, row: row) }
}
