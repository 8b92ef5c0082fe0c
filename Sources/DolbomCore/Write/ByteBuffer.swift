import Foundation

/// Output bytes written through a pointer: a writer makes room once for a piece (a key, a string, a
/// cell) and stores its bytes unchecked, where `[UInt8].append` checks uniqueness and capacity for
/// every byte. A class, so the memory has one owner (freed in `deinit`) however the writers that fill
/// it are passed around; `OrderedChunks` keeps its buffers and refills them, so a chunk's bytes land
/// in pages already mapped instead of a fresh allocation per chunk.
final class ByteBuffer: @unchecked Sendable {
    // Only one writer uses a buffer at a time (a chunk's renderer, a file's writer): the run-time
    // exclusivity check on every access would cost more than the stores it guards.
    @exclusivity(unchecked) private(set) var base: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) var count = 0
    @exclusivity(unchecked) private(set) var capacity: Int

    init(capacity: Int = 1 << 12) {
        self.capacity = Swift.max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Where `n` more bytes go, with room made for them; the writer stores them and adds `n` to `count`.
    @inline(__always)
    func room(_ n: Int) -> UnsafeMutablePointer<UInt8> {
        if capacity &- count < n { grow(n) }
        return base + count
    }

    @inline(never)
    private func grow(_ n: Int) {
        let newCapacity = Swift.max(capacity * 2, count + n)
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        bigger.update(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = newCapacity
    }

    /// Makes room for `n` more bytes now, so the pieces that follow do not grow the buffer one by one.
    func reserve(_ n: Int) { _ = room(n) }

    @inline(__always)
    func append(_ byte: UInt8) {
        room(1).pointee = byte
        count &+= 1
    }

    @inline(__always)
    func append(_ a: UInt8, _ b: UInt8) {
        let p = room(2)
        p[0] = a
        p[1] = b
        count &+= 2
    }

    @inline(__always)
    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        room(bytes.count).update(from: source, count: bytes.count)
        count &+= bytes.count
    }

    @inline(__always)
    func append(_ s: StaticString) {
        append(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    func append(_ bytes: [UInt8]) { bytes.withUnsafeBufferPointer { append($0) } }

    /// Inserts one byte at `index`, moving the bytes after it (a CSV cell's apostrophe, now and then).
    func insert(_ byte: UInt8, at index: Int) {
        _ = room(1)
        (base + index + 1).update(from: base + index, count: count - index)
        base[index] = byte
        count += 1
    }

    func removeAll() { count = 0 }

    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// A copy of the bytes written so far.
    var array: [UInt8] { Array(bytes) }
}
