import DolbomRuntime
import Foundation
import Testing

@Suite struct ByteBufferTests {
    @Test func writesGrowPastTheFirstCapacity() {
        let buffer = ByteBuffer(capacity: 16)
        var expected: [UInt8] = []
        for i in 0..<1000 {
            buffer.write(UInt8(truncatingIfNeeded: i))
            expected.append(UInt8(truncatingIfNeeded: i))
        }
        buffer.write("끝")
        expected += Array("끝".utf8)
        buffer.write(utf8: "가나다")
        expected += Array("가나다".utf8)
        #expect(buffer.array == expected)
        #expect(buffer.count == expected.count)
    }

    @Test func aKernelCountsOnlyWhatItStored() {
        let buffer = ByteBuffer(capacity: 16)
        buffer.write("ab")
        let stored = buffer.writeWithUnsafeBytes(reserving: 100) { room in
            #expect(room.count == 100)
            room[0] = UInt8(ascii: "c")
            room[1] = UInt8(ascii: "d")
            return 2
        }
        #expect(stored == 2)
        #expect(buffer.array == Array("abcd".utf8))
        buffer.insert(UInt8(ascii: "'"), at: 1)
        #expect(buffer.array == Array("a'bcd".utf8))
        #expect(buffer[1] == UInt8(ascii: "'"))
        buffer.removeAll()
        #expect(buffer.isEmpty)
    }

    /// The JSON strings are Foundation's, for texts with every escape.
    @Test(arguments: [
        "", "plain", "김민준", "a\"b\\c", "tab\tnew\nline\r", "\u{01}\u{1F}\u{08}\u{0C}", "/slash/",
        String(repeating: "0123456789 한글", count: 20) + "\"", "emoji 👨‍👩‍👧 end",
    ])
    func jsonStringsAreFoundations(_ text: String) throws {
        let buffer = ByteBuffer()
        buffer.writeJSONString(text)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(buffer.array == Array(try encoder.encode(text)))
    }

    @Test(arguments: [
        "", "no quotes", "\"", "a\"\"b", String(repeating: "x", count: 17) + "\"" + String(repeating: "y", count: 9),
    ])
    func csvCellsDoubleTheirQuotes(_ text: String) {
        let buffer = ByteBuffer()
        buffer.writeQuotesDoubled(text)
        #expect(buffer.array == Array(text.replacingOccurrences(of: "\"", with: "\"\"").utf8))
    }

    @Test func decimalsAreStringsOfInts() {
        let buffer = ByteBuffer()
        let numbers = [0, 7, 9, 10, 99, 100, 12_345, -1, -10, Int.max, Int.min, 1_000_000_000_000_000_000]
        for n in numbers {
            buffer.writeDecimal(n)
            buffer.write(UInt8(ascii: " "))
        }
        #expect(String(decoding: buffer.array, as: UTF8.self) == numbers.map { "\($0) " }.joined())
        let digits = ByteBuffer()
        digits.writeFourDigits(2024)
        digits.writeTwoDigits(7)
        #expect(digits.array == Array("202407".utf8))
    }

    @Test func jsonKeysTakeACommaAfterTheFirst() {
        let buffer = ByteBuffer()
        buffer.writeJSONKey("a", first: true)
        buffer.writeDecimal(1)
        buffer.writeJSONKey("bb", first: false)
        buffer.writeDecimal(2)
        #expect(buffer.array == Array("\"a\":1,\"bb\":2".utf8))
    }
}
