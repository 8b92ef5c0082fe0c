import DolbomNormalize
import DolbomRuntime

/// How two submissions compare, field by field, with the score that decides
/// whether they are one household. Kept for `duplicates.csv`, `review.csv`
/// and `dolbom explain`.
public struct PairEvidence: Sendable, Hashable {
    public enum Field: String, Sendable, Hashable, CaseIterable {
        case phone
        case guardianName = "guardian_name"
        case address, child, sigungu
    }

    public enum Agreement: String, Sendable, Hashable {
        /// Same value.
        case same
        /// Close: a typo apart, the same last 8 digits, the same building.
        case similar
        /// Both known and different.
        case different
    }

    /// Field agreements packed in two bits each, in the order the scorer looks at them
    /// (phone, guardian name, 시군구, address, child); see `ComparedPairs`.
    struct Fields: Sendable, Hashable {
        static let order: [Field] = [.phone, .guardianName, .sigungu, .address, .child]
        var bits: UInt16 = 0

        private static func slot(_ f: Field) -> UInt16 {
            switch f {
            case .phone: return 0
            case .guardianName: return 1
            case .sigungu: return 2
            case .address: return 3
            case .child: return 4
            }
        }

        mutating func set(_ f: Field, _ a: Agreement) {
            let code: UInt16
            switch a {
            case .same: code = 1
            case .similar: code = 2
            case .different: code = 3
            }
            bits |= code << (2 * Self.slot(f))
        }

        func get(_ f: Field) -> Agreement? {
            switch (bits >> (2 * Self.slot(f))) & 3 {
            case 1: return .same
            case 2: return .similar
            case 3: return .different
            default: return nil
            }
        }

        /// How common the shared number, guardian name and building are (0…3, see
        /// `MatchFeatureTable.assignCommonness`), in the six bits above the agreements.
        var phoneLevel: UInt8 {
            get { UInt8((bits >> 10) & 3) }
            set { bits = bits & ~(3 << 10) | UInt16(newValue & 3) << 10 }
        }
        var nameLevel: UInt8 {
            get { UInt8((bits >> 12) & 3) }
            set { bits = bits & ~(3 << 12) | UInt16(newValue & 3) << 12 }
        }
        var buildingLevel: UInt8 {
            get { UInt8((bits >> 14) & 3) }
            set { bits = bits & ~(3 << 14) | UInt16(newValue & 3) << 14 }
        }

        /// Same guardian (a typo allowed), same home and a child in common: a family that changed its number.
        /// The home is the same unit with a child by name (and age), or the same building with a child by name
        /// and birth date. The new number is not held against them.
        var sameHomeAndPeople: Bool {
            guard self.get(.guardianName).map({ $0 != .different }) == true else { return false }
            switch (self.get(.address), self.get(.child)) {
            case (.same?, .same?), (.same?, .similar?), (.similar?, .same?): return true
            default: return false
            }
        }

        /// `phone=same, guardian_name=similar, …`, then the adjustments: the merge evidence people read.
        var text: String {
            let agreements = Self.order.compactMap { f in get(f).map { "\(f.rawValue)=\($0.rawValue)" } }
            return (agreements + adjustments).joined(separator: ", ")
        }

        /// A number in common, but another home (or 시군구) and no child in common: never enough to merge.
        var numberWithoutHome: Bool {
            self.get(.phone) == .same && (self.get(.address) == .different || self.get(.sigungu) == .different)
                && self.get(.child) == nil
        }

        /// Where the score differs from the plain sum of agreement weights, in words for merge evidence.
        var adjustments: [String] {
            var notes: [String] = []
            if phoneLevel > 0 && get(.phone) == .same { notes.append("phone_shared=-\(3 * Int(phoneLevel))") }
            if nameLevel > 0 && get(.guardianName) == .same { notes.append("guardian_name_common=-\(nameLevel)") }
            if buildingLevel > 0 && get(.address) == .similar { notes.append("building_common=-\(buildingLevel)") }
            if get(.phone) == .different && sameHomeAndPeople { notes.append("same_home_and_people") }
            if numberWithoutHome { notes.append("shared_number_capped") }
            return notes
        }
    }

    private var first: Int32
    private var second: Int32
    public var score: Double
    var packed: Fields

    public var a: Int { Int(first) }
    public var b: Int { Int(second) }

    init(a: Int, b: Int, score: Double, packed: Fields) {
        first = Int32(a)
        second = Int32(b)
        self.score = score
        self.packed = packed
    }

    /// The fields compared, in the order the scorer looked at them.
    public var fields: [(Field, Agreement)] {
        Fields.order.compactMap { f in packed.get(f).map { (f, $0) } }
    }

    public static func == (l: PairEvidence, r: PairEvidence) -> Bool { l.a == r.a && l.b == r.b && l.score == r.score }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(a)
        hasher.combine(b)
    }

    public func agreement(_ field: Field) -> Agreement? { packed.get(field) }

    /// `전화 같음, 보호자 이름 비슷함, 주소 다름` for people.
    public var korean: (agreed: String, disagreed: String) {
        func label(_ f: Field) -> String {
            switch f {
            case .phone: return "전화"
            case .guardianName: return "보호자 이름"
            case .address: return "주소"
            case .child: return "자녀"
            case .sigungu: return "시군구"
            }
        }
        let agreed = fields.filter { $0.1 != .different }.map { label($0.0) + ($0.1 == .same ? " 같음" : " 비슷함") }
        let disagreed = fields.filter { $0.1 == .different }.map { label($0.0) + " 다름" }
        return (agreed.joined(separator: ", "), disagreed.joined(separator: ", "))
    }
}

/// Weights in the Fellegi-Sunter spirit: each field adds (agreement) or
/// subtracts (disagreement) roughly log₂(m/u), the evidence it gives that two
/// rows are the same family. Configurable under `dedupe:` in the configuration.
public struct MatchWeights: Sendable, Equatable, Codable {
    /// A family's primary number in common: almost never shared by two families.
    public var phoneSame = 9.0
    /// Only a second number in common, or the same last 8 digits (a mistyped or old prefix).
    public var phoneSimilar = 5.0
    /// Both gave numbers and none is shared: a parent may use another phone, so weaker than a match.
    public var phoneDifferent = -4.0
    public var nameSame = 4.0
    /// A typo apart on jamo (김민준 / 김민쥰).
    public var nameSimilar = 2.5
    public var nameDifferent = -3.0
    /// Same road and building number (or 지번) and the same unit.
    public var addressSame = 5.0
    /// Same building, unit unknown on one side or different.
    public var addressSimilar = 2.5
    public var addressDifferent = -2.0
    public var sigunguDifferent = -2.0
    /// A child in common: same given name and the same birth date.
    public var childSame = 6.0
    /// A child in common by given name, with ages or grades that agree (no birth date on one side).
    public var childSimilar = 3.0
    /// At or above: merged without asking.
    public var mergeThreshold = 8.5
    /// At or above (and below the merge threshold): listed in review.csv for a person.
    public var reviewThreshold = 4.0

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case phoneSame = "phone_same"
        case phoneSimilar = "phone_similar"
        case phoneDifferent = "phone_different"
        case nameSame = "name_same"
        case nameSimilar = "name_similar"
        case nameDifferent = "name_different"
        case addressSame = "address_same"
        case addressSimilar = "address_similar"
        case addressDifferent = "address_different"
        case sigunguDifferent = "sigungu_different"
        case childSame = "child_same"
        case childSimilar = "child_similar"
        case mergeThreshold = "merge_threshold"
        case reviewThreshold = "review_threshold"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = MatchWeights()
        phoneSame = try c.decodeIfPresent(Double.self, forKey: .phoneSame) ?? d.phoneSame
        phoneSimilar = try c.decodeIfPresent(Double.self, forKey: .phoneSimilar) ?? d.phoneSimilar
        phoneDifferent = try c.decodeIfPresent(Double.self, forKey: .phoneDifferent) ?? d.phoneDifferent
        nameSame = try c.decodeIfPresent(Double.self, forKey: .nameSame) ?? d.nameSame
        nameSimilar = try c.decodeIfPresent(Double.self, forKey: .nameSimilar) ?? d.nameSimilar
        nameDifferent = try c.decodeIfPresent(Double.self, forKey: .nameDifferent) ?? d.nameDifferent
        addressSame = try c.decodeIfPresent(Double.self, forKey: .addressSame) ?? d.addressSame
        addressSimilar = try c.decodeIfPresent(Double.self, forKey: .addressSimilar) ?? d.addressSimilar
        addressDifferent = try c.decodeIfPresent(Double.self, forKey: .addressDifferent) ?? d.addressDifferent
        sigunguDifferent = try c.decodeIfPresent(Double.self, forKey: .sigunguDifferent) ?? d.sigunguDifferent
        childSame = try c.decodeIfPresent(Double.self, forKey: .childSame) ?? d.childSame
        childSimilar = try c.decodeIfPresent(Double.self, forKey: .childSimilar) ?? d.childSimilar
        mergeThreshold = try c.decodeIfPresent(Double.self, forKey: .mergeThreshold) ?? d.mergeThreshold
        reviewThreshold = try c.decodeIfPresent(Double.self, forKey: .reviewThreshold) ?? d.reviewThreshold
    }
}

/// Every pair Resolve compared, in (a, b) order, for `dolbom explain` and the summary.
///
/// A run compares about ten pairs per submission and keeps them all, so a pair is
/// stored in 10 bytes (the two rows and the packed field agreements); its score is
/// the sum of the weights of those agreements, added in the scorer's order, so it
/// is the same number the scorer computed.
public struct ComparedPairs: RandomAccessCollection, Sendable {
    private var first: [Int32] = []
    private var second: [Int32] = []
    private var fields: [UInt16] = []
    private let weights: MatchWeights
    /// The score of every combination of agreements (five fields, two bits each): clustering reads
    /// each of millions of pairs' scores twice.
    private let scores: [Double]

    /// None.
    init(weights: MatchWeights) {
        self.weights = weights
        scores = Self.scoreTable(weights)
    }

    private static func scoreTable(_ weights: MatchWeights) -> [Double] {
        (0..<(1 << 16)).map { PairScorer.score(PairEvidence.Fields(bits: UInt16($0)), weights) }
    }

    /// Scores `pairs` (`a << 32 | b`) on every core, in chunks; the result is in the order of `pairs`.
    init(scoring pairs: [UInt64], with scorer: PairScorer, _ pools: PairScorer.Pools) {
        weights = scorer.weights
        scores = Self.scoreTable(scorer.weights)
        (first, second) = Self.rows(of: pairs)
        let count = pairs.count
        fields = ParallelMap.map(count: count, chunk: 8192) { k in
            // The pairs are in (a, b) order: `a`'s row is read in sequence, `b`'s row is anywhere in the
            // table, and its phones, name and children in the pools elsewhere again. Each waited for memory
            // in turn; asked for ahead (the row sixteen pairs on, its pools eight pairs on) they arrive together.
            if k + 16 < count { ReadAhead.element(Int(pairs[k + 16] & 0xFFFF_FFFF), of: pools.rows) }
            if k + 8 < count {
                let y = pools.rows[Int(pairs[k + 8] & 0xFFFF_FFFF)]
                if y.phoneCount > 0 {
                    ReadAhead.element(Int(y.phoneStart), of: pools.phones)
                    ReadAhead.element(Int(y.phoneStart), of: pools.last8)
                }
                if y.jamoCount > 0 { ReadAhead.element(Int(y.jamoStart), of: pools.jamo) }
                if y.childCount > 0 { ReadAhead.element(Int(y.childStart), of: pools.children) }
            }
            return PairScorer.fields(Int(pairs[k] >> 32), Int(pairs[k] & 0xFFFF_FFFF), pools).bits
        }
    }

    /// The positions of the pairs whose score passes `test`, ascending, found on every core: the test is
    /// decided once per combination of agreements, and a pair is then one lookup (clustering scans every
    /// pair twice, for merge candidates and for the review band; serially, a pair at a time, it was slow).
    func positions(scoring test: (Double) -> Bool, chunk: Int = 1 << 16) -> [Int] {
        let passes = scores.map(test)
        let fields = self.fields
        let parts = ParallelMap.map(count: (fields.count + chunk - 1) / chunk, chunk: 1) { c -> [Int] in
            var found: [Int] = []
            for k in (c * chunk)..<Swift.min(fields.count, (c + 1) * chunk) where passes[Int(fields[k])] {
                found.append(k)
            }
            return found
        }
        return parts.count == 1 ? parts[0] : Array(concatenating: parts)
    }

    /// The pairs scoring at least `threshold`, highest score first and in (a, b) order within a score: what
    /// `filter { $0.score >= threshold }` sorted by (score descending, a, b) gives. Ordered by a counting
    /// sort over the distinct scores (at most one per combination of agreements): positions are in (a, b) order.
    func ranked(atLeast threshold: Double, chunk: Int = 1 << 16) -> [PairEvidence] {
        let found = positions(scoring: { $0 >= threshold }, chunk: chunk)
        // Distinct scores, highest first (0 and -0 are one score, as `!=` says); each combination's rank among them.
        var distinct: [Double] = []
        for score in scores.sorted(by: >) where score >= threshold && distinct.last != score { distinct.append(score) }
        var rankOf: [Double: Int] = [:]
        for (r, score) in distinct.enumerated() where rankOf[score] == nil { rankOf[score] = r }
        let rank = scores.map { score in rankOf[score] ?? 0 }
        var start = [Int](repeating: 0, count: distinct.count + 1)
        for k in found { start[rank[Int(fields[k])] + 1] += 1 }
        for r in distinct.indices { start[r + 1] += start[r] }
        var slot = [Int](repeating: 0, count: found.count)
        for k in found {
            let r = rank[Int(fields[k])]
            slot[start[r]] = k
            start[r] += 1
        }
        return slot.map { self[$0] }
    }

    /// The two rows of every pair, split out in chunks on every core (ten million pairs at 1M rows).
    private static func rows(of pairs: [UInt64]) -> (first: [Int32], second: [Int32]) {
        ParallelMap.unzip(count: pairs.count, chunk: 1 << 16) { k in
            (Int32(truncatingIfNeeded: pairs[k] >> 32), Int32(truncatingIfNeeded: pairs[k] & 0xFFFF_FFFF))
        }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { first.count }

    public subscript(position: Int) -> PairEvidence {
        let packed = PairEvidence.Fields(bits: fields[position])
        return PairEvidence(
            a: Int(first[position]), b: Int(second[position]), score: scores[Int(packed.bits)], packed: packed)
    }
}
