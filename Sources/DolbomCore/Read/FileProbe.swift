import Crypto
import DolbomNormalize
import Foundation

/// A first look at a file's bytes: checksum, encoding, delimiter, and whether it is a CSV at all.
struct FileProbe {
    var sha256: String
    var encoding: SourceEncoding
    var delimiter: UInt8
    var notCSV: NotCSVReason?

    /// A file this large is sniffed in parts on every core (the sniff and the checksum were a third of a
    /// second with one core idle before a 250 MB export could be parsed).
    static let partedFrom = 8 << 20

    static func examine(_ url: URL, chunkSize: Int = 1 << 18, parts: Int? = nil) throws -> FileProbe {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw CocoaError(.fileReadNoPermission, userInfo: [NSFilePathErrorKey: url.path])
        }
        defer { try? handle.close() }
        let size = Int((try? handle.seekToEnd()) ?? 0)
        try handle.seek(toOffset: 0)
        let parts = parts ?? (size >= partedFrom ? 8 : 1)
        if parts > 1 { return try examine(handle, size: size, parts: parts, chunkSize: chunkSize) }
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

    /// The checksum in order on one task and the encoding in parts on the others, each part starting just
    /// after a line break (`EncodingSniffer.encoding(ofParts:)`), every task reading with `pread` on its own.
    private static func examine(_ handle: FileHandle, size: Int, parts: Int, chunkSize: Int) throws -> FileProbe {
        let fd = handle.fileDescriptor
        @Sendable func read(at offset: Int, count: Int, into buffer: inout [UInt8]) -> Int {
            buffer.withUnsafeMutableBytes { raw in
                var done = 0
                while done < count {
                    let n = pread(fd, raw.baseAddress! + done, count - done, off_t(offset + done))
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 { break }
                    done += n
                }
                return done
            }
        }
        // Part boundaries: just after the first line break at or past each even split.
        var starts = [0]
        var window = [UInt8](repeating: 0, count: 1 << 16)
        for k in 1..<parts {
            var offset = max(size * k / parts, starts.last! + 1)
            var found: Int?
            while found == nil && offset < size {
                let n = read(at: offset, count: window.count, into: &window)
                if n <= 0 { break }
                if let i = window[..<n].firstIndex(of: 0x0A) { found = offset + i + 1 } else { offset += n }
            }
            if let found, found < size { starts.append(found) } else { break }
        }
        let ranges = starts.indices.map { starts[$0]..<(($0 + 1 < starts.count) ? starts[$0 + 1] : size) }
        let shared = ReadOnlyShared(value: (ranges, chunkSize))
        let failed = ReadFailure()
        // Task 0 hashes the whole file in order; the others sniff one part each.
        let results = ParallelMap.map(count: ranges.count + 1, chunk: 1) { task -> (sniffer: EncodingSniffer?, digest: String?) in
            let (ranges, chunkSize) = shared.value
            var buffer = [UInt8](repeating: 0, count: max(chunkSize, 1 << 16))
            if task == 0 {
                var hasher = SHA256()
                var offset = 0
                while offset < size {
                    let n = read(at: offset, count: buffer.count, into: &buffer)
                    if n <= 0 { failed.set(); break }
                    buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[..<n])) }
                    offset += n
                }
                return (nil, hasher.finalize().hexString)
            }
            let range = ranges[task - 1]
            var sniffer = EncodingSniffer(atFileStart: range.lowerBound == 0)
            var offset = range.lowerBound
            while offset < range.upperBound {
                let n = read(at: offset, count: min(buffer.count, range.upperBound - offset), into: &buffer)
                if n <= 0 { failed.set(); break }
                buffer.withUnsafeBytes { sniffer.feed(UnsafeRawBufferPointer(rebasing: $0[..<n])) }
                offset += n
            }
            return (sniffer, nil)
        }
        if failed.isSet { throw CocoaError(.fileReadUnknown, userInfo: [NSFilePathErrorKey: "file changed while it was read"]) }
        var head = [UInt8](repeating: 0, count: min(size, chunkSize))
        head.removeLast(head.count - read(at: 0, count: head.count, into: &head))
        return FileProbe(sha256: results[0].digest!, encoding: EncodingSniffer.encoding(ofParts: results.dropFirst().map { $0.sniffer! }),
                         delimiter: sniffDelimiter(head), notCSV: EncodingSniffer.notCSV(prefix: head[...]))
    }

    /// Whether a task could not read its bytes (the file shrank while it was read).
    private final class ReadFailure: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        func set() { lock.withLock { value = true } }
        var isSet: Bool { lock.withLock { value } }
    }

    /// SHA-256 of chunks handed over in order, computed on a serial queue of its own.
    private final class ChunkChecksum: @unchecked Sendable {
        private let queue = DispatchQueue(label: "dolbom.checksum")
        private var hasher = SHA256()

        func add(_ data: Data) { queue.async { self.hasher.update(data: data) } }

        func finish() -> String { queue.sync { hasher.finalize().hexString } }
    }

    /// The first look `ExportReader` takes before streaming a file: its size, and what its first chunk says
    /// (not a CSV at all? which delimiter?). The encoding and the checksum are worked out on the stream
    /// itself (a whole pass over a 250 MB export before parsing it cost a third of a second of both cores).
    struct Head {
        var size: Int
        var delimiter: UInt8
        var notCSV: NotCSVReason?
    }

    static func head(_ url: URL, chunkSize: Int = 1 << 18) throws -> Head {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw CocoaError(.fileReadNoPermission, userInfo: [NSFilePathErrorKey: url.path])
        }
        defer { try? handle.close() }
        let size = Int((try? handle.seekToEnd()) ?? 0)
        try handle.seek(toOffset: 0)
        var head: [UInt8] = []
        while head.count < min(size, chunkSize), let data = try handle.read(upToCount: chunkSize - head.count), !data.isEmpty {
            head += data
        }
        return Head(size: size, delimiter: sniffDelimiter(head), notCSV: EncodingSniffer.notCSV(prefix: head[...]))
    }

    /// SHA-256 of a whole file, as hex (for a file that must be compared with earlier ones before it is read).
    static func checksum(_ url: URL, chunkSize: Int = 1 << 18) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw CocoaError(.fileReadNoPermission, userInfo: [NSFilePathErrorKey: url.path])
        }
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
