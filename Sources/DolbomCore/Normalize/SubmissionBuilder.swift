import DolbomNormalize
import DolbomRuntime
import Foundation

/// The Normalize stage: turns one raw row into a typed `Submission`, or a
/// `Reject` that says what to fix. Pure: the same row and settings always give
/// the same answer.
public struct SubmissionBuilder: Sendable {
    public enum Outcome: Sendable {
        case submission(Submission)
        case reject(Reject)
    }

    public var asOf: LocalDate
    public var servedAges: ClosedRange<Int>
    public var addresses: AddressNormalizer

    public init(
        asOf: LocalDate, servedAges: ClosedRange<Int> = 0...12, addresses: AddressNormalizer = AddressNormalizer()
    ) {
        self.asOf = asOf
        self.servedAges = servedAges
        self.addresses = addresses
    }

    /// Test entries parents and staff leave in forms.
    static let testNames: Set<String> = ["테스트", "test", "테스트입니다", "시험", "tester", "ㅌㅅㅌ"]
    private static let longestTestName = testNames.map(\.unicodeScalars.count).max()!
    private static let testNameStarts = Set(testNames.compactMap(\.unicodeScalars.first))

    /// Several children written in one name cell (`노시윤, 노시아`): one child per name, each with its age when
    /// the age cell holds as many (`7세, 5세`); otherwise no age is given to any of them (the text is kept and
    /// the counselor asks), so no child gets another's age.
    func severalChildren(
        _ names: [String], label: String, cells: (birthOrAge: String?, birth: String?, age: String?, grade: String?),
        ages: ChildAgeNormalizer, issues: inout [RowIssue]
    ) -> [ChildEntry] {
        let given = [cells.birthOrAge, cells.birth, cells.age, cells.grade].compactMap { $0 }
        let perChild = given.count == 1 ? ChildNameList.splitAges(given[0], count: names.count) : nil
        if !given.isEmpty && perChild == nil {
            issues.append(
                RowIssue(
                    field: "\(label).age",
                    .warning(
                        "children_age_unpaired",
                        "자녀 \(names.count)명(\(names.joined(separator: ", ")))의 나이가 '\(given.joined(separator: " / "))'로 함께 적혀 있어 누구의 나이인지 정하지 않았습니다. 자녀별 생년월일을 여쭤 주세요."
                    )))
        }
        var out: [ChildEntry] = []
        for (k, text) in names.enumerated() {
            let result = NameNormalizer.normalize(text)
            if !result.issues.isEmpty {
                issues.append(contentsOf: result.issues.map { RowIssue(field: "\(label).name", $0) })
            }
            var age: ChildAge?
            var ageText = given.joined(separator: " / ")
            var ageResult: Normalized<ChildAge>?
            if let perChild {
                let part = perChild[k]
                ageText = part
                ageResult =
                    cells.birthOrAge != nil
                    ? ages.normalize(part)
                    : ages.normalize(
                        birth: cells.birth.map { _ in part }, age: cells.age.map { _ in part },
                        grade: cells.grade.map { _ in part })
            } else if given.isEmpty && k == 0 {
                ageResult = ages.normalize(birth: nil, age: nil, grade: nil)  // the usual `age_missing`, once
            }
            if let ageResult {
                if !ageResult.issues.isEmpty {
                    issues.append(contentsOf: ageResult.issues.map { RowIssue(field: "\(label).age", $0) })
                }
                age = ageResult.value
            }
            out.append(ChildEntry(name: result.value, age: age, ageText: ageText))
        }
        return out
    }

    /// Whether a name cell is one of `testNames`, ignoring white space and letter case. Folds only ASCII
    /// letters: no other letter lower-cases to one of these words' letters, and the cell is not copied
    /// for the common case of a real name (called for every row).
    static func isTestName(_ text: String) -> Bool {
        var folded = String.UnicodeScalarView()
        var count = 0
        for scalar in text.unicodeScalars where !scalar.isTrimmableWhitespace {
            count += 1
            if count > longestTestName { return false }
            let lower = scalar.value >= 0x41 && scalar.value <= 0x5A ? Unicode.Scalar(scalar.value + 0x20)! : scalar
            if count == 1 && !testNameStarts.contains(lower) { return false }  // 김, 이, 박…: decided by the first letter
            folded.append(lower)
        }
        return count > 0 && testNames.contains(String(folded))
    }

    public func build(_ record: RawRecord, mapping: HeaderMapping, koreanAgeWording: Bool = false) -> Outcome {
        build(record, mapping: mapping, columns: ColumnPlan(mapping), koreanAgeWording: koreanAgeWording, memo: nil)
    }

    /// `memo` remembers what the pure field normalizers made of cells seen before (one per thread);
    /// `columns` is `mapping` worked out once per batch; `trimmed` names cells the decoder found
    /// without white space at either end, taken as they are.
    func build(
        _ record: RawRecord, mapping: HeaderMapping, columns: ColumnPlan, koreanAgeWording: Bool, memo: NormalizeMemo?,
        trimmed: TrimmedCells = .unknown
    ) -> Outcome {
        func trimmedCell(_ column: Int) -> String {
            trimmed.contains(column) ? record.cell(column) : record.cell(column).trimmedWhitespace
        }
        func cell(_ field: CanonicalField) -> String? {
            columns.column(field).map(trimmedCell)
        }
        func allCells() -> [ExtraCell] {
            mapping.headers.indices.map { ExtraCell(column: mapping.headers[$0], value: record.cell($0)) }
                + (mapping.headers.count..<max(mapping.headers.count, record.cells.count)).map {
                    ExtraCell(column: "열\($0 + 1)", value: record.cell($0))
                }
        }
        func reject(_ reason: String, _ message: String, column: CanonicalField? = nil, value: String? = nil) -> Outcome
        {
            let header = column.flatMap { columns.column($0) }.map { mapping.headers[$0] }
            return .reject(
                Reject(
                    file: record.file, row: record.row, reason: reason, message: message,
                    column: header, value: value, cells: allCells()))
        }

        // A cell marked trimmed and not empty starts with a letter that is not white space: the
        // row is not empty (the usual row is decided at its first cell).
        let knownNotEmpty = record.cells.indices.contains { trimmed.contains($0) && !record.cells[$0].isEmpty }
        if !knownNotEmpty && record.isEmpty {
            return reject("empty_row", "빈 행입니다. 내용이 없으면 지워도 됩니다.")
        }

        var issues: [RowIssue] = []
        // The field's name is made only when there is an issue to file under it (most cells have none).
        func collect<T>(_ field: @autoclosure () -> String, _ result: Normalized<T>) -> T? {
            if !result.issues.isEmpty {
                let name = field()
                issues.append(contentsOf: result.issues.map { RowIssue(field: name, $0) })
            }
            return result.value
        }

        // Consent decides first: without it nothing else may be processed.
        if let consentText = cell(.consent) {
            let consent =
                memo?.consent.value(consentText, ConsentNormalizer.normalize)
                ?? ConsentNormalizer.normalize(consentText)
            if consent.value != true {
                let message =
                    consent.issues.first?.message
                    ?? "개인정보 수집·이용에 동의하지 않은 신청입니다. 동의를 받은 뒤 다시 접수해 주세요."
                return reject("consent_missing", message, column: .consent, value: consentText)
            }
        }

        let nameText = cell(.guardianName) ?? ""
        let name = memo?.names.value(nameText, NameNormalizer.normalize) ?? NameNormalizer.normalize(nameText)
        let phoneText = cell(.guardianPhone) ?? ""
        let phone = PhoneNormalizer.normalize(phoneText)

        // Test rows: a placeholder name the form allows, or a placeholder number.
        if Self.isTestName(nameText) {
            return reject(
                "test_submission", "시험용(테스트) 신청으로 보입니다(보호자 이름 '\(nameText)'). 실제 신청이면 이름을 고쳐 다시 실행해 주세요.",
                column: .guardianName, value: nameText)
        }
        if phone.issues.contains(where: { $0.code == "phone_placeholder" }) {
            return reject(
                "test_submission", "시험용 전화번호(예: 010-0000-0000)입니다. 실제 신청이면 번호를 고쳐 다시 실행해 주세요.",
                column: .guardianPhone, value: Masking.phone(phoneText))
        }
        guard let phones = phone.value else {
            let issue = phone.issues.first { $0.severity == .fatal }
            let code = issue?.code ?? "phone_missing"
            let message = issue?.message ?? "보호자 연락처가 없어 상담 전화를 드릴 수 없습니다. 연락처를 확인해 주세요."
            return reject(
                code, message, column: .guardianPhone, value: phoneText.isEmpty ? nil : Masking.phone(phoneText))
        }
        issues.append(contentsOf: phone.issues.map { RowIssue(field: "guardian_phone", $0) })
        let guardianName = collect("guardian_name", name)

        var submittedAt: LocalDateTime?
        if let text = cell(.submittedAt) {
            submittedAt = collect("submitted_at", TimestampNormalizer.normalize(text))
        }

        var address: Address?
        if var text = cell(.address) {
            if let detail = cell(.addressDetail), !detail.isEmpty { text += " " + detail }
            if let postal = cell(.postalCode), !postal.isEmpty { text = "[\(postal)] " + text }
            // Siblings' rows and resubmissions repeat the address: read once, and the rows share one `Address`.
            address = collect(
                "address", memo?.addresses.value(text) { addresses.normalize($0) } ?? addresses.normalize(text))
        } else {
            issues.append(RowIssue(field: "address", .warning("address_missing", "주소 열이 없습니다. 통화할 때 주소를 여쭤 주세요.")))
        }

        let ages = ChildAgeNormalizer(asOf: asOf, koreanAgeWording: koreanAgeWording, servedAges: servedAges)
        var children: [ChildEntry] = []
        for (index, slot) in columns.childSlots.enumerated() {
            func slotCell(_ field: CanonicalField) -> String? {
                slot[field].map(trimmedCell).flatMap { $0.isEmpty ? nil : $0 }
            }
            let childName = slotCell(.childName)
            let birthOrAge = slotCell(.childBirthOrAge)
            let birth = slotCell(.childBirth)
            let age = slotCell(.childAge)
            let grade = slotCell(.childGrade)
            if childName == nil && birthOrAge == nil && birth == nil && age == nil && grade == nil { continue }
            let label = mapping.layout == .rowPerFamily ? "child[\(index + 1)]" : "child"
            if let childName, let names = ChildNameList.split(childName) {
                children += severalChildren(
                    names, label: label, cells: (birthOrAge, birth, age, grade), ages: ages,
                    issues: &issues)
                continue
            }
            let parsedName = childName.flatMap { text in
                collect(
                    "\(label).name", memo?.names.value(text, NameNormalizer.normalize) ?? NameNormalizer.normalize(text)
                )
            }
            let ageResult: Normalized<ChildAge>
            if let birthOrAge, birth == nil, age == nil, grade == nil {
                if let memo {
                    // Closures, not `ages.normalize` as a value: that allocated a context for every row.
                    ageResult =
                        koreanAgeWording
                        ? memo.koreanAges.value(birthOrAge) { ages.normalize($0) }
                        : memo.ages.value(birthOrAge) { ages.normalize($0) }
                } else {
                    ageResult = ages.normalize(birthOrAge)
                }
            } else {
                ageResult = ages.normalize(birth: birth ?? birthOrAge, age: age, grade: grade)
            }
            let parsedAge = collect("\(label).age", ageResult)
            // The texts given, joined by " / " (one text is used as it is).
            var ageText = ""
            func add(_ text: String?) {
                guard let text else { return }
                if !ageText.isEmpty { ageText += " / " }
                ageText += text
            }
            add(birthOrAge)
            add(birth)
            add(age)
            add(grade)
            children.append(ChildEntry(name: parsedName, age: parsedAge, ageText: ageText))
        }
        if children.isEmpty {
            issues.append(RowIssue(field: "child", .warning("child_missing", "자녀 정보(이름·나이)가 없습니다. 통화할 때 여쭤 주세요.")))
        }

        // Checkbox cells repeat the same few texts: with a memo they are read once, and the
        // submissions share one copy of each result.
        let careTypes =
            cell(.careType).flatMap { text in
                collect(
                    "care_type",
                    memo?.careTypes.value(text, CareTypeNormalizer.normalize) ?? CareTypeNormalizer.normalize(text))
            } ?? []
        // One boxed window per distinct text: rows with the same answer share it.
        let window = cell(.contactWindow).flatMap { text in
            collect(
                "contact_window",
                memo?.contactWindows.value(text) { ContactWindowNormalizer.normalize($0).map(Shared.init) }
                    ?? ContactWindowNormalizer.normalize(text).map(Shared.init))
        }
        let flags =
            cell(.householdFlags).flatMap { text in
                collect(
                    "household_flags",
                    memo?.flags.value(text, HouseholdFlagNormalizer.normalize)
                        ?? HouseholdFlagNormalizer.normalize(text))
            } ?? []
        let memo = cell(.memo).flatMap { $0.isEmpty ? nil : $0 }
        let language = cell(.language).flatMap { collect("language", LanguageNormalizer.normalize($0)) }
        let extra = columns.passThrough.compactMap { column -> ExtraCell? in
            let value = record.cell(column)
            return value.isEmpty ? nil : ExtraCell(column: mapping.headers[column], value: value)
        }

        let submission = Submission(
            source: SourceRef(file: record.file, row: record.row), alsoSeenAt: [], identity: nil, knownApplicantID: nil,
            submittedAt: submittedAt, guardianName: guardianName, phones: phones, address: address,
            children: consume children, careTypes: careTypes, contactWindow: nil, language: language, flags: flags,
            memo: memo, extra: extra, issues: issues, sharedContactWindow: window)
        return .submission(consume submission)
    }
}

/// Where each field of one export sits, worked out once per batch: asking the header mapping per row
/// searched its roles for every field and built the child slots' dictionaries anew for every row.
struct ColumnPlan: Sendable {
    /// A child slot's columns (one slot per row-per-child export, one per child in a row-per-family form).
    struct ChildSlot: Sendable {
        var name, birthOrAge, birth, age, grade: Int?

        subscript(field: CanonicalField) -> Int? {
            switch field {
            case .childName: return name
            case .childBirthOrAge: return birthOrAge
            case .childBirth: return birth
            case .childAge: return age
            case .childGrade: return grade
            default: return nil
            }
        }
    }

    private var ordered: [Int?]
    let childSlots: [ChildSlot]
    let passThrough: [Int]

    init(_ mapping: HeaderMapping) {
        ordered = CanonicalField.allCases.map { mapping.column($0) }
        childSlots = mapping.childSlots.map { slot in
            ChildSlot(
                name: slot[.childName], birthOrAge: slot[.childBirthOrAge], birth: slot[.childBirth],
                age: slot[.childAge],
                grade: slot[.childGrade])
        }
        passThrough = mapping.passThroughColumns
    }

    func column(_ field: CanonicalField) -> Int? { ordered[field.ordinal] }
}

extension CanonicalField {
    /// The position in `allCases`, without searching it.
    var ordinal: Int {
        switch self {
        case .submittedAt: return 0
        case .guardianName: return 1
        case .guardianPhone: return 2
        case .address: return 3
        case .addressDetail: return 4
        case .postalCode: return 5
        case .childName: return 6
        case .childBirth: return 7
        case .childAge: return 8
        case .childGrade: return 9
        case .childBirthOrAge: return 10
        case .careType: return 11
        case .contactWindow: return 12
        case .householdFlags: return 13
        case .consent: return 14
        case .memo: return 15
        case .language: return 16
        }
    }
}

/// What the pure field normalizers made of cell texts already seen, for one
/// thread at a time. Only values a cell's text alone decides are kept (the age
/// normalizer's as-of date is fixed per run); each table is emptied when it
/// grows past `limit`, so free-text columns cannot make it large.
final class NormalizeMemo {
    /// Results by cell text (byte-equal texts share one), in the run's one byte-keyed table
    /// (`ByteKeyTable`, seeded per process, so an export cannot be crafted to pile texts into one slot).
    struct Table<Value> {
        private var entries: ByteKeyTable<Normalized<Value>>
        var limit: Int

        init(limit: Int = 4096, seed: UInt64 = SeededHash.processSeed, lengthOnlyHash: Bool = false) {
            self.limit = limit
            entries = ByteKeyTable(seed: seed, hashingLengthOnly: lengthOnlyHash)
        }

        /// How many texts are remembered.
        var count: Int { entries.count }

        mutating func value(_ text: String, _ normalize: (String) -> Normalized<Value>) -> Normalized<Value> {
            if let found = entries.entry(text) { return entries[entry: found] }
            let result = normalize(text)
            if entries.count >= limit { entries.removeAll() }
            entries.insert(text, result)
            return result
        }
    }

    // One thread at a time uses a memo (`MemoPool` hands each out to one task).
    var consent = Table<Bool>()
    var careTypes = Table<[CareType]>()
    var contactWindows = Table<Shared<ContactWindow>>()
    var flags = Table<[HouseholdFlag]>()
    var names = Table<PersonName>()
    var addresses = Table<Address>(limit: 32768)
    var ages = Table<ChildAge>()
    var koreanAges = Table<ChildAge>()
}
