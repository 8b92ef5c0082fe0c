import DolbomNormalize
import DolbomRuntime

/// Where a value came from: the export file (base name) and its spreadsheet row.
public struct SourceRef: Hashable, Sendable, Codable, Comparable {
    public var file: String
    public var row: Int
    /// True for a row remembered from an earlier run's export (not among this run's inputs).
    public var fromState: Bool?

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
    /// A SHA-256 digest as 32 bytes rather than 64 hex characters on the heap (every
    /// submission holds two); other text (hand-made identities in tests) is kept as written.
    enum Code: Hashable, Sendable {
        case digest(UInt64, UInt64, UInt64, UInt64)
        case text(String)

        init<D: Sequence>(digest bytes: D) where D.Element == UInt8 {
            var a: UInt64 = 0
            var b: UInt64 = 0
            var c: UInt64 = 0
            var d: UInt64 = 0
            for (i, byte) in bytes.enumerated() {
                switch i / 8 {
                case 0: a = a << 8 | UInt64(byte)
                case 1: b = b << 8 | UInt64(byte)
                case 2: c = c << 8 | UInt64(byte)
                case 3: d = d << 8 | UInt64(byte)
                default: break
                }
            }
            self = .digest(a, b, c, d)
        }

        /// The content hash of a run without a state file, which never compares content hashes.
        static let notHashed = Code.text("")

        /// Lower-case hex of 32 bytes is stored as the digest, so equal text gives equal codes.
        init(_ text: String) {
            let utf8 = text.utf8
            guard utf8.count == 64, utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) else {
                self = .text(text)
                return
            }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(32)
            var high: UInt8 = 0
            for (i, c) in utf8.enumerated() {
                let v = c <= 0x39 ? c - 0x30 : c - 0x57
                if i % 2 == 0 { high = v } else { bytes.append(high << 4 | v) }
            }
            self.init(digest: bytes)
        }

        var text: String {
            switch self {
            case .text(let t): return t
            case .digest(let a, let b, let c, let d):
                var bytes: [UInt8] = []
                bytes.reserveCapacity(32)
                for word in [a, b, c, d] {
                    for shift in stride(from: 56, through: 0, by: -8) {
                        bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
                    }
                }
                return bytes.hexString
            }
        }
    }

    var fingerprintCode: Code
    var contentCode: Code

    public var fingerprint: String {
        get { fingerprintCode.text }
        set { fingerprintCode = Code(newValue) }
    }

    public var contentHash: String {
        get { contentCode.text }
        set { contentCode = Code(newValue) }
    }

    public init(fingerprint: String, contentHash: String) {
        fingerprintCode = Code(fingerprint)
        contentCode = Code(contentHash)
    }

    init(fingerprint: Code, content: Code) {
        fingerprintCode = fingerprint
        contentCode = content
    }

    enum CodingKeys: String, CodingKey {
        case fingerprint, contentHash
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            fingerprint: try c.decode(String.self, forKey: .fingerprint),
            contentHash: try c.decode(String.self, forKey: .contentHash))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(fingerprint, forKey: .fingerprint)
        try c.encode(contentHash, forKey: .contentHash)
    }
}

/// One form row, normalized: the unit that Resolve groups into households.
///
/// A run holds every row's submission at once (a million at 1M rows), so fields most rows leave
/// empty live in one optional side box, and the contact window (a handful of distinct values the
/// normalizer shares between rows) behind a reference: 376 bytes a row became about 250.
public struct Submission: Sendable {
    public var source: SourceRef
    public var identity: SubmissionIdentity?
    public var submittedAt: LocalDateTime?
    public var guardianName: PersonName?
    public var phones: PhoneList
    public var address: Address?
    public var children: [ChildEntry]
    public var careTypes: [CareType]
    public var flags: [HouseholdFlag]
    public var memo: String?
    public var issues: [RowIssue]
    private var window: Shared<ContactWindow>?
    private var rare: Shared<Rare>?

    /// The fields most rows leave empty.
    struct Rare: Sendable {
        var alsoSeenAt: [SourceRef] = []
        var knownApplicantID: String?
        var language: String?
        var extra: [ExtraCell] = []

        var isEmpty: Bool { alsoSeenAt.isEmpty && knownApplicantID == nil && language == nil && extra.isEmpty }
    }

    public init(
        source: SourceRef, alsoSeenAt: [SourceRef] = [], identity: SubmissionIdentity? = nil,
        knownApplicantID: String? = nil,
        submittedAt: LocalDateTime? = nil, guardianName: PersonName? = nil, phones: PhoneList, address: Address? = nil,
        children: [ChildEntry], careTypes: [CareType], contactWindow: ContactWindow? = nil, language: String? = nil,
        flags: [HouseholdFlag], memo: String? = nil, extra: [ExtraCell], issues: [RowIssue]
    ) {
        self.init(
            source: source, alsoSeenAt: alsoSeenAt, identity: identity, knownApplicantID: knownApplicantID,
            submittedAt: submittedAt,
            guardianName: guardianName, phones: phones, address: address, children: children, careTypes: careTypes,
            contactWindow: contactWindow, language: language, flags: flags, memo: memo, extra: extra, issues: issues,
            sharedContactWindow: nil)
    }

    /// With a contact window already boxed (the normalizer's memo hands out one box per distinct cell
    /// text), so rows with the same window share it. Inlined into the builder, which then builds the
    /// submission in its result (called, it built it aside and copied it there).
    @inline(__always)
    init(
        source: SourceRef, alsoSeenAt: [SourceRef], identity: SubmissionIdentity?, knownApplicantID: String?,
        submittedAt: LocalDateTime?, guardianName: PersonName?, phones: PhoneList, address: Address?,
        children: [ChildEntry], careTypes: [CareType], contactWindow: ContactWindow?, language: String?,
        flags: [HouseholdFlag], memo: String?, extra: [ExtraCell], issues: [RowIssue],
        sharedContactWindow: Shared<ContactWindow>?
    ) {
        // The fields are set here, and the public init delegates to this one: the other way round (this
        // one delegating, then replacing the window) copied the whole submission twice per row.
        self.source = source
        self.identity = identity
        self.submittedAt = submittedAt
        self.guardianName = guardianName
        self.phones = phones
        self.address = address
        self.children = children
        self.careTypes = careTypes
        self.flags = flags
        self.memo = memo
        self.issues = issues
        self.window = sharedContactWindow ?? contactWindow.map(Shared.init)
        let rare = Rare(alsoSeenAt: alsoSeenAt, knownApplicantID: knownApplicantID, language: language, extra: extra)
        self.rare = rare.isEmpty ? nil : Shared(rare)
    }

    public var contactWindow: ContactWindow? {
        get { window?.value }
        set { window = newValue.map(Shared.init) }
    }

    private var rareFields: Rare {
        get { rare?.value ?? Rare() }
        set { rare = newValue.isEmpty ? nil : Shared(newValue) }
    }

    /// The same submission seen again in this run (another export of the same form).
    public var alsoSeenAt: [SourceRef] {
        get { rare?.value.alsoSeenAt ?? [] }
        set { rareFields.alsoSeenAt = newValue }
    }
    /// The household id this submission had in earlier runs (from the state database).
    public var knownApplicantID: String? {
        get { rare?.value.knownApplicantID }
        set { rareFields.knownApplicantID = newValue }
    }
    /// A language the counselor must speak; nil = Korean (or not asked).
    public var language: String? {
        get { rare?.value.language }
        set { rareFields.language = newValue }
    }
    public var extra: [ExtraCell] {
        get { rare?.value.extra ?? [] }
        set { rareFields.extra = newValue }
    }
}

extension Submission: Codable {
    // The keys the struct had when every field was stored (state payloads are unchanged).
    enum CodingKeys: String, CodingKey {
        case source, alsoSeenAt, identity, knownApplicantID, submittedAt, guardianName, phones, address, children,
            careTypes
        case contactWindow, language, flags, memo, extra, issues
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            source: try c.decode(SourceRef.self, forKey: .source),
            alsoSeenAt: try c.decode([SourceRef].self, forKey: .alsoSeenAt),
            identity: try c.decodeIfPresent(SubmissionIdentity.self, forKey: .identity),
            knownApplicantID: try c.decodeIfPresent(String.self, forKey: .knownApplicantID),
            submittedAt: try c.decodeIfPresent(LocalDateTime.self, forKey: .submittedAt),
            guardianName: try c.decodeIfPresent(PersonName.self, forKey: .guardianName),
            phones: try c.decode(PhoneList.self, forKey: .phones),
            address: try c.decodeIfPresent(Address.self, forKey: .address),
            children: try c.decode([ChildEntry].self, forKey: .children),
            careTypes: try c.decode([CareType].self, forKey: .careTypes),
            contactWindow: try c.decodeIfPresent(ContactWindow.self, forKey: .contactWindow),
            language: try c.decodeIfPresent(String.self, forKey: .language),
            flags: try c.decode([HouseholdFlag].self, forKey: .flags),
            memo: try c.decodeIfPresent(String.self, forKey: .memo),
            extra: try c.decode([ExtraCell].self, forKey: .extra),
            issues: try c.decode([RowIssue].self, forKey: .issues))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(source, forKey: .source)
        try c.encode(alsoSeenAt, forKey: .alsoSeenAt)
        try c.encodeIfPresent(identity, forKey: .identity)
        try c.encodeIfPresent(knownApplicantID, forKey: .knownApplicantID)
        try c.encodeIfPresent(submittedAt, forKey: .submittedAt)
        try c.encodeIfPresent(guardianName, forKey: .guardianName)
        try c.encode(phones, forKey: .phones)
        try c.encodeIfPresent(address, forKey: .address)
        try c.encode(children, forKey: .children)
        try c.encode(careTypes, forKey: .careTypes)
        try c.encodeIfPresent(contactWindow, forKey: .contactWindow)
        try c.encodeIfPresent(language, forKey: .language)
        try c.encode(flags, forKey: .flags)
        try c.encodeIfPresent(memo, forKey: .memo)
        try c.encode(extra, forKey: .extra)
        try c.encode(issues, forKey: .issues)
    }
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
