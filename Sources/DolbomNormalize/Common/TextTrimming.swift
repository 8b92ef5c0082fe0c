extension StringProtocol {
    /// The text without leading and trailing white space (incl. newlines and
    /// U+00A0/U+3000). A pure-Swift scan: Foundation's `trimmingCharacters`
    /// bridges through NSString on Linux and is slow on the per-cell hot path.
    public var trimmedWhitespace: String {
        let scalars = unicodeScalars
        guard let head = scalars.first, let tail = scalars.last else { return "" }
        if !head.isTrimmableWhitespace && !tail.isTrimmableWhitespace { return String(self) }  // the usual case: no copy work
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
        let scalars = unicodeScalars
        guard let head = scalars.first, let tail = scalars.last else { return "" }
        if !head.isTrimmableWhitespace && !tail.isTrimmableWhitespace { return self }
        guard let first = scalars.firstIndex(where: { !$0.isTrimmableWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.isTrimmableWhitespace })!
        return String(self[first...last])
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
