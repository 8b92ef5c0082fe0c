import Foundation

/// The text encoding of an export, as detected from its bytes.
///
/// Korean Excel saves "CSV (쉼표로 분리)" as CP949 without a BOM and
/// "CSV UTF-8" with one; Google Forms and Naver Form download UTF-8.
public enum SourceEncoding: String, Sendable, Codable, Hashable {
    case utf8 = "utf-8"
    case utf8BOM = "utf-8-bom"
    case cp949 = "cp949"

    /// Foundation on Linux decodes CP949 correctly only as "DOS Korean"
    /// (kCFStringEncodingDOSKorean); its EUC-KR silently mis-decodes extended
    /// syllables such as 똠.
    static let dosKorean = String.Encoding(rawValue: 0x8000_0422)
}

/// Why a file is not a CSV we can read, found by looking at its first bytes.
enum NotCSVReason: Equatable {
    case excelWorkbook
    case legacyExcelWorkbook
    case html
    case utf16
    case binary

    var message: String {
        switch self {
        case .excelWorkbook:
            return "CSV가 아니라 엑셀 통합문서(.xlsx)입니다. 엑셀에서 '다른 이름으로 저장' → 'CSV UTF-8(쉼표로 분리)'로 저장해 주세요."
        case .legacyExcelWorkbook:
            return "CSV가 아니라 엑셀 97-2003 통합문서(.xls)입니다. 'CSV UTF-8(쉼표로 분리)'로 저장해 주세요."
        case .html:
            return "CSV가 아니라 HTML 파일입니다(일부 시스템의 '엑셀 내려받기'). 엑셀에서 열어 'CSV UTF-8'로 다시 저장해 주세요."
        case .utf16:
            return "UTF-16('유니코드 텍스트') 파일은 읽지 않습니다. 'CSV UTF-8(쉼표로 분리)'로 저장해 주세요."
        case .binary:
            return "텍스트가 아닌 바이너리 파일입니다(NUL 바이트 포함). CSV 파일인지 확인해 주세요."
        }
    }
}

/// Decides the encoding of a byte stream incrementally, so a large file is
/// checked without holding it in memory.
struct EncodingSniffer {
    private var pendingContinuation = 0
    private(set) var isValidUTF8 = true
    private(set) var hasBOM = false
    private var started = false
    /// Bytes fed so far, and where the first byte above ASCII was among them (after a byte-order mark):
    /// `ExportReader` decides a file's encoding once it has seen enough text past that point.
    private(set) var bytesSeen = 0
    private(set) var firstNonASCII: Int?
    /// Where the first sequence UTF-8 cannot have starts (its first byte), once `isValidUTF8` is false:
    /// the same place however the bytes were split into chunks.
    private(set) var invalidAt: Int?
    private var sequenceStart = 0

    /// Looks at the start of a file for things that are not CSV at all.
    static func notCSV(prefix: ArraySlice<UInt8>) -> NotCSVReason? {
        let bytes = Array(prefix.prefix(512))
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .excelWorkbook }
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) { return .legacyExcelWorkbook }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { return .utf16 }
        if bytes.contains(0) { return .binary }
        var start = bytes[...]
        if start.starts(with: [0xEF, 0xBB, 0xBF]) { start = start.dropFirst(3) }
        let head = String(decoding: start.prefix(64), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if head.hasPrefix("<html") || head.hasPrefix("<!doctype") || head.hasPrefix("<table") || head.hasPrefix("<?xml")
        {
            return .html
        }
        return nil
    }

    mutating func feed(_ chunk: UnsafeRawBufferPointer) {
        let seenBefore = bytesSeen
        bytesSeen += chunk.count
        var bytes = chunk[...]
        if !started {
            started = true
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
                hasBOM = true
                bytes = bytes.dropFirst(3)
            }
        }
        guard isValidUTF8 else { return }
        var i = bytes.startIndex
        let end = bytes.endIndex
        while i < end {
            // Runs of ASCII (most of a CSV: digits, separators, quotes) are skipped eight bytes at a time.
            if pendingContinuation == 0 {
                while i + 8 <= end, chunk.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0
                { i += 8 }
                if i == end { break }
            }
            let byte = chunk[i]
            if byte >= 0x80 && firstNonASCII == nil { firstNonASCII = seenBefore + i }
            // A whole three-byte sequence (every Hangul syllable) checked at once when the chunk holds it.
            if pendingContinuation == 0, byte & 0xF0 == 0xE0, i + 2 < end {
                guard chunk[i + 1] & 0xC0 == 0x80, chunk[i + 2] & 0xC0 == 0x80 else {
                    // Where the byte-by-byte rule below stops too: at this first byte, or (a good second
                    // byte) still at this first byte, as the sequence's start.
                    invalidAt = seenBefore + i
                    isValidUTF8 = false
                    return
                }
                i += 3
                continue
            }
            if pendingContinuation == 0 { sequenceStart = seenBefore + i }
            i += 1
            if pendingContinuation > 0 {
                guard byte & 0xC0 == 0x80 else {
                    invalidAt = sequenceStart
                    isValidUTF8 = false
                    return
                }
                pendingContinuation -= 1
            } else if byte < 0x80 {
                continue
            } else if byte & 0xE0 == 0xC0, byte >= 0xC2 {
                pendingContinuation = 1
            } else if byte & 0xF0 == 0xE0 {
                pendingContinuation = 2
            } else if byte & 0xF8 == 0xF0, byte <= 0xF4 {
                pendingContinuation = 3
            } else {
                invalidAt = sequenceStart
                isValidUTF8 = false
                return
            }
        }
    }

    var encoding: SourceEncoding {
        if hasBOM { return .utf8BOM }
        return isValidUTF8 && pendingContinuation == 0 ? .utf8 : .cp949
    }
}

/// Turns the bytes of one cell into NFC text.
struct CellDecoder: Sendable {
    let encoding: SourceEncoding

    func decode(_ bytes: UnsafeRawBufferPointer) -> (text: String, valid: Bool) {
        var needsNFC = false
        var seen: UInt8 = 0  // every byte OR-ed: below 0x80 when the cell is ASCII
        if let p = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) {
            // Eight bytes at a time: which bytes are set at all, and whether a rare lead byte is there
            // (the pairs are looked at only then).
            let n = bytes.count
            var seenWord: UInt64 = 0
            var rare = false
            var i = 0
            @inline(__always) func hasZeroByte(_ x: UInt64) -> Bool {
                (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 != 0
            }
            while i + 8 <= n {
                let word = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                seenWord |= word
                if word & 0x8080_8080_8080_8080 != 0
                    && (hasZeroByte(word ^ 0xE1E1_E1E1_E1E1_E1E1)
                        || hasZeroByte((word | 0x0101_0101_0101_0101) ^ 0xCDCD_CDCD_CDCD_CDCD))
                {
                    rare = true
                }
                i += 8
            }
            seen = seenWord & 0x8080_8080_8080_8080 != 0 ? 0x80 : 0
            while i < n {
                let byte = p[i]
                seen |= byte
                if byte == 0xE1 || byte & 0xFE == 0xCC { rare = true }
                i += 1
            }
            if rare {
                // U+1100-11FF (conjoining jamo, macOS NFD Hangul) start E1 84..87;
                // U+0300-036F (combining accents, NFD Latin/Vietnamese) are CC 80..CD AF.
                for i in 1..<max(n, 1) {
                    let previous = p[i - 1]
                    let byte = p[i]
                    if (previous == 0xE1 && (0x84...0x87).contains(byte))
                        || ((previous == 0xCC || previous == 0xCD) && byte >= 0x80)
                    {
                        needsNFC = true
                        break
                    }
                }
            }
        }
        if seen < 0x80 { return (String(decoding: bytes, as: UTF8.self), true) }
        var text: String
        var valid = true
        switch encoding {
        case .utf8, .utf8BOM:
            // Bytes UTF-8 cannot have (in a file decided UTF-8 on its first stretch of text, or marked so)
            // become U+FFFD, and the row gets the file's warning. The text has exactly the cell's bytes
            // unless something was replaced (valid bytes come out as they are; replaced ones do not), which
            // one comparison of the bytes tells (`String(validating:)` made decoding 80% slower).
            text = String(decoding: bytes, as: UTF8.self)
            valid =
                text.utf8.count == bytes.count
                && text.utf8.withContiguousStorageIfAvailable { utf8 in
                    memcmp(utf8.baseAddress!, bytes.baseAddress!, bytes.count) == 0
                } ?? text.utf8.elementsEqual(bytes)
        case .cp949:
            if let decoded = String(data: Data(bytes), encoding: SourceEncoding.dosKorean) {
                text = decoded
                needsNFC = false
            } else {
                text = String(decoding: bytes, as: UTF8.self)
                valid = false
            }
        }
        if needsNFC { text = text.precomposedStringWithCanonicalMapping }
        return (text, valid)
    }
}
