import DolbomNormalize
import Foundation

/// Builds CSV text that opens cleanly in Korean Excel: UTF-8 with a BOM, CRLF,
/// every cell quoted, and cells that Excel would run as a formula
/// (`= + - @`, tab, CR) neutralized with a leading apostrophe.
///
/// Cells are quoted the way libcsv's `csv_write` quoted them (which this type used
/// before): the whole cell in double quotes, each quote inside doubled, nothing
/// else changed. Writing the bytes here copies unquoted runs whole, and lets a
/// writer build a cell from pieces (`beginCell`, `text`, `endCell`) without first
/// joining them into a `String`.
struct SpreadsheetCSV: TextSink {
    let buffer: ByteBuffer
    /// Where the open cell's text starts (just after its opening quote).
    private var cellStart = 0
    private var rowHasCells = false

    static let quote = UInt8(ascii: "\"")

    /// A file's text, starting with its BOM.
    init() {
        buffer = ByteBuffer(capacity: 1 << 16)
        buffer.append(Self.bom)
    }

    /// Rows written after what `buffer` holds (a chunk of a file whose BOM and header went first).
    init(continuing buffer: ByteBuffer) { self.buffer = buffer }

    static let bom: StaticString = "\u{FEFF}"

    /// The bytes written so far.
    var bytes: [UInt8] { buffer.array }

    /// Prefixes a quote so a spreadsheet shows the text instead of evaluating it (OWASP CSV injection).
    static func neutralize(_ cell: String) -> String {
        guard let first = cell.unicodeScalars.first else { return cell }
        switch first {
        case "=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠":
            return "'" + cell
        default:
            return cell
        }
    }

    /// Whether UTF-8 text starting at `start` begins with a scalar `neutralize` guards against:
    /// `= + - @`, tab, CR, or their full-width forms U+FF1D, U+FF0B, U+FF0D, U+FF20 (EF BC 9D/8B/8D/A0).
    @inline(__always)
    static func startsLikeFormula(_ b: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        guard start < b.count else { return false }
        switch b[start] {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D:
            return true
        case 0xEF:
            guard start + 2 < b.count, b[start + 1] == 0xBC else { return false }
            switch b[start + 2] {
            case 0x9D, 0x8B, 0x8D, 0xA0: return true
            default: return false
            }
        default:
            return false
        }
    }

    mutating func appendRow(_ cells: [String]) {
        for cell in cells { self.cell(cell) }
        endRow()
    }

    /// One whole cell.
    mutating func cell(_ s: String) {
        beginCell()
        text(s)
        endCell()
    }

    /// A cell holding a whole number.
    mutating func cell(_ n: Int) {
        beginCell()
        number(n)
        endCell()
    }

    /// A cell whose text `build` writes in pieces.
    mutating func cell(_ build: (inout SpreadsheetCSV) -> Void) {
        beginCell()
        build(&self)
        endCell()
    }

    mutating func emptyCell() {
        beginCell()
        endCell()
    }

    /// Opens a cell; its text follows through `text`/`number`, then `endCell`.
    @inline(__always)
    mutating func beginCell() {
        if rowHasCells {
            buffer.append(UInt8(ascii: ","), Self.quote)
        } else {
            buffer.append(Self.quote)
        }
        rowHasCells = true
        cellStart = buffer.count
    }

    /// Closes the open cell, neutralizing it when its whole text starts like a formula
    /// (the apostrophe goes in front of the text, inside the quotes, as `neutralize` puts it).
    @inline(__always)
    mutating func endCell() {
        if Self.startsLikeFormula(buffer.bytes, at: cellStart) { buffer.insert(UInt8(ascii: "'"), at: cellStart) }
        buffer.append(Self.quote)
    }

    mutating func endRow() {
        buffer.append(0x0D, 0x0A)
        rowHasCells = false
    }

    /// Appends text to the open cell, doubling its quotes. Read through a span borrowed from `s`
    /// (the UTF-8 view's contiguous storage retained the string around the copy).
    mutating func text(_ s: String) {
        if s.isContiguousUTF8 {
            s.utf8.span.withUnsafeBufferPointer { appendQuoted($0) }
        } else {
            Array(s.utf8).withUnsafeBufferPointer { appendQuoted($0) }
        }
    }

    mutating func literal(_ s: StaticString) { buffer.append(s) }

    mutating func utf8(_ bytes: UnsafeBufferPointer<UInt8>) { appendQuoted(bytes) }

    mutating func number(_ n: Int) { appendDecimal(n, to: buffer) }

    /// Copies the text, doubling each quote. Text without quotes (nearly all) is checked and copied in
    /// one pass, eight bytes at a time; from the first word with a quote on, runs between quotes are
    /// copied whole.
    private func appendQuoted(_ src: UnsafeBufferPointer<UInt8>) {
        guard let base = src.baseAddress else { return }
        let n = src.count
        let p = buffer.room(n)
        var i = 0
        let raw = UnsafeRawPointer(base), to = UnsafeMutableRawPointer(p)
        while i + 8 <= n {
            let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let x = word ^ 0x2222_2222_2222_2222
            if (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 != 0 { break }  // some byte is `"`
            to.storeBytes(of: word, toByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < n, base[i] != Self.quote {
            p[i] = base[i]
            i += 1
        }
        buffer.count &+= i
        var start = i
        while start < n,
              let hit = memchr(base + start, Int32(Self.quote), n - start) {
            let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            buffer.append(UnsafeBufferPointer(start: base + start, count: at + 1 - start))
            buffer.append(Self.quote)
            start = at + 1
        }
        if start < n { buffer.append(UnsafeBufferPointer(start: base + start, count: n - start)) }
    }

    var data: Data { Data(buffer.bytes) }
}

extension SpreadsheetCSV {
    /// `HouseholdText.window(h)` written into the open cell without making strings: the structured text
    /// goes in first (it has no quotes, so the cell holds its bytes as they are), and the family's own
    /// words follow in brackets unless they read the same (`HouseholdText.sameText`).
    mutating func window(_ w: ContactWindow) {
        let start = buffer.count
        switch w.days {
        case .any: break
        case .weekdays: literal("평일 ")
        case .weekend: literal("주말 ")
        }
        if w.anytime || w.ranges.isEmpty {
            literal("언제든")
        } else {
            w.ranges.withUnsafeBufferPointer { ranges in
                for i in ranges.indices {
                    if i > 0 { literal(", ") }
                    clock(ranges[i].start)
                    literal("-")
                    clock(ranges[i].end)
                }
            }
        }
        guard !w.text.isEmpty else { return }
        let structured = UnsafeBufferPointer(start: buffer.base + start, count: buffer.count - start)
        let sameBytes = w.text.utf8.withContiguousStorageIfAvailable {
            $0.count == structured.count && ($0.isEmpty || memcmp($0.baseAddress!, structured.baseAddress!, $0.count) == 0)
        } ?? w.text.utf8.elementsEqual(structured)
        if sameBytes { return }
        if !HouseholdText.isPlainNFC(w.text), w.text == String(decoding: structured, as: UTF8.self) { return }
        literal(" (")
        text(w.text)
        literal(")")
    }
}
