import Dispatch

/// Results made on every core, one per index, then taken out in index order by one owner, each moved
/// out rather than copied (a copy of a result holding a dozen references retains each of them). What
/// is not taken is destroyed with the results.
///
/// The slots are filled chunk by chunk: each task is given a chunk's range and a `Filler`, and must add
/// exactly one element per index of its range, in order (checked), so every slot is initialized once.
public final class OrderedResults<Element>: @unchecked Sendable {
    @usableFromInline let slots: UnsafeMutableBufferPointer<Element>
    @usableFromInline var taken = 0

    /// Where a task puts the elements of its chunk, in index order.
    public struct Filler: ~Copyable {
        @usableFromInline let slots: UnsafeMutableBufferPointer<Element>
        @usableFromInline var next: Int
        @usableFromInline let end: Int

        /// Stores the element of the next index of the chunk.
        @inlinable
        public mutating func add(_ element: consuming Element) {
            precondition(next < end, "OrderedResults: more elements than the chunk's indices")
            (slots.baseAddress! + next).initialize(to: element)
            next += 1
        }
    }

    /// No results.
    public init() { slots = UnsafeMutableBufferPointer(start: nil, count: 0) }

    /// `count` results made by `fill` over chunks of `chunk` indices, on every core.
    public init(count: Int, chunk: Int, _ fill: @Sendable (Range<Int>, inout Filler) -> Void) {
        slots = .allocate(capacity: count)
        guard count > 0 else { return }
        let shared = UnsafeTransfer(slots)
        DispatchQueue.concurrentPerform(iterations: (count + chunk - 1) / chunk) { task in
            let range = (task * chunk)..<min(count, (task + 1) * chunk)
            var filler = Filler(slots: shared.value, next: range.lowerBound, end: range.upperBound)
            fill(range, &filler)
            precondition(filler.next == range.upperBound, "OrderedResults: a chunk left indices without an element")
        }
    }

    public var count: Int { slots.count }

    /// `read` of the element `k` places after the next one to be taken, or nil past the end.
    @inlinable
    public func peek<R>(ahead k: Int, _ read: (borrowing Element) -> R) -> R? {
        taken + k < slots.count ? read(slots[taken + k]) : nil
    }

    /// The next element, moved out; nil after the last.
    @inlinable
    public func takeNext() -> Element? {
        guard taken < slots.count else { return nil }
        taken += 1
        return (slots.baseAddress! + taken - 1).move()
    }

    deinit {
        if taken < slots.count { (slots.baseAddress! + taken).deinitialize(count: slots.count - taken) }
        slots.deallocate()
    }
}
