import DolbomNormalize

/// How often each (submission time, guardian number) has come up so far in one export: the occurrence
/// number that keeps two children entered in the same minute apart in their fingerprints.
///
/// Every row of an export passes through it on the reading thread, so a key is two integers in flat
/// arrays, hashed by multiplying, instead of a dictionary entry hashed with SipHash (a tenth of a second
/// of that thread at 1M rows). The hash is seeded per process, so an export crafted to pile keys into one
/// slot cannot know where they land; the counts do not depend on the seed. Numbers too long for an
/// integer (rare) are counted in a dictionary on the side.
struct OccurrenceCounter {
    private var times: [UInt64]  // 0 = empty slot
    private var phones: [UInt64]
    private var counts: [UInt32]
    private var used = 0
    private var other: [SubmissionFingerprint.OccurrenceKey: Int] = [:]
    private let seed: UInt64

    init(expected: Int, seed: UInt64 = SeededHash.processSeed) {
        var size = 1024
        while size < expected + expected / 3 { size <<= 1 }
        times = Array(repeating: 0, count: size)
        phones = Array(repeating: 0, count: size)
        counts = Array(repeating: 0, count: size)
        self.seed = seed
    }

    /// How many times `key` came before (0 the first time); counts this one.
    mutating func next(_ key: SubmissionFingerprint.OccurrenceKey) -> Int {
        guard case .digits(let phone) = key.phone else {
            defer { other[key, default: 0] += 1 }
            return other[key] ?? 0
        }
        let t = key.time
        let time: UInt64 = 1 << 63 | UInt64(UInt16(truncatingIfNeeded: t.date.year)) << 40 | UInt64(t.date.month) << 32
            | UInt64(t.date.day) << 24 | UInt64(t.hour) << 16 | UInt64(t.minute) << 8 | UInt64(t.second)
        if used + 1 > times.count - times.count / 4 { grow() }
        var slot = self.slot(time, phone)
        while times[slot] != 0 {
            if times[slot] == time && phones[slot] == phone {
                defer { counts[slot] += 1 }
                return Int(counts[slot])
            }
            slot = (slot + 1) & (times.count - 1)
        }
        times[slot] = time
        phones[slot] = phone
        counts[slot] = 1
        used += 1
        return 0
    }

    private func slot(_ time: UInt64, _ phone: UInt64) -> Int {
        var h = (time ^ seed) &* 0x9E37_79B9_7F4A_7C15
        h ^= phone &* 0xC2B2_AE3D_27D4_EB4F
        h ^= h >> 29
        h &*= 0xBF58_476D_1CE4_E5B9
        h ^= h >> 32
        return Int(truncatingIfNeeded: h) & (times.count - 1)
    }

    private mutating func grow() {
        let (oldTimes, oldPhones, oldCounts) = (times, phones, counts)
        let size = times.count * 2
        times = Array(repeating: 0, count: size)
        phones = Array(repeating: 0, count: size)
        counts = Array(repeating: 0, count: size)
        for i in oldTimes.indices where oldTimes[i] != 0 {
            var slot = self.slot(oldTimes[i], oldPhones[i])
            while times[slot] != 0 { slot = (slot + 1) & (size - 1) }
            times[slot] = oldTimes[i]
            phones[slot] = oldPhones[i]
            counts[slot] = oldCounts[i]
        }
    }
}
