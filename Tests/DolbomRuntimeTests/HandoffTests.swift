import DolbomRuntime
import Testing

@Suite("Values handed to a task on its own thread")
struct HandoffTests {
    /// A task on its own thread that waits for a value given later: the caller goes on meanwhile, and the
    /// task's value comes back once the handoff is given.
    @Test func ownThreadWaitsForTheHandoff() {
        let rest = Handoff<[Int]>()
        let sum = Ahead.onOwnThread { 1 + rest.take().reduce(0, +) }
        let later = ParallelMap.map(count: 1000, chunk: 10) { $0 }
        #expect(rest.give(later))
        #expect(!rest.give([5]), "the first value given counts")
        #expect(sum.value() == 1 + 999 * 1000 / 2)
        #expect(sum.value() == sum.value())
    }
}
