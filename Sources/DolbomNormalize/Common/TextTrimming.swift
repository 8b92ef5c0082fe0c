extension StringProtocol {
    /// The text without leading and trailing white space (incl. newlines and
    /// U+00A0/U+3000). A pure-Swift scan: Foundation's `trimmingCharacters`
    /// bridges through NSString on Linux and is slow on the per-cell hot path.
    public var trimmedWhitespace: String {
        let scalars = unicodeScalars
        guard let head = scalars.first, let tail = scalars.last else { return "" }
        if !head.properties.isWhitespace && !tail.properties.isWhitespace { return String(self) }  // the usual case: no copy work
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(self[first...last])
    }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hex, e.g. for SHA-256 digests (no `String(format:)`, which is slow on Linux).
    public var hexString: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
