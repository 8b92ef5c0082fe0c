import DolbomRuntime
import Synchronization
import Testing

@Suite struct OrderedResultsTests {
    /// Filled on every core, taken in index order; a peek reads ahead without taking.
    @Test(arguments: [0, 1, 63, 64, 1000])
    func resultsComeBackInIndexOrder(count: Int) {
        let results = OrderedResults<String>(count: count, chunk: 64) { range, filler in
            for i in range { filler.add("row \(i)") }
        }
        #expect(results.count == count)
        if count > 3 { #expect(results.peek(ahead: 3) { $0 } == "row 3") }
        var taken: [String] = []
        while let next = results.takeNext() { taken.append(next) }
        #expect(taken == (0..<count).map { "row \($0)" })
        #expect(results.peek(ahead: 0) { $0 } == nil)
    }

    /// Results not taken are destroyed with the batch (each object's deinit runs once).
    @Test func untakenResultsAreDestroyed() {
        final class Counted: Sendable {
            static let alive = Atomic<Int>(0)
            init() { Self.alive.add(1, ordering: .relaxed) }
            deinit { Self.alive.subtract(1, ordering: .relaxed) }
        }
        do {
            let results = OrderedResults<Counted>(count: 100, chunk: 16) { range, filler in
                for _ in range { filler.add(Counted()) }
            }
            _ = results.takeNext()
            #expect(Counted.alive.load(ordering: .relaxed) == 99)
        }
        #expect(Counted.alive.load(ordering: .relaxed) == 0)
    }

    /// A pool lends each object to one task at a time, and keeps it for the next.
    @Test func poolsLendOneObjectPerTask() {
        final class Box {
            var busy = false
        }
        let pool = ObjectPool { Box() }
        let clashes = Mutex(0)
        ParallelMap.forEach(tasks: 200) { _ in
            pool.withObject { box in
                if box.busy { clashes.withLock { $0 += 1 } }
                box.busy = true
                for _ in 0..<1000 { _ = box.busy }
                box.busy = false
            }
        }
        #expect(clashes.withLock { $0 } == 0)
        let first = pool.withObject { ObjectIdentifier($0) }
        #expect(pool.withObject { ObjectIdentifier($0) } == first)
        pool.removeAll()
    }
}
