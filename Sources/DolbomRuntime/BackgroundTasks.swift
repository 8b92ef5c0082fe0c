import Dispatch

/// Tasks run on every core on a background queue while the caller goes on; `wait` blocks until all are
/// done and gives the first failure, in task order.
public final class BackgroundTasks: @unchecked Sendable {
    private let done = DispatchGroup()
    // Written by the background task before `done` is left; read after waiting on it.
    private var failure: (any Error)?

    public init(_ tasks: [@Sendable () throws -> Void]) {
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

    /// Blocks until every task ended; returns the first failure.
    @discardableResult
    public func wait() -> (any Error)? {
        done.wait()
        return failure
    }
}
