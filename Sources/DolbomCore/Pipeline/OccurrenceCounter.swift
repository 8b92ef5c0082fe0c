import CDolbomSystem
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
    /// One entry: time 0 = empty. Together in one array, a lookup reads one cache line, not three.
    private struct Entry {
        var time: UInt64
        var phone: UInt64
        var count: UInt32
    }
    private var entries: [Entry]
    private var used = 0
    private var other: [SubmissionFingerprint.OccurrenceKey: Int] = [:]
    private let seed: UInt64

    init(expected: Int, seed: UInt64 = SeededHash.processSeed) {
        var size = 1024
        while size < expected + expected / 3 { size <<= 1 }
        entries = Array(repeating: Entry(time: 0, phone: 0, count: 0), count: size)
        self.seed = seed
    }

    /// How many times `key` came before (0 the first time); counts this one.
    mutating func next(_ key: SubmissionFingerprint.OccurrenceKey) -> Int {
        guard case .digits(let phone) = key.phone else {
            defer { other[key, default: 0] += 1 }
            return other[key] ?? 0
        }
        let time = Self.time(key)
        if used + 1 > entries.count - entries.count / 4 { grow() }
        let mask = entries.count - 1
        let start = slot(time, phone, mask)
        let before = entries.withUnsafeMutableBufferPointer { entries -> Int in
            var slot = start
            while entries[slot].time != 0 {
                if entries[slot].time == time && entries[slot].phone == phone {
                    defer { entries[slot].count += 1 }
                    return Int(entries[slot].count)
                }
                slot = (slot + 1) & mask
            }
            entries[slot] = Entry(time: time, phone: phone, count: 1)
            return 0
        }
        if before == 0 { used += 1 }
        return before
    }

    /// Asks for `key`'s entry to be loaded (the table is far bigger than the cache, and a key's entry is
    /// anywhere in it): the reading thread calls this a few rows ahead of `next`. A hint; counts nothing.
    func prefetch(_ key: SubmissionFingerprint.OccurrenceKey) {
        guard case .digits(let phone) = key.phone else { return }
        let slot = self.slot(Self.time(key), phone, entries.count - 1)
        entries.withUnsafeBufferPointer { dolbom_prefetch($0.baseAddress! + slot) }
    }

    private static func time(_ key: SubmissionFingerprint.OccurrenceKey) -> UInt64 {
        let t = key.time
        return 1 << 63 | UInt64(UInt16(truncatingIfNeeded: t.date.year)) << 40 | UInt64(t.date.month) << 32
            | UInt64(t.date.day) << 24 | UInt64(t.hour) << 16 | UInt64(t.minute) << 8 | UInt64(t.second)
    }

    private func slot(_ time: UInt64, _ phone: UInt64, _ mask: Int) -> Int {
        var h = (time ^ seed) &* 0x9E37_79B9_7F4A_7C15
        h ^= phone &* 0xC2B2_AE3D_27D4_EB4F
        h ^= h >> 29
        h &*= 0xBF58_476D_1CE4_E5B9
        h ^= h >> 32
        return Int(truncatingIfNeeded: h) & mask
    }

    private mutating func grow() {
        let old = entries
        let size = entries.count * 2
        entries = Array(repeating: Entry(time: 0, phone: 0, count: 0), count: size)
        for e in old where e.time != 0 {
            var slot = self.slot(e.time, e.phone, size - 1)
            while entries[slot].time != 0 { slot = (slot + 1) & (size - 1) }
            entries[slot] = e
        }
    }
}
