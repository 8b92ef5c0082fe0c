import DolbomNormalize
import DolbomRuntime
import Foundation

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
        enum Tag: UInt8 {
            case phone = 1
            case last8, name, address, child, whole
        }
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
            self.init(
                tag: tag, a: Int32(bitPattern: UInt32(truncatingIfNeeded: code >> 32)),
                b: Int32(bitPattern: UInt32(truncatingIfNeeded: code)))
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
        self.init(
            joining: ParallelMap.map(count: parts, chunk: 1) { p in
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
        // Each submission is lent (`borrowing`), not copied with its dozen references.
        for i in range { add(submissions[i]) }
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
        let phoneStart = starts { $0.phones.count }
        let jamoStart = starts { $0.jamo.count }
        let childStart = starts { $0.children.count }
        let keyStart = starts { $0.blockKeys.count }
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
        for (p, t) in tables.enumerated() {
            blockKeyStart.append(contentsOf: t.blockKeyStart.dropFirst().lazy.map { $0 + keyStart[p] })
        }
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

    private mutating func add(_ s: borrowing Submission) {
        let phoneStart = Int32(phones.count)
        func addPhone(_ digits: String) {
            let (phone, tail) = phoneCodes(digits)
            phones.append(phone)
            last8.append(tail)
            blockKeys.append(BlockKey(tag: .phone, code: phone))
            blockKeys.append(BlockKey(tag: .last8, code: tail))
        }
        addPhone(s.phones.primary.digits)
        for other in s.phones.others { addPhone(other.digits) }
        let jamoStart = Int32(jamo.count)
        var name: Int32 = -1
        // 세종 has no 시군구: the 시도 stands in its place.
        let sigunguText =
            s.address?.sigunguCode ?? s.address?.sigungu
            ?? (s.address?.sido == "세종특별자치시" ? "세종특별자치시" : nil)
        let sigungu = sigunguText.map { strings.id($0) }  // once: the name key and the features both use it
        if let written = s.guardianName?.name {
            let n = Self.matchingName(written)
            name = strings.id(n)
            NameSimilarity.appendJamo(n, to: &jamo)
            let sigunguKey = sigunguText ?? ""
            blockKeys.append(
                Self.holdsSeparator(sigunguKey)
                    ? BlockKey(tag: .whole, a: strings.id("n|\(n)|\(sigunguKey)"), b: 0)
                    : BlockKey(tag: .name, a: name, b: sigungu ?? strings.id(sigunguKey)))
        }
        var building: Int32 = -1
        var kind: UInt8 = 0
        var unit: Int32 = -1
        var area: Int32 = -1
        if let a = s.address {
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
                    blockKeys.append(
                        Self.holdsSeparator(detail)
                            ? BlockKey(tag: .whole, a: strings.id("a|\(buildingText)|\(detail)"), b: 0)
                            : BlockKey(tag: .address, a: building, b: unit))
                }
            }
        }
        let childStart = Int32(children.count)
        for c in s.children {
            guard let childName = c.name?.name else { continue }
            // The given name interned from the name's own bytes when they hold it (no `String` made per child).
            var surname: Int32 = -1
            let given =
                childName.withUTF8Span({ NameSimilarity.givenNameBytes($0) }).map { range in
                    if range.lowerBound > 0 { surname = strings.id(childName, utf8: 0..<range.lowerBound) }
                    return strings.id(childName, utf8: range)
                } ?? strings.id(NameSimilarity.givenName(childName))
            children.append(
                MatchFeatures.Child(
                    given: given, surname: surname, birth: c.age?.birthDate, age: c.age?.age,
                    grade: c.age?.schoolGrade))
            if let birth = c.age?.birthDate {
                // The date's text has no `|`, so (given, date) is as distinct as the key string.
                blockKeys.append(BlockKey(tag: .child, a: given, b: Int32(birth.daysSinceEpoch + BlockKey.birthOffset)))
            }
        }
        blockKeyStart.append(Int32(blockKeys.count))
        rows.append(
            MatchFeatures(
                phoneStart: phoneStart, phoneCount: Int32(phones.count) - phoneStart, name: name,
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
        let rows = self.rows
        let phones = self.phones
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
            var end = start
            var k: Int32 = 0
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
            var value: UInt64 = 0
            var tail: UInt64 = 0
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
        case .child:
            return "c|\(strings.strings[Int(k.a)])|\(LocalDate(daysSinceEpoch: Int(k.b) - BlockKey.birthOffset).iso)"
        case .whole: return strings.strings[Int(k.a)]
        }
    }
}
