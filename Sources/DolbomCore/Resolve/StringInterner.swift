import DolbomNormalize
import DolbomRuntime
import Foundation

/// Equal strings get equal small integers, so the pair loop compares
/// integers instead of hashing or comparing `String`s. Equal means byte-equal:
/// normalized fields are NFC (the reader composes decomposed Hangul and accents),
/// so that is what `==` says for them too. Ids are given in order of first use.
struct StringInterner {
    /// The strings by id; the table's keys are their UTF-8 bytes (a `Dictionary` of `String` runs Hangul
    /// through NFC normalization on every lookup). Keys made of parts (buildings) are looked up as bytes.
    private var table: ByteKeyTable<String>
    /// Where `id(joining:)` puts a key together.
    private var scratch: [UInt8] = []

    /// Nothing depends on slot order: ids are given in order of first use, so every run still gives the same ids.
    init(seed: UInt64 = SeededHash.processSeed) { table = ByteKeyTable(seed: seed) }

    var strings: [String] { table.allValues }

    mutating func id(_ s: String) -> Int32 {
        if let found = table.entry(s) { return Int32(found) }
        return Int32(table.insert(s, s))
    }

    mutating func id(_ s: Substring) -> Int32 { id(String(s)) }

    /// The id of the part of `text` at UTF-8 offsets `range` (on scalar boundaries), made into a `String`
    /// only when new.
    mutating func id(_ text: String, utf8 range: Range<Int>) -> Int32 {
        if let found = table.entry(text, utf8: range) { return Int32(found) }
        let utf8 = text.utf8
        let part =
            utf8.index(
                utf8.startIndex, offsetBy: range.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: range.upperBound)
        return Int32(table.insert(text, utf8: range, String(decoding: utf8[part], as: UTF8.self)))
    }

    /// The id of the text whose UTF-8 bytes are `utf8` (valid UTF-8), made into a `String` only when new.
    mutating func id(utf8: [UInt8]) -> Int32 {
        if let found = table.entry(utf8) { return Int32(found) }
        return Int32(table.insert(utf8, String(decoding: utf8, as: UTF8.self)))
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
    mutating func id(joining tag: StaticString, _ a: String?, _ b: String?, _ c: String?, _ d: String?? = .none)
        -> Int32
    {
        joinedID { key in
            tag.withUTF8Buffer { key.append(contentsOf: $0) }
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

    /// A part's bytes (none for nil), read in place.
    @inline(__always)
    private static func append(_ part: String?, to key: inout [UInt8]) {
        guard let part else { return }
        part.readingUTF8 { key.append(contentsOf: $0) }
    }

    /// The id of the key `build` puts together in the scratch bytes, made into a `String` only when new.
    private mutating func joinedID(_ build: (inout [UInt8]) -> Void) -> Int32 {
        var key = scratch
        scratch = []
        key.removeAll(keepingCapacity: true)
        build(&key)
        let found = id(utf8: key)
        scratch = key
        return found
    }

    /// The id of the text `build` puts together as UTF-8 bytes, made into a `String` only when new.
    mutating func id(building build: (inout [UInt8]) -> Void) -> Int32 { joinedID(build) }

    /// Takes in the strings of an interner that saw later text, in its id order: each gets the id it
    /// would have had in one interner over all the text. Returns the new id of each of `other`'s ids.
    mutating func absorb(_ other: StringInterner) -> [Int32] {
        other.strings.map { id($0) }
    }
}
