import DolbomNormalize
import DolbomRuntime
import Foundation
import Testing

@testable import DolbomCore

@Suite("Resolve: households from submissions")
struct ResolveTests {
    /// Households come out in applicant-id order (String order, also for short, long and non-ASCII ids), and a
    /// taken id goes to the household with the earliest submission; the other gets one of its own.
    @Test func idsAreUniqueAndInStringOrder() {
        let phone = PhoneNumber(digits: "01012345678", kind: .mobile)
        func household(_ id: String, _ row: Int, _ time: String?) -> Household {
            Household(
                applicantID: id, guardianName: nil, phones: [phone], address: nil, children: [], careTypes: [],
                contactWindow: nil,
                flags: [], memos: [], firstSubmittedAt: time.flatMap(LocalDateTime.init(iso:)), lastSubmittedAt: nil,
                sources: [SourceRef(file: "a.csv", row: row)], extra: [], issues: [], mergeEvidence: [])
        }
        let ids = [
            "H-ABCDEFGHIJ", "H-ABCDEFGHIK", "H-ABCDEFGHI", "H-AB", "H-", "a", "B", "가나다", "H-ABCDEFGH가",
            "H-ABCDEFGHIJ-2", "Z",
        ]
        var households = ids.enumerated().map { household($0.element, $0.offset + 2, nil) }
        households.append(household("H-AB", 40, "2024-07-01T09:00:00+09:00"))  // a known time goes before none
        HouseholdResolver().assignIDs(&households)
        let result = households.map(\.applicantID)
        #expect(result == result.sorted())
        #expect(Set(result).count == result.count)
        #expect(households.first { $0.applicantID == "H-AB" }!.sources[0].row == 40)
        // The later of two households with one natural id takes the first suffix not held.
        #expect(households.first { $0.sources[0].row == 5 }!.applicantID == "H-AB-2")
    }

    /// Halves sorted apart and merged are the one sort, for any sizes (odd, one element, split or not).
    @Test(arguments: [0, 1, 2, 3, 17, 1000])
    func sortedInHalvesIsOneSort(count: Int) {
        let keys = (0..<count).map { _ in UInt64.random(in: 0...UInt64.max) }
        let items = Array((0..<count).reversed())
        let expected = items.sorted { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1 }
        #expect(
            ApplicantIDRule.sortedInHalves(items, minimumToSplit: 2) {
                keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1
            } == expected)
    }

    /// Blocking sorts its keys with a radix sort: the same order as `sort()`, for any bits and sizes.
    @Test(arguments: [0, 1, 5000, 70_000], [0xFFFF, 0xFFFF_FFFF, 0xFFFF_0000_FFFF, 0x7_0000_0000_0000, UInt64.max])
    func radixSortOrdersLikeSort(count: Int, mask: UInt64) {
        var random = SystemRandomNumberGenerator()
        var keys = (0..<count).map { _ in UInt64.random(in: 0...UInt64.max, using: &random) & mask }
        keys += keys.prefix(count / 3)  // duplicates
        var expected = keys
        expected.sort()
        RadixSort.sort(&keys)
        #expect(keys == expected)

        var entries = keys.map { (high: $0 >> 7, low: ~$0 & mask) }
        var expectedEntries = entries
        expectedEntries.sort { $0.high != $1.high ? $0.high < $1.high : $0.low < $1.low }
        RadixSort.sort(&entries)
        #expect(entries.map(\.high) == expectedEntries.map(\.high) && entries.map(\.low) == expectedEntries.map(\.low))

        // A digit that is zero for all keys but a few (a pass with one digit for every key is skipped; this one is not).
        var sparse = keys.enumerated().map {
            $0.element & 0xFFFF | ($0.offset % 97 == 1 ? $0.element & 0xFFFF_0000 : 0)
        }
        let expectedSparse = sparse.sorted()
        RadixSort.sort(&sparse)
        #expect(sparse == expectedSparse)
        var sparseEntries = sparse.reversed().map { (high: $0 >> 16, low: $0) }
        let expectedSparseEntries = sparseEntries.sorted { $0.high != $1.high ? $0.high < $1.high : $0.low < $1.low }
        RadixSort.sort(&sparseEntries)
        #expect(
            sparseEntries.map(\.high) == expectedSparseEntries.map(\.high)
                && sparseEntries.map(\.low) == expectedSparseEntries.map(\.low))
    }

    @Test(arguments: [
        ("김민준", "김민준", 1.0),
        ("김민준", "김민쥰", 8.0 / 9.0),  // one vowel of nine jamo
        ("김민준", "김민주", 8.0 / 9.0),  // a dropped final consonant
        ("박서연", "박서영", 7.0 / 8.0),
        ("Nguyen Thi Lan", "NGUYEN THI LAN", 1.0),
        ("김민준", "이서연", 2.0 / 9.0),
    ])
    func jamoSimilarity(a: String, b: String, expected: Double) {
        #expect(abs(NameSimilarity.score(a, b) - expected) < 0.01)
    }

    /// The bit-parallel edit distance is the table's, for random sequences over small alphabets (many equal
    /// letters), of every length from empty to 64 and past it.
    @Test func bitParallelDistanceMatchesTheTable() {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            let alphabet = UInt16.random(in: 1...6, using: &random)
            let a = (0..<Int.random(in: 0...66, using: &random)).map { _ in
                0x1100 + UInt16.random(in: 0..<alphabet, using: &random)
            }
            let b = (0..<Int.random(in: 0...70, using: &random)).map { _ in
                0x1100 + UInt16.random(in: 0..<alphabet, using: &random)
            }
            let expected = NameSimilarity.tableDistance(a.span, b.span)
            if a.count <= 64 {
                let fast = NameSimilarity.bitParallelDistance(a.span, b.span)
                #expect(fast == expected, "\(a) \(b)")
            }
            let mirrored = NameSimilarity.tableDistance(b.span, a.span)
            #expect(expected == mirrored)
        }
    }

    @Test(arguments: [("안하은", "하은"), ("남궁민수", "민수"), ("하은", "하은"), ("Lan", "Lan")])
    func givenNames(full: String, given: String) {
        #expect(NameSimilarity.givenName(full) == given)
    }

    /// Names for the byte fast paths: syllable names of every length, double surnames, Latin, mixed, and text
    /// in other forms (conjoining jamo, combining accents) that only the general path may judge.
    static let fastPathNames = [
        "안하은", "하은", "은", "", "남궁민수", "남궁민", "제갈공명", "선우정아", "황보", "김남궁민", "가나다라마",
        "Lan", "lan", "김a하은", "a하은", "하은a", "김하은e\u{301}", "김하\u{110B}\u{1173}\u{11AB}",
        "\u{1100}\u{1161}\u{11A8}하은", "각하은", "e\u{301}", "\u{E9}", "안  하은", "이하은", "박하 은",
    ]

    /// The given name read from a syllable name's bytes is `givenName`'s, and the byte comparisons of names and
    /// given names say what `==` on the strings says (canonical equivalence), for every pair.
    @Test func nameByteFastPathsMatchTheStringPaths() {
        for x in Self.fastPathNames {
            let fast = x.withUTF8Span { utf8 in NameSimilarity.givenNameBytes(utf8).map { utf8.string($0) } }
            if let fast { #expect(fast == NameSimilarity.givenName(x), "\(x)") }
            for y in Self.fastPathNames {
                #expect(
                    NameSimilarity.sameGivenName(x, y) == (NameSimilarity.givenName(x) == NameSimilarity.givenName(y)),
                    "\(x) \(y)")
                #expect(NameSimilarity.equalText(x, y) == (x == y), "\(x) \(y)")
            }
        }
        #expect(NameSimilarity.equalText("\u{1100}\u{1161}\u{11A8}하은", "각하은"))  // decomposed and precomposed: one text
        // Jamo read from bytes are the scalar path's, for the names and every ASCII character around a syllable.
        let ascii = (0..<128).map { "김" + String(UnicodeScalar(UInt8($0))) + "A하z" }
        for name in Self.fastPathNames + ascii + ["Nguyen Thi-Lan", "O.K. Kim", "tab\tname", "NBSP\u{A0}x"] {
            var fast: [UInt16] = []
            var general: [UInt16] = []
            NameSimilarity.appendJamo(name, to: &fast)
            NameSimilarity.appendJamoOfScalars(name, to: &general)
            #expect(fast == general, "\(name.debugDescription)")
        }
    }

    /// Ids ordered and told apart by their first sixteen bytes and length, as `String` orders them: ids of
    /// every length around 8 and 16 bytes, prefixes of each other, NUL, non-ASCII and decomposed text.
    @Test func idPrefixOrdersLikeString() {
        var random = SystemRandomNumberGenerator()
        let pieces = ["H-", "A", "Z", "0", "-2", "-10", "\u{0}", "가", "\u{E9}", "e\u{301}", "H-ABCDEFGHIJ", "abcdefgh"]
        let ids =
            [""]
            + (0..<300).map { _ in
                (0..<Int.random(in: 1...4, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            }
        for a in ids {
            for b in ids {
                let expected = a == b ? 0 : a < b ? -1 : 1
                #expect(
                    IDPrefix.order(IDPrefix(a), a, IDPrefix(b), b) == expected,
                    "\(a.debugDescription) \(b.debugDescription)")
            }
        }
    }

    /// The pair loop's guardian-name agreement (equal name ids short-cut to the same name) is the one the jamo
    /// similarity gives, for every pair of rows with names that are equal, a typo apart, spaced or different.
    @Test func scorerNameAgreementMatchesJamoSimilarity() {
        let names = ["김민준", "김민쥰", "김 민준", "이서연", "Nguyen Thi Lan", "NGUYEN THI LAN", "박|지호"]
        let rows = (0..<names.count * 2).map { i in
            submission(i + 2, name: names[i % names.count], phone: "010-1234-\(5600 + i)", address: home)
        }
        let table = MatchFeatureTable(rows, parts: 1)
        let scorer = PairScorer(weights: MatchWeights())
        for i in rows.indices {
            for j in rows.indices where i < j {
                let similarity = NameSimilarity.score(rows[i].guardianName!.name, rows[j].guardianName!.name)
                let expected: PairEvidence.Agreement =
                    similarity >= 0.999 ? .same : similarity >= 0.8 ? .similar : .different
                let fields = scorer.withPools(table) { PairScorer.fields(i, j, $0) }
                #expect(fields.get(.guardianName) == expected, "\(i) \(j)")
                #expect(scorer.compare(i, j, table).packed == fields)
            }
        }
    }

    /// A submission built the way the pipeline builds one, from form-like text.
    func submission(
        _ row: Int, name: String, phone: String, address: String, child: String? = nil, birth: String? = nil,
        at: String = "2024-07-01T10:00:00+09:00"
    ) -> Submission {
        let asOf = LocalDate(iso: "2024-07-15")!
        let children =
            child.map {
                [
                    ChildEntry(
                        name: NameNormalizer.normalize($0).value,
                        age: birth.flatMap { ChildAgeNormalizer(asOf: asOf).normalize($0).value }, ageText: birth ?? "")
                ]
            } ?? []
        var s = Submission(
            source: SourceRef(file: "t.csv", row: row), submittedAt: LocalDateTime(iso: at),
            guardianName: NameNormalizer.normalize(name).value, phones: PhoneNormalizer.normalize(phone).value!,
            address: AddressNormalizer().normalize(address).value, children: children, careTypes: [],
            contactWindow: nil,
            flags: [], memo: nil, extra: [], issues: [])
        s.identity = SubmissionIdentity(
            fingerprint: String(format: "%012d", row) + String(repeating: "0", count: 52), contentHash: "x")
        return s
    }

    let home = "충청남도 아산시 배방읍 배미로34번길 15, 109동 1804호"

    @Test func samePhoneIsOneHousehold() {
        let r = HouseholdResolver().resolution([
            submission(2, name: "김민준", phone: "010-1234-5678", address: home, child: "김하은", birth: "2017-03-05"),
            submission(3, name: "김 민준", phone: "01012345678", address: home, child: "김도윤", birth: "2015-01-02"),
        ])
        #expect(r.households.count == 1)
        #expect(r.households[0].children.map(\.name) == ["김도윤", "김하은"])  // siblings stay distinct, oldest first
        #expect(r.households[0].mergeEvidence.count == 1)
    }

    @Test func aCorrectedPhoneStillFindsTheFamily() {
        let r = HouseholdResolver().resolution([
            submission(2, name: "김나래", phone: "010-6883-8811", address: home, child: "김재윤", birth: "2018-02-03"),
            submission(
                3, name: "김나래(모)", phone: "010-9357-4504", address: home, child: "재윤", birth: "2018.2.3",
                at: "2024-07-02T10:00:00+09:00"),
        ])
        #expect(r.households.count == 1)
        // latest primary, all kept
        #expect(r.households[0].phones.map(\.formatted) == ["010-9357-4504", "010-6883-8811"])
        #expect(r.households[0].children.count == 1)  // 김재윤 and 재윤 are one child
    }

    @Test func twoFamiliesSharingAGuardianNameStayApart() {
        let r = HouseholdResolver().resolution([
            submission(2, name: "김지영", phone: "010-1111-2222", address: home, child: "박하준", birth: "2016-05-05"),
            submission(
                3, name: "김지영", phone: "010-3333-4444", address: "충청남도 아산시 온천대로 1459, 103동 1904호", child: "이서아",
                birth: "2019-09-09"),
        ])
        #expect(r.households.count == 2)
        #expect(r.review.isEmpty)
    }

    @Test func sameNameAndAddressWithAnotherPhoneGoesToReview() {
        let r = HouseholdResolver().resolution([
            submission(2, name: "최유나", phone: "010-1111-2222", address: home),
            submission(3, name: "최유나", phone: "010-3333-4444", address: home),
        ])
        #expect(r.households.count == 2)
        #expect(r.review.count == 1)
        #expect(
            r.review[0].score >= MatchWeights().reviewThreshold && r.review[0].score < MatchWeights().mergeThreshold)
    }

    @Test func staffDecisionsAreHonoured() {
        let rows = [
            submission(2, name: "최유나", phone: "010-1111-2222", address: home),
            submission(3, name: "최유나", phone: "010-3333-4444", address: home),
        ]
        let keys = rows.map(SubmissionKey.of)
        let same = HouseholdResolver(decisions: MergeDecisions(same: [.init(keys[0], keys[1])])).resolution(rows)
        #expect(same.households.count == 1)
        #expect(same.review.isEmpty)
        // "different" even against a shared phone.
        // (With a child in common too: a number two guardians give weighs less than a family's own.)
        let shared = [
            submission(2, name: "최유나", phone: "010-1111-2222", address: home, child: "이하람", birth: "2016-01-01"),
            submission(3, name: "정하늘", phone: "010-1111-2222", address: home, child: "이하람", birth: "2016-01-01"),
        ]
        let sharedKeys = shared.map(SubmissionKey.of)
        let apart = HouseholdResolver(decisions: MergeDecisions(different: [.init(sharedKeys[1], sharedKeys[0])]))
            .resolution(shared)
        #expect(apart.households.count == 2)
        #expect(apart.keptApartByDecision == 1)
    }

    @Test func aChainBetweenTwoFamiliesIsStoppedAndReviewed() {
        // Row 3 shares a phone with row 2 and, with another number, is the same person as row 4;
        // rows 2 and 4 share neither phone nor address: merging all three would chain two families.
        let r = HouseholdResolver().resolution([
            submission(2, name: "이수진", phone: "010-1111-2222", address: home, child: "이하람", birth: "2016-01-01"),
            submission(
                3, name: "이수진", phone: "010-1111-2222 / 010-5555-6666", address: "충청남도 아산시 온천대로 1459, 103동 1904호",
                child: "박지호", birth: "2014-04-04"),
            submission(
                4, name: "이수진", phone: "010-5555-6666", address: "충청남도 아산시 온천대로 1459, 103동 1904호", child: "박지호",
                birth: "2014-04-04"),
        ])
        // Rows 2 and 3 share a number but not a home and no child: that alone no longer merges them (the
        // chain guard need not step in); rows 3 and 4 are one family.
        #expect(r.households.count == 2)
        #expect(r.households.first { $0.sources.count == 2 }?.sources.map(\.row) == [3, 4])
        #expect(!r.review.isEmpty)
    }

    @Test func oversizedBlocksAreReportedNotCompared() {
        var resolver = HouseholdResolver()
        resolver.maxBlockSize = 3
        let rows = (0..<5).map { submission($0 + 2, name: "센터\($0)", phone: "041-555-1234", address: home) }
        let r = resolver.resolution(rows)
        #expect(r.oversizedBlocks.count >= 1)
    }

    /// The feature table built in parts (each with its own interner, joined after) is the table one pass
    /// builds: the same string ids, pools and block keys. Ids order the blocks, so they must match exactly.
    @Test(arguments: [2, 3, 7])
    func featureTableInPartsEqualsOnePass(parts: Int) {
        let rows = variedSubmissions()
        let serial = MatchFeatureTable(rows, parts: 1)
        let joined = MatchFeatureTable(rows, parts: parts)
        #expect(joined.strings.strings == serial.strings.strings)
        #expect(joined.rows == serial.rows)
        #expect(joined.phones == serial.phones && joined.last8 == serial.last8)
        #expect(joined.jamo == serial.jamo && joined.children == serial.children)
        #expect(joined.blockKeys == serial.blockKeys && joined.blockKeyStart == serial.blockKeyStart)
        // Children's given names (interned from the name's bytes when they are syllables) are `givenName`'s.
        let givens = rows.flatMap { $0.children.compactMap { $0.name.map { NameSimilarity.givenName($0.name) } } }
        #expect(serial.children.map { serial.strings.strings[Int($0.given)] } == givens)
        var interner = joined.strings
        for (i, text) in serial.strings.strings.enumerated() { #expect(interner.id(text) == Int32(i)) }
        #expect(interner.strings.count == serial.strings.strings.count)
    }

    /// Rows that share names, numbers, addresses and children in many ways (blocks of many sizes), with
    /// names and units holding the key separator `|` and numbers too long for a digit code.
    func variedSubmissions() -> [Submission] {
        let names = ["김민준", "이서연", "김 민준", "박|지호", "최유나"]
        let addresses = [
            home, "충청남도 아산시 온천대로 1459, 103동 1904호", "서울특별시 강남구 역삼동 123-4", "충청남도 아산시 배방읍 배미로34번길 15, 1|2호",
        ]
        var rows = (0..<60).map { i in
            submission(
                i + 2, name: names[(i * 7) % names.count], phone: "010-\(1000 + (i * 13) % 9)-\(5678 + i % 3)",
                address: addresses[(i * 5) % addresses.count], child: i % 4 == 0 ? nil : ["김하은", "안하은", "도윤"][i % 3],
                birth: i % 2 == 0 ? "2017-03-05" : nil)
        }
        rows[30].phones.others = [PhoneNumber(digits: String(repeating: "9", count: 20), kind: .landline)]
        rows[35].phones.others = [PhoneNumber(digits: String(repeating: "8", count: 19), kind: .landline)]
        return rows
    }

    /// Blocking in ranges of keys on several cores finds the pairs and oversized blocks, in the order, of one range.
    @Test(arguments: [2, 3, 5, 64])
    func candidatePairsInPartsEqualOnePass(parts: Int) {
        let table = MatchFeatureTable(variedSubmissions(), parts: 1)
        for maxBlockSize in [3, 8, 64] {
            var resolver = HouseholdResolver()
            resolver.maxBlockSize = maxBlockSize
            let serial = resolver.candidatePairs(table, parts: 1)
            let split = resolver.candidatePairs(table, parts: parts)
            #expect(!serial.pairs.isEmpty && (maxBlockSize == 64) == serial.oversized.isEmpty)
            #expect(split.pairs == serial.pairs)
            #expect(split.oversized == serial.oversized)
        }
    }

    /// Merge candidates ranked by a counting sort over scores are the filter of all compared pairs sorted by
    /// (score descending, a, b), and the positions found in chunks are the filter's, for weights whose
    /// combinations tie (also 0 and -0) and chunks of several sizes.
    @Test func rankedCandidatesMatchASortOfAll() {
        let table = MatchFeatureTable(variedSubmissions(), parts: 1)
        let pairs = HouseholdResolver().candidatePairs(table, parts: 1).pairs
        var tied = MatchWeights()
        tied.nameSame = 0
        tied.nameDifferent = -0.0
        tied.addressSimilar = 4
        tied.childSimilar = 4
        for weights in [MatchWeights(), tied] {
            let scorer = PairScorer(weights: weights)
            let compared = scorer.withPools(table) { ComparedPairs(scoring: pairs, with: scorer, $0) }
            #expect(compared.count == pairs.count && compared.count > 100)
            for threshold in [-100.0, 0, 4, 8.5, 13] {
                let expected = compared.filter { $0.score >= threshold }
                    .sorted { $0.score != $1.score ? $0.score > $1.score : ($0.a, $0.b) < ($1.a, $1.b) }
                for chunk in [7, 1 << 16] {
                    let ranked = compared.ranked(atLeast: threshold, chunk: chunk)
                    #expect(ranked.map(\.a) == expected.map(\.a) && ranked.map(\.b) == expected.map(\.b))
                    #expect(
                        ranked.map(\.score) == expected.map(\.score) && ranked.map(\.packed) == expected.map(\.packed))
                    #expect(
                        compared.positions(scoring: { $0 < threshold }, chunk: chunk)
                            == compared.indices.filter { compared[$0].score < threshold })
                }
            }
        }
    }

    /// The interner gives ids in order of first use, equal exactly when the texts' bytes are (also for
    /// canonically equal texts in other forms), and a key joined from parts gets the joined string's id.
    @Test func internerIdsAreEqualExactlyForEqualBytes() {
        var random = SystemRandomNumberGenerator()
        let pieces = ["", "김", "민준", "|", "a", "0123456789abcdef", "e\u{301}", "\u{E9}", "배미로34번길"]
        let texts = (0..<3000).map { _ in
            (0..<Int.random(in: 0...4, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
        }
        var interner = StringInterner()
        var firstUse: [[UInt8]: Int32] = [:]
        for text in texts {
            let id = interner.id(text)
            let expected = firstUse[Array(text.utf8)] ?? Int32(firstUse.count)
            firstUse[Array(text.utf8)] = expected
            #expect(id == expected)
        }
        #expect(interner.strings.count == firstUse.count)
        for (i, text) in interner.strings.enumerated() { #expect(interner.id(text) == Int32(i)) }
        // The hash is seeded at random per process; the ids do not depend on the seed.
        for seed: UInt64 in [0, 1, 0xDEAD_BEEF, .max] {
            var seeded = StringInterner(seed: seed)
            #expect(texts.map { seeded.id($0) } == texts.map { interner.id($0) })
        }
        for _ in 0..<500 {
            let parts = (0..<Int.random(in: 1...5, using: &random)).map { _ in
                Bool.random(using: &random) ? nil : pieces.randomElement(using: &random)!
            }
            let joined = parts.map { $0 ?? "" }.joined(separator: "|")
            var copy = interner
            var fixed = interner
            #expect(interner.id(joining: parts) == copy.id(joined))
            // The building keys' form, without an array: `r|a|b|c` and `j|a|b|c|d`.
            let tagged = [Bool.random(using: &random) ? "r" : "j"] + parts.prefix(4)
            if tagged.count >= 4 {
                let text = tagged.map { $0 ?? "" }.joined(separator: "|")
                let id =
                    tagged[0] == "r"
                    ? fixed.id(
                        joining: "r", tagged[1], tagged[2], tagged[3], tagged.count == 5 ? .some(tagged[4]) : .none)
                    : fixed.id(
                        joining: "j", tagged[1], tagged[2], tagged[3], tagged.count == 5 ? .some(tagged[4]) : .none)
                #expect(id == fixed.id(text))
                #expect(fixed.strings.last == text || fixed.strings.contains(text))
            }
        }
    }

    /// A phone's codes read from its bytes are those of `code(digits)` and `code(digits.suffix(8))`, for any text.
    @Test func phoneCodesMatchTheGeneralPath() {
        let texts = [
            "01012345678", "", "0", "0000", "1234567", "12345678", "123456789", "12345678901234567",
            "123456789012345678",
            "99999999999999999999", "010-1234-5678", "０１０12345678", "abc", "1234567a12345678", "ab12345678",
        ]
        var fast = MatchFeatureTable([])
        var general = MatchFeatureTable([])
        for text in texts {
            let codes = fast.phoneCodes(text)
            #expect(codes.phone == general.code(text), "\(text)")
            #expect(codes.last8 == general.code(text.suffix(8)), "\(text)")
        }
        #expect(fast.strings.strings == general.strings.strings)
    }

    @Test func decisionsFileReadsReviewCSVWithVerdicts() throws {
        let folder = TempFolder()
        let file = folder.write(
            "decisions.csv",
            utf8:
                "\u{FEFF}\"키 1\",\"키 2\",\"판정\",\"점수\"\n\"aaa\",\"bbb\",\"같음\",\"6.5\"\n\"ccc\",\"ddd\",\"different\",\"5\"\n\"eee\",\"fff\",\"\",\"5\"\n\"ggg\",\"hhh\",\"몰라\",\"5\"\n"
        )
        let (decisions, problems) = try DecisionsFile.read(file)
        #expect(decisions.same == [.init("bbb", "aaa")])
        #expect(decisions.different == [.init("ccc", "ddd")])
        #expect(problems.map(\.row) == [5])
    }

    @Test func aBrokenDecisionRowIsReportedNotSkipped() throws {
        let folder = TempFolder()
        let file = folder.write("decisions.csv", utf8: "키 1,키 2,판정\naaa,bbb,같음\nccc,dd\"d,다름\neee,fff,다름\n")
        let (decisions, problems) = try DecisionsFile.read(file)
        #expect(decisions.same.count == 1 && decisions.different == [.init("eee", "fff")])
        #expect(problems.map(\.row) == [3])
    }
}
