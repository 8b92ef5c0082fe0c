import DolbomRuntime
import Foundation
import Testing

@Suite struct ByteKeyTableTests {
    /// A part of a text (its UTF-8 offsets), a byte array and the whole text name one key when their bytes
    /// are equal; entries keep their order of insertion, even when every hash collides.
    @Test(arguments: [false, true])
    func partsArraysAndTextsShareKeys(lengthOnly: Bool) {
        var table = ByteKeyTable<String>(seed: 7, hashingLengthOnly: lengthOnly)
        let name = "김하은"  // 3 bytes of surname, 6 of given name
        #expect(table.entry(name, utf8: 3..<9) == nil)
        #expect(table.insert(name, utf8: 3..<9, "하은") == 0)
        #expect(table.insert(Array("김".utf8), "김") == 1)
        #expect(table.entry("하은") == 0)
        #expect(table.entry(Array("하은".utf8)) == 0)
        #expect(table.entry(name, utf8: 0..<3) == 1)
        #expect(table.entry("이하은", utf8: 3..<9) == 0)
        #expect(table.entry(name, utf8: 0..<9) == nil)
        #expect(table.entry(name, utf8: 0..<0) == nil)
        #expect(table.allValues == ["하은", "김"])
    }

    /// Keys given as any collection of bytes, contiguous or not, and as two parts around a separator.
    @Test func keysFromAnyByteCollection() {
        var table = ByteKeyTable<Int>(seed: 3)
        table.insert(Array("천안시 서북구".utf8), 1)
        let whole = Array("천안시 서북구".utf8)
        #expect(table.entry(bytes: whole[...]) == 0)
        #expect(table.entry(bytes: whole.reversed().reversed()) == 0)  // not contiguous
        #expect(table.entry(bytes: Array("천안시".utf8), separator: 0x20, Array("서북구".utf8)) == 0)
        #expect(table.entry(bytes: "천안시".utf8.lazy.map { $0 }, separator: 0x20, "서북구".utf8.lazy.map { $0 }) == 0)
        #expect(table.entry(bytes: Array("천안시".utf8), separator: nil, Array("서북구".utf8)) == nil)
    }
}

@Suite struct SystemCallsTests {
    /// Every byte reaches the file from its start, and a bad descriptor gives its errno.
    @Test func writeAllWritesEveryByte() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dolbom-writeall-\(getpid())").path
        defer { unlink(path) }
        let fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o600)
        #expect(fd >= 0)
        let bytes = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        #expect(SystemCalls.writeAll(fd, bytes) == 0)
        close(fd)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(bytes))
        #expect(SystemCalls.writeAll(-1, [1]) == EBADF)
    }
}

@Suite struct BigEndianWordsTests {
    @Test func wordsAreTheBytesInOrder() {
        let bytes = (0..<40).map { UInt8($0) }
        let (a, b, c, d) = bigEndianWords(Data(bytes))
        #expect(a == 0x0001_0203_0405_0607 && b == 0x0809_0A0B_0C0D_0E0F)
        #expect(c == 0x1011_1213_1415_1617 && d == 0x1819_1A1B_1C1D_1E1F)
    }
}
