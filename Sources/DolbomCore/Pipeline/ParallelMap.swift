import Dispatch

/// Pure per-index work on every core, in chunks, with the results in index order: the same answer as a
/// serial `map`, whatever the scheduling. Normalizing, scoring pairs, merging households, ranking the
/// call list, encoding state payloads and writing files all have this shape.
enum ParallelMap {
    /// `(0..<count).map(transform)`, on every core. `setUp` makes per-task state once per chunk (what
    /// is not `Sendable` or must not be shared, such as an HMAC key).
    static func map<T, State>(count: Int, chunk: Int, setUp: @Sendable () -> State,
                              _ transform: @Sendable (Int, inout State) -> T) -> [T] {
        guard count > 0 else { return [] }
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            let slots = Slots(buffer)
            DispatchQueue.concurrentPerform(iterations: (count + chunk - 1) / chunk) { task in
                var state = setUp()
                for i in (task * chunk)..<min(count, (task + 1) * chunk) {
                    (slots.buffer.baseAddress! + i).initialize(to: transform(i, &state))
                }
            }
            initialized = count
        }
    }

    /// `(0..<count).map(transform)`, on every core.
    static func map<T>(count: Int, chunk: Int, _ transform: @Sendable (Int) -> T) -> [T] {
        map(count: count, chunk: chunk, setUp: {}) { i, _ in transform(i) }
    }

    /// Slots each task initializes for its own indices only.
    private struct Slots<T>: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<T>
        init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
    }
}

/// A value handed to concurrent tasks that only read it (the feature pools of scoring, for one).
struct ReadOnlyShared<Value>: @unchecked Sendable {
    let value: Value
}
