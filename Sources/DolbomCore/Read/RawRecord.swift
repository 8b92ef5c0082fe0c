/// One record of an export as the user sees it in Excel: which file, which
/// spreadsheet row (header = 1; a record with newlines inside cells is one row),
/// and its cells as text.
public struct RawRecord: Hashable, Sendable {
    /// Base name of the export, never a full path (paths can name people or folders).
    public var file: String
    public var row: Int
    public var cells: [String]

    public init(file: String, row: Int, cells: [String]) {
        self.file = file
        self.row = row
        self.cells = cells
    }

    public var isEmpty: Bool {
        // A cell whose first scalar is not white space has a first character that is not (a character
        // is white space by its first scalar): the usual row is decided there, without splitting the
        // cell into characters.
        cells.allSatisfy { cell in
            guard let first = cell.unicodeScalars.first else { return true }
            return first.properties.isWhitespace && cell.allSatisfy(\.isWhitespace)
        }
    }

    public func cell(_ index: Int) -> String {
        index < cells.count ? cells[index] : ""
    }
}
