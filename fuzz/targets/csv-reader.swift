// libFuzzer target: bytes in, as an export file, through the reader (`ExportReader`, `HeaderSearch`,
// `CSVRecordStream`, libcsv); checks that nothing crashes and that every record is accounted for:
// - the reader's `dataRows` is the number of records and unreadable rows it handed on;
// - a header comes before any record, records come in strictly increasing rows, all below the header;
// - a record has at least the header's columns;
// - the same bytes read in small chunks (7 bytes; 509 past 4 KB) give the same events, report and diagnostics;
// - read with `decodeLater` (as `dolbom run` does), the same rows with the same cells.
// Built by scripts/fuzz.sh with the Read sources compiled in (and stand-ins for the checksum and the YAML
// configuration, fuzz/stubs).
import DolbomNormalize
import Foundation

// In memory where there is a tmpfs (a file written per input: on a disk, Foundation's atomic write waited on it).
private let path: String = {
    let dir = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : (ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp")
    return "\(dir)/dolbom-fuzz-\(getpid())-export.csv"
}()

private func writeInput(_ data: UnsafePointer<UInt8>, _ size: Int) {
    guard let file = fopen(path, "wb") else { fatalError("cannot write \(path)") }
    precondition(fwrite(data, 1, size, file) == size, "short write to \(path)")
    fclose(file)
}

private struct Seen: Equatable {
    var events: [String] = []
    var report: ExportFileReport
    var diagnostics: [Diagnostic]
}

private func read(_ url: URL, chunkSize: Int, decodeLater: Bool) -> Seen {
    var reader = ExportReader()
    reader.chunkSize = chunkSize
    let collector = DiagnosticsCollector()
    var events: [String] = []
    var headerRow: Int?
    var columns = 0
    var lastRow = 0
    var handedOn = 0
    func check(_ row: Int, _ cells: [String]) {
        guard let header = headerRow else { fatalError("a record (row \(row)) before the header") }
        precondition(row > header && row > lastRow, "rows out of order: \(row) after \(lastRow), header \(header)")
        precondition(cells.count >= columns, "row \(row): \(cells.count) cells under \(columns) columns")
        lastRow = row
        handedOn += 1
    }
    let report = reader.read(url, diagnostics: collector, decodeLater: decodeLater) { event in
        switch consume event {
        case .header(let mapping):
            precondition(headerRow == nil, "two headers")
            headerRow = -1
            columns = mapping.headers.count
            events.append("h:\(mapping.headers)")
        case .record(let record):
            check(record.row, record.cells)
            events.append("r\(record.row):\(record.cells)")
        case .encoded(let encoded):
            let record = encoded.decoded().record
            check(record.row, record.cells)
            events.append("r\(record.row):\(record.cells)")
        case .unreadable(let record, let reason, _):
            check(record.row, record.cells.count >= columns ? record.cells : record.cells + Array(repeating: "", count: columns))
            events.append("u\(record.row):\(reason)")
        }
        if headerRow == -1 { headerRow = 0 }
    }
    if let header = report.headerRow, header > 0 {
        precondition(events.isEmpty || events[0].hasPrefix("h:"), "events before the header")
    }
    precondition(report.dataRows == handedOn, "the reader counted \(report.dataRows) data rows and handed on \(handedOn)")
    precondition(report.malformedRows <= report.dataRows, "more malformed rows than data rows")
    return Seen(events: events, report: report, diagnostics: collector.all)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let url = URL(fileURLWithPath: path)
    writeInput(data, size)
    let whole = read(url, chunkSize: 1 << 18, decodeLater: false)
    // Tiny chunks on small inputs (every byte an edge somewhere), 509 bytes on larger ones (time).
    let chunkSize = size <= 4096 ? 7 : 509
    let chunked = read(url, chunkSize: chunkSize, decodeLater: false)
    precondition(whole == chunked, "chunks of \(chunkSize) bytes read differently:\n\(whole)\n\(chunked)")
    let later = read(url, chunkSize: 1 << 18, decodeLater: true)
    precondition(later.report.dataRows == whole.report.dataRows && later.events.count == whole.events.count,
                 "decodeLater read \(later.report.dataRows) rows, decoded \(whole.report.dataRows)")
    return 0
}
