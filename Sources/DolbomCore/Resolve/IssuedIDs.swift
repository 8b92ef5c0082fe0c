/// Every applicant id earlier runs issued, in the order they were issued, and the ids that were merged
/// into another household (aliases). An id once issued belongs to one household for good: a new
/// household never gets one of these, and a merge keeps the earliest-issued id of the households it joins.
public struct IssuedIDs: Sendable {
    /// Id → its place in the order of issue (1 = the first id the state ever issued).
    var sequence: [String: Int64] = [:]
    /// Id merged away → the id of the household that absorbed it.
    var aliases: [String: String] = [:]

    public init() {}

    public init(sequence: [String: Int64], aliases: [String: String]) {
        self.sequence = sequence
        self.aliases = aliases
    }

    public var isEmpty: Bool { sequence.isEmpty }
    public var count: Int { sequence.count }

    /// Whether an earlier run issued `id` (to a household that may since have been merged or purged).
    public func contains(_ id: String) -> Bool { sequence[id] != nil }

    /// Whether `a` was issued before `b` (ids the state does not know come after those it knows, then by text).
    func earlier(_ a: String, than b: String) -> Bool {
        let x = sequence[a] ?? .max
        let y = sequence[b] ?? .max
        return x != y ? x < y : a < b
    }

    /// The id a household is known by now: `id` itself, or the survivor it was merged into (following chains).
    public func current(_ id: String) -> String {
        var id = id
        var steps = 0
        while let next = aliases[id], next != id, steps < 64 {
            id = next
            steps += 1
        }
        return id
    }
}
