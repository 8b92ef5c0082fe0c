extension StringProtocol {
    /// The text without leading and trailing white space (incl. newlines and
    /// U+00A0/U+3000). A pure-Swift scan: Foundation's `trimmingCharacters`
    /// bridges through NSString on Linux and is slow on the per-cell hot path.
    public var trimmedWhitespace: String {
        let scalars = unicodeScalars
        guard let head = scalars.first, let tail = scalars.last else { return "" }
        // the usual case: no copy work
        if !head.isTrimmableWhitespace && !tail.isTrimmableWhitespace { return String(self) }
        guard let first = scalars.firstIndex(where: { !$0.isTrimmableWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.isTrimmableWhitespace })!
        return String(self[first...last])
    }
}

extension String {
    /// `StringProtocol.trimmedWhitespace` for `String` itself, which is what every caller has: the
    /// generic version is not inlinable, so other modules called it unspecialized, through witness
    /// tables, once per cell. Same result; the untouched string is returned as is.
    public var trimmedWhitespace: String {
        // First a look at the first and last UTF-8 bytes: a cell that starts with a byte no white
        // space starts with (Hangul, digits, letters) and ends with one no white space ends with
        // is returned without decoding anything. Non-ASCII white space is U+0085, U+00A0
        // (C2 xx), U+1680 (E1 9A 80), U+2000–200A, U+2028, U+2029, U+202F, U+205F (E2 80/81 xx)
        // and U+3000 (E3 80 80); their last bytes are 80–8A, 9F, A0, A8, A9, AF.
        let u = utf8
        guard let f = u.first, let l = u.last else { return "" }
        if !UTF8Whitespace.mayBeAtEnds(first: f, last: l) { return self }
        let scalars = unicodeScalars
        guard let head = scalars.first, let tail = scalars.last else { return "" }
        if !head.isTrimmableWhitespace && !tail.isTrimmableWhitespace { return self }
        guard let first = scalars.firstIndex(where: { !$0.isTrimmableWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.isTrimmableWhitespace })!
        return String(self[first...last])
    }
}

/// White space at the ends of UTF-8 text, judged by bytes.
public enum UTF8Whitespace {
    /// Whether text whose UTF-8 starts with `first` and ends with `last` may start or end with white
    /// space. False is certain: a text starting with a byte no white space starts with (Hangul,
    /// digits, letters, U+FFFD) and ending with one no white space ends with is its own
    /// `trimmedWhitespace`. Non-ASCII white space is U+0085, U+00A0 (C2 xx), U+1680 (E1 9A 80),
    /// U+2000–200A, U+2028, U+2029, U+202F, U+205F (E2 80/81 xx) and U+3000 (E3 80 80); their last
    /// bytes are 80–8A, 9F, A0, A8, A9, AF.
    @inlinable @inline(__always)
    public static func mayBeAtEnds(first f: UInt8, last l: UInt8) -> Bool {
        let headMaybe =
            f < 0x80 ? (f == 0x20 || (f >= 0x09 && f <= 0x0D)) : (f == 0xC2 || f == 0xE1 || f == 0xE2 || f == 0xE3)
        let tailMaybe =
            l < 0x80
            ? (l == 0x20 || (l >= 0x09 && l <= 0x0D))
            : (l <= 0x8A || l == 0x9F || l == 0xA0 || l == 0xA8 || l == 0xA9 || l == 0xAF)
        return headMaybe || tailMaybe
    }
}

extension UTF8Whitespace {
    /// Whether valid-or-not UTF-8 `u` starts or ends with the encoding of a white-space scalar
    /// (`Unicode.Scalar.isTrimmableWhitespace`). Decoding such bytes (repairing broken sequences
    /// with U+FFFD, composing NFC) gives text that starts or ends with white space exactly when
    /// this is true: repairs and compositions never make white space, and a complete white-space
    /// encoding decodes as itself. Exact where `mayBeAtEnds` is a first look.
    @inlinable
    public static func isAtEnds<Bytes: RandomAccessCollection>(_ u: Bytes) -> Bool
    where Bytes.Element == UInt8, Bytes.Index == Int {
        let n = u.count
        guard n > 0 else { return false }
        if !mayBeAtEnds(first: u[0], last: u[n - 1]) { return false }
        return isWhitespace(u, at: 0)
            || (1...min(3, n)).contains { isWhitespace(u, at: n - $0) && length(of: u[n - $0]) == $0 }
    }

    /// The byte length a lead byte announces (1 for ASCII and stray bytes).
    @usableFromInline @inline(__always) static func length(of lead: UInt8) -> Int {
        lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    }

    /// Whether a complete white-space encoding starts at `i`.
    @usableFromInline
    static func isWhitespace<Bytes: RandomAccessCollection>(_ u: Bytes, at i: Int) -> Bool
    where Bytes.Element == UInt8, Bytes.Index == Int {
        let b = u[i]
        let n = u.count
        if b < 0x80 { return b == 0x20 || (b >= 0x09 && b <= 0x0D) }
        if b == 0xC2 { return i + 1 < n && (u[i + 1] == 0x85 || u[i + 1] == 0xA0) }
        guard i + 2 < n else { return false }
        return isWhitespace3(b, u[i + 1], u[i + 2])
    }

    /// Whether three bytes encode U+1680, U+2000-200A, U+2028, U+2029, U+202F, U+205F or U+3000: the
    /// white space of three UTF-8 bytes (the content hash trims cells by the same test).
    @inlinable public static func isWhitespace3(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Bool {
        switch (a, b) {
        case (0xE1, 0x9A): return c == 0x80
        case (0xE2, 0x80): return (0x80...0x8A).contains(c) || c == 0xA8 || c == 0xA9 || c == 0xAF
        case (0xE2, 0x81): return c == 0x9F
        case (0xE3, 0x80): return c == 0x80
        default: return false
        }
    }
}

extension Unicode.Scalar {
    /// `properties.isWhitespace` (Unicode White_Space, a stable list of 25 code points) without
    /// the property table lookup, which showed in profiles: cells start and end with Hangul.
    @inline(__always) public var isTrimmableWhitespace: Bool {
        switch value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hex, e.g. for SHA-256 digests (no `String(format:)`, which is slow on Linux).
    public var hexString: String {
        let bytes = Array(self)
        return String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            @inline(__always) func digit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x57 + v }
            for (i, byte) in bytes.enumerated() {
                out[2 * i] = digit(byte >> 4)
                out[2 * i + 1] = digit(byte & 0x0F)
            }
            return bytes.count * 2
        }
    }
}
