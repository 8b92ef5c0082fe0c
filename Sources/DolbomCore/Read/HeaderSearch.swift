import DolbomRuntime
import Foundation

/// Finds the header row of an export line by line, before its records are streamed.
///
/// What sits above a header (a title, an export note, blank lines) is not a form row, and its quotes
/// need not be CSV: a note like `"2024년 신청 현황` opens a quote that, read as CSV, swallows the header
/// and the rows under it into one broken record. So each physical line at the top of the file is tried
/// on its own as the start of a record (strict libcsv, its first record only); the first whose record
/// names two or more form fields is the header, and the file is streamed from that line on. The lines
/// above it are the preamble: reported, never data rows.
struct HeaderSearch {
    struct Found: Equatable {
        /// Byte offset of the header's line (0 for the first line, also after a byte-order mark).
        var offset: Int
        /// The header's physical line (1-based, `\n`-separated, as `CSVRecordStream` numbers lines).
        var line: Int
        /// The header's spreadsheet row: one row per line break above it (`\r\n`, `\n` or a lone `\r`).
        var row: Int
        /// Rows above the header holding anything (titles, notes), by row number.
        var preambleRows: [Int]
        /// Rows above the header with nothing on them.
        var blankRows: Int
    }

    /// Lines tried as the header's first line.
    var maxLines = 20
    /// The most of the file read: a header further down is left to the record-by-record search.
    var maxBytes = 2 << 20

    /// The header line, or nil when none of the first lines starts a record that maps as a header.
    func locate(_ url: URL, delimiter: UInt8, detector: HeaderDetector) throws -> Found? {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw CocoaError(.fileReadNoPermission, userInfo: [NSFilePathErrorKey: url.path])
        }
        defer { try? handle.close() }
        var bytes: [UInt8] = []
        var atEnd = false
        // Reads on until `bytes` holds `count` bytes or the file (or `maxBytes`) ends.
        func want(_ count: Int) throws {
            while !atEnd && bytes.count < min(count, maxBytes) {
                guard let data = try handle.read(upToCount: 1 << 16), !data.isEmpty else {
                    atEnd = true
                    return
                }
                bytes += data
            }
            if bytes.count >= maxBytes { atEnd = true }
        }
        return try locate(
            in: {
                try want($0)
                return (bytes, atEnd)
            }, delimiter: delimiter, detector: detector)
    }

    /// The search over bytes that `more(n)` makes available (at least `n` of them unless the file ends first).
    func locate(in more: (Int) throws -> (bytes: [UInt8], atEnd: Bool), delimiter: UInt8, detector: HeaderDetector)
        throws -> Found?
    {
        var (bytes, atEnd) = try more(1 << 16)
        var offset = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1
        var row = 1
        var preamble: [Int] = []
        var blank = 0
        for _ in 0..<maxLines {
            // The line's end (its break excluded) and the next line's start.
            var end = offset
            while true {
                while end < bytes.count && bytes[end] != 0x0A && bytes[end] != 0x0D { end += 1 }
                if end < bytes.count || atEnd { break }
                (bytes, atEnd) = try more(bytes.count * 2)
            }
            if end >= bytes.count && offset >= bytes.count { return nil }  // the file ended above any header
            if end > offset {
                let record = firstRecord(bytes, from: offset, delimiter: delimiter, atEnd: atEnd)
                if let record, detector.map(headers: record.map(Self.text)).mappedFieldCount >= 2 {
                    return Found(
                        offset: offset == 3 && line == 1 ? 0 : offset, line: line, row: row, preambleRows: preamble,
                        blankRows: blank)
                }
                preamble.append(row)
            } else {
                blank += 1
            }
            guard end < bytes.count else { return nil }
            // One line break: `\r\n`, `\n` or a lone `\r` (as libcsv with CSV_REPALL_NL ends a row).
            if bytes[end] == 0x0D {
                if end + 1 >= bytes.count && !atEnd { (bytes, atEnd) = try more(bytes.count + 1) }
                if end + 1 < bytes.count && bytes[end + 1] == 0x0A {
                    end += 1
                    line += 1
                }
            } else {
                line += 1
            }
            offset = end + 1
            row += 1
        }
        return nil
    }

    /// A cell's text for header matching: UTF-8 when the bytes are UTF-8, else CP949 (Korean Excel).
    static func text(_ cell: [UInt8]) -> String {
        if let utf8 = String(validating: cell, as: UTF8.self) { return utf8 }
        return String(data: Data(cell), encoding: SourceEncoding.dosKorean) ?? String(decoding: cell, as: UTF8.self)
    }

    /// The cells of the first record that starts at `from`, read strictly; nil when it breaks CSV (a stray
    /// quote, a quote not closed within the bytes at hand) or holds no cell.
    func firstRecord(_ bytes: [UInt8], from: Int, delimiter: UInt8, atEnd: Bool) -> [[UInt8]]? {
        final class Collector: CSVReceiver {
            var cells: [[UInt8]] = []
            var done = false
            func field(_ bytes: UnsafeRawBufferPointer) {
                if !done { cells.append(Array(bytes)) }
            }
            func endRecord(terminator: Int32) { done = true }
        }
        let collector = Collector()
        let parser = CSVParser(delimiter: delimiter, receiver: collector)
        // A line at a time, so the parse stops soon after the record ends.
        var start = from
        while start < bytes.count && !collector.done {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            if end < bytes.count { end += 1 }
            let (consumed, failed) = bytes[start..<end].withUnsafeBytes { parser.parse($0) }
            if consumed < end - start || failed { return nil }
            start = end
        }
        if !collector.done {
            // Only the file's end closes a last line without a line break; a quote still open there is broken.
            guard atEnd, parser.finish() else { return nil }
        }
        return collector.cells.isEmpty ? nil : collector.cells
    }
}
