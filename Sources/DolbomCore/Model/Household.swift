import DolbomGeo
import DolbomNormalize
import DolbomRuntime

/// A guardian and their children: the unit of work for a counselor, made of
/// one or more submissions.
///
/// A value type whose fields live in one shared, copy-on-write box: the call
/// list, the state changes and the writers pass households around, and a copy
/// then costs one reference instead of half a kilobyte.
public struct Household: Sendable {
    public struct Child: Hashable, Sendable {
        public var name: String?
        public var birthDate: LocalDate?
        public var age: Int?
        public var schoolGrade: Int?
        public var ageText: String?
        public var sources: [SourceRef]
    }

    /// The fields, as the struct held them before they were boxed.
    struct Fields: Sendable {
        var applicantID: String
        var guardianName: PersonName?
        var phones: [PhoneNumber]
        var address: Address?
        var children: [Child]
        var careTypes: [CareType]
        var contactWindow: ContactWindow?
        var language: String?
        var flags: [HouseholdFlag]
        var memos: [String]
        var firstSubmittedAt: LocalDateTime?
        var lastSubmittedAt: LocalDateTime?
        var sources: [SourceRef]
        var extra: [ExtraCell]
        var issues: [RowIssue]
        var mergeTexts: [String]
        var mergeLinks: [MergeLink] = []
        /// Whether `applicantID` is one an earlier run issued (kept by the state), not this run's natural id.
        var idFromState = false
        /// The phone digits the natural id is made from (the first submission's primary), kept when the id
        /// came from the state: a household that loses its id to another claimant takes its natural id.
        var naturalIDDigits: String?
        /// The address was found in the official address file (`geo.address_db`).
        var addressVerified = false
        /// Where the household lives, as precisely as known (`address.location` in applicants.jsonl).
        var location: Location?
    }

    /// Why two of the household's rows were merged: indices into `sources`, the score and the packed field
    /// agreements (24 bytes), rendered as text only when written. A run at 1M rows makes about half a
    /// million of them, which as strings were about 70 MB alive until the end of the run.
    struct MergeLink: Sendable {
        var left: UInt32
        var right: UInt32
        var score: Double
        var fields: PairEvidence.Fields

        func text(_ sources: [SourceRef]) -> String {
            "\(sources[Int(left)].label) ~ \(sources[Int(right)].label): \(ScoreText.oneDecimal(score)) (\(fields.text))"
        }
    }

    /// The fields, shared by every copy (`SharedBox`): the writers read some fifteen fields per household
    /// and borrow each from the box. A change makes a new box (rare: merge links and renumbered ids once
    /// per household in Resolve).
    private var box: SharedBox<Fields>

    private var fields: Fields {
        _read { yield box.value }
        _modify { yield &box.value }
    }

    init(
        applicantID: String, guardianName: PersonName?, phones: [PhoneNumber], address: Address?, children: [Child],
        careTypes: [CareType], contactWindow: ContactWindow?, language: String? = nil, flags: [HouseholdFlag],
        memos: [String],
        firstSubmittedAt: LocalDateTime?, lastSubmittedAt: LocalDateTime?, sources: [SourceRef], extra: [ExtraCell],
        issues: [RowIssue], mergeEvidence: [String]
    ) {
        box = SharedBox(
            Fields(
                applicantID: applicantID, guardianName: guardianName, phones: phones, address: address,
                children: children,
                careTypes: careTypes, contactWindow: contactWindow, language: language, flags: flags, memos: memos,
                firstSubmittedAt: firstSubmittedAt, lastSubmittedAt: lastSubmittedAt, sources: sources, extra: extra,
                issues: issues, mergeTexts: mergeEvidence))
    }

    /// A household of fields gathered elsewhere (Resolve's merge), with the links why its rows were merged.
    init(_ fields: consuming Fields, mergeLinks: [MergeLink] = []) {
        if !mergeLinks.isEmpty { fields.mergeLinks = mergeLinks }
        box = SharedBox(fields)
    }

    /// Stable across runs for the same family; never derived in a way that reveals a phone number.
    public var applicantID: String {
        get { box.value.applicantID }
        _modify { yield &fields.applicantID }
    }
    public var guardianName: PersonName? { box.value.guardianName }
    /// Distinct numbers, the latest submission's primary first.
    public var phones: [PhoneNumber] { box.value.phones }
    public var address: Address? { box.value.address }
    public var children: [Child] { box.value.children }
    public var careTypes: [CareType] { box.value.careTypes }
    public var contactWindow: ContactWindow? { box.value.contactWindow }
    /// A language the counselor must speak (`베트남어`), from the form's language question; nil = Korean.
    public var language: String? { box.value.language }
    public var flags: [HouseholdFlag] { box.value.flags }
    public var memos: [String] { box.value.memos }
    public var firstSubmittedAt: LocalDateTime? { box.value.firstSubmittedAt }
    public var lastSubmittedAt: LocalDateTime? { box.value.lastSubmittedAt }
    public var sources: [SourceRef] {
        get { box.value.sources }
        _modify {
            // Merge links point into the sources: fix them as text before the sources change.
            if !box.value.mergeLinks.isEmpty { mergeEvidence = mergeEvidence }
            yield &fields.sources
        }
    }
    public var extra: [ExtraCell] { box.value.extra }
    public var issues: [RowIssue] {
        get { box.value.issues }
        _modify { yield &fields.issues }
    }
    /// Why these rows became one household (e.g. `same_phone`).
    public var mergeEvidence: [String] {
        get { box.value.mergeTexts + box.value.mergeLinks.map { $0.text(box.value.sources) } }
        set {
            var changed = box.value
            changed.mergeTexts = newValue
            changed.mergeLinks = []
            box = SharedBox(changed)
        }
    }

    public var primaryPhone: PhoneNumber? { phones.first }

    /// Whether the official address file has the household's road address (false without the file).
    public var addressVerified: Bool { box.value.addressVerified }
    /// The building's entrance (verified addresses) or the 읍면동/시군구 point; nil when the 시군구 is unknown.
    public var location: Location? { box.value.location }

    /// Set once per household by the address step after Resolve.
    mutating func setLocation(_ location: Location?, verified: Bool) {
        fields.location = location
        fields.addressVerified = verified
    }

    /// Whether the id was issued by an earlier run (see `HouseholdResolver.assignIDs`).
    var idFromState: Bool { box.value.idFromState }
    var naturalIDDigits: String? { box.value.naturalIDDigits }
}

extension Household {
    /// `mergeEvidence` as stored: texts, then links to render against `sources`. The applicants file
    /// writes the links' text straight into its buffer instead of making a string for each.
    /// Inlined, so the arrays are read from the immutable box without a retained copy.
    @inline(__always)
    var storedMergeEvidence: (texts: [String], links: [MergeLink]) { (box.value.mergeTexts, box.value.mergeLinks) }
}
