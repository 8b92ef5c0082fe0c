import Crypto
import DolbomNormalize
import DolbomRuntime
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
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        for i in record.cells.indices {
            if i < headers.count { appendUTF8(headers[i], to: &bytes) } else { appendUTF8("열\(i + 1)", to: &bytes) }
            bytes.append(0x1F)
            appendTrimmed(record.cells[i], to: &bytes)
            bytes.append(0x1E)
        }
        return SubmissionIdentity.Code(sha256: SHA256.hash(data: bytes))
    }

    /// `bytes.append(contentsOf: text.utf8)`, copied in one piece from the text's storage.
    private static func appendUTF8(_ text: String, to bytes: inout [UInt8]) {
        text.readingUTF8 { bytes.append(contentsOf: $0) }
    }

    /// The UTF-8 of `cell.trimmedWhitespace`, without making that string: the white space at either
    /// end is recognized on the bytes (the encodings of `Unicode.Scalar.isTrimmableWhitespace`) and the
    /// rest is copied in one piece.
    static func appendTrimmed(_ cell: String, to bytes: inout [UInt8]) {
        cell.readingUTF8 { u in
            var low = 0
            var high = u.count
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
            if low < high { bytes.append(contentsOf: u[low..<high]) }
        }
    }

    /// The byte length of the white-space scalar at `i`, or 0.
    @inline(__always)
    private static func whitespaceLength<Bytes: RandomAccessCollection>(_ u: Bytes, startingAt i: Int, before end: Int)
        -> Int
    where Bytes.Element == UInt8, Bytes.Index == Int {
        let b = u[i]
        if b < 0x80 { return (b >= 0x09 && b <= 0x0D) || b == 0x20 ? 1 : 0 }
        if i + 2 <= end, b == 0xC2 { return u[i + 1] == 0x85 || u[i + 1] == 0xA0 ? 2 : 0 }
        if i + 3 <= end { return isWhitespace3(u[i], u[i + 1], u[i + 2]) ? 3 : 0 }
        return 0
    }

    /// The byte length of the white-space scalar that ends just before `end`, or 0.
    @inline(__always)
    private static func whitespaceLength<Bytes: RandomAccessCollection>(_ u: Bytes, endingAt end: Int, after start: Int)
        -> Int
    where Bytes.Element == UInt8, Bytes.Index == Int {
        let b = u[end - 1]
        if b < 0x80 { return (b >= 0x09 && b <= 0x0D) || b == 0x20 ? 1 : 0 }
        if end - 2 >= start, u[end - 2] == 0xC2, b == 0x85 || b == 0xA0 { return 2 }
        if end - 3 >= start, isWhitespace3(u[end - 3], u[end - 2], b) { return 3 }
        return 0
    }

    /// U+1680, U+2000-200A, U+2028, U+2029, U+202F, U+205F, U+3000 in UTF-8.
    @inline(__always)
    private static func isWhitespace3(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Bool {
        UTF8Whitespace.isWhitespace3(a, b, c)
    }

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

    public static func identity(_ submission: Submission, contentHash content: String, occurrence: Int)
        -> SubmissionIdentity
    {
        identity(submission, contentHash: SubmissionIdentity.Code(content), occurrence: occurrence)
    }

    static func identity(_ submission: Submission, contentHash content: SubmissionIdentity.Code, occurrence: Int)
        -> SubmissionIdentity
    {
        // The basis `v1|time|<iso>|<digits>|<occurrence>` (or `v1|content|<hash>`) is written as bytes into
        // one array: made as a String it cost five appends and as many heap blocks per row.
        var basis: [UInt8] = []
        basis.reserveCapacity(96)
        if let time = submission.submittedAt {
            basis.append(contentsOf: "v1|time|".utf8)
            time.appendISO(to: &basis)
            basis.append(0x7C)
            appendUTF8(submission.phones.primary.digits, to: &basis)
            basis.append(0x7C)
            appendDecimal(occurrence, to: &basis)
        } else {
            basis.append(contentsOf: "v1|content|".utf8)
            appendUTF8(content.text, to: &basis)
        }
        return SubmissionIdentity(
            fingerprint: SubmissionIdentity.Code(sha256: SHA256.hash(data: basis)), content: content)
    }

    /// The decimal digits of `value`, as `"\(value)"` writes them.
    private static func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
        guard value > 0 else { return bytes.append(contentsOf: String(value).utf8) }
        let start = bytes.count
        var v = value
        while v > 0 {
            bytes.append(UInt8(0x30 + v % 10))
            v /= 10
        }
        bytes[start...].reverse()
    }
}

extension SubmissionIdentity.Code {
    /// The digest's four big-endian words, read directly (the generic byte loop cost about a
    /// thousand instructions per digest).
    init(sha256 digest: SHA256Digest) {
        let (a, b, c, d) = bigEndianWords(digest)
        self = .digest(a, b, c, d)
    }
}
