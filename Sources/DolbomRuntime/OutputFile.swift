import Foundation

/// A file written through a buffer, flushed in large blocks and synced on close.
///
/// A file that grows past one staging block (applicants.jsonl, call-list.csv, …) is written with O_DIRECT
/// from an aligned staging buffer: the run syncs every file before it renames the folder into place, so
/// the bytes go to the disk anyway, and the page-cache copy it saves is a gigabyte of memory the machine
/// would otherwise have to find (on a VM that returns freed memory to its host, 2.5 s per GB of fresh
/// pages against 0.6 s per GB to the disk). Small files, and file systems that refuse O_DIRECT, are
/// written through the page cache as before; the bytes in the file are the same either way.
public final class OutputFile {
    /// A file that could not be opened, written or synced, with the system's reason.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): cannot write outputs: \(reason)" }
    }

    let fd: Int32
    public let path: String
    /// Bytes written by appending to them (small files: a call sheet, summary.json); see `flushIfFull`.
    public var buffer: [UInt8] = []
    public static let blockSize = 1 << 20

    /// Creates the file (it must not exist) with `mode`.
    public init(path: String, mode: mode_t) throws(Failure) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard fd >= 0 else { throw Failure(path: path, reason: String(cString: strerror(errno))) }
        buffer.reserveCapacity(Self.blockSize + 4096)
    }

    deinit {
        if !closed { Foundation.close(fd) }
        staging?.deallocate()
    }

    public func flushIfFull() throws {
        if buffer.count >= Self.blockSize { try flush() }
    }

    public func flush() throws {
        try writeAll(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Moves `bytes` into the file's buffer (leaving `bytes` empty), writing out full blocks.
    public func take(_ bytes: ByteBuffer) throws {
        bytes.withUnsafeReadableBytes { buffer.append(contentsOf: $0) }
        bytes.removeAll()
        try flushIfFull()
    }

    /// Writes `bytes` out once they fill a block (leaving `bytes` empty), straight from the caller's buffer.
    public func drain(_ bytes: ByteBuffer) throws {
        guard bytes.count >= Self.blockSize else { return }
        try flush()
        try bytes.withUnsafeReadableBytes { try writeAll($0) }
        bytes.removeAll()
    }

    /// Writes `bytes` out after what is buffered.
    public func write(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        try flush()
        try writeAll(bytes)
    }

    /// Writes the bytes of `buffer` out after what is buffered (leaving `buffer` as it is).
    public func write(_ buffer: ByteBuffer) throws {
        try flush()
        try buffer.withUnsafeReadableBytes { try writeAll($0) }
    }

    private func writeAll(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBufferPointer { try writeAll($0) }
    }

    /// Bytes collect in the staging block; each full block goes to the file.
    private func writeAll(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        guard !bytes.isEmpty else { return }
        let block =
            staging
            ?? {
                let b = UnsafeMutableRawPointer.allocate(byteCount: Self.stagingSize, alignment: Self.directAlignment)
                staging = b
                return b
            }()
        var offset = 0
        while offset < bytes.count {
            let n = min(Self.stagingSize - staged, bytes.count - offset)
            (block + staged).copyMemory(from: bytes.baseAddress! + offset, byteCount: n)
            staged += n
            offset += n
            if staged == Self.stagingSize {
                // A full block: the file is a big one, written past the page cache from here on.
                if !directTried {
                    directTried = true
                    direct = SystemCalls.setDirectIO(fd, true)
                }
                try writeStaged(count: staged)
                staged = 0
            }
        }
    }

    /// Writes the first `count` bytes of the staging block (a multiple of the alignment when direct).
    private func writeStaged(count: Int) throws {
        try writeOut(UnsafeRawPointer(staging!), count: count)
    }

    private func writeOut(_ block: UnsafeRawPointer, count: Int) throws {
        var offset = 0
        while offset < count {
            let n = systemWrite(fd, block + offset, count - offset)
            if n < 0, errno == EINVAL, direct {
                // The file system took O_DIRECT but not this write: the rest goes through the page cache.
                direct = false
                SystemCalls.setDirectIO(fd, false)
                continue
            }
            guard n > 0 else {
                throw Failure(path: path, reason: "write failed (disk full?): \(String(cString: strerror(errno)))")
            }
            offset += n
            if direct, n % Self.directAlignment != 0 {
                // A short write leaves the next one unaligned: finish through the page cache.
                direct = false
                SystemCalls.setDirectIO(fd, false)
            }
        }
        written += count
        // Through the page cache, the disk is given each 16 MB as it is written rather than the whole file at
        // `close`'s fsync, which the run then waited for (0.2 s for applicants.jsonl at 1M rows). A hint:
        // `close` still syncs it all.
        if !direct, written - handedToDisk >= Self.writebackStep {
            SystemCalls.startWriteback(fd, offset: handedToDisk, length: written - handedToDisk)
            handedToDisk = written
        }
    }

    /// Staging block: large enough that each direct write keeps the disk busy, small enough for every
    /// open file to have one.
    public static let stagingSize = 4 << 20
    /// O_DIRECT needs buffer, offset and length aligned to the device's logical block (512 or 4096 bytes).
    public static let directAlignment = 4096
    private var staging: UnsafeMutableRawPointer?
    private var staged = 0
    private var directTried = false
    /// Whether the blocks go past the page cache (for tests: the bytes are the same either way).
    public private(set) var direct = false
    private var closed = false
    /// write(2), replaceable by tests to refuse a direct write or cut one short as a file system may.
    public var systemWrite: (Int32, UnsafeRawPointer, Int) -> Int = { Foundation.write($0, $1, $2) }
    private var written = 0
    private var handedToDisk = 0
    static let writebackStep = 16 << 20

    public func close() throws {
        if staging == nil {
            // A small file (a call sheet, summary.json): its bytes never left the buffer, and go out from there.
            try buffer.withUnsafeBytes { if let base = $0.baseAddress { try writeOut(base, count: $0.count) } }
            buffer.removeAll()
        }
        try flush()
        if staged > 0 {
            if direct {
                // The last block is written whole, zero-padded to the alignment, and the file cut back to its length.
                let length = written + staged
                let padded = (staged + Self.directAlignment - 1) / Self.directAlignment * Self.directAlignment
                (staging! + staged).initializeMemory(as: UInt8.self, repeating: 0, count: padded - staged)
                try writeStaged(count: padded)
                guard ftruncate(fd, off_t(length)) == 0 else {
                    throw Failure(path: path, reason: String(cString: strerror(errno)))
                }
                written = length
            } else {
                try writeStaged(count: staged)
            }
            staged = 0
        }
        guard fsync(fd) == 0 else { throw Failure(path: path, reason: String(cString: strerror(errno))) }
        closed = true
        Foundation.close(fd)
        staging?.deallocate()
        staging = nil
    }
}
