import Dispatch

/// Pure per-index work on every core, in chunks, with the results in index order: the same answer as a
/// serial `map`, whatever the scheduling. Normalizing, scoring pairs, merging households, ranking the
/// call list, encoding state payloads and writing files all have this shape.
public enum ParallelMap {
    /// `(0..<count).map(transform)`, on every core. `setUp` makes per-task state once per chunk (what
    /// is not `Sendable` or must not be shared, such as an HMAC key).
    public static func map<T, State>(
        count: Int, chunk: Int, setUp: @Sendable () -> State,
        _ transform: @Sendable (Int, inout State) -> T
    ) -> [T] {
        guard count > 0 else { return [] }
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            // Each task initializes the slots of its own indices only.
            let slots = UnsafeTransfer(buffer)
            DispatchQueue.concurrentPerform(iterations: (count + chunk - 1) / chunk) { task in
                var state = setUp()
                for i in (task * chunk)..<min(count, (task + 1) * chunk) {
                    (slots.value.baseAddress! + i).initialize(to: transform(i, &state))
                }
            }
            initialized = count
        }
    }

    /// `(0..<count).map(transform)`, on every core.
    public static func map<T>(count: Int, chunk: Int, _ transform: @Sendable (Int) -> T) -> [T] {
        map(count: count, chunk: chunk, setUp: {}) { i, _ in transform(i) }
    }

    /// `(0..<count).map(transform)` with each pair of results split into two arrays, on every core.
    @inlinable
    public static func unzip<A, B>(count: Int, chunk: Int, _ transform: @Sendable (Int) -> (A, B)) -> ([A], [B]) {
        guard count > 0 else { return ([], []) }
        var second: [B] = []
        let first = [A](unsafeUninitializedCapacity: count) { firstBuffer, firstInitialized in
            second = [B](unsafeUninitializedCapacity: count) { secondBuffer, secondInitialized in
                // Each task initializes the slots of its own indices only, in both arrays.
                let slots = UnsafeTransfer((firstBuffer, secondBuffer))
                DispatchQueue.concurrentPerform(iterations: (count + chunk - 1) / chunk) { task in
                    for i in (task * chunk)..<min(count, (task + 1) * chunk) {
                        let (a, b) = transform(i)
                        (slots.value.0.baseAddress! + i).initialize(to: a)
                        (slots.value.1.baseAddress! + i).initialize(to: b)
                    }
                }
                secondInitialized = count
            }
            firstInitialized = count
        }
        return (first, second)
    }

    /// Empties `array`, destroying its elements on every core, part by part: `visit` reads each part first
    /// (its results come back in part order), then the part is destroyed in place and refilled with
    /// `placeholder` (a value that holds no heap blocks), so what the array finally destroys costs next to
    /// nothing. Freeing a million values of a dozen heap blocks each on one core left the other idle.
    public static func drain<T: Sendable, R>(
        _ array: inout [T], parts: Int, placeholder: T, _ visit: @Sendable (Span<T>) -> R
    ) -> [R] {
        var taken: [T] = []
        swap(&taken, &array)
        let parts = max(1, parts)
        let size = (taken.count + parts - 1) / parts
        return taken.withUnsafeMutableBufferPointer { buffer in
            let shared = UnsafeTransfer(buffer)  // each part touches its own range only
            return map(count: parts, chunk: 1) { part in
                let buffer = shared.value
                let range = min(buffer.count, part * size)..<min(buffer.count, (part + 1) * size)
                let elements = UnsafeMutableBufferPointer(rebasing: buffer[range])
                let result = visit(Span(_unsafeElements: UnsafeBufferPointer(elements)))
                if let start = elements.baseAddress {
                    start.deinitialize(count: elements.count)
                    start.initialize(repeating: placeholder, count: elements.count)
                }
                return result
            }
        }
    }

    /// `body(task)` for every task of `0..<tasks`, on every core.
    public static func forEach(tasks: Int, _ body: @Sendable (Int) -> Void) {
        DispatchQueue.concurrentPerform(iterations: tasks, execute: body)
    }
}

/// The one way to hand a value that is not `Sendable` (a pointer into memory each task touches its own
/// part of) to concurrent tasks. The name says what it is: the compiler no longer checks the sharing,
/// and the code that makes one must make sure no two tasks write the same memory.
public struct UnsafeTransfer<Value>: @unchecked Sendable {
    public var value: Value
    @inlinable public init(_ value: Value) { self.value = value }
}
