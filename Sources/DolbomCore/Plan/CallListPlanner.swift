import DolbomNormalize

/// One line of the call list: a household, its place, and why it is there.
public struct CallListEntry: Sendable {
    public var rank: Int
    public var household: Household
    public var score: Int
    /// A few Korean words a counselor reads to see why this family is where it is.
    public var reason: String
    public var waitingDays: Int?
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
        let entries = ParallelMap.map(count: households.count, chunk: 4096) { entry(households[$0], attempts: attempts[$0]) }
        // Sorted through an index with the keys side by side in plain arrays (an entry holds a household
        // reference and a string: reading them in the comparator costs reference counting).
        let scores = entries.map(\.score)
        let firsts = households.map(\.firstSubmittedAt)
        var order = Array(entries.indices)
        order.sort { a, b in
            if scores[a] != scores[b] { return scores[a] > scores[b] }
            switch (firsts[a], firsts[b]) {
            case let (x?, y?) where x != y: return x < y
            case (_?, nil): return true
            case (nil, _?): return false
            default: return households[a].applicantID < households[b].applicantID
            }
        }
        var ranked: [CallListEntry] = []
        ranked.reserveCapacity(entries.count)
        for (rank, i) in order.enumerated() {
            ranked.append(entries[i])
            ranked[rank].rank = rank + 1
        }
        return (ranked, order)
    }

    func entry(_ household: Household, attempts: Int = 0) -> CallListEntry {
        // One string appended to in place (this runs for every open household).
        var score = 0
        var reason = ""
        func add(_ part: String) {
            if !reason.isEmpty { reason += ", " }
            reason += part
        }
        var weighted = false
        for flag in household.flags {
            let points = flagWeights[flag] ?? 0
            guard points > 0 else { continue }
            score += points
            reason += weighted ? "·" : ""
            reason += flag.rawValue
            weighted = true
        }
        if weighted { reason += " 가구" }
        var youngest: Int?
        for child in household.children { if let age = child.age, youngest.map({ age < $0 }) ?? true { youngest = age } }
        if let youngest, youngest < youngChildAge, youngChildPoints > 0 {
            score += youngChildPoints
            add("막내 만 \(youngest)세")
        }
        var waiting: Int?
        if let first = household.firstSubmittedAt?.date {
            let days = max(0, asOf.daysSinceEpoch - first.daysSinceEpoch)
            waiting = days
            score += days * pointsPerWaitingDay
            add("\(days)일 대기")
        } else {
            add("신청일 모름")
        }
        if attempts > 0 {
            score += attempts * pointsPerFailedAttempt
            add("부재 \(attempts)회")
        }
        return CallListEntry(rank: 0, household: household, score: score, reason: reason, waitingDays: waiting)
    }
}
