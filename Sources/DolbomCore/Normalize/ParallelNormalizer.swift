import Dispatch
import DolbomNormalize
import DolbomRuntime
import Foundation
import Synchronization

/// Normalizes a batch of rows on every core. Building a submission is pure
/// and is most of a run's work; the results come back in row order, so the
/// outcome is the same as one row at a time.
struct ParallelNormalizer: Sendable {
    var builder: SubmissionBuilder
    /// Rows per task; small enough to balance, large enough to keep overhead low.
    var chunk = 256
    /// Whether every row's content hash is needed: only a state file compares them (to tell an edited
    /// submission from an unchanged one). Without one, rows with a submission time skip the SHA-256 of
    /// all their cells; rows without one still need it, as it is their fingerprint.
    var hashesContent = true
    /// One memo per running task, reused across tasks and batches.
    private let memos = ObjectPool { NormalizeMemo() }

    /// Frees the memos once the run's rows are all normalized. Freed at the very end instead (with the
    /// pipeline), their tables were the run's last large blocks to go back, and glibc then merged every small
    /// block freed since (`malloc_consolidate`): a tenth of a second on one core after the outputs were done.
    func releaseMemos() { memos.removeAll() }

    struct Result: Sendable {
        var outcome: SubmissionBuilder.Outcome
        var contentHash: SubmissionIdentity.Code?
        /// What counts the submission's occurrences in its export, and its identity as the
        /// first occurrence (almost always the answer), worked out here on every core.
        var occurrenceKey: SubmissionFingerprint.OccurrenceKey?
        var firstIdentity: SubmissionIdentity?
        /// Set when the row had bytes the file's encoding cannot decode and the file's warning is still due.
        var invalidBytes = false
    }

    func normalize(_ records: [EncodedRecord], mapping: HeaderMapping, koreanAgeWording: Bool) -> ResultBatch {
        guard !records.isEmpty else { return ResultBatch() }
        let columns = ColumnPlan(mapping)
        let hashesContent = self.hashesContent
        let builder = self.builder
        let memos = self.memos
        // Each task fills its own rows' results in place, and the caller moves them out.
        return ResultBatch(
            OrderedResults(count: records.count, chunk: chunk) { range, results in
                memos.withObject { memo in
                    // The cells of the row before, when it decoded cleanly in the same encoding: repeated
                    // cells are taken from it.
                    var previousCells: [String] = []
                    for i in range {
                        let (record, invalidBytes, trimmed) =
                            previousCells.isEmpty || records[i - 1].decoder.encoding != records[i].decoder.encoding
                            ? records[i].decoded()
                            : records[i].decoded(after: records[i - 1].fields, cells: previousCells)
                        previousCells = invalidBytes ? [] : record.cells
                        let outcome = builder.build(
                            record, mapping: mapping, columns: columns, koreanAgeWording: koreanAgeWording, memo: memo,
                            trimmed: trimmed)
                        var result: Result
                        switch consume outcome {
                        case .submission(let s):
                            let hash =
                                hashesContent || s.submittedAt == nil
                                ? SubmissionFingerprint.contentCode(record, headers: mapping.headers)
                                : SubmissionIdentity.Code.notHashed
                            let occurrenceKey = SubmissionFingerprint.occurrence(s)
                            let firstIdentity = SubmissionFingerprint.identity(s, contentHash: hash, occurrence: 0)
                            result = Result(
                                outcome: .submission(s), contentHash: hash, occurrenceKey: occurrenceKey,
                                firstIdentity: firstIdentity)
                        case .reject(let r):
                            result = Result(outcome: .reject(r))
                        }
                        result.invalidBytes = invalidBytes && records[i].reportsInvalidBytes
                        results.add(result)
                    }
                }
            })
    }
}

/// One batch's results, in row order, taken out one by one (moved, not copied); what is not
/// taken is freed with the batch.
struct ResultBatch: Sendable {
    private let results: OrderedResults<ParallelNormalizer.Result>

    init(_ results: OrderedResults<ParallelNormalizer.Result> = OrderedResults()) { self.results = results }

    var count: Int { results.count }

    /// What the caller needs of a result once its submission or reject has been filed.
    struct Filed {
        var isSubmission: Bool
        var row: Int
        var contentHash: SubmissionIdentity.Code?
        var occurrenceKey: SubmissionFingerprint.OccurrenceKey?
        var firstIdentity: SubmissionIdentity?
        var invalidBytes: Bool
    }

    /// The occurrence key of the result `k` after the next one to be taken, if there is one (for
    /// the occurrence counter's look-ahead, a few rows ahead).
    func occurrenceKey(ahead k: Int) -> SubmissionFingerprint.OccurrenceKey? {
        results.peek(ahead: k) { $0.occurrenceKey } ?? nil
    }

    /// Files the next result: its submission onto the end of `submissions` (identity still to be set) or
    /// its reject onto `rejects`; nil after the last. The outcome is swapped out of the result and matched
    /// here, where it is owned, so the submission moves into the array (a copy retained a dozen references
    /// on the reading thread and destroyed the original).
    func take(into submissions: inout [Submission], rejects: inout [Reject]) -> Filed? {
        guard var result = results.takeNext() else { return nil }
        var outcome = Self.vacated
        swap(&outcome, &result.outcome)
        var filed = Filed(
            isSubmission: false, row: 0, contentHash: result.contentHash, occurrenceKey: result.occurrenceKey,
            firstIdentity: result.firstIdentity, invalidBytes: result.invalidBytes)
        switch consume outcome {
        case .submission(let s):
            filed.isSubmission = true
            filed.row = s.source.row
            submissions.append(s)
        case .reject(let r):
            filed.row = r.row
            rejects.append(r)
        }
        return filed
    }

    /// What a result holds once its outcome was taken.
    private static let vacated = SubmissionBuilder.Outcome.reject(
        Reject(
            file: "", row: 0, reason: "", message: "", column: nil,
            value: nil, cells: []))
}

/// Normalizes batches in the background while the caller reads the next ones and files earlier
/// results: reading and that bookkeeping are serial, and would otherwise leave the other cores idle.
/// Two batches may wait or run at once, so a slow stretch of reading or of normalizing does not stall
/// the other side. Results come back batch by batch, in row order.
final class NormalizePipeline {
    let normalizer: ParallelNormalizer
    /// Batches submitted and not yet handed back.
    let depth = 2
    private let queue = DispatchQueue(label: "dolbom.normalize")
    private var inFlight: [(done: DispatchGroup, results: BatchSlot)] = []

    /// Where a background batch leaves its results (written by the queue, read after `done`).
    private final class BatchSlot: Sendable {
        let results = Mutex(ResultBatch())
    }

    init(_ normalizer: ParallelNormalizer) { self.normalizer = normalizer }

    /// After the last batch (see `ParallelNormalizer.releaseMemos`).
    func releaseMemos() { normalizer.releaseMemos() }

    /// Starts normalizing `records`; returns the results of the oldest batch when `depth` batches are
    /// already submitted (waiting for them), else an empty batch.
    func submit(_ records: [EncodedRecord], mapping: HeaderMapping, koreanAgeWording: Bool) -> ResultBatch {
        let oldest = inFlight.count >= depth ? next() : ResultBatch()
        let done = DispatchGroup()
        let slot = BatchSlot()
        let normalizer = self.normalizer
        done.enter()
        queue.async {
            let results = normalizer.normalize(records, mapping: mapping, koreanAgeWording: koreanAgeWording)
            slot.results.withLock { $0 = results }
            done.leave()
        }
        inFlight.append((done, slot))
        return oldest
    }

    /// Waits for the oldest batch submitted and returns its results (nil when none is left).
    func finish() -> ResultBatch? {
        inFlight.isEmpty ? nil : next()
    }

    private func next() -> ResultBatch {
        let (done, slot) = inFlight.removeFirst()
        done.wait()
        return slot.results.withLock { $0 }
    }
}
