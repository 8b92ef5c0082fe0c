import DolbomNormalize
import Foundation

/// Scores a pair of submissions with `MatchWeights`.
struct PairScorer: Sendable {
    var weights: MatchWeights

    func compare(_ i: Int, _ j: Int, _ t: MatchFeatureTable) -> PairEvidence {
        withPools(t) { compare(i, j, $0) }
    }

    /// The feature pools, for the pair loop: a row's phones, name and children are ranges of them.
    struct Pools: Sendable {
        var rows: [MatchFeatures]
        var phones: [UInt64]
        var last8: [UInt64]
        var jamo: [UInt16]
        var children: [MatchFeatures.Child]
    }

    func withPools<R>(_ t: MatchFeatureTable, _ body: (Pools) -> R) -> R {
        body(Pools(rows: t.rows, phones: t.phones, last8: t.last8, jamo: t.jamo, children: t.children))
    }

    func compare(_ i: Int, _ j: Int, _ p: Pools) -> PairEvidence {
        let fields = Self.fields(i, j, p)
        return PairEvidence(a: i, b: j, score: Self.score(fields, weights), packed: fields)
    }

    /// The field agreements of a pair, without its score: `ComparedPairs` keeps only these (a pair's
    /// score is looked up from them), so the pair loop does not add up weights it throws away.
    static func fields(_ i: Int, _ j: Int, _ p: Pools) -> PairEvidence.Fields {
        let x = p.rows[i]
        let y = p.rows[j]
        var fields = PairEvidence.Fields()

        // The primary number in common is the strongest evidence; a shared second number
        // (a grandparent's or a home landline given by two families) counts as similar only.
        let phones = p.phones.span
        let xp = phones.extracting(x.phones)
        let yp = phones.extracting(y.phones)
        if xp[0] == yp[0] || yp.contains(xp[0]) || xp.contains(yp[0]) {
            fields.set(.phone, .same)
            fields.phoneLevel = max(x.phoneLevel, y.phoneLevel)
        } else if (xp.count > 1 && yp.count > 1 && shareAny(xp, yp)) || shareAny(p.last8.span, x.phones, y.phones)
            || oneDigitApart(xp[0], yp[0])
        {
            // (One digit apart: a mistyped number, `010-9232-8938` / `010-9232-0938`.)
            // (With one number on either side, a shared number would be a primary one, handled above.)
            fields.set(.phone, .similar)
        } else {
            fields.set(.phone, .different)
        }

        if x.jamoCount > 0 && y.jamoCount > 0 {
            // One interned name is one jamo sequence, whose similarity with itself is 1.
            let similarity =
                x.name >= 0 && x.name == y.name
                ? 1
                : NameSimilarity.score(p.jamo.span.extracting(x.jamo), p.jamo.span.extracting(y.jamo))
            if similarity >= 0.999 {
                fields.set(.guardianName, .same)
                fields.nameLevel = max(x.nameLevel, y.nameLevel)
            } else if similarity >= 0.8 {
                fields.set(.guardianName, .similar)
            } else {
                fields.set(.guardianName, .different)
            }
        }

        if x.sigungu >= 0, y.sigungu >= 0, x.sigungu != y.sigungu {
            fields.set(.sigungu, .different)
        }
        if x.building >= 0, y.building >= 0, x.buildingKind != y.buildingKind {
            // A road address and a 지번 address cannot be compared without a road-name database:
            // only the unit (동/호) speaks.
            if x.unit >= 0, y.unit >= 0 {
                fields.set(.address, x.unit == y.unit ? .similar : .different)
            } else if x.area >= 0, y.area >= 0 {
                // The same 읍면동 is about as close as the two can be compared; another one is another home.
                fields.set(.address, x.area == y.area ? .similar : .different)
            }
        } else if x.building >= 0, y.building >= 0 {
            if x.building == y.building {
                fields.buildingLevel = max(x.buildingLevel, y.buildingLevel)
                if x.unit >= 0, y.unit >= 0, x.unit != y.unit {
                    // Another unit of the building is another home (units compare as `UnitKey`s).
                    fields.set(.address, .different)
                } else if x.unit >= 0 && y.unit >= 0 {
                    fields.set(.address, .same)
                } else if x.unit < 0 && y.unit < 0 && x.fewFamilies {
                    fields.set(.address, .same)  // a house few families give
                } else {
                    fields.set(.address, .similar)
                }
            } else {
                fields.set(.address, .different)
            }
        }

        if x.childCount > 0 && y.childCount > 0 {
            switch sharedChild(p.children.span.extracting(x.children), p.children.span.extracting(y.children)) {
            case .same?:
                fields.set(.child, .same)
            case .similar?:
                fields.set(.child, .similar)
            default:
                break
            }
        }
        return fields
    }

    /// Two numbers of the same length (`DigitCode`s) that differ in exactly one digit.
    static func oneDigitApart(_ a: UInt64, _ b: UInt64) -> Bool {
        guard a != b, a >> 63 == 0, b >> 63 == 0, a & 31 == b & 31, a & 31 >= 8 else { return false }
        // One digit apart: the values differ by k·10^p, k in 1…9 (most pairs stop at the first remainder).
        var d = a > b ? (a >> 5) - (b >> 5) : (b >> 5) - (a >> 5)
        while d % 10 == 0 { d /= 10 }
        guard d < 10 else { return false }
        // …and the digit that differs is the only one: k·10^p changes one digit unless it carries.
        var x = a >> 5
        var y = b >> 5
        var differing = 0
        while x > 0 || y > 0 {
            if x % 10 != y % 10 { differing += 1 }
            x /= 10
            y /= 10
        }
        return differing == 1
    }

    /// Whether a number of `a` is among those of `b`.
    @inline(__always) private static func shareAny(_ a: Span<UInt64>, _ b: Span<UInt64>) -> Bool {
        for k in a.indices where b.contains(a[k]) { return true }
        return false
    }

    /// The score of a pair from its field agreements: the weights added in the order `compare` adds them.
    static func score(_ f: PairEvidence.Fields, _ w: MatchWeights) -> Double {
        var score = 0.0
        switch f.get(.phone) {
        case .same?: score += max(0, w.phoneSame - 3 * Double(f.phoneLevel))
        case .similar?: score += w.phoneSimilar
        case .different?: if !f.sameHomeAndPeople { score += w.phoneDifferent }
        case nil: break
        }
        switch f.get(.guardianName) {
        case .same?: score += max(0, w.nameSame - Double(f.nameLevel))
        case .similar?: score += w.nameSimilar
        case .different?: score += w.nameDifferent
        case nil: break
        }
        if f.get(.sigungu) == .different { score += w.sigunguDifferent }
        switch f.get(.address) {
        case .same?: score += w.addressSame
        case .similar?: score += max(0, w.addressSimilar - Double(f.buildingLevel))
        case .different?: score += w.addressDifferent
        case nil: break
        }
        switch f.get(.child) {
        case .same?: score += w.childSame
        case .similar?: score += w.childSimilar
        case .different?, nil: break
        }
        // A number in common alone never joins two homes: with the addresses different and no child in
        // common, the pair is at most for a person to look at.
        // In another 시군구 as well, a person would not look twice.
        if f.numberWithoutHome {
            score = min(score, f.get(.sigungu) == .different ? w.reviewThreshold - 0.5 : w.mergeThreshold - 1)
        }
        return score
    }

    /// Whether the last 8 digits of a number of `x` (the `last8` pool's range `x`) are those of one of `y`.
    @inline(__always) private static func shareAny(_ last8: Span<UInt64>, _ x: Range<Int>, _ y: Range<Int>) -> Bool {
        shareAny(last8.extracting(x), last8.extracting(y))
    }

    /// A child in both: `.same` when the given name (with or without surname) and the birth date match,
    /// `.similar` when the name matches and what is known of age and grade agrees.
    @inline(__always) static func sharedChild(
        _ a: Span<MatchFeatures.Child>, _ b: Span<MatchFeatures.Child>
    ) -> PairEvidence.Agreement? {
        var best: PairEvidence.Agreement?
        for k in a.indices {
            let c = a[k]
            for l in b.indices {
                let d = b[l]
                guard c.given == d.given && (c.surname < 0 || d.surname < 0 || c.surname == d.surname) else { continue }
                if let x = c.birth, let y = d.birth {
                    if x == y { return .same }
                    continue
                }
                if let x = c.age, let y = d.age, abs(x - y) > 1 { continue }
                if let x = c.grade, let y = d.grade, x != y { continue }
                best = .similar
            }
        }
        return best
    }
}

extension MatchFeatures {
    /// The row's ranges of the pools (`PairScorer.Pools`).
    @inline(__always) fileprivate var phones: Range<Int> { Int(phoneStart)..<Int(phoneStart + phoneCount) }
    @inline(__always) fileprivate var jamo: Range<Int> { Int(jamoStart)..<Int(jamoStart + jamoCount) }
    @inline(__always) fileprivate var children: Range<Int> { Int(childStart)..<Int(childStart + childCount) }
}
