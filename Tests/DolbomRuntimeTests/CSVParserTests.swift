import DolbomRuntime
import Testing

@Suite struct CSVParserTests {
    final class Cells: CSVReceiver {
        var records: [[String]] = []
        var current: [String] = []
        func field(_ bytes: UnsafeRawBufferPointer) { current.append(String(decoding: bytes, as: UTF8.self)) }
        func endRecord(terminator: Int32) {
            records.append(current)
            current = []
        }
    }

    private func parse(_ text: String, chunk: Int = 3) -> (records: [[String]], failed: Bool, finished: Bool) {
        let cells = Cells()
        let parser = CSVParser(delimiter: UInt8(ascii: ","), receiver: cells)
        let bytes = Array(text.utf8)
        var failed = false
        var start = 0
        while start < bytes.count && !failed {
            let end = min(bytes.count, start + chunk)
            let (consumed, error) = bytes[start..<end].withUnsafeBytes { parser.parse($0) }
            failed = error || consumed < end - start
            start = end
        }
        let finished = failed ? false : parser.finish()
        return (cells.records, failed, finished)
    }

    @Test func quotedCellsKeepCommasQuotesNewlinesAndSpaces() {
        let result = parse(" a ,\"b,c\",\"say \"\"hi\"\"\"\n\"two\nlines\",x\n")
        #expect(!result.failed && result.finished)
        #expect(result.records == [[" a ", "b,c", "say \"hi\""], ["two\nlines", "x"]])
    }

    @Test func aStrayQuoteFailsAndAnOpenQuoteAtTheEndDoesNotFinish() {
        #expect(parse("a,b\"c\n").failed)
        let open = parse("a,\"never closed\n")
        #expect(!open.failed && !open.finished)
    }

    @Test func restartingDropsTheBrokenRecord() {
        let cells = Cells()
        let parser = CSVParser(delimiter: UInt8(ascii: ";"), receiver: cells)
        let broken = Array("x;\"y\"z".utf8)
        let (_, failed) = broken.withUnsafeBytes { parser.parse($0) }
        #expect(failed)
        cells.current = []
        parser.restart()
        _ = Array("p;q\n".utf8).withUnsafeBytes { parser.parse($0) }
        #expect(parser.finish())
        #expect(cells.records == [["p", "q"]])
    }
}
