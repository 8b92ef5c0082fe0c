import DolbomNormalize

/// The `applicants.jsonl` line for a household: the machine contract in docs/output.md.
struct ApplicantRecord: Encodable {
    struct Guardian: Encodable {
        var name: String?
        var role: String?
        var phone: String?
        var otherPhones: [String]

        enum CodingKeys: String, CodingKey {
            case name, role, phone
            case otherPhones = "other_phones"
        }
    }

    struct AddressRecord: Encodable {
        var sido, sigungu, eupmyeondong, ri, road: String?
        var buildingNumber: String?
        var underground: Bool
        var jibun, detail: String?
        var buildingName: String?
        var postalCode: String?
        var sigunguCode: String?
        var legalDongCode: String?
        var kind: String
        var text: String

        enum CodingKeys: String, CodingKey {
            case sido, sigungu, eupmyeondong, ri, road, underground, jibun, detail, kind, text
            case buildingNumber = "building_number"
            case buildingName = "building_name"
            case postalCode = "postal_code"
            case sigunguCode = "sigungu_code"
            case legalDongCode = "legal_dong_code"
        }

        init(_ a: Address) {
            sido = a.sido; sigungu = a.sigungu; eupmyeondong = a.eupmyeondong; ri = a.ri; road = a.road
            buildingNumber = a.buildingNumber; underground = a.underground; jibun = a.jibun; detail = a.detail
            buildingName = a.buildingName; postalCode = a.postalCode; sigunguCode = a.sigunguCode
            legalDongCode = a.legalDongCode; kind = a.kind.rawValue; text = a.text
        }
    }

    struct Child: Encodable {
        var name: String?
        var birthDate: String?
        var age: Int?
        var schoolGrade: Int?
        var ageText: String?

        enum CodingKeys: String, CodingKey {
            case name, age
            case birthDate = "birth_date"
            case schoolGrade = "school_grade"
            case ageText = "age_text"
        }
    }

    struct Window: Encodable {
        var days: String
        var anytime: Bool
        var ranges: [String]
        var text: String
    }

    var applicantID: String
    var guardian: Guardian
    var address: AddressRecord?
    var children: [Child]
    var careTypes: [String]
    var contactWindow: Window?
    var householdFlags: [String]
    var memos: [String]
    var firstSubmittedAt: String?
    var lastSubmittedAt: String?
    var sources: [SourceRef]
    var extra: [ExtraCell]
    var issues: [RowIssue]
    var mergeEvidence: [String]
    var status: String
    var callAttempts: Int
    var nextCallOn: String?
    var lastOutcome: String?

    enum CodingKeys: String, CodingKey {
        case guardian, address, children, memos, sources, extra, issues, status
        case callAttempts = "call_attempts"
        case nextCallOn = "next_call_on"
        case lastOutcome = "last_outcome"
        case applicantID = "applicant_id"
        case careTypes = "care_types"
        case contactWindow = "contact_window"
        case householdFlags = "household_flags"
        case firstSubmittedAt = "first_submitted_at"
        case lastSubmittedAt = "last_submitted_at"
        case mergeEvidence = "merge_evidence"
    }

    /// Encodes nil optionals as `null` so every key is always present (the contract says "null where unknown").
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(applicantID, forKey: .applicantID)
        try c.encode(guardian, forKey: .guardian)
        try c.encode(address, forKey: .address)
        try c.encode(children, forKey: .children)
        try c.encode(careTypes, forKey: .careTypes)
        try c.encode(contactWindow, forKey: .contactWindow)
        try c.encode(householdFlags, forKey: .householdFlags)
        try c.encode(memos, forKey: .memos)
        try c.encode(firstSubmittedAt, forKey: .firstSubmittedAt)
        try c.encode(lastSubmittedAt, forKey: .lastSubmittedAt)
        try c.encode(sources, forKey: .sources)
        try c.encode(extra, forKey: .extra)
        try c.encode(issues, forKey: .issues)
        try c.encode(mergeEvidence, forKey: .mergeEvidence)
        try c.encode(status, forKey: .status)
        try c.encode(callAttempts, forKey: .callAttempts)
        try c.encode(nextCallOn, forKey: .nextCallOn)
        try c.encode(lastOutcome, forKey: .lastOutcome)
    }

    init(_ h: Household, status: HouseholdStatus) {
        self.status = status.state.rawValue
        callAttempts = status.attempts
        nextCallOn = status.nextCallOn?.iso
        lastOutcome = status.lastOutcome
        applicantID = h.applicantID
        guardian = Guardian(name: h.guardianName?.name, role: h.guardianName?.role, phone: h.primaryPhone?.formatted,
                            otherPhones: h.phones.dropFirst().map(\.formatted))
        address = h.address.map(AddressRecord.init)
        children = h.children.map {
            Child(name: $0.name, birthDate: $0.birthDate?.iso, age: $0.age, schoolGrade: $0.schoolGrade, ageText: $0.ageText)
        }
        careTypes = h.careTypes.map(\.rawValue)
        contactWindow = h.contactWindow.map {
            Window(days: $0.days.rawValue, anytime: $0.anytime, ranges: $0.ranges.map(ContactWindowText.range), text: $0.text)
        }
        householdFlags = h.flags.map(\.rawValue)
        memos = h.memos
        firstSubmittedAt = h.firstSubmittedAt?.iso
        lastSubmittedAt = h.lastSubmittedAt?.iso
        sources = h.sources
        extra = h.extra
        issues = h.issues
        mergeEvidence = h.mergeEvidence
    }
}

extension ApplicantRecord.Child {
    // Explicit nulls for unknown values, like the parent record.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(birthDate, forKey: .birthDate)
        try c.encode(age, forKey: .age)
        try c.encode(schoolGrade, forKey: .schoolGrade)
        try c.encode(ageText, forKey: .ageText)
    }
}

extension ApplicantRecord.Guardian {
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(role, forKey: .role)
        try c.encode(phone, forKey: .phone)
        try c.encode(otherPhones, forKey: .otherPhones)
    }
}

extension ApplicantRecord.AddressRecord {
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sido, forKey: .sido)
        try c.encode(sigungu, forKey: .sigungu)
        try c.encode(eupmyeondong, forKey: .eupmyeondong)
        try c.encode(ri, forKey: .ri)
        try c.encode(road, forKey: .road)
        try c.encode(buildingNumber, forKey: .buildingNumber)
        try c.encode(underground, forKey: .underground)
        try c.encode(jibun, forKey: .jibun)
        try c.encode(detail, forKey: .detail)
        try c.encode(buildingName, forKey: .buildingName)
        try c.encode(postalCode, forKey: .postalCode)
        try c.encode(sigunguCode, forKey: .sigunguCode)
        try c.encode(legalDongCode, forKey: .legalDongCode)
        try c.encode(kind, forKey: .kind)
        try c.encode(text, forKey: .text)
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
