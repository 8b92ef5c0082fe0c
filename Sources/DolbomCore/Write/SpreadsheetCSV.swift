import CLibCSV
import Foundation

/// Builds CSV text that opens cleanly in Korean Excel: UTF-8 with a BOM, CRLF,
/// every cell quoted by libcsv, and cells that Excel would run as a formula
/// (`= + - @`, tab, CR) neutralized with a leading apostrophe.
struct SpreadsheetCSV {
    var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
    private var scratch = [UInt8](repeating: 0, count: 1024)

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

    mutating func appendRow(_ cells: [String]) {
        for (i, cell) in cells.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            var text = Self.neutralize(cell)
            let needed = text.utf8.count * 2 + 2
            if scratch.count < needed { scratch = [UInt8](repeating: 0, count: needed) }
            // The string's own UTF-8 storage, no copy into an array per cell.
            let written = text.withUTF8 { src in
                scratch.withUnsafeMutableBytes { dst in
                    csv_write(dst.baseAddress, dst.count, src.baseAddress, src.count)
                }
            }
            bytes.append(contentsOf: scratch[0..<written])
        }
        bytes.append(contentsOf: [UInt8(ascii: "\r"), UInt8(ascii: "\n")])
    }

    var data: Data { Data(bytes) }
}
