import Testing

@testable import DolbomNormalize

/// Length caps of cells, and the rules the address parser answers differently for long words
/// (from what it knows of a word's tail) agreeing with the rules as written.
@Suite("Hostile input")
struct HostileInputTests {
    static let asOf = LocalDate(year: 2024, month: 7, day: 15)!

    /// A cell of `count` characters: `head`, then `가` up to the count.
    static func long(_ head: String, _ count: Int) -> String {
        head + String(repeating: "가", count: count - head.unicodeScalars.count)
    }

    @Test func capsAreFatalIssuesWithoutAValue() {
        let address = AddressNormalizer()
        let ok = address.normalize(Self.long("충청남도 아산시 번영로 15 ", AddressNormalizer.maxCharacters))
        #expect(ok.value != nil && !ok.issues.contains { $0.code == "address_too_long" })
        let over = address.normalize(Self.long("충청남도 아산시 번영로 15 ", AddressNormalizer.maxCharacters + 1))
        #expect(over.value == nil && over.issues.map(\.code) == ["address_too_long"] && over.isFatal)
        // Counted in characters, not bytes: 500 syllables are 1,500 bytes.
        #expect(
            address.normalize(String(repeating: "가", count: 500)).issues.allSatisfy { $0.code != "address_too_long" })

        func tooLong<T>(_ r: Normalized<T>, _ code: String) {
            #expect(r.value == nil && r.issues.map(\.code) == [code] && r.isFatal, "\(r.issues)")
            #expect(issuesAreWellFormed(r))
        }
        #expect(PhoneNormalizer.normalize("010-1234-5678" + String(repeating: " ", count: 187)).value != nil)
        tooLong(PhoneNormalizer.normalize("010-1234-5678" + String(repeating: " ", count: 188)), "phone_too_long")
        #expect(NameNormalizer.normalize(Self.long("김민준 ", 100)).issues.allSatisfy { $0.code != "name_too_long" })
        tooLong(NameNormalizer.normalize(Self.long("김민준 ", 101)), "name_too_long")
        tooLong(
            TimestampNormalizer.normalize("2024-07-01 10:03" + String(repeating: " ", count: 85)), "timestamp_too_long")
        let ages = ChildAgeNormalizer(asOf: Self.asOf)
        tooLong(ages.normalize("2017-03-05" + String(repeating: " ", count: 91)), "age_too_long")
        tooLong(ages.normalize(birth: String(repeating: "1", count: 101), age: nil, grade: nil), "age_too_long")
        // Another column that can be read decides; the long one is reported and ignored.
        let mixed = ages.normalize(birth: String(repeating: "1", count: 101), age: "7세", grade: nil)
        #expect(mixed.value?.age == 7 && mixed.issues.map(\.code).contains("age_column_ignored"))
        tooLong(AddressNormalizer(maxCharacters: 10).normalize("충청남도 아산시 번영로 15"), "address_too_long")
    }

    // MARK: - Long words

    /// A deterministic generator (SplitMix64).
    struct Generator {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(n))
        }
    }

    /// Words made of what the rules look at: names, place and road endings, digits, dashes, dots.
    static func words(count: Int, seed: UInt64) -> [String] {
        let pieces = [
            "아산시", "가", "동", "리", "읍", "면", "로", "길", "1", "23", "-", "·", ".", "A", "서울", "번영", "123456", "0",
        ]
        let endings = [
            "", "동", "리", "로", "길", "로15", "길3-1", "가", "1가", "로1234567890123", "로-1", "로12345-12345", "로123456",
        ]
        var g = Generator(state: seed)
        return (0..<count).map { _ in
            var w = ""
            let n = 1 + g.next(60)
            for _ in 0..<n { w += pieces[g.next(pieces.count)] }
            return w + endings[g.next(endings.count)]
        }
    }

    /// The parser's long-word answers for every rest of a word (as the walk asks them: each rest
    /// after the last, and again from the start) equal the `AddressScan` rules on the rest's bytes.
    @Test func longWordRulesAgreeWithTheScanRules() {
        for (k, word) in Self.words(count: 400, seed: 22).enumerated() {
            var parser = AddressParser(gazetteer: .builtIn)
            parser.text = AddressText(capacity: 16)
            // Another word before it: the runs read back must stop at the word's start.
            let before = k % 2 == 0 ? "가나1" : "·1"
            before.withUTF8Span { parser.text.append($0) }
            let start = parser.text.count
            word.withUTF8Span { parser.text.append($0) }
            let end = parser.text.count
            var starts: [Int] = []
            var p = start
            while p < end {
                starts.append(p)
                p += parser.text[p..<end].scalar(at: 0).length
            }
            for s in starts + starts.reversed() {
                let r = s..<end
                // The scan rules read a copy of the text (the parser's own answers change its memos).
                let words = parser.text
                let u = words[r]
                let (isRi, isEupMyeonDong, roadEnd) = (
                    AddressScan.isRi(u), AddressScan.isEupMyeonDong(u), AddressScan.roadEnd(u)
                )
                let (referenceRoadEnd, isHangulWord) = (
                    Self.referenceRoadEnd(u), AddressScan.isHangulWord(u, atLeast: 0)
                )
                #expect(parser.isRi(r) == isRi, "isRi \(word) from \(s - start)")
                #expect(parser.isEupMyeonDong(r) == isEupMyeonDong, "isEupMyeonDong \(word) from \(s - start)")
                #expect(parser.roadEnd(r) == roadEnd, "roadEnd \(word) from \(s - start)")
                #expect(parser.roadEnd(r) == referenceRoadEnd, "roadEnd (as written before) \(word) from \(s - start)")
                #expect(parser.isHangulWord(r) == isHangulWord, "isHangulWord \(word) from \(s - start)")
                #expect(
                    parser.splitGlued(r) == Self.referenceSplitGlued(parser, r), "splitGlued \(word) from \(s - start)")
            }
        }
    }

    /// `AddressScan.roadEnd` written plainly, reading the whole digit run and every name scalar.
    static func referenceRoadEnd(_ u: ScalarBytes) -> Int? {
        let b = u
        guard let first = u.first, let last = u.last else { return nil }
        guard
            AddressScan.isHangul(first)
                || (AddressScan.isDigit(first)
                    && (AddressScan.hasMiddleDot(u) || b.contains(0x2E) || AddressScan.isDigitLedRoadName(u)))
        else { return nil }
        var end = u.count
        if !(last == .v("로") || last == .v("길")) {
            var j = u.count
            while j > 0, (b[j - 1] >= 0x30 && b[j - 1] <= 0x39) || b[j - 1] == 0x2D { j -= 1 }
            guard j < u.count, j > 0 else { return nil }
            let before = u.scalar(at: u.start(before: j)).value
            guard before == .v("로") || before == .v("길"), referenceIsNumber(u, j, u.count) else { return nil }
            end = j
        }
        guard let n = AddressScan.nameLength(u, 0, end), n >= 2 else { return nil }
        return end
    }

    static func referenceIsNumber(_ w: ScalarBytes, _ from: Int, _ to: Int) -> Bool {
        var digits = 0
        var dashes = 0
        var afterDash = 0
        for i in from..<to {
            let c = w[i]
            if c >= 0x30 && c <= 0x39 {
                if dashes == 0 { digits += 1 } else { afterDash += 1 }
            } else if c == 0x2D && dashes == 0 && digits > 0 {
                dashes = 1
            } else {
                return false
            }
        }
        return digits >= 1 && digits <= 5 && (dashes == 0 || (afterDash >= 1 && afterDash <= 5))
    }

    /// `splitGlued` as it was: every head from the longest, each looked up.
    static func referenceSplitGlued(_ parser: AddressParser, _ w: Range<Int>) -> Int? {
        let u = parser.text[w]
        let g = parser.g
        let scalars = u.scalarCount(0, u.count)
        guard scalars >= 4 else { return nil }
        var k = scalars - 2
        var end = u.start(before: u.start(before: u.count))
        while k >= 2 {
            let head = u.extracting(0..<end)
            if g.sidoAliases[bytes: head] != nil { return w.lowerBound + end }
            let last = u.scalar(at: u.start(before: end)).value
            if last == .v("시") || last == .v("군") || last == .v("구") {
                if g.sigunguKeys[bytes: head] != nil || u.extracting(0..<end).equals("광주시") {
                    return w.lowerBound + end
                }
            }
            end = u.start(before: end)
            k -= 1
        }
        return nil
    }

    /// Glued names split as before, whatever follows them.
    @Test(arguments: [
        "서울특별시서초구", "아산시배방읍", "충청남도아산시배방읍장재리", "천안시서북구불당동", "광주시오포읍", "세종특별자치시조치원읍",
        "경기도광주시", "창원시마산합포구", "서울서초구", "아산시아산시아산시아산시", "가나다라마바사", "아산", "아산시",
    ])
    func gluedNamesSplitAsBefore(_ word: String) {
        var parser = AddressParser(gazetteer: .builtIn)
        parser.text = AddressText(capacity: 16)
        word.withUTF8Span { parser.text.append($0) }
        let r = 0..<parser.text.count
        #expect(parser.splitGlued(r) == Self.referenceSplitGlued(parser, r))
    }
}
