import CLibCSV

/// What a `CSVParser` hands each cell and each record's end to, in file order, on the thread that calls
/// `parse`. A cell's bytes are lent for the call only.
public protocol CSVReceiver: AnyObject {
    /// One cell's bytes, still encoded, exactly as written (libcsv's space trimming is off).
    func field(_ bytes: UnsafeRawBufferPointer)
    /// The end of a record: the terminating byte (`\n`, `\r`), or -1 at the end of the input.
    func endRecord(terminator: Int32)
}

/// libcsv in strict mode (`CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL`), fed chunk by chunk. The only
/// CSV parser of the project; it parses nothing of its own.
public final class CSVParser {
    private var parser = csv_parser()
    private let receiver: any CSVReceiver
    private let delimiter: UInt8
    private var live = false

    public init(delimiter: UInt8, receiver: any CSVReceiver) {
        self.delimiter = delimiter
        self.receiver = receiver
        start()
    }

    deinit { if live { csv_free(&parser) } }

    private func start() {
        csv_init(&parser, UInt8(CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL))
        csv_set_delim(&parser, delimiter)
        // Cells exactly as written; normalizers trim. (libcsv trims unquoted cells by default.)
        csv_set_space_func(&parser) { _ in 0 }
        live = true
    }

    /// Drops what the parser holds and starts afresh (after a malformed line is skipped).
    public func restart() {
        if live { csv_free(&parser) }
        start()
    }

    /// Feeds `bytes`. Returns how many were consumed and whether libcsv found a strict-mode error: fewer
    /// consumed than given, or `failed`, means the error sits at `consumed`.
    public func parse(_ bytes: UnsafeRawBufferPointer) -> (consumed: Int, failed: Bool) {
        guard !bytes.isEmpty else { return (0, false) }
        let consumed = csv_parse(&parser, bytes.baseAddress, bytes.count, Self.onField, Self.onRow, context)
        return (consumed, csv_error(&parser) == CSV_EPARSE)
    }

    /// Ends the input, handing over a last record without a line break. False when the input ended
    /// inside a quoted cell.
    public func finish() -> Bool {
        csv_fini(&parser, Self.onField, Self.onRow, context) == 0
    }

    /// This parser as libcsv's callback argument: the callbacks use it without a retain and release per
    /// cell (the parser outlives every call it makes).
    private var context: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    private static let onField: @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Void = {
        data, length, context in
        Unmanaged<CSVParser>.fromOpaque(context!)._withUnsafeGuaranteedRef {
            $0.receiver.field(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : length))
        }
    }

    private static let onRow: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void = { terminator, context in
        Unmanaged<CSVParser>.fromOpaque(context!)._withUnsafeGuaranteedRef {
            $0.receiver.endRecord(terminator: terminator)
        }
    }
}
