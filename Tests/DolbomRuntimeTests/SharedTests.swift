import DolbomRuntime
import Testing

@Suite("Shared boxes")
struct SharedTests {
    @Test("a box is equal and hashes by its value, not by its identity")
    func equalByValue() {
        let a = SharedBox([1, 2, 3])
        let b = SharedBox([1, 2, 3])
        #expect(!a.sharesBox(with: b))
        #expect(a == b)
        #expect(Set([a, b]).count == 1)
        #expect(a != SharedBox([1, 2]))
        #expect(Shared("x") == Shared("x") && Shared("x") != Shared("y"))
    }

    @Test("a change goes into a new box; a copy made before keeps the old value")
    func changeCopies() {
        var a = SharedBox(["하은"])
        let before = a
        a.value.append("지우")
        #expect(a.value == ["하은", "지우"])
        #expect(before.value == ["하은"])
        #expect(!a.sharesBox(with: before))
    }
}
