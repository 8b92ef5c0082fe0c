import DolbomNormalize
import Foundation

/// A problem in a sheet staff edited (call results, merge decisions): which row, what to fix.
public struct SheetProblem: Sendable, Equatable {
    public var row: Int
    public var message: String
}

/// Small sheets staff save from Excel and hand back to dolbom. Probed whole
/// (`FileProbe.examine`: they are small), then read with the same libcsv stream
/// and cell decoding as the exports; a file that is not a CSV or a row that
/// cannot be parsed comes back as a problem, never silently skipped.
enum StaffSheet {
    struct Line {
        var row: Int
        var cells: [String]
    }

    static func read(_ url: URL) throws -> (lines: [Line], problems: [SheetProblem]) {
        let probe = try FileProbe.examine(url)
        if let reason = probe.notCSV { return ([], [SheetProblem(row: 1, message: reason.message)]) }
        let decoder = CellDecoder(encoding: probe.encoding)
        var stream = CSVRecordStream(url: url)
        stream.delimiter = probe.delimiter
        var lines: [Line] = []
        var problems: [SheetProblem] = []
        try stream.forEach { event in
            switch event {
            case .blankLine:
                break
            case .malformed(let row, _, _, _, _):
                problems.append(SheetProblem(row: row, message: "CSV로 읽을 수 없는 행입니다(따옴표 확인)."))
            case .record(let row, let fields):
                lines.append(
                    Line(
                        row: row,
                        cells: (0..<fields.count).map { i in
                            fields.withField(i) { decoder.decode($0).text.trimmedWhitespace }
                        }))
            }
        }
        return (lines, problems)
    }
}
