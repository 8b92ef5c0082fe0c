/// The one open-addressing hash table of the run: it files entry numbers (0, 1, 2, … in order of
/// insertion) under their keys' hashes, and asks the caller, who keeps the keys in its own arrays,
/// whether an entry's key is the one looked up. The interner, the normalizer's memo, the pool's
/// fingerprint index, the occurrence counter and the address name map all keep their keys their own way
/// (bytes, digests, pairs of integers) and share this.
///
/// Linear probing, at most half full; hashes are kept, so a probe compares a key only when the whole
/// hash matches. Hash with `SeededHash` (seeded per process), so input crafted to pile keys into one slot
/// cannot know where they land; no result depends on slot order.
public struct HashSlots: Sendable {
    /// `entry + 1` (0: empty), a power of two in size.
    @usableFromInline var slots: ZeroedTable<Int32>
    @usableFromInline var hashes: [UInt64] = []

    /// Room for `expected` entries before the table grows.
    public init(expected: Int = 32) {
        var size = 64
        while size < 2 * expected { size <<= 1 }
        slots = ZeroedTable(count: size)
        hashes.reserveCapacity(expected)
    }

    /// How many entries are filed.
    @inlinable public var count: Int { hashes.count }

    /// The hash entry `entry` was filed under.
    @inlinable public func hash(of entry: Int) -> UInt64 { hashes[entry] }

    /// The entry filed under `hash` whose key `isKey` accepts, or nil.
    @inlinable @inline(__always)
    public func find(_ hash: UInt64, where isKey: (Int) -> Bool) -> Int? {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let filed = Int(slots[slot])
            if filed == 0 { return nil }
            if hashes[filed - 1] == hash && isKey(filed - 1) { return filed - 1 }
            slot = (slot + 1) & mask
        }
    }

    /// Files the next entry (numbered `count`) under `hash`, and returns its number. The caller has
    /// looked the key up and not found it.
    @inlinable @discardableResult
    public mutating func insert(_ hash: UInt64) -> Int {
        let entry = hashes.count
        precondition(entry < Int(Int32.max), "a hash table holds at most 2^31 - 1 entries")
        if !isKnownUniquelyReferenced(&slots) { slots = slots.copy() }  // a value, like the arrays it replaced
        hashes.append(hash)
        if 2 * hashes.count > slots.count {
            rebuild(size: 2 * slots.count)
        } else {
            place(entry)
        }
        return entry
    }

    /// Forgets every entry, keeping the room.
    public mutating func removeAll() {
        hashes.removeAll(keepingCapacity: true)
        slots = ZeroedTable(count: slots.count)
    }

    /// Asks for the slot `hash` is first looked up in to be loaded (a hint for a lookup a few rows on,
    /// `ReadAhead.tableDistance`).
    @inlinable @inline(__always)
    public func readAhead(_ hash: UInt64) {
        slots.prefetch(Int(truncatingIfNeeded: hash) & (slots.count - 1))
    }

    @usableFromInline
    mutating func place(_ entry: Int) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hashes[entry]) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(entry + 1)
    }

    @usableFromInline
    mutating func rebuild(size: Int) {
        slots = ZeroedTable(count: size)
        for entry in hashes.indices { place(entry) }
    }
}
