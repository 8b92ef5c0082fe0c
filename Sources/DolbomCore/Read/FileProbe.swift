import Crypto
import DolbomNormalize
import Foundation

/// A first look at a file's bytes: checksum, encoding, delimiter, and whether it is a CSV at all.
struct FileProbe {
    var sha256: String
    var encoding: SourceEncoding
    var delimiter: UInt8
    var notCSV: NotCSVReason?

    static func examine(_ url: URL, chunkSize: Int = 1 << 18) throws -> FileProbe {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw CocoaError(.fileReadNoPermission, userInfo: [NSFilePathErrorKey: url.path])
        }
        defer { try? handle.close() }
        // The checksum is worked out on another thread while this one checks the encoding: the two
        // passes over a large export take about as long each, and the other core is idle here.
        let checksum = ChunkChecksum()
        var sniffer = EncodingSniffer()
        var first: [UInt8]?
        while let data = try handle.read(upToCount: chunkSize), !data.isEmpty {
            checksum.add(data)
            if first == nil { first = [UInt8](data) }
            data.withUnsafeBytes { sniffer.feed($0) }
        }
        let digest = checksum.finish()
        let head = first ?? []
        return FileProbe(sha256: digest, encoding: sniffer.encoding, delimiter: sniffDelimiter(head),
                         notCSV: EncodingSniffer.notCSV(prefix: head[...]))
    }

    /// SHA-256 of chunks handed over in order, computed on a serial queue of its own.
    private final class ChunkChecksum: @unchecked Sendable {
        private let queue = DispatchQueue(label: "dolbom.checksum")
        private var hasher = SHA256()

        func add(_ data: Data) { queue.async { self.hasher.update(data: data) } }

        func finish() -> String { queue.sync { hasher.finalize().hexString } }
    }

    /// Comma unless the first line clearly uses tabs or semicolons instead.
    static func sniffDelimiter(_ head: [UInt8]) -> UInt8 {
        var counts: [UInt8: Int] = [UInt8(ascii: ","): 0, UInt8(ascii: "\t"): 0, UInt8(ascii: ";"): 0]
        var inQuotes = false
        for byte in head {
            if byte == UInt8(ascii: "\"") { inQuotes.toggle(); continue }
            if inQuotes { continue }
            if byte == UInt8(ascii: "\n") { break }
            if counts[byte] != nil { counts[byte]! += 1 }
        }
        let comma = counts[UInt8(ascii: ",")]!
        let best = counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }!
        return best.value > comma ? best.key : UInt8(ascii: ",")
    }
}
