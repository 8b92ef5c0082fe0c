import Foundation

/// Values under byte-string keys (texts as their UTF-8 bytes: texts reaching the run are NFC, so
/// byte-equal means equal, and a lookup needs neither `String` hashing, which normalizes Hangul, nor
/// SipHash's set-up). Keys are kept one after another in one array; entries are numbered in order of
/// insertion and filed in `HashSlots` under `SeededHash` of their bytes. A key made of two parts
/// (`서울` + `특별시`) is looked up without joining them into a `String`.
public struct ByteKeyTable<Value> {
    @usableFromInline var keyBytes: [UInt8] = []
    @usableFromInline var keyEnds: [Int] = []
    @usableFromInline var values: [Value] = []
    @usableFromInline var slots: HashSlots
    @usableFromInline let seed: UInt64
    /// Hashes by length alone, so keys of one length collide: lets a test check that entries are told
    /// apart by their bytes, not their hashes.
    @usableFromInline let hashingLengthOnly: Bool
    /// The byte count of the longest key: a longer text is no key and is not hashed (a word of a hostile
    /// cell can be a megabyte long).
    public private(set) var longestKey = 0

    public init(expected: Int = 32, seed: UInt64 = SeededHash.processSeed, hashingLengthOnly: Bool = false) {
        slots = HashSlots(expected: expected)
        self.seed = seed
        self.hashingLengthOnly = hashingLengthOnly
    }

    /// How many keys there are.
    @inlinable public var count: Int { values.count }

    /// The value of entry `entry` (entries are numbered 0, 1, … in order of insertion).
    @inlinable public subscript(entry entry: Int) -> Value {
        get { values[entry] }
        set { values[entry] = newValue }
    }

    /// Every value, in order of insertion.
    @inlinable public var allValues: [Value] { values }

    @inlinable @inline(__always)
    func hash(_ key: UnsafeRawBufferPointer) -> UInt64 {
        hashingLengthOnly ? UInt64(key.count) : SeededHash.bytes(key, seed: seed)
    }

    /// The entry whose key is `key`, or nil.
    @inlinable
    public func entry(_ key: UnsafeRawBufferPointer) -> Int? {
        guard key.count <= longestKey, count > 0 else { return nil }
        return keyBytes.withUnsafeBytes { stored in
            slots.find(hash(key)) { e in
                let start = e == 0 ? 0 : keyEnds[e - 1]
                return keyEnds[e] - start == key.count
                    && (key.isEmpty || memcmp(stored.baseAddress! + start, key.baseAddress!, key.count) == 0)
            }
        }
    }

    /// The entry whose key is the UTF-8 of `key`, or nil.
    @inlinable
    public func entry(_ key: String) -> Int? { key.readingUTF8 { entry(UnsafeRawBufferPointer($0)) } }

    /// The entry whose key is the bytes `key`, or nil.
    @inlinable
    public func entry(_ key: Span<UInt8>) -> Int? { key.withUnsafeBytes { entry($0) } }

    /// The entry whose key is `a`, then `separator` (when given), then `b`, or nil.
    @inlinable
    public func entry(_ a: Span<UInt8>, separator: UInt8?, _ b: Span<UInt8>) -> Int? {
        a.withUnsafeBytes { x in b.withUnsafeBytes { y in entry(x, separator: separator, y) } }
    }

    /// The entry whose key is `a`, then `separator` (when given), then `b`, or nil; nothing is joined on
    /// the heap.
    public func entry(_ a: UnsafeRawBufferPointer, separator: UInt8?, _ b: UnsafeRawBufferPointer) -> Int? {
        let total = a.count + (separator == nil ? 0 : 1) + b.count
        guard total <= longestKey, count > 0 else { return nil }
        return withUnsafeTemporaryAllocation(byteCount: Swift.max(total, 1), alignment: 8) { joined in
            if let from = a.baseAddress { joined.baseAddress!.copyMemory(from: from, byteCount: a.count) }
            var at = a.count
            if let separator {
                joined[at] = separator
                at += 1
            }
            if let from = b.baseAddress { (joined.baseAddress! + at).copyMemory(from: from, byteCount: b.count) }
            return entry(UnsafeRawBufferPointer(rebasing: joined[0..<total]))
        }
    }

    /// Adds `key` (not in the table: look it up first) with `value`; returns its entry.
    @discardableResult
    public mutating func insert(_ key: UnsafeRawBufferPointer, _ value: Value) -> Int {
        keyBytes.append(contentsOf: key)
        keyEnds.append(keyBytes.count)
        values.append(value)
        longestKey = Swift.max(longestKey, key.count)
        return slots.insert(hash(key))
    }

    /// Adds the UTF-8 of `key` (not in the table) with `value`; returns its entry.
    @discardableResult
    public mutating func insert(_ key: String, _ value: Value) -> Int {
        key.readingUTF8 { insert(UnsafeRawBufferPointer($0), value) }
    }

    /// The entry whose key is `key`'s bytes, or nil.
    @inlinable
    public func entry(_ key: [UInt8]) -> Int? { key.withUnsafeBytes { entry($0) } }

    /// Adds the bytes `key` (not in the table) with `value`; returns its entry.
    @discardableResult
    public mutating func insert(_ key: [UInt8], _ value: Value) -> Int { key.withUnsafeBytes { insert($0, value) } }

    /// The entry whose key is the UTF-8 bytes `range` of `text` (offsets into its UTF-8, on scalar
    /// boundaries), or nil: a part of a text looked up without making it a `String`.
    @inlinable
    public func entry(_ text: String, utf8 range: Range<Int>) -> Int? {
        text.readingUTF8 { entry(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: $0[range]))) }
    }

    /// Adds the UTF-8 bytes `range` of `text` (not in the table) with `value`; returns its entry.
    @discardableResult
    public mutating func insert(_ text: String, utf8 range: Range<Int>, _ value: Value) -> Int {
        text.readingUTF8 { insert(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: $0[range])), value) }
    }

    /// The entry whose key is the bytes of `key` (any collection of them: read in place when contiguous).
    @inlinable
    public func entry<Bytes: Collection>(bytes key: Bytes) -> Int? where Bytes.Element == UInt8 {
        if let found: Int? = key.withContiguousStorageIfAvailable({ entry(UnsafeRawBufferPointer($0)) }) {
            return found
        }
        return entry(Array(key))
    }

    /// The entry whose key is `a`, then `separator` (when given), then `b`, or nil; nothing is joined on
    /// the heap when both are contiguous.
    @inlinable
    public func entry<A: Collection, B: Collection>(bytes a: A, separator: UInt8?, _ b: B) -> Int?
    where A.Element == UInt8, B.Element == UInt8 {
        let found: Int?? =
            a.withContiguousStorageIfAvailable { x in
                b.withContiguousStorageIfAvailable { y in
                    entry(UnsafeRawBufferPointer(x), separator: separator, UnsafeRawBufferPointer(y))
                }
            } ?? nil
        if let found { return found }
        return entry(Array(a) + (separator.map { [$0] } ?? []) + Array(b))
    }

    /// The value under the UTF-8 of `key`: reading gives nil for no key; writing sets or adds it
    /// (entries are never removed one by one: `removeAll`).
    public subscript(key: String) -> Value? {
        get { entry(key).map { values[$0] } }
        set {
            guard let newValue else {
                precondition(entry(key) == nil, "ByteKeyTable: entries are not removed one by one")
                return
            }
            if let e = entry(key) { values[e] = newValue } else { insert(key, newValue) }
        }
    }

    /// Forgets every key, keeping the room.
    public mutating func removeAll() {
        keyBytes.removeAll(keepingCapacity: true)
        keyEnds.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        slots.removeAll()
        longestKey = 0
    }
}

extension ByteKeyTable: Sendable where Value: Sendable {}
