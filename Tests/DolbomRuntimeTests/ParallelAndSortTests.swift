import DolbomRuntime
import Testing

@Suite struct ParallelAndSortTests {
    @Test(arguments: [0, 1, 7, 1000, 12_345])
    func parallelMapIsTheSerialMap(count: Int) {
        #expect(ParallelMap.map(count: count, chunk: 64) { $0 * $0 } == (0..<count).map { $0 * $0 })
    }

    @Test(arguments: [10, 5000, 100_000])
    func radixSortIsSort(count: Int) {
        var generator = SystemRandomNumberGenerator()
        var keys = (0..<count).map { _ in UInt64.random(in: 0..<(1 << 40), using: &generator) }
        var pairs = keys.map { (high: $0 >> 20, low: $0 & 0xFFFF) }
        let sortedKeys = keys.sorted()
        let sortedPairs = pairs.sorted { $0.high != $1.high ? $0.high < $1.high : $0.low < $1.low }
        RadixSort.sort(&keys)
        RadixSort.sort(&pairs)
        #expect(keys == sortedKeys)
        #expect(pairs.map(\.high) == sortedPairs.map(\.high) && pairs.map(\.low) == sortedPairs.map(\.low))
    }

    @Test func lookAheadHintsComeBeforeTheirElements() {
        var events: [String] = []
        Prefetch.forEach(0..<5, distance: 2, hint: { events.append("h\($0)") }) { events.append("b\($0)") }
        #expect(events == ["h2", "b0", "h3", "b1", "h4", "b2", "b3", "b4"])
    }
}

@Suite struct AheadTests {
    /// Each chunk is made beside the consumer of the one before, and every value arrives whole and in order.
    @Test func chunksMadeAheadArriveInOrder() {
        var consumed: [Int] = []
        var next = Ahead { Array(0..<1000) }
        for k in 1...20 {
            let chunk = next.value()
            #expect(chunk.count == 1000 && chunk.first == (k - 1) * 1000)
            next = Ahead { Array((k * 1000)..<((k + 1) * 1000)) }
            consumed += chunk
        }
        #expect(consumed == Array(0..<20_000))
        #expect(next.value() == next.value(), "a value read twice")
    }
}

@Suite struct DrainTests {
    /// Every element is visited once, in part order, before it is destroyed; the array is left empty, and
    /// what the parts return comes back in order (more parts than elements too).
    @Test(arguments: [(0, 4), (1, 4), (10, 3), (1000, 16), (8191, 1)])
    func visitsEachPartThenEmpties(count: Int, parts: Int) {
        var array = (0..<count).map { [String(repeating: "x", count: $0 % 40), String($0)] }
        let seen = ParallelMap.drain(&array, parts: parts, placeholder: []) { part -> [String] in
            (0..<part.count).map { part[$0][1] }
        }
        #expect(array.isEmpty)
        #expect(seen.count == max(1, parts))
        #expect(seen.flatMap { $0 } == (0..<count).map(String.init))
    }
}
