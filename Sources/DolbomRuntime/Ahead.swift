import Dispatch

/// A value made on a background queue while the caller goes on; `value()` waits for it. One step ahead in
/// a pipeline whose consumer must stay on its thread (a database transaction inserting one chunk of rows
/// while the next chunk is encoded beside it).
public final class Ahead<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    // Written by the background task before `done` is signalled; read only after waiting on it.
    private var result: Value?

    public init(_ make: @escaping @Sendable () -> Value) {
        DispatchQueue.global().async { [self] in
            result = make()
            done.signal()
        }
    }

    /// The value, once made (blocks until then); any number of calls.
    public func value() -> Value {
        done.wait()
        defer { done.signal() }
        return result!
    }
}
