import Crypto
import DolbomNormalize
import Foundation

/// The Resolve stage: groups submissions into households and merges them.
///
/// This first version links submissions that share the guardian's primary
/// phone number, the strongest single key a form has. Survivorship: the latest
/// submission wins per field unless it is empty; every distinct phone number
/// is kept (latest primary first); children are merged as a set by name;
/// flags and care types are unioned; every source row is kept.
public struct HouseholdResolver: Sendable {
    /// Secret mixed into applicant ids (configuration `id_key`).
    public var idKey: String

    public init(idKey: String = "dolbom") {
        self.idKey = idKey
    }

    public func resolve(_ submissions: [Submission]) -> [Household] {
        var groups: [String: [Submission]] = [:]
        for submission in submissions {
            groups[submission.phones.primary.digits, default: []].append(submission)
        }
        var households = groups.values.map { merge($0) }
        // An id remembered from earlier runs stays with the household holding the earliest of its
        // submissions; a group split off from it gets an id of its own.
        households.sort { a, b in
            if a.applicantID != b.applicantID { return a.applicantID < b.applicantID }
            switch (a.firstSubmittedAt, b.firstSubmittedAt) {
            case let (x?, y?) where x != y: return x < y
            case (_?, nil): return true
            case (nil, _?): return false
            default: return a.sources[0] < b.sources[0]
            }
        }
        var taken: Set<String> = []
        for i in households.indices where !taken.insert(households[i].applicantID).inserted {
            households[i].applicantID = applicantID(for: households[i].phones.last!.digits)
        }
        // Ids come from a keyed hash; on the rare collision, suffix in a stable order.
        households.sort { $0.applicantID != $1.applicantID ? $0.applicantID < $1.applicantID : $0.sources[0] < $1.sources[0] }
        var seen: [String: Int] = [:]
        for i in households.indices {
            let id = households[i].applicantID
            if let n = seen[id] {
                seen[id] = n + 1
                households[i].applicantID = "\(id)-\(n + 1)"
            } else {
                seen[id] = 1
            }
        }
        households.sort { $0.applicantID < $1.applicantID }
        return households
    }

    /// Submissions in the order "oldest first": by time, then by file and row.
    static func chronological(_ a: Submission, _ b: Submission) -> Bool {
        switch (a.submittedAt, b.submittedAt) {
        case let (x?, y?) where x != y: return x < y
        case (nil, _?): return true
        case (_?, nil): return false
        default: return a.source < b.source
        }
    }

    func merge(_ group: [Submission]) -> Household {
        let ordered = group.sorted(by: Self.chronological)
        let first = ordered[0]
        var household = Household(
            applicantID: ordered.compactMap(\.knownApplicantID).min() ?? applicantID(for: first.phones.primary.digits),
            guardianName: nil, phones: [], address: nil, children: [], careTypes: [], contactWindow: nil,
            flags: [], memos: [], firstSubmittedAt: ordered.compactMap(\.submittedAt).first,
            lastSubmittedAt: ordered.compactMap(\.submittedAt).last,
            sources: ordered.flatMap { [$0.source] + $0.alsoSeenAt }.sorted(), extra: [], issues: [],
            mergeEvidence: ordered.count > 1 ? ["same_phone"] : [])

        var careTypes: Set<CareType> = []
        var flags: Set<HouseholdFlag> = []
        var phones: [PhoneNumber] = []
        for submission in ordered {
            if let name = submission.guardianName { household.guardianName = name }
            if let address = submission.address, address.kind != .partial || household.address == nil || household.address?.kind == .partial {
                household.address = household.address.map { address.completed(from: $0) } ?? address
            }
            if let window = submission.contactWindow, !window.text.isEmpty || household.contactWindow == nil {
                household.contactWindow = window
            }
            if let memo = submission.memo, !household.memos.contains(memo) { household.memos.append(memo) }
            careTypes.formUnion(submission.careTypes)
            flags.formUnion(submission.flags)
            // Latest primary first, then the others in order of appearance.
            let numbers = [submission.phones.primary] + submission.phones.others
            phones.removeAll { numbers.contains($0) }
            phones.insert(contentsOf: numbers, at: 0)
            for child in submission.children { mergeChild(child, from: submission.source, into: &household.children) }
            for cell in submission.extra {
                household.extra.removeAll { $0.column == cell.column }
                household.extra.append(cell)
            }
        }
        household.phones = phones
        household.careTypes = CareType.allCases.filter { careTypes.contains($0) }
        household.flags = flags.sorted()
        // Every row's issues, each with the row it came from, oldest first.
        household.issues = ordered.flatMap { s in
            s.issues.map { issue in
                var located = issue
                located.source = s.source
                return located
            }
        }
        household.children.sort { childOrder($0, $1) }
        return household
    }

    private func childOrder(_ a: Household.Child, _ b: Household.Child) -> Bool {
        // Oldest child first, unknown ages last, then by name.
        switch (a.birthDate, b.birthDate) {
        case let (x?, y?) where x != y: return x < y
        default: break
        }
        switch (a.age, b.age) {
        case let (x?, y?) where x != y: return x > y
        case (_?, nil): return true
        case (nil, _?): return false
        default: return (a.name ?? "", a.sources.first!) < (b.name ?? "", b.sources.first!)
        }
    }

    private func mergeChild(_ entry: ChildEntry, from source: SourceRef, into children: inout [Household.Child]) {
        let incoming = Household.Child(name: entry.name?.name, birthDate: entry.age?.birthDate, age: entry.age?.age,
                                       schoolGrade: entry.age?.schoolGrade, ageText: entry.ageText.isEmpty ? nil : entry.ageText,
                                       sources: [source])
        if let index = children.firstIndex(where: { sameChild($0, incoming) }) {
            var merged = children[index]
            merged.name = incoming.name ?? merged.name
            merged.birthDate = incoming.birthDate ?? merged.birthDate
            merged.age = incoming.age ?? merged.age
            merged.schoolGrade = incoming.schoolGrade ?? merged.schoolGrade
            merged.ageText = incoming.ageText ?? merged.ageText
            merged.sources.append(source)
            children[index] = merged
        } else {
            children.append(incoming)
        }
    }

    private func sameChild(_ a: Household.Child, _ b: Household.Child) -> Bool {
        if let x = a.name, let y = b.name { return x == y }
        // Unnamed entries are the same child only if their age data is identical.
        return a.name == nil && b.name == nil && a.birthDate == b.birthDate && a.age == b.age && a.schoolGrade == b.schoolGrade
    }

    /// `H-` and 10 Crockford base-32 characters of HMAC-SHA256(id_key, phone):
    /// stable for a family, short enough to read out on the phone, and not
    /// reversible to the number without the installation's key.
    func applicantID(for phoneDigits: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("household:\(phoneDigits)".utf8),
                                                  using: SymmetricKey(data: Data(idKey.utf8)))
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        var bits: UInt64 = 0
        for byte in mac.prefix(8) { bits = bits << 8 | UInt64(byte) }
        var out = "H-"
        for i in 0..<10 { out.append(alphabet[Int((bits >> UInt64(59 - 5 * i)) & 31)]) }
        return out
    }
}
