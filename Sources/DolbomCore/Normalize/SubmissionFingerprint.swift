import Crypto
import DolbomNormalize
import Foundation

/// Recognizes a submission again in a later export.
///
/// Google Forms downloads are cumulative, and staff re-save the same sheet
/// under new names, so the file name and row cannot identify a submission.
/// The fingerprint is the submission time, the guardian's number and the
/// occurrence of that pair within the export (two children entered in the
/// same minute stay distinct); an edit to any other cell keeps the
/// fingerprint and changes the content hash, so it is reported as an update.
/// A row without a readable time falls back to its content: any edit then
/// makes it a new submission.
public enum SubmissionFingerprint {
    public static func contentHash(_ record: RawRecord, headers: [String]) -> String {
        contentCode(record, headers: headers).text
    }

    static func contentCode(_ record: RawRecord, headers: [String]) -> SubmissionIdentity.Code {
        // One buffer per record, hashed once: header, 0x1F, trimmed value, 0x1E per cell.
        // Headers and cells are read in place (copying each out of its array, and each cell again to
        // reach its bytes, cost three retains and releases a cell).
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        record.cells.withUnsafeBufferPointer { cells in
            headers.withUnsafeBufferPointer { headers in
                for i in cells.indices {
                    if i < headers.count { appendUTF8(headers[i], to: &bytes) } else { appendUTF8("열\(i + 1)", to: &bytes) }
                    bytes.append(0x1F)
                    appendTrimmed(cells[i], to: &bytes)
                    bytes.append(0x1E)
                }
            }
        }
        return SubmissionIdentity.Code(sha256: SHA256.hash(data: bytes))
    }

    /// `bytes.append(contentsOf: text.utf8)`, copied in one piece from the text's storage.
    private static func appendUTF8(_ text: String, to bytes: inout [UInt8]) {
        if text.utf8.withContiguousStorageIfAvailable({ bytes.append(contentsOf: $0) }) == nil {
            bytes.append(contentsOf: text.utf8)
        }
    }

    /// The UTF-8 of `cell.trimmedWhitespace`, without making that string: the white space at either
    /// end is recognized on the bytes (the encodings of `Unicode.Scalar.isTrimmableWhitespace`) and the
    /// rest is copied in one piece.
    static func appendTrimmed(_ cell: String, to bytes: inout [UInt8]) {
        if cell.utf8.withContiguousStorageIfAvailable({ appendTrimmed(utf8: $0, to: &bytes) }) == nil {
            var copy = cell
            copy.withUTF8 { appendTrimmed(utf8: $0, to: &bytes) }
        }
    }

    private static func appendTrimmed(utf8 u: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        var low = 0, high = u.count
        while low < high {
            let n = whitespaceLength(u, startingAt: low, before: high)
            if n == 0 { break }
            low += n
        }
        while high > low {
            let n = whitespaceLength(u, endingAt: high, after: low)
            if n == 0 { break }
            high -= n
        }
        if low < high { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: u[low..<high])) }
    }

    /// The byte length of the white-space scalar at `i`, or 0.
    @inline(__always)
    private static func whitespaceLength(_ u: UnsafeBufferPointer<UInt8>, startingAt i: Int, before end: Int) -> Int {
        let b = u[i]
        if b < 0x80 { return (b >= 0x09 && b <= 0x0D) || b == 0x20 ? 1 : 0 }
        if i + 2 <= end, b == 0xC2 { return u[i + 1] == 0x85 || u[i + 1] == 0xA0 ? 2 : 0 }
        if i + 3 <= end { return isWhitespace3(u[i], u[i + 1], u[i + 2]) ? 3 : 0 }
        return 0
    }

    /// The byte length of the white-space scalar that ends just before `end`, or 0.
    @inline(__always)
    private static func whitespaceLength(_ u: UnsafeBufferPointer<UInt8>, endingAt end: Int, after start: Int) -> Int {
        let b = u[end - 1]
        if b < 0x80 { return (b >= 0x09 && b <= 0x0D) || b == 0x20 ? 1 : 0 }
        if end - 2 >= start, u[end - 2] == 0xC2, b == 0x85 || b == 0xA0 { return 2 }
        if end - 3 >= start, isWhitespace3(u[end - 3], u[end - 2], b) { return 3 }
        return 0
    }

    /// U+1680, U+2000-200A, U+2028, U+2029, U+202F, U+205F, U+3000 in UTF-8.
    @inline(__always)
    private static func isWhitespace3(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Bool { UTF8Whitespace.isWhitespace3(a, b, c) }

    /// `occurrenceKey` as a value (time and number), which hashes without making a string.
    public struct OccurrenceKey: Hashable, Sendable {
        /// The number's digits as an integer (`DigitCode`), or its text when it does not fit: a
        /// million rows of one export are counted in one dictionary.
        enum Phone: Hashable, Sendable {
            case digits(UInt64)
            case text(String)
        }

        var time: LocalDateTime
        var phone: Phone

        init(time: LocalDateTime, phone digits: String) {
            self.time = time
            phone = DigitCode.of(digits).map(Phone.digits) ?? .text(digits)
        }
    }

    static func occurrence(_ submission: Submission) -> OccurrenceKey? {
        submission.submittedAt.map { OccurrenceKey(time: $0, phone: submission.phones.primary.digits) }
    }

    /// The key that counts occurrences within one export.
    public static func occurrenceKey(_ submission: Submission) -> String? {
        guard let time = submission.submittedAt else { return nil }
        return time.iso + "|" + submission.phones.primary.digits
    }

    public static func identity(_ submission: Submission, contentHash content: String, occurrence: Int) -> SubmissionIdentity {
        identity(submission, contentHash: SubmissionIdentity.Code(content), occurrence: occurrence)
    }

    static func identity(_ submission: Submission, contentHash content: SubmissionIdentity.Code, occurrence: Int) -> SubmissionIdentity {
        // The basis `v1|time|<iso>|<digits>|<occurrence>` (or `v1|content|<hash>`) is written as bytes into
        // one stack buffer: made as a String it cost five appends and as many heap blocks per row.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { buffer in
            var basis = BasisBytes(buffer)
            if let time = submission.submittedAt {
                basis.append("v1|time|")
                basis.appendISO(time)
                basis.append(byte: 0x7C)
                basis.append(submission.phones.primary.digits)
                basis.append(byte: 0x7C)
                basis.append(decimal: occurrence)
            } else {
                basis.append("v1|content|")
                basis.append(content.text)
            }
            return SubmissionIdentity(fingerprint: basis.digest(), content: content)
        }
    }

    /// The fingerprint's basis as it is written: a fixed buffer, spilling to an array only when a
    /// text is long (a phone cell's digits are not limited by the form).
    private struct BasisBytes {
        let buffer: UnsafeMutableBufferPointer<UInt8>
        var count = 0
        var spilled: [UInt8]?

        init(_ buffer: UnsafeMutableBufferPointer<UInt8>) { self.buffer = buffer }

        mutating func append(byte: UInt8) {
            if spilled == nil, count < buffer.count {
                buffer[count] = byte
                count += 1
            } else {
                spill()
                spilled!.append(byte)
            }
        }

        mutating func append(_ text: StaticString) {
            text.withUTF8Buffer { append(contentsOf: UnsafeRawBufferPointer($0)) }
        }

        mutating func append(_ text: String) {
            var text = text
            text.withUTF8 { append(contentsOf: UnsafeRawBufferPointer($0)) }
        }

        /// The decimal digits of `value`, as `"\(value)"` writes them.
        mutating func append(decimal value: Int) {
            guard value >= 0 else { return append(String(value)) }
            var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for Int.max's 19 digits
            withUnsafeMutableBytes(of: &digits) { out in
                var v = value, start = out.count
                repeat {
                    start -= 1
                    out[start] = UInt8(0x30 + v % 10)
                    v /= 10
                } while v > 0
                append(contentsOf: UnsafeRawBufferPointer(rebasing: out[start...]))
            }
        }

        /// `time.iso` (`YYYY-MM-DDTHH:MM:SS+09:00`).
        mutating func appendISO(_ time: LocalDateTime) {
            var written = false
            if buffer.count - count >= LocalDateTime.isoByteCount, spilled == nil {
                written = time.writeISO(into: UnsafeMutableBufferPointer(rebasing: buffer[count...]))
                if written { count += LocalDateTime.isoByteCount }
            }
            if !written { append(time.iso) }
        }

        mutating func append(contentsOf bytes: UnsafeRawBufferPointer) {
            if spilled == nil, bytes.count <= buffer.count - count {
                if let base = bytes.baseAddress, !bytes.isEmpty {
                    (buffer.baseAddress! + count).update(from: base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
                }
                count += bytes.count
            } else {
                spill()
                spilled!.append(contentsOf: bytes)
            }
        }

        private mutating func spill() {
            if spilled == nil { spilled = Array(buffer[..<count]) }
        }

        func digest() -> SubmissionIdentity.Code {
            var hasher = SHA256()
            if let spilled {
                spilled.withUnsafeBytes { hasher.update(bufferPointer: $0) }
            } else {
                hasher.update(bufferPointer: UnsafeRawBufferPointer(start: buffer.baseAddress, count: count))
            }
            return SubmissionIdentity.Code(sha256: hasher.finalize())
        }
    }
}

extension SubmissionIdentity.Code {
    /// The digest's four big-endian words, read directly (the generic byte loop cost about a
    /// thousand instructions per digest).
    init(sha256 digest: SHA256Digest) {
        self = digest.withUnsafeBytes { raw in
            .digest(UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                    UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
                    UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
                    UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)))
        }
    }
}
