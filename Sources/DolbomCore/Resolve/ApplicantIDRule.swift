import Crypto
import DolbomNormalize
import DolbomRuntime
import Foundation

/// The applicant-id rule (issue 16: one family, one id, forever).
///
/// 1. A household keeps the id an earlier run issued it. When two households claim one id (a household
///    split), the one with the earliest first submission keeps it; the other is new.
/// 2. A new household takes its natural id (the keyed hash of its first submission's phone) unless that id
///    was ever issued or is held in this run; then the first of `-2`, `-3`, … that was never issued and is
///    not held. New households sharing a natural id take them in order of their first submission.
/// 3. The households come out in id order.
///
/// "Earliest" is by first submission time, then by the first source row (file, row): a strict order, so the
/// ids do not depend on the order households arrive in.
struct ApplicantIDRule {
    let issued: IssuedIDs
    let keyed: HMAC<SHA256>

    func assign(_ households: inout [Household]) {
        var ids = households.map(\.applicantID)
        var fromState = households.map(\.idFromState)
        let age = Age(households)
        var changed = false
        let claimed = keepStateIDs(households, ids: &ids, fromState: &fromState, age: age, changed: &changed)
        let (order, prefixes) = issueNewIDs(
            ids: &ids, fromState: fromState, claimed: claimed, age: age, changed: &changed)
        putInIDOrder(&households, ids: ids, prefixes: prefixes, order: order, changed: changed)
    }

    /// When each household first wrote: first submission time (none last), then first source row.
    struct Age: Sendable {
        let firsts: [LocalDateTime?]
        let heads: [SourceRef]

        init(_ households: [Household]) {
            firsts = households.map(\.firstSubmittedAt)
            heads = households.map { $0.sources[0] }
        }

        @inline(__always)
        func earlier(_ a: Int, _ b: Int) -> Bool {
            switch (firsts[a], firsts[b]) {
            case (let x?, let y?) where x != y: return x < y
            case (_?, nil): return true
            case (nil, _?): return false
            default: return heads[a] < heads[b]
            }
        }
    }

    /// Step 1: ids from the state, earliest household first; a second claimant of an id becomes new (its
    /// natural id, to be issued in step 2). Returns the ids kept, with their households.
    private func keepStateIDs(
        _ households: [Household], ids: inout [String], fromState: inout [Bool], age: Age, changed: inout Bool
    ) -> [String: Int] {
        var claimed: [String: Int] = [:]
        for i in households.indices.filter({ fromState[$0] }).sorted(by: age.earlier) {
            if claimed[ids[i]] == nil {
                claimed[ids[i]] = i
            } else {
                let digits = households[i].naturalIDDigits ?? households[i].phones[0].digits
                ids[i] = HouseholdResolver.applicantID(for: digits, keyed: keyed)
                fromState[i] = false
                changed = true
            }
        }
        return claimed
    }

    /// Step 2: new households in (natural id, age) order, so the ones sharing a natural id are neighbours
    /// and the earliest comes first. Returns every household in (id before this step, age) order (the id
    /// order itself when no id changed), and the ids' prefixes for step 3.
    private func issueNewIDs(
        ids: inout [String], fromState: [Bool], claimed: [String: Int], age: Age, changed: inout Bool
    ) -> (order: [Int], prefixes: [IDPrefix]) {
        // Ids compared by their first sixteen bytes as numbers first (comparing Strings was most of this sort).
        var prefixes = ParallelMap.map(count: ids.count, chunk: 1 << 14) { [ids] i in IDPrefix(ids[i]) }
        let order: [Int]
        do {
            let (ids, prefixes) = (ids, prefixes)
            order = Self.sortedInHalves(Array(ids.indices)) { a, b in
                let byID = IDPrefix.order(prefixes[a], ids[a], prefixes[b], ids[b])
                return byID != 0 ? byID < 0 : age.earlier(a, b)
            }
        }
        let mayBeHeld = !claimed.isEmpty || !issued.isEmpty
        func held(_ id: String) -> Bool { issued.contains(id) || claimed[id] != nil }
        var previous: (id: String, prefix: IDPrefix)?
        var suffix = 1
        for i in order where !fromState[i] {
            let natural = ids[i]
            let prefix = prefixes[i]
            if let p = previous, IDPrefix.order(prefix, natural, p.prefix, p.id) == 0 {
                suffix += 1
            } else {
                previous = (natural, prefix)
                suffix = 1
            }
            var candidate = natural
            if suffix > 1 || (mayBeHeld && held(natural)) {
                suffix = max(suffix, 2)
                candidate = "\(natural)-\(suffix)"
                while held(candidate) {
                    suffix += 1
                    candidate = "\(natural)-\(suffix)"
                }
            }
            if candidate != natural {
                ids[i] = candidate
                prefixes[i] = IDPrefix(candidate)
                changed = true
            }
        }
        return (order, prefixes)
    }

    /// Step 3: each household gets its id, and the array is put in id order (`order` already is when no id
    /// changed) by swapping each household's reference into its place: a household is one reference, and a
    /// swap moves it without touching the household (a copy retained each box, in an order where they are
    /// anywhere in memory, and freeing the old array released each again).
    private func putInIDOrder(
        _ households: inout [Household], ids: [String], prefixes: [IDPrefix], order: [Int], changed: Bool
    ) {
        var order = order
        if changed {
            order = Self.sortedInHalves(Array(households.indices)) { a, b in
                IDPrefix.less(prefixes[a], ids[a], prefixes[b], ids[b])
            }
            for i in households.indices where households[i].applicantID != ids[i] { households[i].applicantID = ids[i] }
        }
        guard let filler = households.first else { return }
        var sorted = [Household](repeating: filler, count: households.count)
        for k in order.indices { swap(&sorted[k], &households[order[k]]) }
        households = sorted
    }

    /// `items` sorted by `less`, a strict total order (no two items equal): each half sorted on a core of
    /// its own (for large inputs), then the halves merged. With no ties, every sort gives this one order.
    static func sortedInHalves(
        _ items: [Int], minimumToSplit: Int = 1 << 14, by less: @escaping @Sendable (Int, Int) -> Bool
    ) -> [Int] {
        guard items.count >= minimumToSplit else { return items.sorted(by: less) }
        let middle = items.count / 2
        let halves = ParallelMap.map(count: 2, chunk: 1) { h in
            (h == 0 ? items[..<middle] : items[middle...]).sorted(by: less)
        }
        var merged: [Int] = []
        merged.reserveCapacity(items.count)
        var i = 0
        var j = 0
        let left = halves[0]
        let right = halves[1]
        while i < left.count && j < right.count {
            if less(right[j], left[i]) {
                merged.append(right[j])
                j += 1
            } else {
                merged.append(left[i])
                i += 1
            }
        }
        merged.append(contentsOf: left[i...])
        merged.append(contentsOf: right[j...])
        return merged
    }
}

/// The first sixteen bytes of an ASCII id as a big-endian pair of numbers, and its length: for ASCII text,
/// byte order is the order `String` compares in, so ids (`H-` and ten characters, perhaps `-2`) are ordered
/// and told apart without comparing strings; longer or non-ASCII ids fall back to `String` when needed.
struct IDPrefix {
    var high: UInt64 = 0
    var low: UInt64 = 0
    var count = 0
    var ascii = true

    init(_ id: String) {
        (high, low, count, ascii) = id.readingUTF8 { bytes in
            var high: UInt64 = 0
            var low: UInt64 = 0
            for (n, byte) in bytes.enumerated() {
                if byte >= 0x80 { return (high, low, n, false) }
                if n < 8 {
                    high |= UInt64(byte) << UInt64(56 - 8 * n)
                } else if n < 16 {
                    low |= UInt64(byte) << UInt64(56 - 8 * (n - 8))
                }
            }
            return (high, low, bytes.count, true)
        }
    }

    /// The whole id is in the numbers.
    private var complete: Bool { ascii && count <= 16 }

    /// -1, 0 or 1 as `a` is before, equal to or after `b` in `String` order (`p`, `q` their prefixes).
    @inline(__always)
    static func order(_ p: IDPrefix, _ a: String, _ q: IDPrefix, _ b: String) -> Int {
        if p.ascii && q.ascii {
            if p.high != q.high { return p.high < q.high ? -1 : 1 }
            if p.low != q.low { return p.low < q.low ? -1 : 1 }
            // Equal first sixteen bytes (NUL-padded): the shorter of two complete ids is a prefix of the other.
            if p.complete && q.complete { return p.count == q.count ? 0 : p.count < q.count ? -1 : 1 }
        }
        return a == b ? 0 : a < b ? -1 : 1
    }

    @inline(__always)
    static func less(_ p: IDPrefix, _ a: String, _ q: IDPrefix, _ b: String) -> Bool { order(p, a, q, b) < 0 }
}
