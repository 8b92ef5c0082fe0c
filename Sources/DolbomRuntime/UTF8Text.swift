import Foundation

extension String {
    /// `body` over the text's UTF-8 bytes, borrowed in place through a span: `withUTF8` needs a mutable
    /// copy, and copying a string (or its UTF-8 view's contiguous storage) retains it, an atomic operation
    /// for every name and key of every row. A string bridged from elsewhere, without contiguous UTF-8, is
    /// copied once.
    @inlinable @inline(__always)
    public func readingUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if isContiguousUTF8 { return utf8.span.withUnsafeBufferPointer { body($0) } }
        var copy = self
        return copy.withUTF8(body)
    }

    /// Whether two texts have the same UTF-8 bytes (no Unicode normalization: byte-equal is equal).
    @inlinable
    public func hasSameUTF8(as other: String) -> Bool {
        readingUTF8 { a in
            other.readingUTF8 { b in
                a.count == b.count && (a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
            }
        }
    }

    /// Whether the text's UTF-8 bytes are `bytes`.
    @inlinable
    public func hasUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        readingUTF8 { a in
            a.count == bytes.count && (a.isEmpty || memcmp(a.baseAddress!, bytes.baseAddress!, a.count) == 0)
        }
    }
}
