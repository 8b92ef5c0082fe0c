import CDolbomSystem

/// Asking the CPU to load memory a loop will reach shortly: a hint that never faults and changes no
/// result. The look-ahead distances live here, in one place, so the loops that use them agree.
public enum Prefetch {
    /// How many rows ahead a loop asks for the hash-table slot a row's key lands in (the table is far
    /// bigger than the cache and every key lands somewhere else in it).
    public static let tableDistance = 8

    /// Asks for the cache line at `p`.
    @inlinable @inline(__always)
    public static func line(_ p: UnsafeRawPointer?) {
        guard let p else { return }
        dolbom_prefetch(p)
    }

    /// Asks for the first `bytes` of the memory at `p`, line by line.
    @inlinable @inline(__always)
    public static func lines(_ p: UnsafeRawPointer, bytes: Int) {
        for offset in stride(from: 0, to: bytes, by: 64) { dolbom_prefetch(p + offset) }
    }

    /// `body(i)` for every `i` of `range` in order, with `hint(i + distance)` called first while that is
    /// still in `range`: the element a hint asks for has arrived by the time `body` reaches it.
    @inlinable @inline(__always)
    public static func forEach(
        _ range: Range<Int>, distance: Int = tableDistance, hint: (Int) -> Void,
        _ body: (Int) throws -> Void
    ) rethrows {
        for i in range {
            if i + distance < range.upperBound { hint(i + distance) }
            try body(i)
        }
    }
}

/// The safe face of `Prefetch` for code outside the runtime: asks for an array element a loop reads
/// shortly, by array and index, never by address (an index out of range asks for nothing). A hint only.
public enum ReadAhead {
    /// How many rows ahead a loop asks for the hash-table slot a row's key lands in (`Prefetch.tableDistance`).
    public static let tableDistance = Prefetch.tableDistance

    /// Asks for the memory of `array[index]`: the line of its first byte, and for an element wider than
    /// a word the line of its last byte too.
    @inlinable @inline(__always)
    public static func element<T>(_ index: Int, of array: [T]) {
        guard index >= 0, index < array.count else { return }
        array.withUnsafeBufferPointer { elements in
            let first = UnsafeRawPointer(elements.baseAddress! + index)
            Prefetch.line(first)
            if MemoryLayout<T>.size > 8 { Prefetch.line(first + (MemoryLayout<T>.size - 1)) }
        }
    }
}
