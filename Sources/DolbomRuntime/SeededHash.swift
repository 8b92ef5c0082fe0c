/// The hash of the run's open-addressing tables (`HashSlots`): cheaper than SipHash on the per-row paths, and seeded at random
/// once per process, so an export crafted to pile many keys into one slot (every lookup then walks them
/// all) cannot know where they land. No output depends on slot order.
public enum SeededHash {
    public static let processSeed = UInt64.random(in: 0...UInt64.max)

    /// A 64-bit hash of bytes, eight at a time (multiply and shift mixing).
    @inlinable
    public static func bytes(_ key: UnsafeRawBufferPointer, seed: UInt64 = processSeed) -> UInt64 {
        var h: UInt64 = seed ^ 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
        var i = 0
        while i + 8 <= key.count {
            h = (h ^ key.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        if i < key.count {
            var tail: UInt64 = 0
            for k in i..<key.count { tail |= UInt64(key[k]) << UInt64(8 * (k - i)) }
            h = (h ^ tail) &* 0xBF58_476D_1CE4_E5B9
        }
        h ^= h >> 29
        h = h &* 0x94D0_49BB_1331_11EB
        return h ^ h >> 32
    }

    /// A 64-bit hash of two words (a key of two integers).
    @inlinable @inline(__always)
    public static func words(_ a: UInt64, _ b: UInt64, seed: UInt64 = processSeed) -> UInt64 {
        var h = (a ^ seed) &* 0x9E37_79B9_7F4A_7C15
        h ^= b &* 0xC2B2_AE3D_27D4_EB4F
        h ^= h >> 29
        h &*= 0xBF58_476D_1CE4_E5B9
        return h ^ h >> 32
    }

    /// A text's UTF-8 bytes' hash.
    @inlinable @inline(__always)
    public static func utf8(_ text: String, seed: UInt64 = processSeed) -> UInt64 {
        text.readingUTF8 { bytes(UnsafeRawBufferPointer($0), seed: seed) }
    }
}
