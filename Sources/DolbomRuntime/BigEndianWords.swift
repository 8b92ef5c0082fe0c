import Foundation

/// The first four big-endian 64-bit words of `bytes` (at least 32 of them), loaded in place: a SHA-256
/// digest's words without a generic byte loop (about a thousand instructions per digest).
@inlinable
public func bigEndianWords(_ bytes: some ContiguousBytes) -> (UInt64, UInt64, UInt64, UInt64) {
    bytes.withUnsafeBytes { raw in
        precondition(raw.count >= 32, "bigEndianWords needs 32 bytes")
        return (
            UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
            UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
            UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
            UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
        )
    }
}
