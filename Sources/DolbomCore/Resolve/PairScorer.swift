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

/// What one submission brings to a comparison, computed once (the hot path
/// compares these, never the raw strings). Plain values only: ranges into the
/// pools of `MatchFeatureTable`, so copying one costs no reference counting.
struct MatchFeatures: Sendable, Equatable {
    struct Child: Sendable, Equatable {
        var given: Int32
        /// The surname when the name was written with one, or -1: 이지우 and 정지우 are not one child.
        var surname: Int32 = -1
        var birth: LocalDate?
        var age: Int?
        var grade: Int?
    }

    /// Phone digits ids (primary first) in `MatchFeatureTable.phones` / `last8`.
    var phoneStart: Int32
    var phoneCount: Int32
    /// Guardian name id, or -1.
    var name: Int32 = -1
    var jamoStart: Int32
    var jamoCount: Int32
    /// 시군구 code or name id, or -1.
    var sigungu: Int32 = -1
    /// Road + number (`r|…`) or 지번 within its 읍면동/리 (`j|…`) id, or -1; `buildingKind` is its first letter.
    var building: Int32 = -1
    var buildingKind: UInt8 = 0
    /// Unit detail id (`UnitKey`), or -1.
    var unit: Int32 = -1
    /// 읍면동 id, or -1: compares a road address with a 지번 one at least by area.
    var area: Int32 = -1
    var childStart: Int32
    var childCount: Int32
    /// How common this row's primary number, guardian name and building are in the run (0 rare … 3 very
    /// common; `MatchFeatureTable.assignCommonness`): agreement on a common value counts for less.
    var phoneLevel: UInt8 = 0
    var nameLevel: UInt8 = 0
    var buildingLevel: UInt8 = 0
    /// The building is given by at most three families (by number or guardian): a house, where without
    /// a unit on either side the building is the home (a crowded one without units is not).
    var fewFamilies = false
}

/// The features of every submission of a resolution, with their pools.
struct MatchFeatureTable: Sendable {
    var rows: [MatchFeatures] = []
    /// Phone numbers and their last 8 digits as `PhoneCode`s.
    var phones: [UInt64] = []
    var last8: [UInt64] = []
    var jamo: [UInt16] = []
    var children: [MatchFeatures.Child] = []
    /// Blocking keys of every row (`HouseholdResolver.candidatePairs`), `blockKeyStart[i]..<blockKeyStart[i+1]`.
    var blockKeys: [BlockKey] = []
    var blockKeyStart: [Int32] = [0]
    var strings = StringInterner()

    /// One blocking key as integers. It stands for the key strings earlier versions hashed
    /// (`p|digits`, `p8|last8`, `n|name|시군구`, `a|building|unit`, `c|given|birth`), and is
    /// equal exactly when those strings are: parts are interned, and a part holding the
    /// separator `|` (which could make two strings equal) falls back to the whole string.
    struct BlockKey: Sendable, Hashable {
        enum Tag: UInt8 { case phone = 1, last8, name, address, child, whole }
        var tag: Tag
        var a: Int32
        var b: Int32
        static let birthOffset = 1 << 24

        init(tag: Tag, a: Int32, b: Int32) {
            self.tag = tag
            self.a = a
            self.b = b
        }

        /// A phone key: the 64-bit code in `a` (high half) and `b` (low half).
        init(tag: Tag, code: UInt64) {
            self.init(tag: tag, a: Int32(bitPattern: UInt32(truncatingIfNeeded: code >> 32)), b: Int32(bitPattern: UInt32(truncatingIfNeeded: code)))
        }

        var code: UInt64 { UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b)) }

        /// Sortable as two words: (tag, a) and b.
        var high: UInt64 { UInt64(tag.rawValue) << 32 | UInt64(UInt32(bitPattern: a)) }
        init(high: UInt64, b: UInt32) {
            tag = Tag(rawValue: UInt8(high >> 32))!
            a = Int32(bitPattern: UInt32(truncatingIfNeeded: high))
            self.b = Int32(bitPattern: b)
        }
    }

    /// The features of `submissions`, built in parts on every core for large inputs (the same table
    /// as one pass builds).
    init(_ submissions: [Submission]) {
        let parts = submissions.count < 1 << 14 ? 1 : min(max(ProcessInfo.processInfo.activeProcessorCount, 1), 8)
        self.init(submissions, parts: parts)
        assignCommonness()
    }

    /// The table built in `parts` consecutive row ranges at once, each with an interner of its own, then
    /// joined in row order (`append`): string ids come out as one interner over all rows gives them.
    init(_ submissions: [Submission], parts: Int) {
        let parts = max(1, min(parts, submissions.count))
        guard parts > 1 else {
            self.init(submissions, rows: submissions.indices)
            return
        }
        let count = submissions.count
        self.init(joining: ParallelMap.map(count: parts, chunk: 1) { p in
            MatchFeatureTable(submissions, rows: (p * count / parts)..<((p + 1) * count / parts))
        })
    }

    /// The features of `submissions[range]` alone: row `i` of the table is submission `range.lowerBound + i`.
    private init(_ submissions: [Submission], rows range: Range<Int>) {
        rows.reserveCapacity(range.count)
        phones.reserveCapacity(range.count + range.count / 4)
        last8.reserveCapacity(range.count + range.count / 4)
        children.reserveCapacity(range.count + range.count / 4)
        blockKeyStart.reserveCapacity(range.count + 1)
        // Through a pointer: reading `submissions[i]` (or `for in`) copies each submission first.
        submissions.withUnsafeBufferPointer { rows in
            for i in range {
                if i + 8 < range.upperBound { Submission.prefetchParts(of: rows.baseAddress! + i + 8) }
                add(rows.baseAddress! + i)
            }
        }
    }

    /// The tables of consecutive row ranges as one, copied on every core. Each later table's string ids
    /// are renumbered (`StringInterner.absorb`), so the result equals the table of all rows built in one
    /// pass: ids decide the order blocks are visited in, and with it the order of the oversized-block report.
    private init(joining tables: [MatchFeatureTable]) {
        var strings = tables[0].strings
        let ids = tables.indices.map { p in p == 0 ? [] : strings.absorb(tables[p].strings) }
        self.strings = strings
        /// Where each table's part of a pool starts in the joined pool.
        func starts(_ count: (MatchFeatureTable) -> Int) -> [Int32] {
            var starts: [Int32] = [0]
            for t in tables { starts.append(starts[starts.count - 1] + Int32(count(t))) }
            return starts
        }
        let phoneStart = starts { $0.phones.count }, jamoStart = starts { $0.jamo.count }
        let childStart = starts { $0.children.count }, keyStart = starts { $0.blockKeys.count }
        @Sendable func id(_ p: Int, _ x: Int32) -> Int32 { p == 0 || x < 0 ? x : ids[p][Int(x)] }
        @Sendable func code(_ p: Int, _ c: UInt64) -> UInt64 {
            c >> 63 == 0 ? c : 1 << 63 | UInt64(UInt32(bitPattern: id(p, Int32(truncatingIfNeeded: c))))
        }
        rows = Self.joined(tables.map(\.rows)) { p, r in
            var r = r
            r.phoneStart += phoneStart[p]
            r.jamoStart += jamoStart[p]
            r.childStart += childStart[p]
            r.name = id(p, r.name)
            r.sigungu = id(p, r.sigungu)
            r.building = id(p, r.building)
            r.unit = id(p, r.unit)
            r.area = id(p, r.area)
            return r
        }
        phones = Self.joined(tables.map(\.phones), code)
        last8 = Self.joined(tables.map(\.last8), code)
        jamo = Array(concatenating: tables.map(\.jamo))
        children = Self.joined(tables.map(\.children)) { p, c in
            var c = c
            c.given = id(p, c.given)
            c.surname = id(p, c.surname)
            return c
        }
        blockKeys = Self.joined(tables.map(\.blockKeys)) { p, k in
            switch k.tag {
            case .phone, .last8: BlockKey(tag: k.tag, code: code(p, k.code))
            case .name, .address: BlockKey(tag: k.tag, a: id(p, k.a), b: id(p, k.b))
            case .child, .whole: BlockKey(tag: k.tag, a: id(p, k.a), b: k.b)
            }
        }
        blockKeyStart.reserveCapacity(tables.reduce(1) { $0 + $1.rows.count })
        for (p, t) in tables.enumerated() { blockKeyStart.append(contentsOf: t.blockKeyStart.dropFirst().lazy.map { $0 + keyStart[p] }) }
    }

    /// `parts` one after another, each element passed through `transform(part, element)`, on every core.
    private static func joined<T: Sendable>(_ parts: [[T]], _ transform: @Sendable (Int, T) -> T) -> [T] {
        var starts = [0]
        for part in parts { starts.append(starts[starts.count - 1] + part.count) }
        let bounds = starts
        return ParallelMap.map(count: bounds[parts.count], chunk: 1 << 14) { i in
            var p = 0
            while i >= bounds[p + 1] { p += 1 }
            return transform(p, parts[p][i - bounds[p]])
        }
    }

    /// A name as it is compared: a name in Latin letters without case or diacritics (`Trần Thị Mai` and
    /// `TRAN THI MAI` are one name); Hangul names as they are.
    static func matchingName(_ name: String) -> String {
        let latin = name.unicodeScalars.contains { $0.value >= 0x41 && $0.value <= 0x24F && $0.properties.isAlphabetic }
        guard latin else { return name }
        return name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
            .split(whereSeparator: { $0 == " " }).joined(separator: " ")
    }

    /// Whether a key part holds the separator `|` (read with `memchr`; the generic `contains` on a view was slower).
    private static func holdsSeparator(_ s: String) -> Bool {
        s.readingUTF8 { $0.isEmpty ? false : memchr($0.baseAddress!, Int32(UInt8(ascii: "|")), $0.count) != nil }
    }

    private mutating func add(_ s: UnsafePointer<Submission>) {
        let phoneStart = Int32(phones.count)
        func addPhone(_ digits: String) {
            let (phone, tail) = phoneCodes(digits)
            phones.append(phone)
            last8.append(tail)
            blockKeys.append(BlockKey(tag: .phone, code: phone))
            blockKeys.append(BlockKey(tag: .last8, code: tail))
        }
        addPhone(s.pointee.phones.primary.digits)
        for other in s.pointee.phones.others { addPhone(other.digits) }
        let jamoStart = Int32(jamo.count)
        var name: Int32 = -1
        // 세종 has no 시군구: the 시도 stands in its place.
        let sigunguText = s.pointee.address?.sigunguCode ?? s.pointee.address?.sigungu
            ?? (s.pointee.address?.sido == "세종특별자치시" ? "세종특별자치시" : nil)
        let sigungu = sigunguText.map { strings.id($0) }  // once: the name key and the features both use it
        if let written = s.pointee.guardianName?.name {
            let n = Self.matchingName(written)
            name = strings.id(n)
            NameSimilarity.appendJamo(n, to: &jamo)
            let sigunguKey = sigunguText ?? ""
            blockKeys.append(Self.holdsSeparator(sigunguKey)
                ? BlockKey(tag: .whole, a: strings.id("n|\(n)|\(sigunguKey)"), b: 0)
                : BlockKey(tag: .name, a: name, b: sigungu ?? strings.id(sigunguKey)))
        }
        var building: Int32 = -1, kind: UInt8 = 0, unit: Int32 = -1, area: Int32 = -1
        if let a = s.pointee.address {
            if let place = a.eupmyeondong { area = strings.id(joining: "e", sigunguText, place, nil) }
            // `r|시군구|road|number` or `j|시군구|읍면동|리|지번`, put together as bytes (an interpolated String per row cost more).
            if let road = a.road, let number = a.buildingNumber {
                building = strings.id(joining: "r", sigunguText, road, number)
                kind = UInt8(ascii: "r")
            } else if let jibun = a.jibun {
                building = strings.id(joining: "j", sigunguText, a.eupmyeondong, a.ri, .some(jibun))
                kind = UInt8(ascii: "j")
            }
            if let written = a.detail {
                // Units compare as written the same way: `111-201`, `111동 201호`, `(온양자이) 111동201호` are one unit.
                unit = strings.id(building: { key in
                    if !UnitKey.append(written, to: &key) { key.append(contentsOf: written.utf8) }
                })
                let detail = strings.strings[Int(unit)]
                if building >= 0 {
                    let buildingText = strings.strings[Int(building)]
                    blockKeys.append(Self.holdsSeparator(detail)
                        ? BlockKey(tag: .whole, a: strings.id("a|\(buildingText)|\(detail)"), b: 0)
                        : BlockKey(tag: .address, a: building, b: unit))
                }
            }
        }
        let childStart = Int32(children.count)
        for c in s.pointee.children {
            guard let childName = c.name?.name else { continue }
            // The given name interned from the name's own bytes when they hold it (no `String` made per child).
            var surname: Int32 = -1
            let given = childName.readingUTF8 { utf8 in
                NameSimilarity.givenNameBytes(utf8).map { range in
                    let bytes = UnsafeRawBufferPointer(utf8)
                    if range.lowerBound > 0 {
                        surname = strings.id(utf8: UnsafeRawBufferPointer(rebasing: bytes[0..<range.lowerBound]))
                    }
                    return strings.id(utf8: UnsafeRawBufferPointer(rebasing: bytes[range]))
                }
            } ?? strings.id(NameSimilarity.givenName(childName))
            children.append(MatchFeatures.Child(given: given, surname: surname, birth: c.age?.birthDate, age: c.age?.age,
                                                grade: c.age?.schoolGrade))
            if let birth = c.age?.birthDate {
                // The date's text has no `|`, so (given, date) is as distinct as the key string.
                blockKeys.append(BlockKey(tag: .child, a: given, b: Int32(birth.daysSinceEpoch + BlockKey.birthOffset)))
            }
        }
        blockKeyStart.append(Int32(blockKeys.count))
        rows.append(MatchFeatures(phoneStart: phoneStart, phoneCount: Int32(phones.count) - phoneStart, name: name,
                                  jamoStart: jamoStart, jamoCount: Int32(jamo.count) - jamoStart,
                                  sigungu: sigungu ?? -1, building: building, buildingKind: kind, unit: unit, area: area,
                                  childStart: childStart, childCount: Int32(children.count) - childStart))
    }
}

/// A string of ASCII digits as a number, value × 32 + length (the length keeps leading zeros apart):
/// phone numbers hashed and compared without a string. Nil when the text is not 1-17 digits.
enum DigitCode {
    static func of<S: StringProtocol>(_ digits: S) -> UInt64? {
        let utf8 = digits.utf8
        guard utf8.count <= 17, utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return utf8.reduce(0) { $0 * 10 + UInt64($1 - 0x30) } << 5 | UInt64(utf8.count)
    }
}

extension MatchFeatureTable {
    /// Term frequencies, as Splink adjusts for them: two rows agreeing on a value many families use (a centre's
    /// landline, 김지영, a 2,000-unit complex) are less likely one family than two agreeing on a rare value.
    /// A number given by `k` distinct guardians is one family's with odds of about 1 : k−1, so its level is
    /// ⌈log₂ k⌉ (0…3) and the scorer takes 3 bits per level off `phone_same`. A name or a building used by `k`
    /// families (distinct primary numbers, or distinct buildings / names when fewer: a family that changed
    /// one part counts once) gets level ⌊log₂(k / k̄)⌋ clamped to 0…3, k̄ the mean over all rows (what a
    /// typical row's value has), and the scorer takes that many bits off the agreement; rare values get no bonus.
    mutating func assignCommonness() {
        guard rows.count > 1 else { return }
        let rows = self.rows, phones = self.phones
        @Sendable func hash32(_ code: UInt64) -> UInt64 { (code ^ (code >> 32) ^ (code >> 17)) & 0xFFFF_FFFF }
        @Sendable func id32(_ id: Int32) -> UInt64 { UInt64(UInt32(bitPattern: id)) }
        /// Each row's count of distinct families with its value, by `family` (0: no value or no family).
        @Sendable func distinct(_ value: (MatchFeatures) -> UInt64?, _ family: (MatchFeatures) -> UInt64?) -> [Int32] {
            var entries: [(high: UInt64, low: UInt64)] = []
            entries.reserveCapacity(rows.count)
            for (i, r) in rows.enumerated() {
                if let v = value(r), let f = family(r) { entries.append((v, f << 32 | UInt64(i))) }
            }
            return Self.distinctFamilies(&entries, rows: rows.count)
        }
        let primary = { @Sendable (r: MatchFeatures) -> UInt64? in hash32(phones[Int(r.phoneStart)]) }
        let name = { @Sendable (r: MatchFeatures) -> UInt64? in r.name >= 0 ? id32(r.name) : nil }
        let building = { @Sendable (r: MatchFeatures) -> UInt64? in r.building >= 0 ? id32(r.building) : nil }
        // The five counts on every core: a number by guardians; a name by numbers and by buildings; a building
        // by numbers and by guardians (each way alone counts a family twice when it changed that part).
        let counts = ParallelMap.map(count: 5, chunk: 1) { k -> [Int32] in
            switch k {
            case 0: return distinct({ phones[Int($0.phoneStart)] }, name)
            case 1: return distinct(name, primary)
            case 2: return distinct(name, building)
            case 3: return distinct(building, primary)
            default: return distinct(building, name)
            }
        }
        func smaller(_ a: [Int32], _ b: [Int32]) -> [Int32] {
            zip(a, b).map { x, y in x == 0 ? y : y == 0 ? x : min(x, y) }
        }
        let nameLevels = Self.levels(smaller(counts[1], counts[2]))
        let buildingCounts = smaller(counts[3], counts[4])
        let buildingLevels = Self.levels(buildingCounts)
        for i in self.rows.indices {
            let k = counts[0][i]
            self.rows[i].phoneLevel = k <= 1 ? 0 : UInt8(min(3, Int(log2(Double(k)).rounded(.up))))
            self.rows[i].nameLevel = nameLevels[i]
            self.rows[i].buildingLevel = buildingLevels[i]
            self.rows[i].fewFamilies = buildingCounts[i] > 0 && buildingCounts[i] <= 3
        }
    }

    /// For (value, family key << 32 | row) entries: each row's count of distinct family keys with its value
    /// (0 for rows with no entry).
    private static func distinctFamilies(_ entries: inout [(high: UInt64, low: UInt64)], rows: Int) -> [Int32] {
        var count = [Int32](repeating: 0, count: rows)
        RadixSort.sort(&entries)
        var start = 0
        while start < entries.count {
            var end = start, k: Int32 = 0
            var previous: UInt64?
            while end < entries.count && entries[end].high == entries[start].high {
                let family = entries[end].low >> 32
                if family != previous { k += 1 }
                previous = family
                end += 1
            }
            for e in start..<end { count[Int(entries[e].low & 0xFFFF_FFFF)] = k }
            start = end
        }
        return count
    }

    /// Levels 0…3 from each row's count `k`: ⌊log₂(k / k̄)⌋, k̄ the mean count over rows with a value.
    private static func levels(_ counts: [Int32]) -> [UInt8] {
        let known = counts.filter { $0 > 0 }
        guard !known.isEmpty else { return [UInt8](repeating: 0, count: counts.count) }
        let mean = max(1, Double(known.reduce(0) { $0 + Int($1) }) / Double(known.count))
        return counts.map { k in k == 0 ? 0 : UInt8(max(0, min(3, log2(Double(k) / mean).rounded(.down)))) }
    }

    /// A digit string as a number: value × 32 + length (the length keeps leading zeros apart),
    /// with no string to hash; longer strings than fit (none after phone validation) are interned,
    /// marked by the top bit.
    mutating func code<S: StringProtocol>(_ digits: S) -> UInt64 {
        DigitCode.of(digits) ?? 1 << 63 | UInt64(UInt32(bitPattern: strings.id(String(digits))))
    }

    /// `code(digits)` and `code(digits.suffix(8))` in one pass over the number's UTF-8 bytes: the generic
    /// path (and the `Substring`) cost a fifth of building the table. Text other than 0-17 ASCII digits
    /// goes that path still (the last 8 characters are the last 8 bytes only when all are digits).
    mutating func phoneCodes(_ digits: String) -> (phone: UInt64, last8: UInt64) {
        let fast: (phone: UInt64, last8: UInt64)? = digits.readingUTF8 { bytes in
            guard bytes.count <= 17 else { return nil }
            let tailStart = max(0, bytes.count - 8)
            var value: UInt64 = 0, tail: UInt64 = 0
            for i in 0..<bytes.count {
                let digit = bytes[i] &- 0x30
                guard digit < 10 else { return nil }
                value = value * 10 + UInt64(digit)
                if i >= tailStart { tail = tail * 10 + UInt64(digit) }
            }
            return (value << 5 | UInt64(bytes.count), tail << 5 | UInt64(bytes.count - tailStart))
        }
        return fast ?? (code(digits), code(digits.suffix(8)))
    }

    func digits(_ code: UInt64) -> String {
        if code >> 63 == 1 { return strings.strings[Int(UInt32(truncatingIfNeeded: code))] }
        let text = String(code >> 5)
        return String(repeating: "0", count: max(0, Int(code & 31) - text.count)) + text
    }

    /// The key string a `BlockKey` stands for (for reports and their order).
    func text(_ k: BlockKey) -> String {
        switch k.tag {
        case .phone: return "p|" + digits(k.code)
        case .last8: return "p8|" + digits(k.code)
        case .name: return "n|\(strings.strings[Int(k.a)])|\(strings.strings[Int(k.b)])"
        case .address: return "a|\(strings.strings[Int(k.a)])|\(strings.strings[Int(k.b)])"
        case .child: return "c|\(strings.strings[Int(k.a)])|\(LocalDate(daysSinceEpoch: Int(k.b) - BlockKey.birthOffset).iso)"
        case .whole: return strings.strings[Int(k.a)]
        }
    }
}

/// Scores a pair of submissions with `MatchWeights`.
struct PairScorer: Sendable {
    var weights: MatchWeights

    func compare(_ i: Int, _ j: Int, _ t: MatchFeatureTable) -> PairEvidence {
        withPools(t) { compare(i, j, $0) }
    }

    /// The feature pools as raw buffers, for the pair loop.
    struct Pools {
        var rows: UnsafeBufferPointer<MatchFeatures>
        var phones: UnsafeBufferPointer<UInt64>
        var last8: UnsafeBufferPointer<UInt64>
        var jamo: UnsafeBufferPointer<UInt16>
        var children: UnsafeBufferPointer<MatchFeatures.Child>
    }

    func withPools<R>(_ t: MatchFeatureTable, _ body: (Pools) -> R) -> R {
        t.phones.withUnsafeBufferPointer { phones in
            t.last8.withUnsafeBufferPointer { last8 in
                t.jamo.withUnsafeBufferPointer { jamo in
                    t.children.withUnsafeBufferPointer { children in
                        t.rows.withUnsafeBufferPointer { rows in
                            body(Pools(rows: rows, phones: phones, last8: last8, jamo: jamo, children: children))
                        }
                    }
                }
            }
        }
    }

    func compare(_ i: Int, _ j: Int, _ p: Pools) -> PairEvidence {
        let fields = Self.fields(i, j, p)
        return PairEvidence(a: i, b: j, score: Self.score(fields, weights), packed: fields)
    }

    /// The field agreements of a pair, without its score: `ComparedPairs` keeps only these (a pair's
    /// score is looked up from them), so the pair loop does not add up weights it throws away.
    static func fields(_ i: Int, _ j: Int, _ p: Pools) -> PairEvidence.Fields {
        // Rows and pools read without bounds checks: the table's ranges are in bounds by construction.
        let x = p.rows.baseAddress![i], y = p.rows.baseAddress![j]
        var fields = PairEvidence.Fields()

        // The primary number in common is the strongest evidence; a shared second number
        // (a grandparent's or a home landline given by two families) counts as similar only.
        let phones = p.phones.baseAddress!
        let xp = UnsafeBufferPointer(start: phones + Int(x.phoneStart), count: Int(x.phoneCount))
        let yp = UnsafeBufferPointer(start: phones + Int(y.phoneStart), count: Int(y.phoneCount))
        if xp[0] == yp[0] || contains(yp, xp[0]) || contains(xp, yp[0]) {
            fields.set(.phone, .same)
            fields.phoneLevel = max(x.phoneLevel, y.phoneLevel)
        } else if (xp.count > 1 && yp.count > 1 && xp.contains(where: { contains(yp, $0) })) || shareAny(p.last8, x, y)
                    || oneDigitApart(xp[0], yp[0]) {
            // (One digit apart: a mistyped number, `010-9232-8938` / `010-9232-0938`.)
            // (With one number on either side, a shared number would be a primary one, handled above.)
            fields.set(.phone, .similar)
        } else {
            fields.set(.phone, .different)
        }

        if x.jamoCount > 0 && y.jamoCount > 0 {
            // One interned name is one jamo sequence, whose similarity with itself is 1.
            let similarity = x.name >= 0 && x.name == y.name ? 1 : NameSimilarity.score(
                UnsafeBufferPointer(start: p.jamo.baseAddress! + Int(x.jamoStart), count: Int(x.jamoCount)),
                UnsafeBufferPointer(start: p.jamo.baseAddress! + Int(y.jamoStart), count: Int(y.jamoCount)))
            if similarity >= 0.999 {
                fields.set(.guardianName, .same)
                fields.nameLevel = max(x.nameLevel, y.nameLevel)
            } else if similarity >= 0.8 {
                fields.set(.guardianName, .similar)
            } else {
                fields.set(.guardianName, .different)
            }
        }

        if x.sigungu >= 0, y.sigungu >= 0, x.sigungu != y.sigungu {
            fields.set(.sigungu, .different)
        }
        if x.building >= 0, y.building >= 0, x.buildingKind != y.buildingKind {
            // A road address and a 지번 address cannot be compared without a road-name database:
            // only the unit (동/호) speaks.
            if x.unit >= 0, y.unit >= 0 {
                fields.set(.address, x.unit == y.unit ? .similar : .different)
            } else if x.area >= 0, y.area >= 0 {
                // The same 읍면동 is about as close as the two can be compared; another one is another home.
                fields.set(.address, x.area == y.area ? .similar : .different)
            }
        } else if x.building >= 0, y.building >= 0 {
            if x.building == y.building {
                fields.buildingLevel = max(x.buildingLevel, y.buildingLevel)
                if x.unit >= 0, y.unit >= 0, x.unit != y.unit {
                    // Another unit of the building is another home (units compare as `UnitKey`s).
                    fields.set(.address, .different)
                } else if x.unit >= 0 && y.unit >= 0 {
                    fields.set(.address, .same)
                } else if x.unit < 0 && y.unit < 0 && x.fewFamilies {
                    fields.set(.address, .same)  // a house few families give
                } else {
                    fields.set(.address, .similar)
                }
            } else {
                fields.set(.address, .different)
            }
        }

        if x.childCount > 0 && y.childCount > 0 {
            let children = p.children.baseAddress!
            switch sharedChild(UnsafeBufferPointer(start: children + Int(x.childStart), count: Int(x.childCount)),
                               UnsafeBufferPointer(start: children + Int(y.childStart), count: Int(y.childCount))) {
            case .same?:
                fields.set(.child, .same)
            case .similar?:
                fields.set(.child, .similar)
            default:
                break
            }
        }
        return fields
    }

    /// Two numbers of the same length (`DigitCode`s) that differ in exactly one digit.
    static func oneDigitApart(_ a: UInt64, _ b: UInt64) -> Bool {
        guard a != b, a >> 63 == 0, b >> 63 == 0, a & 31 == b & 31, a & 31 >= 8 else { return false }
        // One digit apart: the values differ by k·10^p, k in 1…9 (most pairs stop at the first remainder).
        var d = a > b ? (a >> 5) - (b >> 5) : (b >> 5) - (a >> 5)
        while d % 10 == 0 { d /= 10 }
        guard d < 10 else { return false }
        // …and the digit that differs is the only one: k·10^p changes one digit unless it carries.
        var x = a >> 5, y = b >> 5, differing = 0
        while x > 0 || y > 0 {
            if x % 10 != y % 10 { differing += 1 }
            x /= 10
            y /= 10
        }
        return differing == 1
    }

    @inline(__always) private static func contains(_ numbers: UnsafeBufferPointer<UInt64>, _ n: UInt64) -> Bool {
        for k in 0..<numbers.count where numbers[k] == n { return true }
        return false
    }

    /// The score of a pair from its field agreements: the weights added in the order `compare` adds them.
    static func score(_ f: PairEvidence.Fields, _ w: MatchWeights) -> Double {
        var score = 0.0
        switch f.get(.phone) {
        case .same?: score += max(0, w.phoneSame - 3 * Double(f.phoneLevel))
        case .similar?: score += w.phoneSimilar
        case .different?: if !f.sameHomeAndPeople { score += w.phoneDifferent }
        case nil: break
        }
        switch f.get(.guardianName) {
        case .same?: score += max(0, w.nameSame - Double(f.nameLevel))
        case .similar?: score += w.nameSimilar
        case .different?: score += w.nameDifferent
        case nil: break
        }
        if f.get(.sigungu) == .different { score += w.sigunguDifferent }
        switch f.get(.address) {
        case .same?: score += w.addressSame
        case .similar?: score += max(0, w.addressSimilar - Double(f.buildingLevel))
        case .different?: score += w.addressDifferent
        case nil: break
        }
        switch f.get(.child) {
        case .same?: score += w.childSame
        case .similar?: score += w.childSimilar
        case .different?, nil: break
        }
        // A number in common alone never joins two homes: with the addresses different and no child in
        // common, the pair is at most for a person to look at.
        // In another 시군구 as well, a person would not look twice.
        if f.numberWithoutHome {
            score = min(score, f.get(.sigungu) == .different ? w.reviewThreshold - 0.5 : w.mergeThreshold - 1)
        }
        return score
    }

    @inline(__always) private static func shareAny(_ last8: UnsafeBufferPointer<UInt64>, _ x: MatchFeatures, _ y: MatchFeatures) -> Bool {
        let tails = last8.baseAddress!
        for k in Int(x.phoneStart)..<Int(x.phoneStart + x.phoneCount) {
            for l in Int(y.phoneStart)..<Int(y.phoneStart + y.phoneCount) where tails[k] == tails[l] { return true }
        }
        return false
    }

    /// A child in both: `.same` when the given name (with or without surname) and the birth date match,
    /// `.similar` when the name matches and what is known of age and grade agrees.
    static func sharedChild(_ a: UnsafeBufferPointer<MatchFeatures.Child>, _ b: UnsafeBufferPointer<MatchFeatures.Child>) -> PairEvidence.Agreement? {
        var best: PairEvidence.Agreement?
        for c in a {
            for d in b where c.given == d.given && (c.surname < 0 || d.surname < 0 || c.surname == d.surname) {
                if let x = c.birth, let y = d.birth {
                    if x == y { return .same }
                    continue
                }
                if let x = c.age, let y = d.age, abs(x - y) > 1 { continue }
                if let x = c.grade, let y = d.grade, x != y { continue }
                best = .similar
            }
        }
        return best
    }
}

/// A unit (동/호/층) as a key that does not depend on how it was written: its runs of digits (without
/// leading zeros) and lone Latin letters, in order, joined by `-` (`111-201`, `111동 201호`, `111동201호`,
/// `(온양자이) 111동 201호` → `111-201`; `B동 203호` → `B-203`). Letters glued to a name (`아산실옥LH`,
/// `용화e편한세상`) and whatever is in brackets are not part of it. Nil when the text has no digit.
enum UnitKey {
    static func of(_ text: String) -> String? {
        var key: [UInt8] = []
        return append(text, to: &key) ? String(decoding: key, as: UTF8.self) : nil
    }

    /// Appends the key's UTF-8 bytes to `key`; false, leaving `key` as it was, when the text has no digit.
    static func append(_ text: String, to key: inout [UInt8]) -> Bool {
        let base = key.count
        var sawDigit = false, brackets = 0, inName = false, afterSyllable = false
        var tokenStart = -1, separatorAt = -1, tokenIsDigit = false
        func close() {
            guard tokenStart >= 0 else { return }
            if !tokenIsDigit && key.count - tokenStart > 1 {
                key.removeSubrange((separatorAt >= 0 ? separatorAt : tokenStart)...)
            } else if tokenIsDigit {
                var zeros = 0
                while tokenStart + zeros < key.count - 1 && key[tokenStart + zeros] == UInt8(ascii: "0") { zeros += 1 }
                if zeros > 0 { key.removeSubrange(tokenStart..<(tokenStart + zeros)) }
            }
            tokenStart = -1
        }
        func open(digit: Bool) {
            if tokenStart >= 0 && tokenIsDigit != digit { close() }
            guard tokenStart < 0 else { return }
            separatorAt = -1
            if key.count > base {
                separatorAt = key.count
                key.append(UInt8(ascii: "-"))
            }
            tokenStart = key.count
            tokenIsDigit = digit
        }
        for byte in text.utf8 {
            switch byte {
            case 0x30...0x39:
                inName = false
                afterSyllable = false
                if brackets > 0 { close(); continue }
                open(digit: true)
                key.append(byte)
                sawDigit = true
            case 0x41...0x5A, 0x61...0x7A:
                if tokenStart < 0 && afterSyllable { inName = true }
                afterSyllable = false
                if inName || brackets > 0 { close(); continue }
                open(digit: false)
                key.append(byte & ~0x20)
            case 0x80...0xBF:
                continue  // inside a multi-byte character
            default:
                close()
                inName = false
                // Hangul syllables (U+AC00-U+D7A3) start with 0xEA-0xED.
                afterSyllable = byte >= 0xEA && byte <= 0xED
                if byte == UInt8(ascii: "(") || byte == UInt8(ascii: "[") { brackets += 1 }
                if byte == UInt8(ascii: ")") || byte == UInt8(ascii: "]") { brackets = max(0, brackets - 1) }
            }
        }
        close()
        if !sawDigit { key.removeSubrange(base...) }
        if sawDigit { dropImpliedFloor(text, key: &key, from: base) }
        return sawDigit
    }

    /// `2층 203호` is room 203 (`203호`, `2층 203호` and `상가 2층 203호` are one unit): a floor written
    /// right before a room whose number starts with it says nothing more. Only a number followed by `층`
    /// is a floor (`11동 1101호` keeps its 동).
    static func dropImpliedFloor(_ text: String, key: inout [UInt8], from base: Int) {
        let tokens = key[base...].split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        guard tokens.count >= 2, text.contains("층") else { return }
        for t in 0..<(tokens.count - 1) {
            let floor = tokens[t], room = tokens[t + 1]
            guard floor.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), room.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  room.count >= floor.count + 2, room.starts(with: floor),
                  isFloor(String(decoding: floor, as: UTF8.self), in: text) else { continue }
            var kept = tokens
            kept.remove(at: t)
            key.replaceSubrange(base..., with: Array(kept.joined(separator: [UInt8(ascii: "-")])))
            return
        }
    }

    /// Whether `number` is written followed by `층` (spaces between allowed) and not inside a longer number.
    static func isFloor(_ number: String, in text: String) -> Bool {
        var rest = Substring(text)
        while let r = rest.range(of: number) {
            let before = rest[..<r.lowerBound].last
            let after = rest[r.upperBound...].drop { $0 == " " }.first
            if !(before?.isASCII == true && before!.isNumber), after == "층" { return true }
            rest = rest[r.upperBound...]
        }
        return false
    }
}
