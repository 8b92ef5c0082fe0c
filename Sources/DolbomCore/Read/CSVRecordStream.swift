import DolbomRuntime
import Foundation

/// Streams the records of one CSV file through libcsv in strict mode.
///
/// The file is read in fixed-size chunks, so memory does not grow with the
/// file. Records are numbered the way a spreadsheet shows them: every record
/// and every blank line is one row, and a record whose quoted cells contain
/// newlines is still one row. A malformed record (a stray quote) is reported
/// with its row and the raw line, and reading resumes on the next line, so one
/// bad row does not cost the rest of the file.
struct CSVRecordStream {
    enum Event {
        /// A record: its spreadsheet row and its cells (bytes, still encoded).
        case record(row: Int, fields: FieldBuffer)
        /// A blank line (counted as a row, holds no submission).
        case blankLine(row: Int)
        /// A record libcsv could not parse; `rawLine` is what the line held.
        case malformed(row: Int, line: Int, partial: FieldBuffer, rawLine: [UInt8], reason: MalformedReason)
    }

    enum MalformedReason: Equatable {
        /// A quote inside an unquoted cell, or text after a closing quote.
        case strayQuote
        /// The file ended inside a quoted cell (a truncated or cut file).
        case unterminatedQuote(linesSwallowed: Int)
    }

    let url: URL
    var delimiter: UInt8 = UInt8(ascii: ",")
    var chunkSize = 1 << 18
    /// Where parsing starts (`HeaderSearch`: the header's line; the lines above it are not parsed, though
    /// `eachChunk` still sees their bytes), and the row and physical line numbers there.
    var start = (offset: 0, row: 1, line: 1)

    /// Calls `body` for each event in file order, handing the event over (its cells are moved on,
    /// not copied), and `eachChunk` with every chunk of the file's bytes as read (all of them, a
    /// byte-order mark too), before the events the chunk completes. Throws only for I/O errors.
    func forEach(eachChunk: (UnsafeRawBufferPointer) -> Void = { _ in }, _ body: (consuming Event) throws -> Void)
        throws
    {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw CocoaError(.fileReadNoPermission, userInfo: [NSFilePathErrorKey: url.path])
        }
        defer { try? handle.close() }

        let assembler = RecordAssembler(row: start.row, line: start.line)
        let parser = CSVParser(delimiter: delimiter, receiver: assembler)

        var firstChunk = true
        var skippingToNewline = false
        var lineBase = start.line  // physical line number at the start of the current chunk
        var fileOffset = 0  // of the current chunk
        var rawLineOfError: [UInt8] = []
        // The bytes of the current physical line read in earlier chunks (up to `maxLineSoFar`): a malformed
        // line that straddles a chunk edge is reported whole, not from the edge on.
        var lineSoFar: [UInt8] = []

        func drain() throws {
            try assembler.handOverEvents(body)
        }

        // One buffer for every chunk, filled by read(2): a fresh `Data` and a fresh array per chunk were each
        // new memory the kernel faulted in and zeroed (at 1M rows, twice the file's size in page faults).
        // (At least four bytes: the first chunk then holds a whole byte-order mark.)
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(chunkSize, 4))
        defer { buffer.deallocate() }
        let fd = handle.fileDescriptor
        while true {
            let n = try Self.fill(buffer, from: fd, path: url.path)
            if n == 0 { break }
            let bytes = UnsafeBufferPointer(rebasing: buffer[0..<n])
            eachChunk(UnsafeRawBufferPointer(bytes))
            // Where this chunk's text starts: after a UTF-8 byte-order mark at the start of the file.
            var start = 0
            if firstChunk {
                firstChunk = false
                if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
            }
            let chunkOffset = fileOffset
            fileOffset += n
            if chunkOffset + n <= self.start.offset { continue }  // all of it above the header
            if chunkOffset < self.start.offset {
                // The header's line starts in this chunk: nothing of it was read before.
                start = Swift.max(start, self.start.offset - chunkOffset)
                lineSoFar = []
            }
            var offset = start
            while offset < n {
                if skippingToNewline {
                    if let newline = bytes[offset...].firstIndex(of: UInt8(ascii: "\n")) {
                        rawLineOfError.append(contentsOf: bytes[offset..<newline])
                        offset = newline + 1
                        skippingToNewline = false
                        lineBase += 1
                        try assembler.finishMalformed(rawLine: rawLineOfError, reason: .strayQuote)
                        rawLineOfError = []
                        try drain()
                        parser.restart()
                        continue
                    } else {
                        rawLineOfError.append(contentsOf: bytes[offset...])
                        offset = n
                        break
                    }
                }
                let rest = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[offset...]))
                let (consumed, failed) = parser.parse(rest)
                lineBase += newlines(
                    in: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[offset..<(offset + consumed)])))
                try drain()
                if offset + consumed < n || failed {
                    // Strict-mode error at byte offset + consumed: the line it sits on is bad.
                    let errorAt = offset + consumed
                    if let newline = bytes[start..<errorAt].lastIndex(of: UInt8(ascii: "\n")) {
                        rawLineOfError = Array(bytes[Swift.max(newline + 1, offset)..<errorAt])
                    } else {
                        // The line began in an earlier chunk: its start is in `lineSoFar`.
                        rawLineOfError = lineSoFar + bytes[offset..<errorAt]
                    }
                    assembler.beginMalformed(line: lineBase)
                    skippingToNewline = true
                    offset = errorAt
                } else {
                    offset = n
                }
            }
            if let newline = bytes[start..<n].lastIndex(of: UInt8(ascii: "\n")) {
                lineSoFar = Array(bytes[(newline + 1)..<n])
            } else if lineSoFar.count < Self.maxLineSoFar {
                lineSoFar.append(contentsOf: bytes[start..<Swift.min(n, start + Self.maxLineSoFar - lineSoFar.count)])
            }
        }
        if skippingToNewline {
            try assembler.finishMalformed(rawLine: rawLineOfError, reason: .strayQuote)
            try drain()
            parser.restart()
        }
        if !parser.finish() {
            assembler.unterminatedAtEnd(currentLine: lineBase)
        }
        try drain()
    }

    /// How much of a line longer than a chunk is kept for its report (no form row comes near it).
    static let maxLineSoFar = 1 << 20

    /// Fills `buffer` from `fd` as far as the file goes (a pipe or a slow disk may give less per call);
    /// returns the count, 0 at the end. Retries interrupted reads; other errors throw as Foundation's did.
    private static func fill(_ buffer: UnsafeMutableBufferPointer<UInt8>, from fd: Int32, path: String) throws -> Int {
        var filled = 0
        while filled < buffer.count {
            let got = read(fd, buffer.baseAddress! + filled, buffer.count - filled)
            if got > 0 {
                filled += got
                continue
            }
            if got == 0 { break }
            if errno == EINTR { continue }
            throw CocoaError(
                .fileReadUnknown,
                userInfo: [
                    NSFilePathErrorKey: path,
                    NSUnderlyingErrorKey: POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO),
                ])
        }
        return filled
    }
}

/// How many `\n` bytes a buffer holds (`memchr` hops between them).
func newlines(in buffer: UnsafeRawBufferPointer) -> Int {
    guard var p = buffer.baseAddress, !buffer.isEmpty else { return 0 }
    let end = p + buffer.count
    var n = 0
    while p < end, let hit = memchr(p, 0x0A, end - p) {
        n += 1
        p = UnsafeRawPointer(hit) + 1
    }
    return n
}

/// Cells of one record as encoded bytes, stored contiguously (one allocation
/// per record instead of one per cell).
struct FieldBuffer: Sendable {
    var bytes: [UInt8] = []
    var ends: [Int] = []

    var count: Int { ends.count }

    func withField<T>(_ index: Int, _ body: (UnsafeRawBufferPointer) -> T) -> T {
        let start = index == 0 ? 0 : ends[index - 1]
        return bytes[start..<ends[index]].withUnsafeBytes(body)
    }

    /// Whether field `index` has the same bytes as field `index` of `other`.
    func sameField(_ index: Int, as other: FieldBuffer) -> Bool {
        guard index < count, index < other.count else { return false }
        let start = index == 0 ? 0 : ends[index - 1]
        let otherStart = index == 0 ? 0 : other.ends[index - 1]
        let length = ends[index] - start
        guard length == other.ends[index] - otherStart else { return false }
        guard length > 0 else { return true }
        return bytes.withUnsafeBytes { a in
            other.bytes.withUnsafeBytes { b in memcmp(a.baseAddress! + start, b.baseAddress! + otherStart, length) == 0
            }
        }
    }

    init() {}

    /// Empty, with room for a record like `previous` (rows of one export are alike): appending a
    /// record's bytes into a fresh array otherwise reallocates it half a dozen times.
    init(reservingLike previous: FieldBuffer) {
        bytes.reserveCapacity(previous.bytes.count + previous.bytes.count / 2)
        ends.reserveCapacity(previous.ends.count)
    }
}

/// Receives libcsv's callbacks and turns them into events with row numbers.
///
/// Used by one thread, from inside `CSVParser.parse` and between its calls, never re-entered.
private final class RecordAssembler: CSVReceiver {
    private var current = FieldBuffer()
    private var fieldsInRecord = 0
    private var row: Int
    private var lastTerminator: Int32 = -2
    private var events: [CSVRecordStream.Event] = []
    private var malformedLine = 0
    private var recordStartLine: Int
    private var line: Int

    /// Starting at spreadsheet `row` (the next record's) and physical `line`.
    init(row: Int, line: Int) {
        self.row = row - 1
        self.line = line
        recordStartLine = line
    }

    func field(_ buffer: UnsafeRawBufferPointer) {
        if !buffer.isEmpty {
            current.bytes.append(contentsOf: buffer)
            line += newlines(in: buffer)
        }
        current.ends.append(current.bytes.count)
        fieldsInRecord += 1
    }

    func endRecord(terminator: Int32) {
        defer {
            lastTerminator = terminator
            recordStartLine = line
        }
        if terminator == Int32(UInt8(ascii: "\n")) { line += 1 }
        if fieldsInRecord == 0 {
            // With CSV_REPALL_NL every unquoted CR and LF ends a row; the LF of a CRLF is not a row of its own.
            if terminator == Int32(UInt8(ascii: "\n")) && lastTerminator == Int32(UInt8(ascii: "\r")) { return }
            if terminator == -1 { return }
            row += 1
            events.append(.blankLine(row: row))
            return
        }
        row += 1
        // The record's buffer is swapped out and moved into its event (appending `current` and then
        // replacing it retained and released both of its arrays).
        var fields = FieldBuffer(reservingLike: current)
        swap(&fields, &current)
        events.append(.record(row: row, fields: fields))
        fieldsInRecord = 0
    }

    func beginMalformed(line: Int) {
        malformedLine = line
    }

    func finishMalformed(rawLine: [UInt8], reason: CSVRecordStream.MalformedReason) throws {
        row += 1
        events.append(.malformed(row: row, line: malformedLine, partial: current, rawLine: rawLine, reason: reason))
        current = FieldBuffer()
        fieldsInRecord = 0
        lastTerminator = Int32(UInt8(ascii: "\n"))
        line = malformedLine + 1
        recordStartLine = line
    }

    func unterminatedAtEnd(currentLine: Int) {
        row += 1
        let swallowed = max(0, currentLine - recordStartLine)
        events.append(
            .malformed(
                row: row, line: recordStartLine, partial: current, rawLine: Array(current.bytes.prefix(200)),
                reason: .unterminatedQuote(linesSwallowed: swallowed)))
        current = FieldBuffer()
        fieldsInRecord = 0
    }

    /// Hands the events so far to `body` in order, each moved out of the list, which is left empty
    /// with its room kept. (Returning the list and emptying it shared its buffer, so every event was
    /// copied, a retain per cell buffer, and the emptied list allocated a new buffer.)
    func handOverEvents(_ body: (consuming CSVRecordStream.Event) throws -> Void) rethrows {
        defer { events.removeAll(keepingCapacity: true) }
        events.reverse()
        while let event = events.popLast() { try body(event) }
    }
}
