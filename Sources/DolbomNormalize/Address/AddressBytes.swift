import DolbomRuntime

/// UTF-8 byte helpers for the address parser: words are read and text is written as bytes,
/// which is what the scalar-level rules of the parser need, without `String` index work.

/// Bytes written into memory sized by the caller (an upper bound of what is written), with no
/// capacity or uniqueness checks per byte. Used to build one `String` in a single allocation.
struct AddressTextWriter {
    let base: UnsafeMutablePointer<UInt8>
    var count = 0

    @inline(__always) mutating func byte(_ b: UInt8) {
        base[count] = b
        count += 1
    }

    @inline(__always) mutating func bytes(_ b: UnsafeBufferPointer<UInt8>) {
        guard let p = b.baseAddress, b.count > 0 else { return }
        (base + count).update(from: p, count: b.count)
        count += b.count
    }

    @inline(__always) mutating func text(_ s: String) { s.readingUTF8 { bytes($0) } }

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

/// A word's UTF-8 bytes read as unicode scalars (the bytes come from a `String`, so they are
/// valid UTF-8): the scalar rules of `AddressScan` without `String.UnicodeScalarView` indices.
/// Digits, `-`, `.` and Latin letters are one byte; Hangul syllables are three.
struct ScalarBytes {
    let b: UnsafeBufferPointer<UInt8>
    var count: Int { b.count }

    /// The scalar starting at byte `i` and its length in bytes.
    @inline(__always) func scalar(at i: Int) -> (value: UInt32, length: Int) {
        let lead = b[i]
        if lead < 0x80 { return (UInt32(lead), 1) }
        if lead < 0xE0 { return ((UInt32(lead) & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F), 2) }
        if lead < 0xF0 {
            return ((UInt32(lead) & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F), 3)
        }
        return (
            (UInt32(lead) & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6
                | UInt32(b[i + 3] & 0x3F), 4
        )
    }

    /// The byte where the scalar ending at `end` (exclusive) starts.
    @inline(__always) func start(before end: Int) -> Int {
        var j = end - 1
        while b[j] & 0xC0 == 0x80 { j -= 1 }
        return j
    }

    /// The last scalar, or nil when empty.
    @inline(__always) var last: UInt32? { count == 0 ? nil : scalar(at: start(before: count)).value }
    @inline(__always) var first: UInt32? { count == 0 ? nil : scalar(at: 0).value }

    /// The number of scalars in `from ..< to`.
    func scalarCount(_ from: Int, _ to: Int) -> Int {
        var n = 0
        for i in from..<to where b[i] & 0xC0 != 0x80 { n += 1 }
        return n
    }

    /// Every byte of `from ..< to` is an ASCII digit (true when empty).
    @inline(__always) func allDigits(_ from: Int, _ to: Int) -> Bool {
        // The last byte first: a unit (`1203호`) is asked about again and again in a hostile cell.
        if to > from, !(b[to - 1] >= 0x30 && b[to - 1] <= 0x39) { return false }
        for i in from..<to where !(b[i] >= 0x30 && b[i] <= 0x39) { return false }
        return true
    }

    /// Every byte of `from ..< to` is an ASCII letter (true when empty).
    @inline(__always) func allLatin(_ from: Int, _ to: Int) -> Bool {
        for i in from..<to {
            let x = b[i] | 0x20
            if !(x >= 0x61 && x <= 0x7A) { return false }
        }
        return true
    }

    /// The first byte offset of scalar `s` (a three-byte scalar) at or after `from`, or nil.
    func firstIndex(of s: UInt32, from: Int = 0) -> Int? {
        let x0 = UInt8(0xE0 | (s >> 12))
        let x1 = UInt8(0x80 | ((s >> 6) & 0x3F))
        let x2 = UInt8(0x80 | (s & 0x3F))
        var i = from
        while i + 2 < count {
            if b[i] == x0 && b[i + 1] == x1 && b[i + 2] == x2 { return i }
            i += 1
        }
        return nil
    }

    /// Whether the bytes are those of `s`.
    @inline(__always) func equals(_ s: StaticString) -> Bool {
        s.utf8CodeUnitCount == count && starts(with: s)
    }

    /// Whether the bytes start with those of `s`.
    @inline(__always) func starts(with s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        guard n <= count else { return false }
        let p = s.utf8Start
        for i in 0..<n where b[i] != p[i] { return false }
        return true
    }

    /// The bytes `from ..< to`.
    @inline(__always) func slice(_ from: Int, _ to: Int) -> ScalarBytes {
        ScalarBytes(b: UnsafeBufferPointer(rebasing: b[from..<to]))
    }

    /// The bytes `from ..< to` as a `String`.
    func string(_ from: Int, _ to: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: b[from..<to]), as: UTF8.self)
    }
}

extension UInt32 {
    /// The value of a scalar literal, for comparing with `ScalarBytes` scalars: `last == .v("동")`.
    @inline(__always) static func v(_ s: Unicode.Scalar) -> UInt32 { s.value }
}

/// The words and bracket groups of one address as UTF-8 bytes, one after another, in memory
/// the parser owns: a piece of the parse is a `Range<Int>` of it, so reading a word makes no
/// `String`; `String`s are made only for what goes into the result. Bytes are only appended
/// (words put together during the parse go at the end). Freed by the parser when it is done.
struct AddressText {
    private var storage = UnsafeMutableBufferPointer<UInt8>(start: nil, count: 0)
    private(set) var count = 0

    init() {}

    /// Room for `capacity` bytes up front (more is made when needed).
    init(capacity: Int) {
        storage = .allocate(capacity: max(capacity, 16))
    }

    func free() { storage.deallocate() }

    /// The bytes of `r`; valid until the next append.
    @inline(__always) subscript(_ r: Range<Int>) -> ScalarBytes {
        ScalarBytes(b: UnsafeBufferPointer(rebasing: storage[r]))
    }

    func string(_ r: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: storage[r]), as: UTF8.self)
    }

    private mutating func reserve(_ more: Int) {
        guard count + more > storage.count else { return }
        let bigger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(2 * storage.count, count + more))
        if count > 0 { (bigger.baseAddress!).update(from: storage.baseAddress!, count: count) }
        storage.deallocate()
        storage = bigger
    }

    @inline(__always) mutating func append(_ b: UInt8) {
        if count == storage.count { reserve(1) }
        storage[count] = b
        count += 1
    }

    mutating func append(_ s: StaticString) {
        reserve(s.utf8CodeUnitCount)
        for i in 0..<s.utf8CodeUnitCount { storage[count + i] = s.utf8Start[i] }
        count += s.utf8CodeUnitCount
    }

    @inline(__always) mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let from = bytes.baseAddress else { return }
        if count + bytes.count > storage.count { reserve(bytes.count) }
        (storage.baseAddress! + count).update(from: from, count: bytes.count)
        count += bytes.count
    }

    /// Appends a copy of the bytes `r` of this text.
    mutating func append(_ r: Range<Int>) {
        reserve(r.count)
        for i in r {
            storage[count] = storage[i]
            count += 1
        }
    }

    /// Appends a copy of the bytes `r` of this text with ASCII `a`–`z` upper-cased.
    mutating func appendUppercased(_ r: Range<Int>) {
        reserve(r.count)
        for i in r {
            let c = storage[i]
            storage[count] = c >= 0x61 && c <= 0x7A ? c - 32 : c
            count += 1
        }
    }

    /// Takes back the bytes from `newCount` on (a word that turned out to be something else).
    mutating func truncate(to newCount: Int) { count = newCount }
}
