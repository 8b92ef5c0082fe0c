import Crypto
import Dispatch
import DolbomNormalize
import DolbomRuntime
import Foundation

/// What Resolve decided and why: the households, and the evidence for every
/// pair it compared (merged, sent to review, or kept apart).
public struct Resolution: Sendable {
    /// The submissions resolved, in the order pair indices refer to.
    public var submissions: [Submission]
    public var households: [Household]
    /// Pairs whose merge made the households (score at or above the merge threshold, or staff said "same").
    public var merged: [PairEvidence]
    /// Pairs a person should look at (review band, or a merge stopped by the chain guard).
    public var review: [PairEvidence]
    /// Every pair compared, for `dolbom explain` (empty unless the resolver was asked to keep them:
    /// about 100 MB at 1M rows, alive while households are built).
    public var compared: ComparedPairs
    /// How many pairs were compared (also when `compared` was not kept).
    public var pairsCompared: Int
    /// Blocks too large to compare pairwise (e.g. a centre's phone used by many families).
    public var oversizedBlocks: [String]
    /// Merges prevented by a staff decision "different".
    public var keptApartByDecision = 0
    /// Merges stopped because the two groups disagree on both phone and address.
    public var chainGuarded = 0
    /// Every submission's source row, kept when the submissions themselves are let go.
    private(set) var releasedSources: [SourceRef] = []
    /// The rows under review, kept when the other submissions are let go (review.csv shows them).
    private(set) var keptForReview: [Int: Submission] = [:]

    /// The source row of submission `i` (also after `releaseSubmissions`).
    public func source(_ i: Int) -> SourceRef { submissions.isEmpty ? releasedSources[i] : submissions[i].source }

    /// Submission `i`; after `releaseSubmissions` only rows of review pairs are still there.
    public func submission(_ i: Int) -> Submission { submissions.isEmpty ? keptForReview[i]! : submissions[i] }

    /// Lets the submissions go once households are built (they are most of a run's memory), keeping each row's
    /// source for duplicates.csv and the rows under review for review.csv. `dolbom explain` keeps them all.
    public mutating func releaseSubmissions() {
        guard !submissions.isEmpty else { return }
        // Through the subscript, which reads one field (`map(\.source)` copies each whole submission first).
        releasedSources = submissions.indices.map { submissions[$0].source }
        for e in review {
            keptForReview[e.a] = submissions[e.a]
            keptForReview[e.b] = submissions[e.b]
        }
        submissions = []
    }
}

/// Scores as people read them: one decimal, like `String(format: "%.1f")`, which is slow on
/// Linux; exact for every score that is a whole number of tenths (all default weights), and
/// `String(format:)` itself otherwise.
enum ScoreText {
    static func oneDecimal(_ score: Double) -> String {
        let tenths = score * 10
        if tenths == tenths.rounded(), abs(tenths) < 1e15, !(tenths == 0 && score.sign == .minus) {
            let n = Int(tenths)
            let magnitude = n.magnitude
            return (n < 0 ? "-" : "") + String(magnitude / 10) + "." + String(magnitude % 10)
        }
        return String(format: "%.1f", score)
    }
}

/// The Resolve stage: groups submissions into households and merges them.
///
/// Blocking on several keys (phone, last 8 digits, guardian name + 시군구,
/// building + unit, child + birth date) finds candidate pairs without
/// comparing everything with everything, and a typo in one field cannot hide
/// a duplicate. Each pair is scored field by field (`MatchWeights`); pairs at
/// or above the merge threshold are joined (connected components) unless staff
/// said otherwise or the join would chain two families that share neither a
/// phone nor an address. Survivorship: the latest submission wins per field
/// unless it is empty; every distinct phone number is kept (latest primary
/// first); children are merged as a set; flags and care types are unioned;
/// every source row is kept.
public struct HouseholdResolver: Sendable {
    /// Secret mixed into applicant ids (configuration `id_key`).
    public var idKey: String
    public var weights: MatchWeights
    public var decisions: MergeDecisions
    /// Blocks with more members than this are not compared pairwise.
    public var maxBlockSize = 64
    /// Keep every compared pair's evidence in the resolution (`dolbom explain` shows them); a run
    /// needs only the merged pairs and those for review.
    public var keepComparedPairs = true
    /// Ids earlier runs issued (from the state): never given to a new household.
    public var issued = IssuedIDs()

    public init(
        idKey: String = "dolbom", weights: MatchWeights = MatchWeights(), decisions: MergeDecisions = MergeDecisions()
    ) {
        self.idKey = idKey
        self.weights = weights
        self.decisions = decisions
    }

    public func resolve(_ submissions: [Submission]) -> [Household] {
        resolution(submissions).households
    }

    /// Resolve in four steps: score the candidate pairs, join rows into groups (staff decisions, then the
    /// chain guard), the review band, then one household per group.
    public func resolution(_ submissions: [Submission]) -> Resolution {
        var table = MatchFeatureTable(submissions)
        // Keys name submissions in staff decisions; only needed when there are decisions.
        let keys = decisions.isEmpty ? [] : submissions.map(SubmissionKey.of)
        let scorer = PairScorer(weights: weights)
        var (compared, oversized) = score(table, with: scorer)
        let pairsCompared = compared.count
        var clusters = cluster(submissions.count, compared: compared, keys: keys, table: table, scorer: scorer)
        clusters.review = reviewBand(compared, clusters: clusters, keys: keys)
        // `compared` is already in (a, b) order: the candidate pairs were sorted.
        if !keepComparedPairs { compared = ComparedPairs(weights: weights) }
        table = MatchFeatureTable([])  // the features are not needed for merging; free them first
        var households = mergedHouseholds(submissions, rootOf: clusters.rootOf, merged: clusters.merged)
        assignIDs(&households)
        return Resolution(
            submissions: submissions, households: households, merged: clusters.merged, review: clusters.review,
            compared: compared, pairsCompared: pairsCompared, oversizedBlocks: oversized,
            keptApartByDecision: clusters.keptApart, chainGuarded: clusters.guarded)
    }

    /// Every candidate pair (blocking) scored, and the blocks too large to compare pair by pair.
    func score(_ table: MatchFeatureTable, with scorer: PairScorer) -> (ComparedPairs, oversized: [String]) {
        let (pairs, oversized) = candidatePairs(table)
        return (scorer.withPools(table) { pools in ComparedPairs(scoring: pairs, with: scorer, pools) }, oversized)
    }

    /// What clustering decided: each row's group (`rootOf`), the edges merged, the pairs sent to review by the
    /// chain guard, and the counts of pairs kept apart.
    struct Clusters {
        var rootOf: [Int]
        var merged: [PairEvidence] = []
        var review: [PairEvidence] = []
        var keptApart = 0
        var guarded = 0
    }

    /// Joins rows into groups, highest score first: staff "same" pairs join whatever they score, staff
    /// "different" pairs keep two groups apart, and two groups that share no phone and no building are two
    /// families whatever edge joins them (the chain guard: the edge goes to review).
    func cluster(_ count: Int, compared: ComparedPairs, keys: [String], table: MatchFeatureTable, scorer: PairScorer)
        -> Clusters
    {
        func decided(_ set: Set<MergeDecisions.Pair>, _ a: Int, _ b: Int) -> Bool {
            !set.isEmpty && set.contains(MergeDecisions.Pair(keys[a], keys[b]))
        }
        // Staff "same" pairs join even if never blocked together.
        var mustLink: [PairEvidence] = []
        if !decisions.same.isEmpty {
            var index: [String: Int] = [:]
            for (i, k) in keys.enumerated() where !k.isEmpty { index[k] = i }
            for pair in decisions.same.sorted(by: { ($0.first, $0.second) < ($1.first, $1.second) }) {
                if let a = index[pair.first], let b = index[pair.second] {
                    var e = scorer.compare(min(a, b), max(a, b), table)
                    e.score = max(e.score, weights.mergeThreshold)
                    mustLink.append(e)
                }
            }
        }
        // Merge candidates, highest score first, then in (a, b) order (found on every core and put in order by
        // a counting sort; with staff "same" pairs, which may score anything, by one sort of all).
        let mergeThreshold = weights.mergeThreshold
        let candidates =
            mustLink.isEmpty
            ? compared.ranked(atLeast: mergeThreshold)
            : Self.onceEach(mustLink + compared.filter { $0.score >= mergeThreshold })
                .sorted { $0.score != $1.score ? $0.score > $1.score : ($0.a, $0.b) < ($1.a, $1.b) }
        var groups = RowGroups(count: count)
        var clusters = Clusters(rootOf: [])
        let hasDifferentDecisions = !decisions.different.isEmpty
        // The pools for the chain guard, taken once (reading the table in the guard copied it per test).
        scorer.withPools(table) { pools in
            for edge in candidates {
                let ra = groups.root(edge.a)
                let rb = groups.root(edge.b)
                if ra == rb {
                    clusters.merged.append(edge)
                    continue
                }
                if hasDifferentDecisions && groups.anyAcross(ra, rb, { x, y in decided(decisions.different, x, y) }) {
                    clusters.keptApart += 1
                    continue
                }
                if !decided(decisions.same, edge.a, edge.b) && Self.chained(edge, ra, rb, groups, pools) {
                    clusters.guarded += 1
                    clusters.review.append(edge)
                    continue
                }
                groups.join(ra, rb)
                clusters.merged.append(edge)
            }
        }
        // Every row's group, once (the review band, the households' rows and their edges all ask).
        clusters.rootOf = groups.roots()
        return clusters
    }

    /// The chain guard: whether no row of one group shares a phone or a building with a row of the other.
    /// The edge's own two rows were scored already (as `fields(a, b)`, a < b): two single rows, the usual
    /// first merge of a household, need no second look at the feature table.
    private static func chained(
        _ edge: PairEvidence, _ ra: Int, _ rb: Int, _ groups: RowGroups, _ pools: PairScorer.Pools
    ) -> Bool {
        groups.guardAcross(ra, rb) { x, y in
            let (low, high) = (min(x, y), max(x, y))
            let e = low == edge.a && high == edge.b ? edge.packed : PairScorer.fields(low, high, pools)
            return e.get(.phone) == .different && e.get(.address) == .different
        }
    }

    /// The pairs for staff to decide: those the chain guard held back and those scoring in the review band
    /// across two groups, one per pair of groups (none for a pair staff already kept apart).
    func reviewBand(_ compared: ComparedPairs, clusters: Clusters, keys: [String]) -> [PairEvidence] {
        var review = clusters.review
        let reviewThreshold = weights.reviewThreshold
        let mergeThreshold = weights.mergeThreshold
        for k in compared.positions(scoring: { $0 >= reviewThreshold && $0 < mergeThreshold }) {
            let edge = compared[k]
            if clusters.rootOf[edge.a] != clusters.rootOf[edge.b] { review.append(edge) }
        }
        let decidedApart = Self.groupPairs(decisions.different, keys, clusters.rootOf)
        return Self.onePerGroupPair(review, rootOf: clusters.rootOf, keptApart: decidedApart)
    }

    /// One household per group, in root order, each with the links why its rows were merged.
    func mergedHouseholds(_ submissions: [Submission], rootOf: [Int], merged: [PairEvidence]) -> [Household] {
        // Each household's rows (ascending) and merge edges (in merge order), as runs of two flat arrays:
        // half a million one-row groups would otherwise each be an array of their own.
        let roots = submissions.indices.filter { rootOf[$0] == $0 }
        var groupOf = [Int32](repeating: -1, count: submissions.count)
        for (g, r) in roots.enumerated() { groupOf[r] = Int32(g) }
        func runs(_ keys: [Int32]) -> (start: [Int], order: [Int]) {
            var start = [Int](repeating: 0, count: roots.count + 1)
            for k in keys { start[Int(k) + 1] += 1 }
            for g in roots.indices { start[g + 1] += start[g] }
            var next = start
            var order = [Int](repeating: 0, count: keys.count)
            for (i, k) in keys.enumerated() {
                order[next[Int(k)]] = i
                next[Int(k)] += 1
            }
            return (start, order)
        }
        let rowsOf = runs(rootOf.map { groupOf[$0] })
        let edgesOf = runs(merged.map { groupOf[rootOf[$0.a]] })
        groupOf = []
        let mergedEdges = merged
        // Merging is pure and per household: on every core, in chunks, results in root order. The closure
        // captures what it reads (the rows and the runs), not the resolver.
        let idKey = self.idKey
        let issued = self.issued
        let rows = submissions
        return ParallelMap.map(
            count: roots.count, chunk: 1024,
            setUp: { HMAC<SHA256>(key: SymmetricKey(data: Data(idKey.utf8))) }
        ) { g, key in
            let group = rowsOf.order[rowsOf.start[g]..<rowsOf.start[g + 1]]
            // The links go in as the household is made: its box is never changed after.
            let fields = Self.mergedFields(group, of: rows, idKey: key, issued: issued)
            let edges = edgesOf.start[g]..<edgesOf.start[g + 1]
            if edges.isEmpty { return Household(fields) }
            let sources = fields.sources
            // A source's place found by a scan for a few rows, by a table for many (one household of
            // 50,000 identical rows would scan its sources for every link: quadratic).
            var place: [SourceRef: Int] = [:]
            if edges.count > 64 { for (i, s) in sources.enumerated() where place[s] == nil { place[s] = i } }
            func index(_ s: SourceRef) -> UInt32 {
                UInt32(place.isEmpty ? sources.firstIndex(of: s)! : place[s]!)
            }
            return Household(
                fields,
                mergeLinks: edgesOf.order[edges].map { k in
                    let e = mergedEdges[k]
                    return Household.MergeLink(
                        left: index(rows[e.a].source), right: index(rows[e.b].source),
                        score: e.score, fields: e.packed)
                })
        }
    }

    /// Blocking: candidate pairs share at least one key. Returns the pairs as `a << 32 | b` (a < b),
    /// sorted, and the blocks too large to compare, in the order of their key text.
    func candidatePairs(_ table: MatchFeatureTable) -> (pairs: [UInt64], oversized: [String]) {
        candidatePairs(
            table, parts: table.rows.count < 1 << 14 ? 1 : min(max(ProcessInfo.processInfo.activeProcessorCount, 1), 8))
    }

    /// The same in `parts` ranges of keys on every core: a block lies in one range, so each range is sorted
    /// and turned into pairs on its own, and the pairs are then sorted in ranges of value. Ranges taken in
    /// order give what one sort of everything gives (also the order oversized blocks are met in).
    func candidatePairs(_ table: MatchFeatureTable, parts: Int) -> (pairs: [UInt64], oversized: [String]) {
        // A block's key as a sortable pair of words: (tag, a) and b.
        let keyBounds = Self.bounds(parts: parts, sample: table.blockKeys) {
            ($0.high, UInt64(UInt32(bitPattern: $0.b)))
        }
        let maxBlockSize = self.maxBlockSize
        let blocks = ParallelMap.map(count: keyBounds.count + 1, chunk: 1) {
            part -> (pairs: [UInt64], oversized: [(key: String, label: String)]) in
            // (key, row) entries of this range sorted by key then row: each block's members are a run, in row order.
            var entries: [(high: UInt64, low: UInt64)] = []
            entries.reserveCapacity(table.blockKeys.count / (keyBounds.count + 1) + table.blockKeys.count / 8)
            for i in table.rows.indices {
                for k in table.blockKeys[Int(table.blockKeyStart[i])..<Int(table.blockKeyStart[i + 1])] {
                    let b = UInt64(UInt32(bitPattern: k.b))
                    guard Self.range(of: (k.high, b), in: keyBounds) == part else { continue }
                    entries.append((k.high, b << 32 | UInt64(i)))
                }
            }
            RadixSort.sort(&entries)

            var pairs: [UInt64] = []
            var oversized: [(key: String, label: String)] = []
            var members: [UInt64] = []
            var start = 0
            while start < entries.count {
                let high = entries[start].high
                let b = entries[start].low >> 32
                var end = start
                members.removeAll(keepingCapacity: true)
                while end < entries.count && entries[end].high == high && entries[end].low >> 32 == b {
                    let row = entries[end].low & 0xFFFF_FFFF
                    // a key a row has twice (two numbers, same last 8 digits)
                    if members.last != row { members.append(row) }
                    end += 1
                }
                start = end
                guard members.count > 1 else { continue }
                if members.count > maxBlockSize {
                    let key = table.text(MatchFeatureTable.BlockKey(high: high, b: UInt32(b)))
                    oversized.append((key, "\(key.prefix(2))…(\(members.count))"))
                    // Too many to compare every pair (a centre's line, a rerun pasted twice): on a number, each row
                    // is compared with its nearest neighbours in (name, building, unit) order, so identical and
                    // near-identical rows still meet and merge, in time linear in the block. (Other keys' big blocks,
                    // a name in a 시군구 or a unit number in a big complex, join families by chance, not rows.)
                    if MatchFeatureTable.BlockKey.Tag(rawValue: UInt8(high >> 32)) == .phone {
                        Self.neighbourPairs(members, table.rows, into: &pairs)
                    }
                    continue
                }
                for x in 0..<members.count {
                    for y in (x + 1)..<members.count { pairs.append(members[x] << 32 | members[y]) }
                }
            }
            return (pairs, oversized)
        }
        let oversized = blocks.flatMap(\.oversized)
        // Pairs sorted and made unique in ranges of value, each from every key range's pairs.
        let pairBounds = Self.bounds(
            parts: parts,
            sample: blocks.flatMap { part in
                stride(from: 0, to: part.pairs.count, by: max(1, part.pairs.count / 4096)).map { part.pairs[$0] }
            }
        ) { ($0, 0) }
        let sorted = ParallelMap.map(count: pairBounds.count + 1, chunk: 1) { range -> [UInt64] in
            // Counted first, then copied in one tight loop per part (appending from a lazy filter grew the array pair by pair).
            var count = 0
            for part in blocks {
                if pairBounds.isEmpty {
                    count += part.pairs.count
                    continue
                }
                for p in part.pairs where Self.range(of: (p, 0), in: pairBounds) == range { count += 1 }
            }
            var pairs: [UInt64] = []
            pairs.reserveCapacity(count)
            for part in blocks {
                for p in part.pairs where pairBounds.isEmpty || Self.range(of: (p, 0), in: pairBounds) == range {
                    pairs.append(p)
                }
            }
            RadixSort.sort(&pairs)
            var unique = 0
            for p in pairs where unique == 0 || pairs[unique - 1] != p {
                pairs[unique] = p
                unique += 1
            }
            pairs.removeLast(pairs.count - unique)
            return pairs
        }
        return (
            sorted.count == 1 ? sorted[0] : Array(concatenating: sorted),
            oversized.sorted { $0.key < $1.key }.map(\.label)
        )
    }

    /// How many neighbours each row of an oversized block is compared with.
    static let neighbourWindow = 3

    /// Pairs of each row of `members` with the next `neighbourWindow` rows in (name, building, unit, row) order.
    static func neighbourPairs(_ members: [UInt64], _ rows: [MatchFeatures], into pairs: inout [UInt64]) {
        let sorted = members.sorted { x, y in
            let a = rows[Int(x)]
            let b = rows[Int(y)]
            return (a.name, a.building, a.unit, x) < (b.name, b.building, b.unit, y)
        }
        for i in sorted.indices {
            for j in (i + 1)..<min(sorted.count, i + 1 + neighbourWindow) {
                pairs.append(min(sorted[i], sorted[j]) << 32 | max(sorted[i], sorted[j]))
            }
        }
    }

    /// Up to `parts - 1` distinct keys, ascending, that cut `sample`'s keys into ranges of about equal size.
    /// Only balance depends on them: any bounds give the same result.
    private static func bounds<T>(parts: Int, sample: [T], key: (T) -> (UInt64, UInt64)) -> [(UInt64, UInt64)] {
        guard parts > 1, !sample.isEmpty else { return [] }
        let step = max(1, sample.count / 4096)
        let keys = stride(from: 0, to: sample.count, by: step).map { key(sample[$0]) }.sorted { $0 < $1 }
        var bounds: [(UInt64, UInt64)] = []
        for p in 1..<parts {
            let k = keys[p * keys.count / parts]
            if bounds.last.map({ $0 < k }) ?? true { bounds.append(k) }
        }
        return bounds
    }

    /// Which range of `bounds` a key falls in: range `r` holds the keys from `bounds[r - 1]` up to `bounds[r]`.
    @inline(__always)
    private static func range(of key: (UInt64, UInt64), in bounds: [(UInt64, UInt64)]) -> Int {
        var r = 0
        while r < bounds.count && key >= bounds[r] { r += 1 }
        return r
    }

    /// Gives every household its applicant id by the rule (`ApplicantIDRule`), and puts them in id order.
    func assignIDs(_ households: inout [Household]) {
        ApplicantIDRule(issued: issued, keyed: HMAC<SHA256>(key: SymmetricKey(data: Data(idKey.utf8))))
            .assign(&households)
    }

    /// Submissions in the order "oldest first": by time, then by file and row.
    static func chronological(_ a: Submission, _ b: Submission) -> Bool {
        chronological(a.submittedAt, a.source, b.submittedAt, b.source)
    }

    @inline(__always)
    private static func chronological(_ at: LocalDateTime?, _ a: SourceRef, _ bt: LocalDateTime?, _ b: SourceRef)
        -> Bool
    {
        switch (at, bt) {
        case (let x?, let y?) where x != y: return x < y
        case (nil, _?): return true
        case (_?, nil): return false
        default: return a < b
        }
    }

    func merge(_ group: [Submission]) -> Household {
        merge(Array(group.indices), of: group, idKey: HMAC<SHA256>(key: SymmetricKey(data: Data(idKey.utf8))))
    }

    /// Merges `submissions[indices]` (indices ascending) without copying the group out of the array.
    func merge(_ indices: [Int], of submissions: [Submission], idKey: HMAC<SHA256>) -> Household {
        Self.merge(indices[...], of: submissions, idKey: idKey, issued: issued)
    }

    /// The merge itself, static: nothing of the resolver is needed, and a method's closures (the sorts)
    /// would copy the resolver (its key, weights and decisions) into every call.
    static func merge(
        _ indices: ArraySlice<Int>, of submissions: [Submission],
        idKey: HMAC<SHA256>, issued: IssuedIDs = IssuedIDs()
    ) -> Household {
        Household(mergedFields(indices, of: submissions, idKey: idKey, issued: issued))
    }

    /// `merge`'s household as its fields, to add to before the household is made.
    static func mergedFields(
        _ indices: ArraySlice<Int>, of submissions: [Submission],
        idKey: HMAC<SHA256>, issued: IssuedIDs = IssuedIDs()
    ) -> Household.Fields {
        // A household of one row (most) needs no ordering, nor an array for it.
        guard indices.count > 1 else { return merge(ordered: indices, of: submissions, idKey: idKey, issued: issued) }
        let order = indices.sorted { a, b in
            chronological(
                submissions[a].submittedAt, submissions[a].source, submissions[b].submittedAt, submissions[b].source)
        }
        return merge(ordered: order[...], of: submissions, idKey: idKey, issued: issued)
    }

    /// How many earlier addresses of a household complete a later one (a household of hundreds of rows is
    /// a shared number or an institution, not a family writing its address again).
    static let addressesRemembered = 16

    /// Merges the rows `order` names, oldest first.
    /// Each row is read through the array's subscript, field by field: `let s = submissions[k]` would copy
    /// a submission (a dozen references).
    private static func merge(
        ordered order: ArraySlice<Int>, of submissions: [Submission],
        idKey: HMAC<SHA256>, issued: IssuedIDs
    ) -> Household.Fields {
        var sources: [SourceRef] = []
        sources.reserveCapacity(order.count)
        var knownID: String?
        for k in order {
            sources.append(submissions[k].source)
            sources.append(contentsOf: submissions[k].alsoSeenAt)
            if let id = submissions[k].knownApplicantID, knownID.map({ issued.earlier(id, than: $0) }) ?? true {
                knownID = id
            }
        }
        sources.sort()

        // The fields gathered in locals, the household made once at the end (each change of a
        // household's field checks its box is unique first).
        var guardianName: PersonName?
        var address: Address?
        var writtenAddresses: [Address] = []  // each row's address as written, oldest first (the last few)
        var contactWindow: ContactWindow?
        var language: String?
        var memos: [String] = []
        var children: [Household.Child] = []
        var extra: [ExtraCell] = []
        // Bit sets by case order: a Set of these enums hashes their Korean raw text.
        var careTypes: UInt32 = 0
        var flags: UInt32 = 0
        var phones: [PhoneNumber] = []
        var primaries: [String] = []  // each row's own primary, oldest first (the vote for the household's)
        var issues: [RowIssue] = []
        for k in order {
            if let name = submissions[k].guardianName { guardianName = name }
            if let next = submissions[k].address, next.kind != .partial || address == nil || address?.kind == .partial {
                // Completeness beats recency when the newer address cannot be placed (no 시도/시군구) and the older can.
                let unplaced = next.sido == nil && next.sigungu == nil
                let previousPlaced = address.map { $0.sido != nil || $0.sigungu != nil } ?? false
                if !(unplaced && previousPlaced) {
                    // Parts written only on an earlier row of the same place (a 동, a postal code, the
                    // building's name) fill this one's blanks, the latest first; a row of another place in
                    // between (a 지번 written once) does not hide them. An equal address is itself.
                    var completed = next
                    for e in writtenAddresses.reversed() where e != completed {
                        completed = completed.completed(from: e)
                    }
                    address = completed
                }
            }
            if let written = submissions[k].address, writtenAddresses.last != written {
                if writtenAddresses.count == Self.addressesRemembered { writtenAddresses.removeFirst() }
                writtenAddresses.append(written)
            }
            if let window = submissions[k].contactWindow, !window.text.isEmpty || contactWindow == nil {
                contactWindow = window
            }
            if let spoken = submissions[k].language { language = spoken }
            if let memo = submissions[k].memo, !memos.contains(memo) { memos.append(memo) }
            for c in submissions[k].careTypes { careTypes |= 1 << c.order }
            for f in submissions[k].flags { flags |= 1 << f.order }
            // Latest primary first, then the others in order of appearance (as `[primary] + others` put in front).
            let primary = submissions[k].phones.primary
            let others = submissions[k].phones.others
            if order.count > 1 { primaries.append(primary.digits) }
            if phones.isEmpty {
                phones.reserveCapacity(1 + others.count)
                phones.append(primary)
                phones.append(contentsOf: others)
            } else {
                phones.removeAll { $0 == primary || others.contains($0) }
                if !others.isEmpty { phones.insert(contentsOf: others, at: 0) }
                phones.insert(primary, at: 0)
            }
            // Entries read in place (iterating the array copied each entry, with all its strings).
            for e in submissions[k].children.indices {
                mergeChild(submissions[k].children[e], from: submissions[k].source, into: &children)
            }
            extra.append(contentsOf: submissions[k].extra)
            // Every row's issues, each with the row it came from, oldest first.
            for issue in submissions[k].issues {
                var located = issue
                located.source = submissions[k].source
                issues.append(located)
            }
        }
        if order.count > 1 { phones = primaryByAgreement(phones, primaries) }
        extra = latestPerColumn(extra)
        // The latest submission's own arrays when they say the same (memoized cells share them): one copy in memory.
        let latest = order[order.endIndex - 1]
        let careTypeList =
            same(careTypes, submissions[latest].careTypes)
            ? submissions[latest].careTypes : CareType.allCases.filter { careTypes & (1 << $0.order) != 0 }
        let flagList =
            same(flags, submissions[latest].flags)  // allCases is in sort order
            ? submissions[latest].flags : HouseholdFlag.allCases.filter { flags & (1 << $0.order) != 0 }
        if children.count > 1 { children.sort { childOrder($0, $1) } }
        let first = order[order.startIndex]
        var fields = Household.Fields(
            applicantID: knownID ?? applicantID(for: submissions[first].phones.primary.digits, keyed: idKey),
            guardianName: guardianName, phones: phones, address: address, children: children, careTypes: careTypeList,
            contactWindow: contactWindow, language: language, flags: flagList, memos: memos,
            firstSubmittedAt: order.lazy.compactMap { submissions[$0].submittedAt }.first,
            lastSubmittedAt: order.reversed().lazy.compactMap { submissions[$0].submittedAt }.first,
            sources: sources, extra: extra, issues: issues, mergeTexts: [])
        if knownID != nil {
            fields.idFromState = true
            fields.naturalIDDigits = submissions[first].phones.primary.digits
        }
        return fields
    }

    /// Pairs of households (by their roots) that staff said are different, through any of their rows.
    static func groupPairs(_ decided: Set<MergeDecisions.Pair>, _ keys: [String], _ rootOf: [Int]) -> Set<UInt64> {
        guard !decided.isEmpty else { return [] }
        var index: [String: Int] = [:]
        for (i, k) in keys.enumerated() where !k.isEmpty { index[k] = i }
        var pairs: Set<UInt64> = []
        for pair in decided {
            guard let a = index[pair.first], let b = index[pair.second] else { continue }
            let (x, y) = (min(rootOf[a], rootOf[b]), max(rootOf[a], rootOf[b]))
            pairs.insert(UInt64(x) << 32 | UInt64(y))
        }
        return pairs
    }

    /// The review list as people decide it: one line per pair of households (the rows that score highest),
    /// highest score first; none for households staff already said are different. A decision on that line
    /// settles the two households (a "different" on any of their rows keeps them apart).
    static func onePerGroupPair(_ edges: [PairEvidence], rootOf: [Int], keptApart: Set<UInt64>) -> [PairEvidence] {
        let sorted = edges.sorted { $0.score != $1.score ? $0.score > $1.score : ($0.a, $0.b) < ($1.a, $1.b) }
        var seen: Set<UInt64> = []
        return sorted.filter { e in
            let (x, y) = (min(rootOf[e.a], rootOf[e.b]), max(rootOf[e.a], rootOf[e.b]))
            let key = UInt64(x) << 32 | UInt64(y)
            return x != y && !keptApart.contains(key) && seen.insert(key).inserted
        }
    }

    /// Each pair once, its highest-scoring evidence kept (a staff "same" pair may also have been compared).
    static func onceEach(_ edges: [PairEvidence]) -> [PairEvidence] {
        var best: [Int: PairEvidence] = [:]
        for e in edges {
            let key = e.a << 32 | e.b
            if let known = best[key], known.score >= e.score { continue }
            best[key] = e
        }
        return Array(best.values)
    }

    /// Pass-through cells of all the household's rows (oldest first): each column once, with its latest value,
    /// in the order of those latest values. Linear in the number of cells: a crafted export with 100,000
    /// columns stays a row like any other.
    static func latestPerColumn(_ cells: [ExtraCell]) -> [ExtraCell] {
        guard cells.count > 1 else { return cells }
        var last: [String: Int] = [:]
        last.reserveCapacity(cells.count)
        for (i, cell) in cells.enumerated() { last[cell.column] = i }
        if last.count == cells.count { return cells }
        return cells.indices.filter { last[cells[$0].column] == $0 }.map { cells[$0] }
    }

    /// The household's numbers with the primary chosen by agreement: the number most of its submissions give
    /// as their primary (ties: the latest of them), so one mistyped resubmission does not replace the number
    /// the others agree on. `phones` is latest-first, `primaries` oldest first; the others keep their order.
    private static func primaryByAgreement(_ phones: [PhoneNumber], _ primaries: [String]) -> [PhoneNumber] {
        var votes: [(digits: String, count: Int, latest: Int)] = []
        for (position, digits) in primaries.enumerated() {
            if let v = votes.firstIndex(where: { $0.digits == digits }) {
                votes[v].count += 1
                votes[v].latest = position
            } else {
                votes.append((digits, 1, position))
            }
        }
        guard votes.count > 1,
            let best = votes.max(by: { ($0.count, $0.latest) < ($1.count, $1.latest) }),
            let at = phones.firstIndex(where: { $0.digits == best.digits }), at != 0
        else { return phones }
        var reordered = phones
        reordered.insert(reordered.remove(at: at), at: 0)
        return reordered
    }

    /// Whether `list` is the cases of bit set `bits` in `allCases` order (what filtering `allCases` by it gives).
    private static func same<C: CaseIterable & Equatable>(_ bits: UInt32, _ list: [C], order: (C) -> Int) -> Bool {
        var k = 0
        for c in C.allCases where bits & (1 << order(c)) != 0 {
            guard k < list.count, list[k] == c else { return false }
            k += 1
        }
        return k == list.count
    }
    private static func same(_ bits: UInt32, _ list: [CareType]) -> Bool { same(bits, list) { $0.order } }
    private static func same(_ bits: UInt32, _ list: [HouseholdFlag]) -> Bool { same(bits, list) { $0.order } }

    private static func childOrder(_ a: Household.Child, _ b: Household.Child) -> Bool {
        // Oldest child first, unknown ages last, then by name.
        switch (a.birthDate, b.birthDate) {
        case (let x?, let y?) where x != y: return x < y
        default: break
        }
        switch (a.age, b.age) {
        case (let x?, let y?) where x != y: return x > y
        case (_?, nil): return true
        case (nil, _?): return false
        default: return (a.name ?? "", a.sources.first!) < (b.name ?? "", b.sources.first!)
        }
    }

    /// Adds a child entry to the household's children: folded into the child it is (in place), or appended.
    private static func mergeChild(
        _ entry: borrowing ChildEntry, from source: SourceRef, into children: inout [Household.Child]
    ) {
        let name = entry.name?.name
        let birthDate = entry.age?.birthDate
        let age = entry.age?.age
        let grade = entry.age?.schoolGrade
        let ageText = entry.ageText.isEmpty ? nil : entry.ageText
        if let index = children.firstIndex(where: { sameChild($0, name, birthDate, age, grade) }) {
            func fold(_ merged: inout Household.Child) {
                merged.name = name ?? merged.name
                merged.birthDate = birthDate ?? merged.birthDate
                merged.age = age ?? merged.age
                merged.schoolGrade = grade ?? merged.schoolGrade
                merged.ageText = ageText ?? merged.ageText
                merged.sources.append(source)
            }
            fold(&children[index])
        } else {
            children.append(
                Household.Child(
                    name: name, birthDate: birthDate, age: age, schoolGrade: grade, ageText: ageText,
                    sources: [source]))
        }
    }

    /// Whether child `a` and an incoming entry (its name, birth date, age and grade) are one child.
    private static func sameChild(
        _ a: Household.Child, _ name: String?, _ birthDate: LocalDate?, _ age: Int?, _ grade: Int?
    ) -> Bool {
        if let x = a.name, let y = name {
            // 안하은 and 하은 are one child when what is known of their age agrees; twins with one name do not exist.
            if NameSimilarity.equalText(x, y) { return true }
            guard NameSimilarity.sameGivenName(x, y) else { return false }
            if let p = a.birthDate, let q = birthDate, p != q { return false }
            if let p = a.age, let q = age, abs(p - q) > 1 { return false }
            return true
        }
        // Unnamed entries are the same child only if their age data is identical.
        return a.name == nil && name == nil && a.birthDate == birthDate && a.age == age && a.schoolGrade == grade
    }

    /// `H-` and 10 Crockford base-32 characters of HMAC-SHA256(id_key, phone):
    /// stable for a family, short enough to read out on the phone, and not
    /// reversible to the number without the installation's key.
    func applicantID(for phoneDigits: String) -> String {
        applicantID(for: phoneDigits, key: SymmetricKey(data: Data(idKey.utf8)))
    }

    func applicantID(for phoneDigits: String, key: SymmetricKey) -> String {
        applicantID(for: phoneDigits, keyed: HMAC<SHA256>(key: key))
    }

    func applicantID(for phoneDigits: String, keyed: HMAC<SHA256>) -> String {
        Self.applicantID(for: phoneDigits, keyed: keyed)
    }

    private static let crockford = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
    private static let householdPrefix = Array("household:".utf8)

    /// With the key already set up in `keyed` (copied, then fed the number): one household
    /// costs two hash blocks instead of four. The message `household:<digits>` is put together
    /// on the stack (as a `String` and an array it was two allocations per household).
    static func applicantID(for phoneDigits: String, keyed: HMAC<SHA256>) -> String {
        var mac = keyed
        // The message `household:<digits>` fed in two parts (the same code as fed at once).
        mac.update(data: householdPrefix)
        mac.update(data: Array(phoneDigits.utf8))
        var bits: UInt64 = 0
        for byte in mac.finalize().prefix(8) { bits = bits << 8 | UInt64(byte) }
        return String(unsafeUninitializedCapacity: 12) { out in
            out[0] = UInt8(ascii: "H")
            out[1] = UInt8(ascii: "-")
            for i in 0..<10 { out[2 + i] = crockford[Int((bits >> UInt64(59 - 5 * i)) & 31)] }
            return 12
        }
    }
}
