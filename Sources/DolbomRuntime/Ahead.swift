import Dispatch
import Foundation

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

    private init(thread make: @escaping @Sendable () -> Value) {
        let thread = Thread { [self] in
            result = make()
            done.signal()
        }
        thread.name = "dolbom ahead"
        thread.start()
    }

    /// Made on a thread of its own: for work that blocks for long (a transaction waiting for the rest of
    /// its input), which must not hold one of the threads the parallel maps share.
    public static func onOwnThread(_ make: @escaping @Sendable () -> Value) -> Ahead { Ahead(thread: make) }

    /// The value, once made (blocks until then); any number of calls.
    public func value() -> Value {
        done.wait()
        defer { done.signal() }
        return result!
    }
}

/// A value handed from the caller to a task that waits for it (the rest of a transaction's input, known
/// only later in the run). The first `give` counts; later ones change nothing. `take` blocks until then.
public final class Handoff<Value: Sendable>: @unchecked Sendable {
    private let given = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    // Written under `lock` before `given` is signalled; read only after waiting on it.
    private var value: Value?
    private var isGiven = false

    public init() {}

    /// Hands the value over, unless one was given before; returns whether this one was.
    @discardableResult
    public func give(_ value: Value) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard !isGiven else { return false }
        isGiven = true
        self.value = value
        given.signal()
        return true
    }

    /// The value, once given (blocks until then); one taker.
    public func take() -> Value {
        given.wait()
        lock.lock()
        defer { lock.unlock() }
        return value!
    }
}
