/// UTF-8 byte helpers for the address parser: words are read and text is written as bytes,
/// which is what the scalar-level rules of the parser need, without `String` index work.

/// Bytes written into memory sized by the caller (an upper bound of what is written), with no
/// capacity or uniqueness checks per byte. Used to build one `String` in a single allocation.
struct AddressTextWriter {
    let base: UnsafeMutablePointer<UInt8>
    var count = 0

    @inline(__always) mutating func byte(_ b: UInt8) { base[count] = b; count += 1 }

    @inline(__always) mutating func bytes(_ b: UnsafeBufferPointer<UInt8>) {
        guard let p = b.baseAddress, b.count > 0 else { return }
        (base + count).update(from: p, count: b.count)
        count += b.count
    }

    @inline(__always) mutating func text(_ s: String) { s.withAddressUTF8 { bytes($0) } }

    @inline(__always) mutating func literal(_ s: StaticString) {
        bytes(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// A `String` of at most `capacity` bytes written by `body` (the bytes are whole UTF-8 scalars).
    static func string(capacity: Int, _ body: (inout AddressTextWriter) -> Void) -> String {
        String(unsafeUninitializedCapacity: max(capacity, 1)) { buf in
            var w = AddressTextWriter(base: buf.baseAddress!)
            body(&w)
            return w.count
        }
    }
}
