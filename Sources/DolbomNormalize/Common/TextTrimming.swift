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

extension Unicode.Scalar {
    /// `properties.isWhitespace`, answered without the Unicode property table for ASCII
    /// (most cells start and end with a letter or digit).
    @inline(__always) public var isTrimmableWhitespace: Bool {
        if value < 0x80 { return value == 0x20 || (value >= 0x09 && value <= 0x0D) }
        return properties.isWhitespace
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
