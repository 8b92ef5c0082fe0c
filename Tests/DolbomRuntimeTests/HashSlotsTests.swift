import DolbomRuntime
import Testing

@Suite struct HashSlotsTests {
    /// Keys told apart by their bytes even when every hash is the same (a crafted export's worst case).
    @Test(arguments: [false, true])
    func findsWhatWasInserted(sameHash: Bool) {
        var slots = HashSlots(expected: 4)
        var keys: [String] = []
        func hash(_ k: String) -> UInt64 { sameHash ? 42 : SeededHash.utf8(k) }
        for i in 0..<500 {
            let key = "key \(i % 300)"
            if let found = slots.find(hash(key), where: { keys[$0] == key }) {
                #expect(keys[found] == key)
            } else {
                #expect(slots.insert(hash(key)) == keys.count)
                keys.append(key)
            }
        }
        #expect(slots.count == 300)
        #expect(keys.count == 300)
        for (i, key) in keys.enumerated() { #expect(slots.find(hash(key), where: { keys[$0] == key }) == i) }
        #expect(slots.find(hash("absent"), where: { keys[$0] == "absent" }) == nil)
        slots.removeAll()
        #expect(slots.count == 0)
        #expect(slots.find(hash("key 1"), where: { _ in true }) == nil)
    }

    /// A copy is a value: inserting into one leaves the other as it was.
    @Test func copiesAreValues() {
        var a = HashSlots()
        a.insert(1)
        var b = a
        b.insert(2)
        #expect(a.count == 1 && b.count == 2)
        #expect(a.find(2, where: { _ in true }) == nil)
        #expect(b.find(2, where: { _ in true }) == 1)
    }

    @Test func seededHashesDependOnTheBytesAndTheSeed() {
        let a = Array("가나다라마바사".utf8)
        let b = Array("가나다라마바삭".utf8)
        let ha = a.withUnsafeBytes { SeededHash.bytes($0, seed: 1) }
        #expect(ha == a.withUnsafeBytes { SeededHash.bytes($0, seed: 1) })
        #expect(ha != b.withUnsafeBytes { SeededHash.bytes($0, seed: 1) })
        #expect(ha != a.withUnsafeBytes { SeededHash.bytes($0, seed: 2) })
        #expect(SeededHash.words(1, 2) != SeededHash.words(2, 1))
    }

    @Test func zeroedTablesStartAtZero() {
        for count in [1, 1000, 3 << 20] {
            let table = ZeroedTable<UInt64>(count: count)
            #expect(table[0] == 0 && table[count - 1] == 0)
            table[count - 1] = 7
            #expect(table.copy()[count - 1] == 7)
        }
    }
}
