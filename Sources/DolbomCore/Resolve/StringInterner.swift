import DolbomNormalize
import Foundation

/// Equal strings get equal small integers, so the pair loop compares
/// integers instead of hashing or comparing `String`s. Equal means byte-equal:
/// normalized fields are NFC (the reader composes decomposed Hangul and accents),
/// so that is what `==` says for them too. Ids are given in order of first use.
struct StringInterner {
    private(set) var strings: [String] = []
    // Its own table over the texts' UTF-8 bytes: a million rows intern several texts each, `String`
    // hashing runs Hangul through NFC normalization, and a `Dictionary` of `ExactText` spends most of
    // a lookup seeding and running SipHash. Keys made of parts (buildings) are looked up as bytes.
    /// Every string's bytes, one after another; string `i` ends at `ends[i]`.
    private var bytes: [UInt8] = []
    private var ends: [Int] = []
    private var hashes: [UInt64] = []
    /// Open addressing over `id + 1` (0: empty), a power of two in size, at most half full.
    private var slots = [Int32](repeating: 0, count: 64)
    /// Where `id(joining:)` puts a key together.
    private var scratch: [UInt8] = []

    mutating func id(_ s: String) -> Int32 {
        let (hash, slot, found) = s.readingUTF8 { probe(UnsafeRawBufferPointer($0)) }
        return found >= 0 ? found : insert(s, hash: hash, slot: slot)
    }

    mutating func id(_ s: Substring) -> Int32 { id(String(s)) }

    /// The id of the text whose UTF-8 bytes are `utf8` (valid UTF-8), made into a `String` only when new.
    mutating func id(utf8: UnsafeRawBufferPointer) -> Int32 {
        let (hash, slot, found) = probe(utf8)
        return found >= 0 ? found : insert(String(decoding: utf8, as: UTF8.self), hash: hash, slot: slot)
    }

    /// The id of the parts joined by `|` (what `"\(a)|\(b)|…"` gives), made into a `String` only when new.
    mutating func id(joining parts: [String?]) -> Int32 {
        joinedID { key in
            for i in parts.indices {
                if i > 0 { key.append(UInt8(ascii: "|")) }
                Self.append(parts[i], to: &key)
            }
        }
    }

    /// `id(joining: [tag, a, b, c])`, or with `d` of five parts (a building's key), without an array of
    /// parts: walking one copied (retained) each part.
    mutating func id(joining tag: StaticString, _ a: String?, _ b: String?, _ c: String?, _ d: String?? = .none) -> Int32 {
        joinedID { key in
            key.append(contentsOf: UnsafeBufferPointer(start: tag.utf8Start, count: tag.utf8CodeUnitCount))
            key.append(UInt8(ascii: "|"))
            Self.append(a, to: &key)
            key.append(UInt8(ascii: "|"))
            Self.append(b, to: &key)
            key.append(UInt8(ascii: "|"))
            Self.append(c, to: &key)
            if case .some(let last) = d {
                key.append(UInt8(ascii: "|"))
                Self.append(last, to: &key)
            }
        }
    }

    /// A part's bytes (none for nil), from its own storage when contiguous: the generic append walked the view.
    @inline(__always)
    private static func append(_ part: String?, to key: inout [UInt8]) {
        guard let part else { return }
        if part.utf8.withContiguousStorageIfAvailable({ key.append(contentsOf: $0) }) == nil { key.append(contentsOf: part.utf8) }
    }

    /// The id of the key `build` puts together in the scratch bytes, made into a `String` only when new.
    private mutating func joinedID(_ build: (inout [UInt8]) -> Void) -> Int32 {
        var key = scratch
        scratch = []
        key.removeAll(keepingCapacity: true)
        build(&key)
        let (hash, slot, found) = key.withUnsafeBytes { probe($0) }
        let id = found >= 0 ? found : insert(String(decoding: key, as: UTF8.self), hash: hash, slot: slot)
        scratch = key
        return id
    }

    /// The id of the text `build` puts together as UTF-8 bytes, made into a `String` only when new.
    mutating func id(building build: (inout [UInt8]) -> Void) -> Int32 { joinedID(build) }

    /// Takes in the strings of an interner that saw later text, in its id order: each gets the id it
    /// would have had in one interner over all the text. Returns the new id of each of `other`'s ids.
    mutating func absorb(_ other: StringInterner) -> [Int32] {
        other.strings.map { id($0) }
    }

    /// The slot holding `key`'s id (`found`), or the empty slot it would go in (`found` -1).
    private func probe(_ key: UnsafeRawBufferPointer) -> (hash: UInt64, slot: Int, found: Int32) {
        let hash = SeededHash.bytes(key, seed: seed)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return (hash, slot, -1) }
            let id = Int(entry - 1)
            if hashes[id] == hash && equal(id, key) { return (hash, slot, Int32(id)) }
            slot = (slot + 1) & mask
        }
    }

    private func equal(_ id: Int, _ key: UnsafeRawBufferPointer) -> Bool {
        let start = id == 0 ? 0 : ends[id - 1]
        guard ends[id] - start == key.count else { return false }
        return key.isEmpty || bytes.withUnsafeBytes { memcmp($0.baseAddress! + start, key.baseAddress!, key.count) == 0 }
    }

    private mutating func insert(_ s: String, hash: UInt64, slot: Int) -> Int32 {
        let id = Int32(strings.count)
        strings.append(s)
        bytes.append(contentsOf: s.utf8)
        ends.append(bytes.count)
        hashes.append(hash)
        slots[slot] = id + 1
        if 2 * strings.count > slots.count {
            slots = [Int32](repeating: 0, count: 2 * slots.count)
            let mask = slots.count - 1
            for (i, h) in hashes.enumerated() {
                var slot = Int(truncatingIfNeeded: h) & mask
                while slots[slot] != 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(i) + 1
            }
        }
        return id
    }

    private let seed: UInt64

    /// Nothing depends on slot order: ids are given in order of first use, so every run still gives the same ids.
    init(seed: UInt64 = SeededHash.processSeed) { self.seed = seed }
}
