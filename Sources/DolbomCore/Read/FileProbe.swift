import Crypto
import DolbomNormalize
import Foundation

/// A first look at a file's bytes: checksum, encoding, delimiter, and whether it is a CSV at all.
struct FileProbe {
    var sha256: String
    var encoding: SourceEncoding
    var head: Head

    var delimiter: UInt8 { head.delimiter }
    var notCSV: NotCSVReason? { head.notCSV }

    /// One pass over a whole file: for staff sheets, which are small. Exports are not probed whole:
    /// `ExportReader` takes their `head` and works the encoding and checksum out on the stream it parses.
    static func examine(_ url: URL, chunkSize: Int = 1 << 18) throws -> FileProbe {
        let handle = try open(url)
        defer { try? handle.close() }
        var hasher = SHA256()
        var sniffer = EncodingSniffer()
        var first: [UInt8]?
        var size = 0
        while let data = try handle.read(upToCount: chunkSize), !data.isEmpty {
            hasher.update(data: data)
            if first == nil { first = [UInt8](data) }
            size += data.count
            data.withUnsafeBytes { sniffer.feed($0) }
        }
        return FileProbe(
            sha256: hasher.finalize().hexString, encoding: sniffer.encoding, head: Head(size: size, first: first ?? []))
    }

    private static func open(_ url: URL) throws -> FileHandle {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw CocoaError(.fileReadNoPermission, userInfo: [NSFilePathErrorKey: url.path])
        }
        return handle
    }

    /// The first look `ExportReader` takes before streaming a file: its size, and what its first chunk says
    /// (not a CSV at all? which delimiter?). The encoding and the checksum are worked out on the stream
    /// itself (a whole pass over a 250 MB export before parsing it cost a third of a second of both cores).
    struct Head {
        var size: Int
        var delimiter: UInt8
        var notCSV: NotCSVReason?

        /// What the file's first chunk `first` says.
        init(size: Int, first: [UInt8]) {
            self.size = size
            delimiter = FileProbe.sniffDelimiter(first)
            notCSV = EncodingSniffer.notCSV(prefix: first[...])
        }
    }

    static func head(_ url: URL, chunkSize: Int = 1 << 18) throws -> Head {
        let handle = try open(url)
        defer { try? handle.close() }
        let size = Int((try? handle.seekToEnd()) ?? 0)
        try handle.seek(toOffset: 0)
        var head: [UInt8] = []
        while head.count < min(size, chunkSize), let data = try handle.read(upToCount: chunkSize - head.count),
            !data.isEmpty
        {
            head += data
        }
        return Head(size: size, first: head)
    }

    /// SHA-256 of a whole file, as hex (for a file that must be compared with earlier ones before it is read).
    static func checksum(_ url: URL, chunkSize: Int = 1 << 18) throws -> String {
        let handle = try open(url)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let data = try handle.read(upToCount: chunkSize), !data.isEmpty { hasher.update(data: data) }
        return hasher.finalize().hexString
    }

    /// Comma unless the first line clearly uses tabs or semicolons instead.
    static func sniffDelimiter(_ head: [UInt8]) -> UInt8 {
        var counts: [UInt8: Int] = [UInt8(ascii: ","): 0, UInt8(ascii: "\t"): 0, UInt8(ascii: ";"): 0]
        var inQuotes = false
        for byte in head {
            if byte == UInt8(ascii: "\"") {
                inQuotes.toggle()
                continue
            }
            if inQuotes { continue }
            if byte == UInt8(ascii: "\n") { break }
            if counts[byte] != nil { counts[byte]! += 1 }
        }
        let comma = counts[UInt8(ascii: ",")]!
        let best = counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }!
        return best.value > comma ? best.key : UInt8(ascii: ",")
    }
}
