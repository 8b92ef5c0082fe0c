import CDolbomSystem
import Foundation

// Bytes read and written through the standard library's safe views (`Span`, `OutputSpan`): the domain's
// byte kernels (the address parser, the name and pair comparisons) read words as `Span<UInt8>` and ask
// for positions and integers; every copy, compare and search that wants a pointer happens here, once per
// call, with the bounds checked once per call.

extension String {
    /// `body` over the text's UTF-8 bytes, borrowed in place (`utf8.span`; a string without contiguous
    /// UTF-8, bridged from elsewhere, is copied once).
    @inlinable @inline(__always)
    public func withUTF8Span<R>(_ body: (Span<UInt8>) throws -> R) rethrows -> R {
        if isContiguousUTF8 { return try body(utf8.span) }
        var copy = self
        copy.makeContiguousUTF8()
        return try body(copy.utf8.span)
    }

    /// A text of at most `capacity` UTF-8 bytes written by `body` in one allocation. Writing past
    /// `capacity` traps; bytes that are not UTF-8 are repaired (U+FFFD), as `String(decoding:as:)` does.
    @inlinable
    public init(utf8Capacity capacity: Int, _ body: (inout OutputSpan<UInt8>) -> Void) {
        self.init(unsafeUninitializedCapacity: Swift.max(capacity, 1)) { buffer in
            var out = OutputSpan(buffer: buffer, initializedCount: 0)
            body(&out)
            return out.finalize(for: buffer)
        }
    }

    /// The text of UTF-8 `bytes` (repaired where they are not UTF-8).
    @inlinable
    public init(utf8 bytes: Span<UInt8>) {
        self = bytes.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
    }
}

extension OutputSpan where Element == UInt8 {
    /// Appends `bytes` (one capacity check for all of them).
    @inlinable @inline(__always)
    @_lifetime(self: copy self)
    public mutating func append(bytes: Span<UInt8>) {
        guard !bytes.isEmpty else { return }
        precondition(bytes.count <= freeCapacity, "OutputSpan: no room for the bytes")
        withUnsafeMutableBufferPointer { buffer, count in
            bytes.withUnsafeBufferPointer { from in
                (buffer.baseAddress! + count).update(from: from.baseAddress!, count: from.count)
            }
            count += bytes.count
        }
    }

    /// Appends the UTF-8 bytes of `text`.
    @inlinable @inline(__always)
    @_lifetime(self: copy self)
    public mutating func append(utf8Of text: String) {
        text.withUTF8Span { append(bytes: $0) }
    }

    /// Appends the UTF-8 bytes of a literal.
    @inlinable @inline(__always)
    @_lifetime(self: copy self)
    public mutating func append(literal: StaticString) {
        literal.withUTF8Bytes { from in
            guard !from.isEmpty else { return }
            precondition(from.count <= freeCapacity, "OutputSpan: no room for the bytes")
            withUnsafeMutableBufferPointer { buffer, count in
                (buffer.baseAddress! + count).update(from: from.baseAddress!, count: from.count)
                count += from.count
            }
        }
    }
}

extension StaticString {
    /// `body` over the literal's UTF-8 bytes.
    @inlinable @inline(__always)
    public func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        body(UnsafeBufferPointer(start: utf8Start, count: utf8CodeUnitCount))
    }
}

extension Span where Element: BitwiseCopyable {
    /// Whether both hold the same elements, compared as memory (one `memcmp`).
    @inlinable
    public func hasSameElements(as other: Span<Element>) -> Bool {
        guard count == other.count else { return false }
        guard !isEmpty else { return true }
        return withUnsafeBytes { a in
            other.withUnsafeBytes { b in memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 }
        }
    }

    /// Whether the `length` elements at `i` equal those at `j` of `other` (both ranges must lie inside).
    @inlinable
    public func hasSameElements(_ i: Int, as other: Span<Element>, _ j: Int, length: Int) -> Bool {
        precondition(length >= 0 && i >= 0 && j >= 0 && i + length <= count && j + length <= other.count)
        guard length > 0 else { return true }
        return withUnsafeBytes { a in
            other.withUnsafeBytes { b in
                let size = MemoryLayout<Element>.stride
                return memcmp(a.baseAddress! + i * size, b.baseAddress! + j * size, length * size) == 0
            }
        }
    }
}

extension Span where Element: Equatable {
    /// The first position of `element` at or after `from`, or nil.
    @inlinable
    public func firstIndex(of element: Element, from: Int = 0) -> Int? {
        var i = Swift.max(from, 0)
        while i < count {
            if self[i] == element { return i }
            i += 1
        }
        return nil
    }

    /// Whether `element` is among the elements.
    @inlinable
    public func contains(_ element: Element) -> Bool { firstIndex(of: element) != nil }
}

extension Span where Element == UInt8 {
    /// Whether the bytes are those of `text`'s UTF-8.
    @inlinable
    public func hasSameBytes(as text: String) -> Bool {
        text.withUTF8Span { hasSameElements(as: $0) }
    }

    /// Whether the bytes are those of the literal.
    @inlinable @inline(__always)
    public func hasSameBytes(as literal: StaticString) -> Bool {
        literal.utf8CodeUnitCount == count && hasBytes(literal, at: 0)
    }

    /// Whether the literal's bytes are found at byte `offset` (false when they would run past the end).
    @inlinable @inline(__always)
    public func hasBytes(_ literal: StaticString, at offset: Int) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard offset >= 0, n <= count - offset else { return false }
        return withUnsafeBufferPointer { bytes in
            literal.withUTF8Bytes { l in n == 0 || memcmp(bytes.baseAddress! + offset, l.baseAddress!, n) == 0 }
        }
    }

    /// The first byte offset of the three bytes `a b c` at or after `from`, or nil (a Hangul syllable's
    /// UTF-8, say).
    @inlinable
    public func firstIndex(of a: UInt8, _ b: UInt8, _ c: UInt8, from: Int = 0) -> Int? {
        var i = Swift.max(from, 0)
        while i + 2 < count {
            if self[i] == a && self[i + 1] == b && self[i + 2] == c { return i }
            i += 1
        }
        return nil
    }

    /// The bytes `range` as text.
    @inlinable
    public func string(_ range: Range<Int>) -> String { String(utf8: extracting(range)) }

    /// The first byte offset at or after `from` where `needle`'s bytes stand, or nil (none for an empty
    /// needle): the C library's `memmem`, which skips ahead instead of trying every offset.
    @inlinable
    public func firstIndex(of needle: Span<UInt8>, from: Int = 0) -> Int? {
        let start = Swift.max(from, 0)
        guard !needle.isEmpty, start <= count, needle.count <= count - start else { return nil }
        return withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { n in
                dolbom_memmem(hay.baseAddress! + start, hay.count - start, n.baseAddress!, n.count).map {
                    hay.baseAddress!.distance(to: $0.assumingMemoryBound(to: UInt8.self))
                }
            }
        }
    }
}

/// Bytes appended into one growing array and read back as borrowed views of a range of them: text
/// built and read a piece at a time (the address parser's words) without a `String` per piece. A view
/// lives while nothing is appended (the compiler checks it).
public struct ByteText {
    @usableFromInline var storage: [UInt8] = []

    public init() {}

    /// Room for `capacity` bytes up front (more is made when needed).
    @inlinable
    public init(capacity: Int) { storage.reserveCapacity(capacity) }

    @inlinable public var count: Int { storage.count }

    /// The byte at `i`.
    @inlinable public subscript(_ i: Int) -> UInt8 { storage[i] }

    /// The bytes of `range`.
    @inlinable @inline(__always)
    public subscript(_ range: Range<Int>) -> Span<UInt8> {
        @_lifetime(borrow self) get { storage.span.extracting(range) }
    }

    /// The bytes of `range` as text.
    @inlinable
    public func string(_ range: Range<Int>) -> String { String(utf8: self[range]) }

    @inlinable @inline(__always)
    public mutating func append(_ byte: UInt8) { storage.append(byte) }

    @inlinable
    public mutating func append(_ literal: StaticString) { literal.withUTF8Bytes { storage.append(contentsOf: $0) } }

    @inlinable @inline(__always)
    public mutating func append(_ bytes: Span<UInt8>) {
        bytes.withUnsafeBufferPointer { storage.append(contentsOf: $0) }
    }

    /// Appends a copy of the bytes `range` of this text.
    @inlinable
    public mutating func append(_ range: Range<Int>) {
        for i in range { storage.append(storage[i]) }
    }

    /// Appends a copy of the bytes `range` of this text with ASCII `a`–`z` upper-cased.
    @inlinable
    public mutating func appendUppercased(_ range: Range<Int>) {
        for i in range {
            let c = storage[i]
            storage.append(c >= 0x61 && c <= 0x7A ? c - 32 : c)
        }
    }

    /// Takes back the bytes from `newCount` on.
    @inlinable
    public mutating func truncate(to newCount: Int) { storage.removeLast(storage.count - newCount) }

    /// Forgets every byte, keeping the room.
    @inlinable
    public mutating func removeAll() { storage.removeAll(keepingCapacity: true) }
}
