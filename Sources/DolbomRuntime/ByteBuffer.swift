/// Output bytes in one growable allocation, written through `write(_:)` or, for a kernel that stores
/// bytes by hand, `writeWithUnsafeBytes(reserving:_:)`, whose closure returns how many it wrote: no caller
/// sets the count. A class, so the memory has one owner (freed in `deinit`) however the writers that fill
/// it are passed around, and a buffer can be emptied and refilled (`OrderedChunks` keeps its buffers, so a
/// chunk's bytes land in pages already mapped instead of a fresh allocation per chunk).
///
/// One writer uses a buffer at a time (a chunk's renderer, a file's writer); it is `Sendable` so that the
/// buffer can be handed from the task that filled it to the one that writes it out.
public final class ByteBuffer: @unchecked Sendable {
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    @usableFromInline var used = 0
    @usableFromInline var capacity: Int

    public init(capacity: Int = 1 << 12) {
        self.capacity = Swift.max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// How many bytes are written.
    @inlinable public var count: Int { used }

    @inlinable public var isEmpty: Bool { used == 0 }

    /// Makes room for `n` more bytes now, so the pieces that follow do not grow the buffer one by one.
    @inlinable public func reserve(_ n: Int) {
        if capacity &- used < n { grow(n) }
    }

    @usableFromInline @inline(never)
    func grow(_ n: Int) {
        let newCapacity = Swift.max(capacity * 2, used + n)
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        bigger.update(from: base, count: used)
        base.deallocate()
        base = bigger
        capacity = newCapacity
    }

    @inlinable @inline(__always)
    public func write(_ byte: UInt8) {
        reserve(1)
        base[used] = byte
        used &+= 1
    }

    @inlinable @inline(__always)
    public func write(_ a: UInt8, _ b: UInt8) {
        reserve(2)
        base[used] = a
        base[used &+ 1] = b
        used &+= 2
    }

    @inlinable @inline(__always)
    public func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        reserve(bytes.count)
        (base + used).update(from: source, count: bytes.count)
        used &+= bytes.count
    }

    @inlinable @inline(__always)
    public func write(_ bytes: UnsafeRawBufferPointer) {
        write(bytes.assumingMemoryBound(to: UInt8.self))
    }

    @inlinable @inline(__always)
    public func write(_ s: StaticString) {
        write(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    @inlinable public func write(_ bytes: [UInt8]) { bytes.withUnsafeBufferPointer { write($0) } }

    @inlinable public func write(_ bytes: ArraySlice<UInt8>) { bytes.withUnsafeBufferPointer { write($0) } }

    /// A string's UTF-8 bytes, as they are.
    @inlinable public func write(utf8 s: String) { s.readingUTF8 { write($0) } }

    /// Lends `body` room for at most `n` bytes after the ones written; `body` returns how many it stored
    /// (from the start of the room, at most `n`), and they count as written. Returns that count.
    @inlinable @inline(__always) @discardableResult
    public func writeWithUnsafeBytes(reserving n: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) -> Int) -> Int {
        reserve(n)
        let stored = body(UnsafeMutableBufferPointer(start: base + used, count: n))
        precondition(stored >= 0 && stored <= n, "a writer stored more bytes than it reserved")
        used &+= stored
        return stored
    }

    /// Inserts one byte at `index`, moving the bytes after it (a CSV cell's apostrophe, now and then).
    public func insert(_ byte: UInt8, at index: Int) {
        precondition(index >= 0 && index <= used)
        reserve(1)
        (base + index + 1).update(from: base + index, count: used - index)
        base[index] = byte
        used += 1
    }

    /// Forgets the bytes, keeping the memory.
    public func removeAll() { used = 0 }

    /// The byte at `index` (of those written).
    @inlinable public subscript(index: Int) -> UInt8 {
        precondition(index >= 0 && index < used)
        return base[index]
    }

    /// `body` over the bytes written so far (valid only inside `body`).
    @inlinable
    public func withUnsafeReadableBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: used))
    }

    /// The bytes written from `start` on, as a copy.
    public func bytes(from start: Int) -> [UInt8] {
        precondition(start >= 0 && start <= used)
        return Array(UnsafeBufferPointer(start: base + start, count: used - start))
    }

    /// A copy of the bytes written so far.
    public var array: [UInt8] { bytes(from: 0) }
}
