import Dispatch
import Foundation
import DolbomNormalize

/// Normalizes a batch of rows on every core. Building a submission is pure
/// and is most of a run's work; the results come back in row order, so the
/// outcome is the same as one row at a time.
struct ParallelNormalizer: Sendable {
    var builder: SubmissionBuilder
    /// Rows per task; small enough to balance, large enough to keep overhead low.
    var chunk = 256
    /// One memo per running task, reused across tasks and batches.
    private let memos = MemoPool()

    struct Result: Sendable {
        var outcome: SubmissionBuilder.Outcome
        var contentHash: SubmissionIdentity.Code?
    }

    func normalize(_ records: [RawRecord], mapping: HeaderMapping, koreanAgeWording: Bool) -> [Result] {
        guard !records.isEmpty else { return [] }
        let tasks = (records.count + chunk - 1) / chunk
        var results = [Result?](repeating: nil, count: records.count)
        results.withUnsafeMutableBufferPointer { buffer in
            let base = UnsafeSendable(buffer)
            DispatchQueue.concurrentPerform(iterations: tasks) { task in
                let range = (task * chunk)..<min(records.count, (task + 1) * chunk)
                let memo = memos.take()
                defer { memos.give(memo) }
                for i in range {
                    let outcome = builder.build(records[i], mapping: mapping, koreanAgeWording: koreanAgeWording, memo: memo)
                    var hash: SubmissionIdentity.Code?
                    if case .submission = outcome { hash = SubmissionFingerprint.contentCode(records[i], headers: mapping.headers) }
                    base.buffer[i] = Result(outcome: outcome, contentHash: hash)
                }
            }
        }
        return results.map { $0! }
    }
}

/// Memos for concurrent tasks: a task takes one (or a new one) and gives it back, so no two
/// threads ever share one.
private final class MemoPool: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [NormalizeMemo] = []

    func take() -> NormalizeMemo {
        lock.lock()
        defer { lock.unlock() }
        return free.popLast() ?? NormalizeMemo()
    }

    func give(_ memo: NormalizeMemo) {
        lock.lock()
        free.append(memo)
        lock.unlock()
    }
}

/// Hands a buffer to concurrent tasks that each write their own indices.
private struct UnsafeSendable<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T>
    init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
}
