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
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        for (i, cell) in record.cells.enumerated() {
            let header = i < headers.count ? headers[i] : "열\(i + 1)"
            bytes.append(contentsOf: header.utf8)
            bytes.append(0x1F)
            appendTrimmed(cell, to: &bytes)
            bytes.append(0x1E)
        }
        return SubmissionIdentity.Code(digest: SHA256.hash(data: bytes))
    }

    /// The UTF-8 of `cell.trimmedWhitespace`, without making that string.
    static func appendTrimmed(_ cell: String, to bytes: inout [UInt8]) {
        let scalars = cell.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.isTrimmableWhitespace }) else { return }
        let last = scalars.lastIndex(where: { !$0.isTrimmableWhitespace })!
        bytes.append(contentsOf: cell.utf8[first..<scalars.index(after: last)])
    }

    /// `occurrenceKey` as a value (time and number), which hashes without making a string.
    public struct OccurrenceKey: Hashable, Sendable {
        var time: LocalDateTime
        var phone: String
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
        let basis = occurrenceKey(submission).map { "v1|time|\($0)|\(occurrence)" } ?? "v1|content|\(content.text)"
        return SubmissionIdentity(fingerprint: SubmissionIdentity.Code(digest: SHA256.hash(data: Array(basis.utf8))), content: content)
    }
}
