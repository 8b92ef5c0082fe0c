// A stand-in for swift-crypto's `SHA256`, for the fuzz builds only (scripts/fuzz.sh): the reader checksums every
// export, and building swift-crypto (BoringSSL) with the fuzzer's instrumentation would cost more than the
// rest of the build. FNV-1a, 64 bits: NOT a cryptographic hash; nothing outside fuzz/ uses it.
import Foundation

public struct SHA256 {
    public struct Digest: Sequence {
        var bytes: [UInt8]
        public func makeIterator() -> IndexingIterator<[UInt8]> { bytes.makeIterator() }
    }

    private var state: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func update(bufferPointer: UnsafeRawBufferPointer) {
        for byte in bufferPointer { state = (state ^ UInt64(byte)) &* 0x100_0000_01b3 }
    }

    public mutating func update(data: Data) {
        data.withUnsafeBytes { update(bufferPointer: $0) }
    }

    public func finalize() -> Digest {
        Digest(bytes: (0..<8).map { UInt8(truncatingIfNeeded: state >> (8 * UInt64($0))) })
    }
}
