import CDolbomSystem
import DolbomGeo
import DolbomNormalize

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

    /// Immutable once made: a `let` of a class is memory the optimizer knows no one writes, so a getter
    /// inlined into a reader (the writers read some fifteen fields per household) borrows the field from
    /// the box instead of retaining a copy of it. A change makes a new box (rare: merge links and
    /// renumbered ids once per household in Resolve).
    private final class Box: Sendable {
        let fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var box: Box

    private var fields: Fields {
        get { box.fields }
        _modify {
            var changed = box.fields
            yield &changed
            box = Box(changed)
        }
    }

    init(applicantID: String, guardianName: PersonName?, phones: [PhoneNumber], address: Address?, children: [Child],
         careTypes: [CareType], contactWindow: ContactWindow?, language: String? = nil, flags: [HouseholdFlag], memos: [String],
         firstSubmittedAt: LocalDateTime?, lastSubmittedAt: LocalDateTime?, sources: [SourceRef], extra: [ExtraCell],
         issues: [RowIssue], mergeEvidence: [String]) {
        box = Box(Fields(applicantID: applicantID, guardianName: guardianName, phones: phones, address: address, children: children,
                         careTypes: careTypes, contactWindow: contactWindow, language: language, flags: flags, memos: memos,
                         firstSubmittedAt: firstSubmittedAt, lastSubmittedAt: lastSubmittedAt, sources: sources, extra: extra,
                         issues: issues, mergeTexts: mergeEvidence))
    }

    /// A household of fields gathered elsewhere (Resolve's merge), with the links why its rows were merged.
    init(_ fields: consuming Fields, mergeLinks: [MergeLink] = []) {
        if !mergeLinks.isEmpty { fields.mergeLinks = mergeLinks }
        box = Box(fields)
    }

    /// Stable across runs for the same family; never derived in a way that reveals a phone number.
    public var applicantID: String {
        get { box.fields.applicantID }
        _modify { yield &fields.applicantID }
    }
    public var guardianName: PersonName? {
        get { box.fields.guardianName }
        _modify { yield &fields.guardianName }
    }
    /// Distinct numbers, the latest submission's primary first.
    public var phones: [PhoneNumber] {
        get { box.fields.phones }
        _modify { yield &fields.phones }
    }
    public var address: Address? {
        get { box.fields.address }
        _modify { yield &fields.address }
    }
    public var children: [Child] {
        get { box.fields.children }
        _modify { yield &fields.children }
    }
    public var careTypes: [CareType] {
        get { box.fields.careTypes }
        _modify { yield &fields.careTypes }
    }
    public var contactWindow: ContactWindow? {
        get { box.fields.contactWindow }
        _modify { yield &fields.contactWindow }
    }
    /// A language the counselor must speak (`베트남어`), from the form's language question; nil = Korean.
    public var language: String? {
        get { box.fields.language }
        _modify { yield &fields.language }
    }
    public var flags: [HouseholdFlag] {
        get { box.fields.flags }
        _modify { yield &fields.flags }
    }
    public var memos: [String] {
        get { box.fields.memos }
        _modify { yield &fields.memos }
    }
    public var firstSubmittedAt: LocalDateTime? {
        get { box.fields.firstSubmittedAt }
        _modify { yield &fields.firstSubmittedAt }
    }
    public var lastSubmittedAt: LocalDateTime? {
        get { box.fields.lastSubmittedAt }
        _modify { yield &fields.lastSubmittedAt }
    }
    public var sources: [SourceRef] {
        get { box.fields.sources }
        _modify {
            // Merge links point into the sources: fix them as text before the sources change.
            if !box.fields.mergeLinks.isEmpty { mergeEvidence = mergeEvidence }
            yield &fields.sources
        }
    }
    public var extra: [ExtraCell] {
        get { box.fields.extra }
        _modify { yield &fields.extra }
    }
    public var issues: [RowIssue] {
        get { box.fields.issues }
        _modify { yield &fields.issues }
    }
    /// Why these rows became one household (e.g. `same_phone`).
    public var mergeEvidence: [String] {
        get { box.fields.mergeTexts + box.fields.mergeLinks.map { $0.text(box.fields.sources) } }
        set {
            var changed = box.fields
            changed.mergeTexts = newValue
            changed.mergeLinks = []
            box = Box(changed)
        }
    }

    public var primaryPhone: PhoneNumber? { phones.first }

    /// Whether the official address file has the household's road address (false without the file).
    public var addressVerified: Bool { box.fields.addressVerified }
    /// The building's entrance (verified addresses) or the 읍면동/시군구 point; nil when the 시군구 is unknown.
    public var location: Location? { box.fields.location }

    /// Set once per household by the address step after Resolve.
    mutating func setLocation(_ location: Location?, verified: Bool) {
        fields.location = location
        fields.addressVerified = verified
    }

    /// Whether the id was issued by an earlier run (see `HouseholdResolver.assignIDs`).
    var idFromState: Bool { box.fields.idFromState }
    var naturalIDDigits: String? { box.fields.naturalIDDigits }
}

/// Asks for all of an address's parts (`Address.partsByteCount` from `parts`); nil asks for nothing.
@inline(__always) func prefetchAddressParts(_ parts: UnsafeRawPointer?) {
    guard let parts else { return }
    for line in stride(from: 0, to: Address.partsByteCount, by: 64) { dolbom_prefetch(parts + line) }
}

extension Household {
    /// `mergeEvidence` as stored: texts, then links to render against `sources`. The applicants file
    /// writes the links' text straight into its buffer instead of making a string for each.
    /// Inlined, so the arrays are read from the immutable box without a retained copy.
    @inline(__always)
    var storedMergeEvidence: (texts: [String], links: [MergeLink]) { (box.fields.mergeTexts, box.fields.mergeLinks) }
}

extension Household {
    /// Asks for a household's fields to be loaded a few households before a writer reaches it: walking half
    /// a million households in order, each one's box, arrays and address are elsewhere in memory, and the
    /// writer waited for every one in turn (the retain of a field not yet loaded stalls the core). Writers
    /// call this for the household eight on and `prefetchParts` for the one four on, whose fields have
    /// arrived by then. Nothing is retained (a retain is the very wait this avoids); hints change no result.
    @inline(__always) static func prefetchFields(of h: borrowing Household) {
        let p = UnsafeRawPointer(Unmanaged.passUnretained(h.box).toOpaque())
        for line in stride(from: 0, to: MemoryLayout<Fields>.size + 16, by: 64) { dolbom_prefetch(p + line) }
    }

    /// `prefetchFields` of the household stored at `offset` in the value at `p` (an entry read through a
    /// pointer: reading the household out of it copied the whole entry). A household is its box reference.
    @inline(__always) static func prefetchFields(in p: UnsafeRawPointer, at offset: Int) {
        let box = p.load(fromByteOffset: offset, as: UnsafeRawPointer.self)
        for line in stride(from: 0, to: MemoryLayout<Fields>.size + 16, by: 64) { dolbom_prefetch(box + line) }
    }

    /// `prefetchParts` of the household stored at `offset` in the value at `p`.
    @inline(__always) static func prefetchParts(in p: UnsafeRawPointer, at offset: Int) {
        let box = p.load(fromByteOffset: offset, as: UnsafeRawPointer.self)
        prefetchParts(Unmanaged<Box>.fromOpaque(box))
    }

    /// The address and the arrays of children, phones, sources and flags a household's fields point to.
    @inline(__always) static func prefetchParts(of h: borrowing Household) {
        prefetchParts(Unmanaged.passUnretained(h.box))
    }

    @inline(__always) private static func prefetchParts(_ box: Unmanaged<Box>) {
        // The references are read as words from the box (which `prefetchFields` asked for): going through
        // an array's buffer pointer read its count, a load from the very memory being asked for, which
        // stalled here instead of at the writer.
        let box = UnsafeRawPointer(box.toOpaque())
        prefetchAddressParts(partWord(inBox: box, at: PartOffsets.address))
        if let children = partWord(inBox: box, at: PartOffsets.children) {
            dolbom_prefetch(children)
            dolbom_prefetch(children + 64)
        }
        dolbom_prefetch(partWord(inBox: box, at: PartOffsets.phones))
        dolbom_prefetch(partWord(inBox: box, at: PartOffsets.sources))
        dolbom_prefetch(partWord(inBox: box, at: PartOffsets.flags))
    }

    /// The word at `offset` (a `PartOffsets` member) of the fields of the household box at `box`.
    @inline(__always) private static func partWord(inBox box: UnsafeRawPointer, at offset: Int) -> UnsafeRawPointer? {
        (box + PartOffsets.fields).load(fromByteOffset: offset, as: UnsafeRawPointer?.self)
    }

    /// The word at `offset` of this household's fields, as the prefetches read it (for tests that pin them).
    func partWord(at offset: Int) -> UnsafeRawPointer? {
        Self.partWord(inBox: UnsafeRawPointer(Unmanaged.passUnretained(box).toOpaque()), at: offset)
    }

    /// Where a household box's references to its parts are: its fields follow the object header (two words);
    /// an optional address and an array are each one reference (pinned by tests).
    enum PartOffsets {
        static let fields = 2 * MemoryLayout<Int>.size
        static let address = MemoryLayout<Fields>.offset(of: \Fields.address)!
        static let children = MemoryLayout<Fields>.offset(of: \Fields.children)!
        static let phones = MemoryLayout<Fields>.offset(of: \Fields.phones)!
        static let sources = MemoryLayout<Fields>.offset(of: \Fields.sources)!
        static let flags = MemoryLayout<Fields>.offset(of: \Fields.flags)!
    }

    /// Both, for a writer about to write household `i` of `range` of `all`; with `text`, also the address
    /// text of the household two on (`prefetchAddressText`), for writers that copy it.
    @inline(__always) static func prefetch(_ all: UnsafeBufferPointer<Household>, ahead i: Int, in range: Range<Int>, text: Bool = false) {
        if i + 8 < range.upperBound { prefetchFields(of: all[i + 8]) }
        if i + 4 < range.upperBound { prefetchParts(of: all[i + 4]) }
        if text && i + 2 < range.upperBound { prefetchAddressText(in: UnsafeRawPointer(all.baseAddress! + i + 2), at: 0) }
    }

    /// The bytes of the address text of the household stored at `offset` in the value at `p`, whose parts
    /// `prefetchParts` asked for two steps before (`Address.textBytesHint`).
    @inline(__always) static func prefetchAddressText(in p: UnsafeRawPointer, at offset: Int) {
        let box = p.load(fromByteOffset: offset, as: UnsafeRawPointer.self)
        guard let parts = partWord(inBox: box, at: PartOffsets.address) else { return }
        dolbom_prefetch(Address.textBytesHint(parts: parts))
    }
}
