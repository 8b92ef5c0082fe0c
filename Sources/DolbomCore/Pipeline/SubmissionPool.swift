import Dispatch
import DolbomNormalize
import DolbomRuntime
import Foundation

/// This run's submissions joined with those earlier runs remembered.
///
/// A cumulative export shows yesterday's submissions again: they are matched
/// by fingerprint and keep their household; an edited one replaces the stored
/// version; one not in today's inputs is carried from the state, so a family
/// that has not been called yet never drops off the list.
struct SubmissionPool {
    let known: KnownState
    /// This run's submissions, one per fingerprint (a row seen twice in one run keeps the later copy).
    private(set) var current: [Submission] = []
    private(set) var carried: [Submission] = []
    private(set) var delta = RunDelta()
    private var newFingerprints: Set<SubmissionIdentity.Code> = []
    /// Which fingerprint each source row holds; built only when earlier runs are known
    /// (`hasNewSubmission` asks only about households the state says are done).
    private var fingerprintBySource: [SourceRef: SubmissionIdentity.Code] = [:]

    /// Reads the stored submissions that are carried (not in today's inputs); nil without a state file.
    let loadCarried: (([String]) throws -> [String: Submission])?

    init(known: KnownState, loadCarried: (([String]) throws -> [String: Submission])? = nil) {
        self.known = known
        self.loadCarried = loadCarried
    }

    /// All submissions, this run's first (no copy when nothing is carried from the state).
    var all: [Submission] { carried.isEmpty ? current : current + carried }

    var carriedSources: Set<SourceRef> { Set(carried.map(\.source)) }

    /// Takes this run's submissions (leaving `submissions` empty, so they are never held twice).
    mutating func add(_ submissions: inout [Submission]) throws(StateError) {
        current = submissions
        submissions = []
        // In place: a fingerprint's first position keeps the latest copy; duplicates are swapped out and dropped.
        var index = FingerprintIndex(capacity: current.count)
        var kept = 0
        let remembering = !known.submissions.isEmpty || !known.households.isEmpty
        let known = self.known
        // In place, through the array's mutable span: the array's own subscript and `swapAt` copy whole
        // submissions.
        do {
            var rows = current.mutableSpan
            for j in 0..<rows.count {
                // The slot of the submission a few on asked for now: the index (8 MB at 1M rows) is read at random.
                if j + ReadAhead.tableDistance < rows.count {
                    index.readAhead(rows[j + ReadAhead.tableDistance].identity!.fingerprintCode)
                }
                let code = rows[j].identity!.fingerprintCode
                if let i = index.position(of: code, holds: { rows[$0].identity!.fingerprintCode == code }) {
                    // The same submission in two exports of one run: keep the later, remember where the earlier was.
                    rows[j].alsoSeenAt = rows[i].alsoSeenAt + [rows[i].source] + rows[j].alsoSeenAt
                    rows[j].knownApplicantID = rows[i].knownApplicantID
                    rows.swapAt(i, j)
                } else {
                    if remembering {
                        rows[j].knownApplicantID = known.submissions[rows[j].identity!.fingerprint]?.applicantID
                    }
                    precondition(index.count == kept)
                    index.insert(code)
                    if kept != j { rows.swapAt(kept, j) }
                    kept += 1
                }
            }
        }
        current.removeLast(current.count - kept)
        guard remembering else {
            // Nothing is known from earlier runs: every submission is new.
            delta.newSubmissions = current.count
            return
        }
        for j in current.indices {  // by index: a `for in` copies each submission (a dozen references)
            let identity = current[j].identity!
            if let stored = known.submissions[identity.fingerprint] {
                if stored.contentHash == identity.contentHash {
                    delta.unchangedSubmissions += 1
                } else {
                    delta.updatedSubmissions += 1
                }
            } else {
                delta.newSubmissions += 1
                newFingerprints.insert(identity.fingerprintCode)
            }
            fingerprintBySource[current[j].source] = identity.fingerprintCode
            for source in current[j].alsoSeenAt { fingerprintBySource[source] = identity.fingerprintCode }
        }
        var seen = Set<SubmissionIdentity.Code>(minimumCapacity: current.count)
        do {
            let rows = current.span
            for j in 0..<rows.count { seen.insert(rows[j].identity!.fingerprintCode) }
        }
        let carriedFingerprints = known.submissions.keys.sorted().filter { !seen.contains(SubmissionIdentity.Code($0)) }
        let payloads: [String: Submission]
        do { payloads = try loadCarried?(carriedFingerprints) ?? [:] } catch let error as StateError {
            throw error
        } catch {
            throw StateError.failed(path: "state", reason: "\(error)")
        }
        for fingerprint in carriedFingerprints {
            let stored = known.submissions[fingerprint]!
            guard var submission = payloads[fingerprint] else {
                throw StateError.failed(
                    path: "state", reason: "stored submission \(fingerprint.prefix(12)) has no readable payload")
            }
            submission.source = SourceRef(file: stored.source.file, row: stored.source.row, fromState: true)
            submission.alsoSeenAt = []
            submission.identity = SubmissionIdentity(fingerprint: fingerprint, contentHash: stored.contentHash)
            submission.knownApplicantID = stored.applicantID
            carried.append(submission)
            fingerprintBySource[submission.source] = SubmissionIdentity.Code(fingerprint)
        }
        delta.carriedSubmissions = carried.count
    }

    /// Lets this run's and the carried submissions go (after Resolve and the state changes have used them).
    /// On this thread: freed from another one while the run goes on, they raised the peak memory by
    /// about 50 MB at 1M rows (what replaced them was allocated before their memory was reusable).
    mutating func releaseSubmissions() {
        Self.release(&current)
        Self.release(&carried)
    }

    /// The issue counts by code over all submissions (for the summary), worked out while they are let go:
    /// both passes visit every submission, and freeing a million of them (some fifteen million heap
    /// blocks) on one core left the other idle for a quarter of a second.
    mutating func releaseCountingIssues() -> [String: Int] {
        var counts = Self.release(&current, countingIssues: true)
        for (code, n) in Self.release(&carried, countingIssues: true) { counts[code, default: 0] += n }
        return counts
    }

    /// The issue counts, letting only the carried submissions go: this run's are held by the state changes
    /// until the commit encodes them. Destroying them here would first copy the whole array (it is shared),
    /// a dozen retains and releases per row, and free nothing.
    mutating func releaseCarriedCountingIssues() -> [String: Int] {
        var counts = DolbomRun.issueCounts(current)
        for (code, n) in Self.release(&carried, countingIssues: true) { counts[code, default: 0] += n }
        current = []
        return counts
    }

    /// Empties `submissions`, destroying them on every core when there are many. Each part is destroyed
    /// in place and refilled with an empty placeholder (no heap blocks of its own), so what the array
    /// finally destroys costs next to nothing; the caller waits, so the memory is free before the run goes on.
    @discardableResult
    private static func release(_ submissions: inout [Submission], countingIssues: Bool = false) -> [String: Int] {
        let parts = submissions.count < 8192 ? 1 : 16
        let counts = ParallelMap.drain(&submissions, parts: parts, placeholder: .placeholder) { part -> [String: Int] in
            var counts: [String: Int] = [:]
            if countingIssues {
                for i in 0..<part.count {
                    for issue in part[i].issues { counts[issue.code, default: 0] += 1 }
                }
            }
            return counts
        }
        var total: [String: Int] = [:]
        for part in counts { for (code, n) in part { total[code, default: 0] += n } }
        return total
    }

    /// Whether the household holds a submission earlier runs did not have.
    func hasNewSubmission(_ household: Household) -> Bool {
        guard !known.submissions.isEmpty || !known.households.isEmpty else { return !household.sources.isEmpty }
        return household.sources.contains { fingerprintBySource[$0].map(newFingerprints.contains) ?? false }
    }

    /// Source row to fingerprint, for every submission of the pool (as digests: hex text for a million
    /// rows was a few hundred megabytes on a first run).
    private func fingerprintsBySource() -> [SourceRef: SubmissionIdentity.Code] {
        if !fingerprintBySource.isEmpty || (current.isEmpty && carried.isEmpty) { return fingerprintBySource }
        var map: [SourceRef: SubmissionIdentity.Code] = [:]
        map.reserveCapacity(current.count)
        for j in current.indices {
            let code = current[j].identity!.fingerprintCode
            map[current[j].source] = code
            for source in current[j].alsoSeenAt { map[source] = code }
        }
        for s in carried { map[s.source] = s.identity!.fingerprintCode }
        return map
    }

    /// The state writes that make the database match this run's result.
    /// `withPayloads` false computes only what the summary needs (new households), for runs that commit nothing.
    func changes(households: [Household], known: KnownState, withPayloads: Bool = true) -> StateChanges {
        var changes = StateChanges()
        let nothingKnown = known.households.isEmpty  // a first run: no lookups (a million string hashes)
        // Households read in place; on a first run every household is new, listed on every core (one core took 0.2 s for half a million at 1M rows).
        if nothingKnown {
            changes.newHouseholds = ParallelMap.map(count: households.count, chunk: 8192) { i in
                (households[i].applicantID, households[i].firstSubmittedAt)
            }
        } else {
            for i in households.indices where known.households[households[i].applicantID] == nil {
                changes.newHouseholds.append((households[i].applicantID, households[i].firstSubmittedAt))
            }
        }
        guard withPayloads else { return changes }
        let fingerprintBySource = fingerprintsBySource()
        var householdOf: [SubmissionIdentity.Code: String] = [:]
        householdOf.reserveCapacity(fingerprintBySource.count)
        for i in households.indices {
            for source in households[i].sources {
                if let fingerprint = fingerprintBySource[source] {
                    householdOf[fingerprint] = households[i].applicantID
                }
            }
        }
        // Which rows are written. A relocated row changes only its household, file and row: no payload.
        enum Kind { case inserted, updated, relocated }
        var plan: [(row: Int, carried: Bool, kind: Kind)] = []
        let nothingStored = known.submissions.isEmpty  // a first run: every row is new, no hex to look up
        // Submissions are read in place here and below: `for s in current` copies each (a dozen references).
        do {
            let rows = current.span
            for j in 0..<rows.count {
                let identity = rows[j].identity!
                if !nothingStored, let stored = known.submissions[identity.fingerprint] {
                    if stored.contentHash != identity.contentHash {
                        plan.append((j, false, .updated))
                    } else if stored.source != Self.identityAndPlace(rows, j).place
                        || stored.applicantID != householdOf[identity.fingerprintCode]
                    {
                        plan.append((j, false, .relocated))
                    }
                } else {
                    plan.append((j, false, .inserted))
                }
            }
        }
        for (j, s) in carried.enumerated()
        where known.submissions[s.identity!.fingerprint]!.applicantID != householdOf[s.identity!.fingerprintCode] {
            plan.append((j, true, .relocated))
        }
        // The writes point into this run's submissions, which the changes keep until the commit encodes them.
        changes.submissions = current
        for entry in plan {
            let (identity, source) =
                entry.carried
                ? Self.identityAndPlace(carried.span, entry.row) : Self.identityAndPlace(current.span, entry.row)
            let applicantID = householdOf[identity.fingerprintCode]!
            let write =
                entry.kind == .relocated
                ? StateChanges.SubmissionWrite(
                    applicantID: applicantID,
                    moved: .init(
                        fingerprintCode: identity.fingerprintCode, contentCode: identity.contentCode, source: source))
                : StateChanges.SubmissionWrite(applicantID: applicantID, row: entry.row)
            switch entry.kind {
            case .inserted: changes.inserted.append(write)
            case .updated: changes.updated.append(write)
            case .relocated: changes.relocated.append(write)
            }
        }
        // Known households that vanished because their submissions joined another household.
        let present = Set(households.map(\.applicantID))
        var survivorOf: [String: String] = [:]
        for (fingerprint, stored) in known.submissions where !present.contains(stored.applicantID) {
            if let survivor = householdOf[SubmissionIdentity.Code(fingerprint)] {
                survivorOf[stored.applicantID] = survivor
            }
        }
        changes.mergedInto = survivorOf
        return changes
    }
}

extension SubmissionPool {
    /// The identity and place (without `fromState`) of `rows[j]`, read in place.
    fileprivate static func identityAndPlace(_ rows: Span<Submission>, _ j: Int) -> (
        identity: SubmissionIdentity, place: SourceRef
    ) {
        (rows[j].identity!, SourceRef(file: rows[j].source.file, row: rows[j].source.row))
    }
}

/// Fingerprint → position in the pool's submissions, for a million of them, in the run's one hash table
/// (`HashSlots`). A digest is uniformly random already, so its first word is the hash: no hashing per row.
/// The table keeps positions only; the key is read from the submission at that position, which the pool
/// keeps in place (a duplicate swaps in its later copy). Positions are filed in order: 0, 1, 2, …
struct FingerprintIndex {
    private var slots: HashSlots

    init(capacity: Int) { slots = HashSlots(expected: capacity) }

    static func hash(_ code: SubmissionIdentity.Code) -> UInt64 {
        switch code {
        case .digest(let a, _, _, _): return a
        case .text(let text): return SeededHash.utf8(text)
        }
    }

    /// The position filed under `code`'s hash whose submission `holds` says has `code`, or nil.
    func position(of code: SubmissionIdentity.Code, holds: (Int) -> Bool) -> Int? {
        slots.find(Self.hash(code), where: holds)
    }

    /// Asks for the first slot `code` is looked up in (a hint).
    func readAhead(_ code: SubmissionIdentity.Code) { slots.readAhead(Self.hash(code)) }

    /// Files the next position (`count`) under `code`, which a lookup did not find.
    mutating func insert(_ code: SubmissionIdentity.Code) { slots.insert(Self.hash(code)) }

    /// How many positions are filed.
    var count: Int { slots.count }
}

extension Submission {
    /// What a released slot holds until its array goes: no heap block of its own (empty strings and
    /// arrays are not allocated), so destroying it is nearly free.
    static let placeholder = Submission(
        source: SourceRef(file: "", row: 0), phones: PhoneList(primary: PhoneNumber(digits: "", kind: .mobile)),
        children: [], careTypes: [], flags: [], extra: [], issues: [])
}
