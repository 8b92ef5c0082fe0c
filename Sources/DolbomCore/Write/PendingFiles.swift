import CDolbomSystem
import Dispatch
import DolbomNormalize
import DolbomSchedule
import Foundation

/// The first half of the Write stage, running on a background queue while the run goes on
/// (`OutputWriter.start`). `wait` must be called before the folder is published or discarded.
public final class PendingFiles: @unchecked Sendable {
    let applicants: OrderedChunks
    private let done = DispatchGroup()
    // Written by the background task before `done` is left; read after waiting on it.
    private var failure: (any Error)?

    init(applicants: OrderedChunks, tasks: [@Sendable () throws -> Void]) {
        self.applicants = applicants
        done.enter()
        DispatchQueue.global().async { [self] in
            let failures = ParallelMap.map(count: tasks.count, chunk: 1) { i -> (any Error)? in
                do { try tasks[i]() } catch { return error }
                return nil
            }
            failure = failures.lazy.compactMap { $0 }.first
            done.leave()
        }
    }

    /// Blocks until the background files are written (or failed); returns the first failure.
    @discardableResult
    public func wait() -> (any Error)? {
        done.wait()
        return failure
    }
}
