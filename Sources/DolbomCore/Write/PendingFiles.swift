import DolbomRuntime

/// The first half of the Write stage, running on a background queue while the run goes on
/// (`OutputWriter.start`). `wait` must be called before the folder is published or discarded.
public final class PendingFiles: Sendable {
    let applicants: OrderedChunks
    private let tasks: BackgroundTasks

    init(applicants: OrderedChunks, tasks: [@Sendable () throws -> Void]) {
        self.applicants = applicants
        self.tasks = BackgroundTasks(tasks)
    }

    /// Blocks until the background files are written (or failed); returns the first failure.
    @discardableResult
    public func wait() -> (any Error)? { tasks.wait() }
}
