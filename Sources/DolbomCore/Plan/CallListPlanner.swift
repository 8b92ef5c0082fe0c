import DolbomNormalize
import DolbomRuntime

/// One line of the call list: a household, its place, and why it is there.
public struct CallListEntry: Sendable {
    public var rank: Int
    public var household: Household
    public var score: Int
    /// What `reason` says, kept as numbers and written out where it is shown (a string for every open
    /// household cost more to make than the call list spends writing it, and stayed alive all run).
    var why: Reason
    public var waitingDays: Int?

    struct Reason: Sendable {
        /// The household's flags that earned points, by `HouseholdFlag.order`.
        var weightedFlags: UInt32
        /// The youngest child's age, when it earned points.
        var youngest: Int?
        var attempts: Int
        /// Back on the list because a booked visit passed without a result (`방문 결과 확인`, said first).
        var visitCheck = false
    }

    /// A few Korean words a counselor reads to see why this family is where it is.
    public var reason: String { StringSink.build { reason(into: &$0) } }

    /// `reason`, written into `out`: `한부모·다자녀 가구, 막내 만 5세, 30일 대기, 부재 2회`.
    func reason<S: TextSink>(into out: inout S) {
        why.write(household: household, waitingDays: waitingDays, into: &out)
    }
}

extension CallListEntry.Reason {
    /// The reason's text for `household` (whose flags it names), waiting `waitingDays`.
    func write<S: TextSink>(household: Household, waitingDays: Int?, into out: inout S) {
        var written = false
        func part(_ out: inout S) {
            if written { out.literal(", ") }
            written = true
        }
        if visitCheck {
            out.literal("방문 결과 확인")
            written = true
        }
        if weightedFlags != 0 {
            var weighted = false
            for flag in household.flags where weightedFlags & (1 << flag.order) != 0 {
                if weighted { out.literal("·") } else if written { out.literal(", ") }
                out.text(flag.rawValue)
                weighted = true
            }
            if weighted {
                out.literal(" 가구")
                written = true
            }
        }
        if let young = youngest {
            part(&out)
            out.literal("막내 만 ")
            out.number(young)
            out.literal("세")
        }
        part(&out)
        if let waitingDays {
            out.number(waitingDays)
            out.literal("일 대기")
        } else {
            out.literal("신청일 모름")
        }
        if attempts > 0 {
            part(&out)
            out.literal("부재 ")
            out.number(attempts)
            out.literal("회")
        }
    }
}

/// The Plan stage's first part: orders households by need and waiting time.
///
/// Weighted rules over household flags, the youngest child's age, the days
/// waited since the first submission and unanswered calls so far; ties go to the
/// earlier submission, then the applicant id, so the order is total and the same on every run.
public struct CallListPlanner: Sendable {
    public var asOf: LocalDate
    public var flagWeights: [HouseholdFlag: Int]
    public var pointsPerWaitingDay: Int
    public var youngChildAge: Int
    public var youngChildPoints: Int
    public var pointsPerFailedAttempt: Int

    public static let defaultFlagWeights: [HouseholdFlag: Int] = [
        .기초생활수급: 30, .차상위: 25, .한부모: 20, .조손: 20, .장애: 20, .다문화: 10, .다자녀: 10, .맞벌이: 5,
    ]

    public init(asOf: LocalDate, priority: DolbomConfiguration.Priority? = nil) {
        self.asOf = asOf
        var weights = Self.defaultFlagWeights
        for (name, points) in priority?.flagWeights ?? [:] {
            if let flag = HouseholdFlag(rawValue: name) { weights[flag] = points }
        }
        self.flagWeights = weights
        self.pointsPerWaitingDay = priority?.pointsPerWaitingDay ?? 1
        self.youngChildAge = priority?.youngChildAge ?? 7
        self.youngChildPoints = priority?.youngChildPoints ?? 5
        self.pointsPerFailedAttempt = priority?.pointsPerFailedAttempt ?? -5
    }

    /// `statuses` supply the unanswered attempts; households without one count as never tried.
    public func plan(_ households: [Household], statuses: [String: HouseholdStatus] = [:]) -> [CallListEntry] {
        plan(households, attempts: households.map { statuses[$0.applicantID]?.attempts ?? 0 })
    }

    /// `attempts[i]`: the unanswered calls of `households[i]`.
    func plan(_ households: [Household], attempts: [Int]) -> [CallListEntry] {
        ranking(households, attempts: attempts).entries
    }

    /// The ranked entries and, for each, the index in `households` it was made from (the run reads
    /// the household's status by that index).
    func ranking(_ households: [Household], attempts: [Int]) -> (entries: [CallListEntry], from: [Int]) {
        // Each household's score and reason on every core (pure, in place), then one sort.
        let weights = flagPoints
        let count = households.count
        let entries = ParallelMap.map(count: count, chunk: 4096) { i in
            entry(households[i], attempts: attempts[i], flagPoints: weights)
        }
        // Sorted through an index with each entry's order packed into two integers (`sortKey`): a comparison
        // is two integer compares, and the applicant ids are read only on a tie.
        let keys = entries.map { Self.sortKey(score: $0.score, first: $0.household.firstSubmittedAt) }
        var order = Array(entries.indices)
        order.sort { a, b in
            if keys[a].high != keys[b].high { return keys[a].high < keys[b].high }
            if keys[a].low != keys[b].low { return keys[a].low < keys[b].low }
            return households[a].applicantID < households[b].applicantID
        }
        var ranked: [CallListEntry] = []
        ranked.reserveCapacity(entries.count)
        for (rank, i) in order.enumerated() {
            ranked.append(entries[i])
            ranked[rank].rank = rank + 1
        }
        return (ranked, order)
    }

    /// The call list's order before the applicant id, as two integers compared in turn: the higher score
    /// first (`high`), then the earlier first submission, households without one last (`low`: the date
    /// and time fields packed in comparison order, which `LocalDateTime`'s `<` compares as a tuple).
    static func sortKey(score: Int, first: LocalDateTime?) -> (high: UInt64, low: UInt64) {
        let high = ~(UInt64(bitPattern: Int64(score)) ^ (1 << 63))
        guard let t = first else { return (high, .max) }
        let d = t.date
        let low =
            UInt64(d.year + 32768) << 40 | UInt64(d.month) << 32 | UInt64(d.day) << 24
            | UInt64(t.hour) << 16 | UInt64(t.minute) << 8 | UInt64(t.second)
        return (high, low)
    }

    /// `flagWeights` by `HouseholdFlag.order` (hashing a flag hashes its Korean name).
    var flagPoints: [Int] {
        var points = [Int](repeating: 0, count: HouseholdFlag.allCases.count)
        for flag in HouseholdFlag.allCases { points[flag.order] = flagWeights[flag] ?? 0 }
        return points
    }

    func entry(_ household: Household, attempts: Int = 0) -> CallListEntry {
        entry(household, attempts: attempts, flagPoints: flagPoints)
    }

    /// `flagPoints`: `flagWeights` by flag order.
    func entry(_ household: Household, attempts: Int, flagPoints: [Int]) -> CallListEntry {
        var score = 0
        var weightedFlags: UInt32 = 0
        for flag in household.flags where flagPoints[flag.order] > 0 {
            score += flagPoints[flag.order]
            weightedFlags |= 1 << flag.order
        }
        var youngest: Int?
        for child in household.children {
            if let age = child.age, youngest.map({ age < $0 }) ?? true { youngest = age }
        }
        let young = youngest.flatMap { $0 < youngChildAge && youngChildPoints > 0 ? $0 : nil }
        if young != nil { score += youngChildPoints }
        var waiting: Int?
        if let first = household.firstSubmittedAt?.date {
            let days = max(0, asOf.daysSinceEpoch - first.daysSinceEpoch)
            waiting = days
            score += days * pointsPerWaitingDay
        }
        if attempts > 0 { score += attempts * pointsPerFailedAttempt }
        return CallListEntry(
            rank: 0, household: household, score: score,
            why: CallListEntry.Reason(weightedFlags: weightedFlags, youngest: young, attempts: attempts),
            waitingDays: waiting)
    }
}
