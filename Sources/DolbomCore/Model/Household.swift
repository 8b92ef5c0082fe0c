import DolbomNormalize

/// A guardian and their children: the unit of work for a counselor, made of
/// one or more submissions.
public struct Household: Sendable {
    public struct Child: Hashable, Sendable {
        public var name: String?
        public var birthDate: LocalDate?
        public var age: Int?
        public var schoolGrade: Int?
        public var ageText: String?
        public var sources: [SourceRef]
    }

    /// Stable across runs for the same family; never derived in a way that reveals a phone number.
    public var applicantID: String
    public var guardianName: PersonName?
    /// Distinct numbers, the latest submission's primary first.
    public var phones: [PhoneNumber]
    public var address: Address?
    public var children: [Child]
    public var careTypes: [CareType]
    public var contactWindow: ContactWindow?
    /// A language the counselor must speak (`베트남어`), from the form's language question; nil = Korean.
    public var language: String? = nil
    public var flags: [HouseholdFlag]
    public var memos: [String]
    public var firstSubmittedAt: LocalDateTime?
    public var lastSubmittedAt: LocalDateTime?
    public var sources: [SourceRef]
    public var extra: [ExtraCell]
    public var issues: [RowIssue]
    /// Why these rows became one household (e.g. `same_phone`).
    public var mergeEvidence: [String]

    public var primaryPhone: PhoneNumber? { phones.first }
}
