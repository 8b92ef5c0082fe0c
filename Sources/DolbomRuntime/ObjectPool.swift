import Foundation

/// Objects that are not `Sendable` (a task's caches), lent to concurrent tasks one at a time: a task
/// borrows one (or a new one), and gives it back when its body returns, so no two threads ever use one
/// at once. Kept between tasks and batches until `removeAll`.
public final class ObjectPool<Object: AnyObject>: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [Object] = []
    private let make: @Sendable () -> Object

    public init(_ make: @escaping @Sendable () -> Object) { self.make = make }

    /// `body` with an object of the pool's, which no other task uses until `body` returns.
    public func withObject<R>(_ body: (Object) throws -> R) rethrows -> R {
        lock.lock()
        let object = free.popLast()
        lock.unlock()
        let lent = object ?? make()
        defer {
            lock.lock()
            free.append(lent)
            lock.unlock()
        }
        return try body(lent)
    }

    /// Lets every object go (none may be lent).
    public func removeAll() {
        lock.lock()
        free = []
        lock.unlock()
    }
}
