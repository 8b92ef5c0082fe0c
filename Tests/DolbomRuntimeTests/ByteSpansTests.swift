import DolbomRuntime
import Testing

/// The safe byte views the domain's kernels read and write through (`ByteSpans.swift`, `CArrays`,
/// `ReadAhead`, `ParallelMap.unzip`, `ByteKeyTable`'s span look-ups).
@Suite struct ByteSpansTests {
    static let texts = [
        "", "a", "서울특별시", "101동 1203호", "Seoul 강남구 테헤란로 152",
        String(repeating: "가", count: 200),
    ]

    @Test(arguments: texts)
    func utf8SpanIsTheUTF8(text: String) {
        #expect(text.withUTF8Span { span in span.indices.map { span[$0] } } == Array(text.utf8))
        #expect(text.withUTF8Span { $0.string(0..<$0.count) } == text)
        #expect(text.withUTF8Span { String(utf8: $0) } == text)
    }

    @Test func bridgedLikeTextIsCopiedOnce() {
        // A substring's text made a `String` is native and contiguous; the copy path is the same API.
        let text = String("주소: 충남 아산시"[...])
        #expect(text.withUTF8Span { $0.count } == text.utf8.count)
    }

    @Test func sameElementsComparesLengthAndBytes() {
        func same(_ a: [UInt16], _ b: [UInt16]) -> Bool { a.span.hasSameElements(as: b.span) }
        func same(_ a: [UInt16], _ i: Int, _ b: [UInt16], _ j: Int, _ n: Int) -> Bool {
            a.span.hasSameElements(i, as: b.span, j, length: n)
        }
        #expect(same([1, 2, 3], [1, 2, 3]))
        #expect(!same([1, 2, 3], [1, 2]))
        #expect(!same([1, 2, 3], [1, 2, 4]))
        #expect(same([], []))
        #expect(same([1, 2, 3], 1, [9, 2, 3, 7], 1, 2))
        #expect(!same([1, 2, 3], 0, [9, 2, 3, 7], 0, 2))
        #expect(same([1, 2, 3], 3, [9, 2, 3, 7], 4, 0))
    }

    @Test func literalsCompareAtAnOffset() {
        let found = "101동1203호".withUTF8Span { u in
            [
                u.hasBytes("101", at: 0), u.hasBytes("동", at: 3), u.hasBytes("호", at: u.count - 3),
                !u.hasBytes("호", at: u.count - 2),  // runs past the end
                !u.hasBytes("동", at: -1), u.hasBytes("", at: u.count),
                u.hasSameBytes(as: "101동1203호" as StaticString), !u.hasSameBytes(as: "101동" as StaticString),
                u.hasSameBytes(as: "101동1203호" as String), !u.hasSameBytes(as: "101동1203" as String),
            ]
        }
        #expect(found == Array(repeating: true, count: 10))
    }

    @Test func searches() {
        let dong = Array("동".utf8)
        let found = "가-나-다동".withUTF8Span { u in
            [
                u.firstIndex(of: 0x2D), u.firstIndex(of: 0x2D, from: 4), u.firstIndex(of: 0x2D, from: 8),
                u.contains(0x2D) ? 1 : 0, u.contains(0x2E) ? 1 : 0,
                u.firstIndex(of: dong[0], dong[1], dong[2]), u.firstIndex(of: dong[0], dong[1], dong[2], from: 12),
            ]
        }
        #expect(found == [3, 7, nil, 1, 0, 11, nil])
    }

    /// A word found where a byte-by-byte scan finds it, from every starting offset (overlaps, the end, a
    /// needle longer than what is left, an empty needle or text).
    @Test(arguments: ["주말은필요없고주말주말", "저녁저녁", "", "a", "방학 제외, 방학"])
    func searchesForWords(text: String) {
        let hay = Array(text.utf8)
        for word in ["주말", "말주", "방학", "저녁저녁저녁", "a", "", "제외, 방"] {
            let needle = Array(word.utf8)
            for from in -1...(hay.count + 1) {
                let start = max(from, 0)
                let expected =
                    needle.isEmpty || start > hay.count
                    ? nil
                    : (start...hay.count).first { at in
                        at + needle.count <= hay.count && Array(hay[at..<at + needle.count]) == needle
                    }
                #expect(hay.span.firstIndex(of: needle.span, from: from) == expected, "\(text) \(word) \(from)")
            }
        }
    }

    @Test func writerFillsOneString() {
        let text = String(utf8Capacity: 32) { out in
            out.append(0x41)
            out.append(literal: "동")
            out.append(utf8Of: "12")
            "호실".withUTF8Span { out.append(bytes: $0.extracting(0..<3)) }
            out.append(bytes: [UInt8]().span)
        }
        #expect(text == "A동12호")
        #expect(String(utf8Capacity: 0) { _ in } == "")
    }

    @Test func byteTextAppendsAndReadsBack() {
        var text = ByteText(capacity: 2)
        "서울 ".withUTF8Span { text.append($0) }
        text.append("abc")
        text.append(0x21)
        #expect(text.count == 11)
        #expect(text.string(0..<6) == "서울")
        let abc = text[7..<10].hasSameBytes(as: "abc" as StaticString)
        #expect(abc)
        text.appendUppercased(7..<10)
        text.append(0..<6)
        #expect(text.string(11..<20) == "ABC서울")
        text.truncate(to: 6)
        #expect(text.count == 6 && text.string(0..<6) == "서울")
        text.removeAll()
        #expect(text.count == 0)
    }

    @Test(arguments: [0, 1, 7, 1000, 70_000])
    func unzipIsTheSerialMapSplit(count: Int) {
        let (a, b) = ParallelMap.unzip(count: count, chunk: 64) { ($0 * 2, "\($0)") }
        #expect(a == (0..<count).map { $0 * 2 })
        #expect(b == (0..<count).map { "\($0)" })
    }

    @Test func readAheadAsksForNothingOutOfRange() {
        let rows = [(1, 2, 3, 4, 5, 6, 7, 8, 9)].map { _ in [UInt64](repeating: 1, count: 9) }
        for i in -1...2 { ReadAhead.element(i, of: rows) }
        ReadAhead.element(0, of: [UInt8]())
        #expect(rows.count == 1)
    }

    @Test func cArraysHandsOverBothArrays() {
        var xs = [1.0, 2.0, 3.0]
        var ys = [10.0, 20.0, 30.0]
        let n = CArrays.withMutableBaseAddresses(&xs, &ys) { x, y -> Int in
            for i in 0..<3 {
                x![i] += 1
                y![i] *= 2
            }
            return 3
        }
        #expect(n == 3 && xs == [2, 3, 4] && ys == [20, 40, 60])
        var empty: [Double] = []
        #expect(CArrays.withMutableBaseAddresses(&empty, &ys) { _, y in y![0] } == 20)
    }

    @Test func byteKeyTableLooksUpSpans() {
        var table = ByteKeyTable<Int>()
        table["서울특별시"] = 1
        table["천안시 서북구"] = 2
        let whole = "서울특별시".withUTF8Span { table.entry($0) }
        #expect(whole.map { table[entry: $0] } == 1)
        let (joined, glued) = "천안시".withUTF8Span { a in
            "서북구".withUTF8Span { b in (table.entry(a, separator: 0x20, b), table.entry(a, separator: nil, b)) }
        }
        #expect(joined.map { table[entry: $0] } == 2 && glued == nil)
        #expect("서울".withUTF8Span { table.entry($0) } == nil)
    }
}
