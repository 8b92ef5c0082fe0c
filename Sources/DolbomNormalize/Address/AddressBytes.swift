import DolbomRuntime

/// UTF-8 byte helpers for the address parser: words are read and text is written as bytes,
/// which is what the scalar-level rules of the parser need, without `String` index work.

/// Text written as UTF-8 bytes into one `String` of a capacity given up front (an upper bound of what is
/// written): the runtime's `OutputSpan` writer, with the parser's names for its writes.
typealias AddressTextWriter = OutputSpan<UInt8>

extension AddressTextWriter {
    @inline(__always) mutating func byte(_ b: UInt8) { append(b) }

    @inline(__always) mutating func bytes(_ b: ScalarBytes) { append(bytes: b) }

    @inline(__always) mutating func text(_ s: String) { append(utf8Of: s) }

    @inline(__always) mutating func literal(_ s: StaticString) { append(literal: s) }

    /// A `String` of at most `capacity` bytes written by `body` (the bytes are whole UTF-8 scalars).
    static func string(capacity: Int, _ body: (inout AddressTextWriter) -> Void) -> String {
        String(utf8Capacity: capacity, body)
    }
}

/// A word's UTF-8 bytes read as unicode scalars (the bytes come from a `String`, so they are
/// valid UTF-8): the scalar rules of `AddressScan` without `String.UnicodeScalarView` indices.
/// Digits, `-`, `.` and Latin letters are one byte; Hangul syllables are three. A part of a word is
/// `extracting(from..<to)`.
typealias ScalarBytes = Span<UInt8>

extension ScalarBytes {
    /// The scalar starting at byte `i` and its length in bytes.
    @inline(__always) func scalar(at i: Int) -> (value: UInt32, length: Int) {
        let lead = self[i]
        if lead < 0x80 { return (UInt32(lead), 1) }
        if lead < 0xE0 { return ((UInt32(lead) & 0x1F) << 6 | UInt32(self[i + 1] & 0x3F), 2) }
        if lead < 0xF0 {
            return ((UInt32(lead) & 0x0F) << 12 | UInt32(self[i + 1] & 0x3F) << 6 | UInt32(self[i + 2] & 0x3F), 3)
        }
        return (
            (UInt32(lead) & 0x07) << 18 | UInt32(self[i + 1] & 0x3F) << 12 | UInt32(self[i + 2] & 0x3F) << 6
                | UInt32(self[i + 3] & 0x3F), 4
        )
    }

    /// The byte where the scalar ending at `end` (exclusive) starts.
    @inline(__always) func start(before end: Int) -> Int {
        var j = end - 1
        while self[j] & 0xC0 == 0x80 { j -= 1 }
        return j
    }

    /// The last scalar, or nil when empty.
    @inline(__always) var last: UInt32? { count == 0 ? nil : scalar(at: start(before: count)).value }
    @inline(__always) var first: UInt32? { count == 0 ? nil : scalar(at: 0).value }

    /// The first and the last byte, or nil when empty.
    @inline(__always) var firstByte: UInt8? { isEmpty ? nil : self[0] }
    @inline(__always) var lastByte: UInt8? { isEmpty ? nil : self[count - 1] }

    /// Whether every byte of `from ..< to` is `byte` (true when empty).
    @inline(__always) func all(_ from: Int, _ to: Int, are byte: UInt8) -> Bool {
        for i in from..<to where self[i] != byte { return false }
        return true
    }

    /// The number of scalars in `from ..< to`.
    func scalarCount(_ from: Int, _ to: Int) -> Int {
        var n = 0
        for i in from..<to where self[i] & 0xC0 != 0x80 { n += 1 }
        return n
    }

    /// Every byte of `from ..< to` is an ASCII digit (true when empty).
    @inline(__always) func allDigits(_ from: Int, _ to: Int) -> Bool {
        // The last byte first: a unit (`1203호`) is asked about again and again in a hostile cell.
        if to > from, !(self[to - 1] >= 0x30 && self[to - 1] <= 0x39) { return false }
        for i in from..<to where !(self[i] >= 0x30 && self[i] <= 0x39) { return false }
        return true
    }

    /// Every byte of `from ..< to` is an ASCII letter (true when empty).
    @inline(__always) func allLatin(_ from: Int, _ to: Int) -> Bool {
        for i in from..<to {
            let x = self[i] | 0x20
            if !(x >= 0x61 && x <= 0x7A) { return false }
        }
        return true
    }

    /// The first byte offset of scalar `s` (a three-byte scalar) at or after `from`, or nil.
    func firstIndex(ofScalar s: UInt32, from: Int = 0) -> Int? {
        firstIndex(of: UInt8(0xE0 | (s >> 12)), UInt8(0x80 | ((s >> 6) & 0x3F)), UInt8(0x80 | (s & 0x3F)), from: from)
    }

    /// Whether the bytes are those of `s`.
    @inline(__always) func equals(_ s: StaticString) -> Bool { hasSameBytes(as: s) }

    /// Whether the bytes start with those of `s`.
    @inline(__always) func starts(with s: StaticString) -> Bool { hasBytes(s, at: 0) }

    /// The bytes `from ..< to` as a `String`.
    func string(_ from: Int, _ to: Int) -> String { string(from..<to) }
}

extension UInt32 {
    /// The value of a scalar literal, for comparing with `ScalarBytes` scalars: `last == .v("동")`.
    @inline(__always) static func v(_ s: Unicode.Scalar) -> UInt32 { s.value }
}

/// The words and bracket groups of one address as UTF-8 bytes, one after another, in memory
/// the parser owns: a piece of the parse is a `Range<Int>` of it, so reading a word makes no
/// `String`; `String`s are made only for what goes into the result. Bytes are only appended
/// (words put together during the parse go at the end); a word read (`text[r]`) is read before
/// the next append.
typealias AddressText = ByteText
