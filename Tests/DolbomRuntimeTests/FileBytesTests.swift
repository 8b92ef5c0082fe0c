import DolbomRuntime
import Foundation
import Testing

@Suite struct FileBytesTests {
    /// A mapped file and a copy of the same bytes read alike; ranges copy, compare and decode.
    @Test func mappedAndCopiedBytesReadAlike() throws {
        let text = "가|b|c\n"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dolbom-filebytes-\(getpid())").path
        defer { unlink(path) }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        for bytes in [try FileBytes(contentsOf: path), FileBytes(Data(text.utf8))] {
            #expect(bytes.count == 8)
            #expect(bytes[3] == UInt8(ascii: "|"))
            #expect(bytes.bytes(4..<5) == [UInt8(ascii: "b")])
            #expect(bytes.bytes(4..<5, equal: [UInt8(ascii: "b")]))
            #expect(!bytes.bytes(0..<3, equal: [UInt8(ascii: "b")]))
            #expect(bytes.text(0..<3) == "가")
            #expect(bytes.text(validatingUTF8: 0..<3) == "가")
            #expect(bytes.text(validatingUTF8: 0..<2) == nil)
        }
    }

    @Test func emptyAndMissingFiles() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dolbom-filebytes-empty-\(getpid())")
            .path
        defer { unlink(path) }
        try Data().write(to: URL(fileURLWithPath: path))
        #expect(try FileBytes(contentsOf: path).count == 0)
        #expect(throws: FileBytes.Failure.self) { try FileBytes(contentsOf: path + "-missing") }
    }
}
