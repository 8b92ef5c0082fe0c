import CDolbomSystem
import Foundation
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
    fileprivate struct Entry {
        var time: UInt64
        var phone: UInt64
        var count: UInt32
    }
    private var entries: EntryTable
    private var used = 0
    private var other: [SubmissionFingerprint.OccurrenceKey: Int] = [:]
    private let seed: UInt64

    init(expected: Int, seed: UInt64 = SeededHash.processSeed) {
        var size = 1024
        while size < expected + expected / 3 { size <<= 1 }
        entries = EntryTable(count: size)
        self.seed = seed
    }

    /// How many times `key` came before (0 the first time); counts this one.
    mutating func next(_ key: SubmissionFingerprint.OccurrenceKey) -> Int {
        guard case .digits(let phone) = key.phone else {
            defer { other[key, default: 0] += 1 }
            return other[key] ?? 0
        }
        let time = Self.time(key)
        if !isKnownUniquelyReferenced(&entries) { entries = entries.copy() }  // a value, like the array it replaced
        if used + 1 > entries.count - entries.count / 4 { grow() }
        let mask = entries.count - 1
        let table = entries.base
        var slot = slot(time, phone, mask)
        while table[slot].time != 0 {
            if table[slot].time == time && table[slot].phone == phone {
                defer { table[slot].count += 1 }
                return Int(table[slot].count)
            }
            slot = (slot + 1) & mask
        }
        table[slot] = Entry(time: time, phone: phone, count: 1)
        used += 1
        return 0
    }

    /// Asks for `key`'s entry to be loaded (the table is far bigger than the cache, and a key's entry is
    /// anywhere in it): the reading thread calls this a few rows ahead of `next`. A hint; counts nothing.
    func prefetch(_ key: SubmissionFingerprint.OccurrenceKey) {
        guard case .digits(let phone) = key.phone else { return }
        dolbom_prefetch(entries.base + slot(Self.time(key), phone, entries.count - 1))
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
        entries = EntryTable(count: old.count * 2)
        let mask = entries.count - 1
        for i in 0..<old.count where old.base[i].time != 0 {
            var slot = self.slot(old.base[i].time, old.base[i].phone, mask)
            while entries.base[slot].time != 0 { slot = (slot + 1) & mask }
            entries.base[slot] = old.base[i]
        }
    }
}

/// The counter's entries in memory of their own, on huge pages where the kernel has them: at 1M rows the
/// table is 48 MB and every lookup lands somewhere else in it, so with 4 KB pages nearly every lookup (and
/// every prefetch) first walked the page tables. Owned by one counter (its `grow` replaces it whole).
private final class EntryTable {
    let base: UnsafeMutablePointer<OccurrenceCounter.Entry>
    let count: Int
    private static let hugePage = 2 << 20

    init(count: Int) {
        self.count = count
        let bytes = count * MemoryLayout<OccurrenceCounter.Entry>.stride
        // Fresh anonymous memory is zero-filled, and an all-zero entry is an empty one: the table is not
        // written up front (that faulted in and cleared all of it, 0.1-0.15 s on one core before the
        // first row was read), each page is cleared when a count first lands in it.
        var mapped = bytes >= Self.hugePage ? mmap(nil, bytes + Self.hugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) : nil
        if mapped == MAP_FAILED { mapped = nil }
        if let mapped {
            // On a huge-page boundary, the rest given back (a hint: without THP, plain pages).
            let start = (Int(bitPattern: mapped) + Self.hugePage - 1) & ~(Self.hugePage - 1)
            let lead = start - Int(bitPattern: mapped)
            if lead > 0 { munmap(mapped, lead) }
            let tail = Self.hugePage - lead
            if tail > 0 { munmap(UnsafeMutableRawPointer(bitPattern: start + bytes), tail) }
            let memory = UnsafeMutableRawPointer(bitPattern: start)!
            _ = madvise(memory, bytes, MADV_HUGEPAGE)
            base = memory.bindMemory(to: OccurrenceCounter.Entry.self, capacity: count)
            mappedBytes = bytes
        } else {
            guard let memory = calloc(max(count, 1), MemoryLayout<OccurrenceCounter.Entry>.stride) else {
                fatalError("out of memory for \(bytes) bytes of occurrence counts")
            }
            base = memory.bindMemory(to: OccurrenceCounter.Entry.self, capacity: count)
            mappedBytes = 0
        }
    }

    /// The length of the mapping `base` starts (0: from `calloc`).
    private let mappedBytes: Int

    func copy() -> EntryTable {
        let table = EntryTable(count: count)
        table.base.update(from: base, count: count)
        return table
    }

    deinit {
        // Entries are plain integers: nothing to deinitialize.
        if mappedBytes > 0 { munmap(base, mappedBytes) } else { free(base) }
    }
}
