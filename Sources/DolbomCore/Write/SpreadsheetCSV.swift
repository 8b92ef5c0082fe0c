import DolbomNormalize
import DolbomRuntime
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
        buffer.write(Self.bom)
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
    static func startsLikeFormula(_ b: ByteBuffer, at start: Int) -> Bool {
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
            buffer.write(UInt8(ascii: ","), Self.quote)
        } else {
            buffer.write(Self.quote)
        }
        rowHasCells = true
        cellStart = buffer.count
    }

    /// Closes the open cell, neutralizing it when its whole text starts like a formula
    /// (the apostrophe goes in front of the text, inside the quotes, as `neutralize` puts it).
    @inline(__always)
    mutating func endCell() {
        if Self.startsLikeFormula(buffer, at: cellStart) { buffer.insert(UInt8(ascii: "'"), at: cellStart) }
        buffer.write(Self.quote)
    }

    mutating func endRow() {
        buffer.write(0x0D, 0x0A)
        rowHasCells = false
    }

    /// Appends text to the open cell, doubling its quotes.
    mutating func text(_ s: String) { buffer.writeQuotesDoubled(s) }

    mutating func literal(_ s: StaticString) { buffer.write(s) }

    mutating func ascii(_ byte: UInt8) { buffer.write(byte) }

    mutating func number(_ n: Int) { buffer.writeDecimal(n) }

    var data: Data { Data(buffer.array) }
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
            for (i, range) in w.ranges.enumerated() {
                if i > 0 { literal(", ") }
                clock(range.start)
                literal("-")
                clock(range.end)
            }
        }
        guard !w.text.isEmpty else { return }
        if buffer.bytes(from: start, equalUTF8: w.text) { return }
        if !HouseholdText.isPlainNFC(w.text), w.text == String(decoding: buffer.bytes(from: start), as: UTF8.self) {
            return
        }
        literal(" (")
        text(w.text)
        literal(")")
    }
}
