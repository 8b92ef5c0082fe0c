import Crypto
import DolbomNormalize
import Foundation

/// What the reader learned about one export file; goes into `summary.json` and `dolbom inspect`.
public struct ExportFileReport: Sendable, Codable, Equatable {
    public struct Column: Sendable, Codable, Equatable {
        public var index: Int
        public var header: String
        public var role: String
        public var fromConfig: Bool

        enum CodingKeys: String, CodingKey {
            case index, header, role
            case fromConfig = "from_config"
        }
    }

    public var file: String
    public var sha256: String?
    public var encoding: SourceEncoding?
    public var delimiter: String?
    public var layout: ExportLayout?
    public var headerRow: Int?
    /// Records after the header, each one a submission (or a reject).
    public var dataRows = 0
    public var blankLines = 0
    /// Title lines above the header row (e.g. "2024년 돌봄 신청 현황").
    public var preambleRows = 0
    public var malformedRows = 0
    public var columns: [Column] = []
    /// Set when the file could not be read as a CSV at all, or only in part.
    public var error: String?
    /// Set when the file's bytes are identical to an earlier input of the run, which was read instead.
    public var sameAs: String?

    enum CodingKeys: String, CodingKey {
        case file, sha256, encoding, delimiter, layout, columns, error
        case sameAs = "same_as"
        case headerRow = "header_row"
        case dataRows = "data_rows"
        case blankLines = "blank_lines"
        case preambleRows = "preamble_rows"
        case malformedRows = "malformed_rows"
    }

    public init(file: String) { self.file = file }
}

/// One thing the reader hands on, in file order.
public enum ExportEvent: Sendable {
    /// The header row was found and mapped; comes before the records of the file.
    case header(HeaderMapping)
    /// A data record.
    case record(RawRecord)
    /// A data record whose cells are still bytes in the file's encoding (`read(decodeLater: true)`):
    /// decoded on the normalizing cores instead of the reading thread.
    case encoded(EncodedRecord)
    /// A record that could not be read as CSV; it becomes a reject with this reason.
    case unreadable(RawRecord, reason: String, message: String)
}

/// A data record as read, its cells still bytes in the file's encoding: decoding (and making a `String`
/// of every cell) is a third of the reading thread's work, and can be done on the normalizing cores.
public struct EncodedRecord: Sendable {
    /// Base name of the export (`RawRecord.file`).
    public var file: String
    public var row: Int
    var fields: FieldBuffer
    var decoder: CellDecoder
    /// The header's column count: a short record is padded with empty cells to it.
    var columns: Int
    /// False when the reader already warned about this file's undecodable bytes (in the rows it
    /// decoded itself to find the header): the file gets one warning.
    var reportsInvalidBytes: Bool

    /// A record already decoded, as UTF-8 cells.
    init(decoded record: RawRecord) {
        var fields = FieldBuffer()
        for cell in record.cells {
            fields.bytes.append(contentsOf: cell.utf8)
            fields.ends.append(fields.bytes.count)
        }
        self.init(
            file: record.file, row: record.row, fields: fields, decoder: CellDecoder(encoding: .utf8),
            columns: record.cells.count, reportsInvalidBytes: false)
    }

    init(file: String, row: Int, fields: FieldBuffer, decoder: CellDecoder, columns: Int, reportsInvalidBytes: Bool) {
        self.file = file
        self.row = row
        self.fields = fields
        self.decoder = decoder
        self.columns = columns
        self.reportsInvalidBytes = reportsInvalidBytes
    }

    /// The record as text, whether some bytes were not valid in the file's encoding, and which cells
    /// are known to need no trimming.
    ///
    /// `previous` is a record before this one in the same encoding, and `previousCells` its decoded
    /// cells, when it had no undecodable bytes: a cell with the same bytes as its cell there (the
    /// consent, the checkboxes, a sibling's address) is that text again, taken without decoding
    /// (validating and allocating) anew.
    func decoded(after previous: FieldBuffer = FieldBuffer(), cells previousCells: [String] = [])
        -> (record: RawRecord, invalidBytes: Bool, trimmed: TrimmedCells)
    {
        var cells: [String] = []
        cells.reserveCapacity(max(fields.count, columns))
        var invalid = false
        var trimmed = TrimmedCells()
        // A UTF-8 cell's text has the cell's bytes (repairs put U+FFFD, NFC composes after a first
        // letter): its ends are judged on the bytes (`UTF8Whitespace.isAtEnds`). A CP949 cell's bytes
        // are not its text's.
        let bytesAreText = decoder.encoding != .cp949
        for i in 0..<fields.count {
            if i < previousCells.count, fields.sameField(i, as: previous) {
                if fields.withField(i, { $0.isEmpty || (bytesAreText && !UTF8Whitespace.isAtEnds($0)) }) {
                    trimmed.insert(i)
                }
                cells.append(previousCells[i])
                continue
            }
            let (text, valid, clean) = fields.withField(i) { raw -> (String, Bool, Bool) in
                let (text, valid) = decoder.decode(raw)
                let clean = raw.isEmpty || (bytesAreText && !UTF8Whitespace.isAtEnds(raw))
                return (text, valid, clean)
            }
            if !valid { invalid = true }
            if clean { trimmed.insert(i) }
            cells.append(text)
        }
        if cells.count < columns {
            for i in cells.count..<columns { trimmed.insert(i) }
            cells.append(contentsOf: repeatElement("", count: columns - cells.count))
        }
        return (RawRecord(file: file, row: row, cells: cells), invalid, trimmed)
    }
}

/// The cells of one record known to have no white space at either end (their own
/// `trimmedWhitespace`), found while decoding them: the builder then takes them as they are
/// (asking `trimmedWhitespace` cost a few hundred instructions a cell). Only the first 64
/// cells are tracked; the others are always trimmed.
struct TrimmedCells: Sendable {
    private var mask: UInt64 = 0

    /// No cell known: every cell is trimmed.
    static let unknown = TrimmedCells()

    mutating func insert(_ cell: Int) {
        if cell < 64 { mask |= 1 << UInt64(cell) }
    }

    func contains(_ cell: Int) -> Bool {
        cell < 64 && mask & (1 << UInt64(cell)) != 0
    }
}

/// Reads export files: detects what they are, finds and maps the header, and
/// streams their records with provenance.
public struct ExportReader: Sendable {
    public var configuration: DolbomConfiguration
    /// Rows at the top of a file searched for the header row.
    public var headerSearchRows = 5
    /// Bytes read at a time (tests read in small chunks: what is decided must not depend on them).
    var chunkSize = 1 << 18

    public init(configuration: DolbomConfiguration = DolbomConfiguration()) {
        self.configuration = configuration
    }

    /// The warning for the first row of a file with bytes its encoding cannot decode (once per file).
    public static func invalidEncodingDiagnostic(_ encoding: SourceEncoding, file: String, row: Int) -> Diagnostic {
        Diagnostic(
            .warning, "cell_invalid_encoding",
            "\(encoding.rawValue)로 읽을 수 없는 글자가 있습니다. 파일을 'CSV UTF-8'로 다시 저장해 주세요.",
            file: file, row: row)
    }

    /// The header detector for a file: built-in wordings plus this file's configured overrides.
    public func detector(for fileName: String) -> HeaderDetector {
        var overrides: [String: ColumnRole] = [:]
        for mapping in configuration.mappings(for: fileName) {
            for (header, field) in mapping.columns ?? [:] {
                if let role = ColumnRole(configName: field) {
                    overrides[header.trimmedWhitespace] = role
                }
            }
        }
        return HeaderDetector(overrides: overrides)
    }

    /// Reads one file, calling `body` for each event. Never throws for bad
    /// content: a file that is not a CSV is described in the report's `error`
    /// and in `diagnostics`, and the run goes on with the other files.
    /// With `decodeLater`, data records come as `.encoded` and the caller reports undecodable bytes
    /// (`invalidEncodingDiagnostic`) when it decodes them.
    ///
    /// `skipDigests` are the checksums of files read before (to their names): a file with the same bytes is
    /// not read again. Its checksum is then needed before the file is read, a pass of its own; `skipSizes`,
    /// when given, are those files' sizes, and a file of another size (the same bytes have the same size) is
    /// checksummed while it is streamed instead.
    public func read(
        _ url: URL, diagnostics: DiagnosticsCollector, skipDigests: [String: String] = [:], skipSizes: Set<Int>? = nil,
        decodeLater: Bool = false, body: (consuming ExportEvent) -> Void
    ) -> ExportFileReport {
        let name = url.lastPathComponent
        var report = ExportFileReport(file: name)
        func unreadable(_ error: any Error) -> ExportFileReport {
            report.error = "읽을 수 없는 파일입니다: \(error.localizedDescription)"
            diagnostics.emit(Diagnostic(.error, "file_unreadable", report.error!, file: name))
            return report
        }

        // Pass 1: what is this file? (not-a-CSV signatures and the delimiter, from its first chunk; its
        // checksum first only when a file of its size was read before)
        let head: FileProbe.Head
        do { head = try FileProbe.head(url) } catch { return unreadable(error) }
        if (!skipDigests.isEmpty && skipSizes?.contains(head.size) ?? true) || head.notCSV != nil {
            do { report.sha256 = try FileProbe.checksum(url) } catch { return unreadable(error) }
            if let earlier = skipDigests[report.sha256!] {
                report.sameAs = earlier
                diagnostics.emit(
                    Diagnostic(.note, "file_duplicate", "\(earlier)과(와) 내용이 같은 파일이라 한 번만 읽었습니다.", file: name))
                return report
            }
        }
        if let reason = head.notCSV {
            report.error = reason.message
            diagnostics.emit(Diagnostic(.error, "file_not_csv", reason.message, file: name, row: 1))
            return report
        }
        // The header found line by line: what is above it is not read as records (its quotes may be broken).
        // The delimiter was sniffed from the first line, which may be a title: when no header is found with
        // it, the other delimiters are tried.
        var delimiter = head.delimiter
        let headerDetector = detector(for: name)
        var found = try? HeaderSearch().locate(url, delimiter: delimiter, detector: headerDetector)
        if found == nil {
            for other in [UInt8(ascii: ","), UInt8(ascii: "\t"), UInt8(ascii: ";")] where other != delimiter {
                if let header = try? HeaderSearch().locate(url, delimiter: other, detector: headerDetector) {
                    (delimiter, found) = (other, header)
                    break
                }
            }
        }
        report.delimiter = delimiter == UInt8(ascii: "\t") ? "tab" : String(UnicodeScalar(delimiter))

        // Pass 2: stream the records, working out the encoding (`RecordRouter.observe`) and the checksum
        // on the way. What the reading keeps between records is one object (`RecordRouter`): the record loop
        // then hands each call one reference; as a dozen variables captured by nested functions it retained
        // and released each of them for every record.
        return withoutActuallyEscaping(body) { body in
            let router = RecordRouter(
                name: name, detector: headerDetector, headerSearchRows: headerSearchRows,
                decodeLater: decodeLater, diagnostics: diagnostics,
                report: report, body: body)
            var stream = CSVRecordStream(url: url)
            stream.delimiter = delimiter
            stream.chunkSize = chunkSize
            if let found {
                stream.start = (found.offset, found.row, found.line)
                router.preamble = found
            }
            do {
                try stream.forEach(eachChunk: { router.observe($0) }) { event in router.take(event) }
                router.finishFile()
            } catch {
                router.finishFile(completely: false)
                router.report.error = "읽는 중 오류: \(error.localizedDescription)"
                diagnostics.emit(Diagnostic(.error, "file_unreadable", router.report.error!, file: name))
            }
            if router.mapping == nil && router.report.error == nil {
                router.report.error = "빈 파일입니다(머리글 행이 없습니다)."
                diagnostics.emit(Diagnostic(.warning, "file_empty", router.report.error!, file: name))
            }
            return router.report
        }
    }
}

/// One file's records on their way from the CSV stream to the caller: finds the header among the first
/// rows, then hands each record on (as bytes with `decodeLater`, else decoded), and turns malformed lines
/// into unreadable records. Used by one reading thread, for one file.
final class RecordRouter {
    let name: String
    let detector: HeaderDetector
    let headerSearchRows: Int
    let decodeLater: Bool
    let diagnostics: DiagnosticsCollector
    let body: (consuming ExportEvent) -> Void
    var report: ExportFileReport

    /// The file's encoding, decided from its bytes as they are read (`observe`): nil until then. Until the
    /// first byte above ASCII every event is handled at once, with UTF-8 (pure ASCII reads the same in
    /// every encoding); from there on events wait in `waiting` until the encoding is decided.
    var encoding: SourceEncoding?
    var decoder = CellDecoder(encoding: .utf8)
    private var sniffer = EncodingSniffer()
    private var waiting: [CSVRecordStream.Event] = []
    /// The checksum of the bytes read, when it was not worked out before the file was read.
    private var hasher: SHA256?

    /// How much text past the first byte above ASCII decides the encoding: a CP949 file shows itself within
    /// its first Korean letters (a byte UTF-8 cannot have there), and 64 KB is a few hundred rows. A UTF-8
    /// file with bytes further on that UTF-8 cannot have is read as UTF-8: those cells get U+FFFD and the
    /// file its one `cell_invalid_encoding` warning (read whole as CP949, every Korean letter in it was wrong).
    static let decidingBytes = 64 << 10

    var mapping: HeaderMapping?
    /// The mapping's column count once it is chosen: what each record needs of it (reading the
    /// mapping itself copied it, three buffers retained, for every record).
    var mappedColumns: Int?
    /// The header record's bytes: a record with the same bytes further down is the header repeated
    /// (exports pasted together), not a submission.
    var headerFields = FieldBuffer()
    /// The lines above the header that `HeaderSearch` skipped, when it found the header.
    var preamble: HeaderSearch.Found?
    /// Rows before the header is chosen: candidates for it (`cells`), or lines that broke CSV there
    /// (`malformed`), which are never a header; those above the chosen header are the preamble.
    var pending: [(row: Int, cells: [String], fields: FieldBuffer, malformed: Malformed?)] = []
    struct Malformed {
        var line: Int
        var rawLine: [UInt8]
        var reason: CSVRecordStream.MalformedReason
    }
    var headerUnrecognized = false
    var invalidBytesReported = false

    init(
        name: String, detector: HeaderDetector, headerSearchRows: Int, decodeLater: Bool,
        diagnostics: DiagnosticsCollector, report: ExportFileReport, body: @escaping (consuming ExportEvent) -> Void
    ) {
        self.name = name
        self.detector = detector
        self.headerSearchRows = headerSearchRows
        self.decodeLater = decodeLater
        self.diagnostics = diagnostics
        self.report = report
        self.body = body
        hasher = report.sha256 == nil ? SHA256() : nil  // else the file was checksummed before it was read
    }

    /// A chunk of the file's bytes, before the events it completes: hashed, and sniffed until the
    /// encoding is decided (a byte-order mark: UTF-8; a byte UTF-8 cannot have: CP949; `decidingBytes`
    /// of valid text past the first byte above ASCII: UTF-8).
    func observe(_ chunk: UnsafeRawBufferPointer) {
        hasher?.update(bufferPointer: chunk)
        guard encoding == nil else { return }
        sniffer.feed(chunk)
        guard !sniffer.hasBOM else { return decide(.utf8BOM) }
        guard let first = sniffer.firstNonASCII else { return }
        // Decided on exactly the `decidingBytes` from the first byte above ASCII, however the file was
        // split into chunks: a sequence UTF-8 cannot have that starts in them makes it CP949.
        if let invalid = sniffer.invalidAt, invalid < first + Self.decidingBytes {
            decide(.cp949)
        } else if sniffer.bytesSeen >= first + Self.decidingBytes {
            decide(.utf8)
        }
    }

    private func decide(_ decided: SourceEncoding) {
        encoding = decided
        decoder = CellDecoder(encoding: decided)
        report.encoding = decided
        var held: [CSVRecordStream.Event] = []
        swap(&held, &waiting)
        for event in held { take(event) }
    }

    /// After the last event: a file too short to decide on the way is decided on all its bytes (as a whole
    /// file was sniffed before any record was read); waiting events are handed on, the header is chosen if
    /// it was not, and the checksum is the file's (none when the file could not be read to its end).
    func finishFile(completely: Bool = true) {
        if encoding == nil { decide(sniffer.encoding) }  // shorter than `decidingBytes` past its first non-ASCII byte
        chooseHeader()
        if completely, let hasher { report.sha256 = hasher.finalize().hexString }
    }

    func decodeCells(_ fields: FieldBuffer, row: Int) -> [String] {
        var cells: [String] = []
        cells.reserveCapacity(fields.count)
        for i in 0..<fields.count {
            let (text, valid) = fields.withField(i) { decoder.decode($0) }
            if !valid && !invalidBytesReported {
                invalidBytesReported = true
                diagnostics.emit(ExportReader.invalidEncodingDiagnostic(decoder.encoding, file: name, row: row))
            }
            cells.append(text)
        }
        return cells
    }

    func deliver(row: Int, fields: consuming FieldBuffer, decoded: [String]?) {
        guard let columns = mappedColumns else { return }
        if fields.count == headerFields.count && fields.sameField(0, as: headerFields)
            && isRepeatedHeader(fields, decoded: decoded)
        {
            let cells = decoded ?? decodeCells(fields, row: row)
            report.dataRows += 1
            let message = "\(row)행은 머리글이 다시 나온 줄이라 신청서로 읽지 않았습니다(여러 파일을 이어 붙였다면 파일을 나누어 주세요)."
            diagnostics.emit(Diagnostic(.warning, "header_repeated", message, file: name, row: row))
            body(
                .unreadable(RawRecord(file: name, row: row, cells: cells), reason: "header_repeated", message: message))
            return
        }
        if decodeLater && !headerUnrecognized {
            report.dataRows += 1
            body(
                .encoded(
                    EncodedRecord(
                        file: name, row: row, fields: fields, decoder: decoder, columns: columns,
                        reportsInvalidBytes: !invalidBytesReported)))
            return
        }
        var cells = decoded ?? decodeCells(fields, row: row)
        if cells.count < columns {
            cells.append(contentsOf: repeatElement("", count: columns - cells.count))
        }
        let record = RawRecord(file: name, row: row, cells: cells)
        report.dataRows += 1
        if headerUnrecognized {
            body(
                .unreadable(
                    record, reason: "file_header_unrecognized",
                    message: "파일의 머리글(첫 행)에서 신청서 항목을 찾지 못해 이 행을 읽지 않았습니다. 설정 파일의 mappings로 열 이름을 지정해 주세요."))
        } else {
            body(.record(record))
        }
    }

    /// A record with the header's first cell: the header again when its cells are the header's (the
    /// same bytes, or the same words once trimmed).
    func isRepeatedHeader(_ fields: FieldBuffer, decoded: [String]?) -> Bool {
        if fields.bytes == headerFields.bytes && fields.ends == headerFields.ends { return true }
        guard let headers = mapping?.headers else { return false }
        let cells = decoded ?? (0..<fields.count).map { i in fields.withField(i) { decoder.decode($0).text } }
        return cells.map(\.trimmedWhitespace) == headers.map(\.trimmedWhitespace)
    }

    func chooseHeader() {
        guard mapping == nil, !pending.isEmpty else { return }
        // A line that broke CSV is never the header; with no header among the rows, the first readable row
        // is taken as one (and every row under it rejected, `header_unrecognized`).
        let candidates = pending.map { $0.malformed == nil ? detector.map(headers: $0.cells) : nil }
        let index = candidates.firstIndex { ($0?.mappedFieldCount ?? 0) >= 2 }
        guard let chosen = index ?? candidates.firstIndex(where: { $0 != nil }) else {
            // Nothing but broken lines, and no header: no data rows, and the file cannot be read.
            for item in pending {
                diagnostics.emit(
                    Diagnostic(
                        .error, "csv_malformed_row",
                        "\(item.malformed!.line)번째 줄을 CSV로 읽을 수 없고, 머리글도 찾지 못했습니다.", file: name, row: item.row))
            }
            report.error = "머리글을 찾지 못했고, 첫 줄부터 CSV로 읽을 수 없습니다(따옴표 확인)."
            pending = []
            return
        }
        mapping = candidates[chosen]!
        mappedColumns = mapping!.headers.count
        headerFields = pending[chosen].fields
        report.headerRow = pending[chosen].row
        report.layout = mapping!.layout
        report.columns = mapping!.headers.indices.map {
            ExportFileReport.Column(
                index: $0 + 1, header: mapping!.headers[$0], role: mapping!.roles[$0].label,
                fromConfig: mapping!.overridden.contains($0))
        }
        // Above the header: rows the line-by-line search skipped, then rows read before the header was chosen.
        let above = (preamble?.preambleRows ?? []) + pending[..<chosen].map(\.row)
        report.preambleRows = above.count
        report.blankLines += preamble?.blankRows ?? 0
        if !above.isEmpty {
            diagnostics.emit(
                Diagnostic(
                    .warning, "header_preamble_skipped",
                    "머리글(\(pending[chosen].row)행) 위의 \(Self.rowList(above))은 신청서가 아닌 제목·안내 줄로 보고 읽지 않았습니다. 신청서가 빠지지 않았는지 확인해 주세요.",
                    file: name, row: above[0]))
        }
        if index == nil {
            headerUnrecognized = true
            report.error = "머리글에서 신청서 항목(보호자 성명, 연락처, 주소 등)을 찾지 못했습니다."
            diagnostics.emit(
                Diagnostic(
                    .error, "header_unrecognized",
                    report.error! + " `dolbom inspect`로 열을 확인하고 설정 파일의 mappings에 열 이름을 지정해 주세요.",
                    file: name, row: pending[chosen].row))
        }
        body(.header(mapping!))
        let after = pending[(chosen + 1)...]
        pending = []
        for item in after {
            if let bad = item.malformed {
                rejectMalformed(
                    row: item.row, line: bad.line, cells: item.cells, rawLine: bad.rawLine, reason: bad.reason)
            } else {
                deliver(row: item.row, fields: item.fields, decoded: item.cells)
            }
        }
    }

    /// "3행", "1, 2행", "1-4, 7행" (at most ten ranges named).
    static func rowList(_ rows: [Int]) -> String {
        var ranges: [(Int, Int)] = []
        for r in rows {
            if let last = ranges.last, last.1 + 1 == r { ranges[ranges.count - 1].1 = r } else { ranges.append((r, r)) }
        }
        var parts = ranges.prefix(10).map { $0.0 == $0.1 ? "\($0.0)" : "\($0.0)-\($0.1)" }
        if ranges.count > 10 { parts.append("…") }
        return parts.joined(separator: ", ") + "행(\(rows.count)줄)"
    }

    /// A line libcsv could not read: counted, reported, and (under a header) a reject.
    func rejectMalformed(
        row: Int, line: Int, cells partial: [String], rawLine: [UInt8], reason: CSVRecordStream.MalformedReason
    ) {
        report.malformedRows += 1
        report.dataRows += 1
        var cells = partial
        cells.append(rawLine.withUnsafeBytes { decoder.decode($0).text })
        let code: String
        let message: String
        switch reason {
        case .strayQuote:
            code = "csv_malformed_row"
            message = "\(line)번째 줄에 따옴표(\")가 잘못 들어가 이 행을 CSV로 읽을 수 없습니다. 셀 안의 따옴표를 지우거나 엑셀에서 다시 저장해 주세요."
        case .unterminatedQuote(let swallowed):
            code = "csv_unterminated_quote"
            message = "\(line)번째 줄에서 시작한 따옴표가 파일 끝까지 닫히지 않았습니다(\(swallowed)줄). 파일이 중간에 잘렸는지 확인하고 다시 내려받아 주세요."
        }
        diagnostics.emit(Diagnostic(.error, code, message, file: name, row: row))
        if report.error == nil { report.error = message }
        body(.unreadable(RawRecord(file: name, row: row, cells: cells), reason: code, message: message))
    }

    func take(_ event: consuming CSVRecordStream.Event) {
        if encoding == nil && sniffer.firstNonASCII != nil {
            waiting.append(event)
            return
        }
        switch consume event {
        case .blankLine:
            report.blankLines += 1
        case .record(let row, let fields):
            if mapping == nil {
                let cells = decodeCells(fields, row: row)
                pending.append((row, cells, fields, nil))
                if pending.count >= headerSearchRows || detector.map(headers: cells).mappedFieldCount >= 2 {
                    chooseHeader()
                }
            } else {
                deliver(row: row, fields: fields, decoded: nil)
            }
        case .malformed(let row, let line, let partial, let rawLine, let reason):
            let cells = decodeCells(partial, row: row)
            if mapping == nil {
                // Above the header (a note with a stray quote) it is no data row; under it, a reject
                // (`chooseHeader` decides which).
                pending.append((row, cells, partial, Malformed(line: line, rawLine: rawLine, reason: reason)))
                if pending.count >= headerSearchRows { chooseHeader() }
            } else {
                rejectMalformed(row: row, line: line, cells: cells, rawLine: rawLine, reason: reason)
            }
        }
    }
}
