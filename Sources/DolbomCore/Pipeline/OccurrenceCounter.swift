import DolbomNormalize
import DolbomRuntime
import Foundation

/// How often each (submission time, guardian number) has come up so far in one export: the occurrence
/// number that keeps two children entered in the same minute apart in their fingerprints.
///
/// Every row of an export passes through it on the reading thread, so a key is two integers in flat
/// arrays, filed in `HashSlots`, instead of a dictionary entry hashed with SipHash. The hash is seeded per
/// process, so an export crafted to pile keys into one slot cannot know where they land; the counts do
/// not depend on the seed. Numbers too long for an integer (rare) are counted in a dictionary on the side.
struct OccurrenceCounter {
    /// Keys and counts by entry, filed in the run's one hash table.
    private var times: [UInt64] = []
    private var phones: [UInt64] = []
    private var counts: [UInt32] = []
    private var slots: HashSlots
    private var other: [SubmissionFingerprint.OccurrenceKey: Int] = [:]
    private let seed: UInt64

    init(expected: Int, seed: UInt64 = SeededHash.processSeed) {
        slots = HashSlots(expected: expected)
        times.reserveCapacity(expected)
        phones.reserveCapacity(expected)
        counts.reserveCapacity(expected)
        self.seed = seed
    }

    /// How many times `key` came before (0 the first time); counts this one.
    mutating func next(_ key: SubmissionFingerprint.OccurrenceKey) -> Int {
        guard case .digits(let phone) = key.phone else {
            defer { other[key, default: 0] += 1 }
            return other[key] ?? 0
        }
        let time = Self.time(key)
        let hash = SeededHash.words(time, phone, seed: seed)
        if let e = slots.find(hash, where: { times[$0] == time && phones[$0] == phone }) {
            defer { counts[e] += 1 }
            return Int(counts[e])
        }
        slots.insert(hash)
        times.append(time)
        phones.append(phone)
        counts.append(1)
        return 0
    }

    /// Asks for `key`'s slot to be loaded (the table is far bigger than the cache, and a key's slot is
    /// anywhere in it): the reading thread calls this a few rows ahead of `next`. A hint; counts nothing.
    func readAhead(_ key: SubmissionFingerprint.OccurrenceKey) {
        guard case .digits(let phone) = key.phone else { return }
        slots.readAhead(SeededHash.words(Self.time(key), phone, seed: seed))
    }

    private static func time(_ key: SubmissionFingerprint.OccurrenceKey) -> UInt64 {
        let t = key.time
        return 1 << 63 | UInt64(UInt16(truncatingIfNeeded: t.date.year)) << 40 | UInt64(t.date.month) << 32
            | UInt64(t.date.day) << 24 | UInt64(t.hour) << 16 | UInt64(t.minute) << 8 | UInt64(t.second)
    }
}
