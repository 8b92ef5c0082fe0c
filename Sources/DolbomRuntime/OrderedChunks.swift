import Foundation

/// A file of lines rendered in chunks by any task that helps, and written in order: a task takes the next
/// chunk, renders it into a buffer, and whoever holds the chunk next in line writes what is ready.
/// The last chunk written closes (and syncs) the file. Buffers are refilled once written (a fresh one for
/// every chunk came from `mmap` and cost a page fault per 4 KB written) and let go with the file.
public final class OrderedChunks: @unchecked Sendable {
    private let file: OutputFile
    private let count: Int
    private let chunkSize: Int
    private let chunks: Int
    private let render: @Sendable (Range<Int>, ByteBuffer) -> Void
    private let lock = NSLock()
    // Under `lock`:
    private var nextToRender = 0
    private var nextToWrite = 0
    private var ready: [Int: ByteBuffer] = [:]
    private var spare: [ByteBuffer] = []
    /// The size of the last chunk rendered, for the first capacity of a new buffer.
    private var lastSize = 1 << 16
    private var failed = false
    /// A task is writing ready chunks out (outside the lock).
    private var writing = false

    /// `count` lines into `file`, `chunkSize` to a chunk, each chunk rendered by `render` into an empty buffer.
    public init(
        file: OutputFile, count: Int, chunkSize: Int, render: @escaping @Sendable (Range<Int>, ByteBuffer) -> Void
    ) {
        self.file = file
        self.count = count
        self.chunkSize = chunkSize
        // One chunk even for no lines, so the (empty) file is closed like any other.
        chunks = max(1, (count + chunkSize - 1) / chunkSize)
        self.render = render
    }

    /// Renders and writes chunks until none is left to take. One task at a time writes (`writing`), outside
    /// the lock: a task that finishes a chunk meanwhile leaves it ready and renders the next.
    public func help() throws {
        while true {
            lock.lock()
            let chunk = nextToRender
            nextToRender += 1
            let buffer =
                chunk < chunks && !failed ? spare.popLast() ?? ByteBuffer(capacity: lastSize + lastSize / 4) : nil
            lock.unlock()
            guard let buffer else { return }
            render(chunk * chunkSize..<min(count, (chunk + 1) * chunkSize), buffer)
            lock.lock()
            guard !failed else {
                lock.unlock()
                return
            }
            lastSize = max(lastSize, buffer.count)
            ready[chunk] = buffer
            guard !writing else {
                lock.unlock()
                continue
            }
            writing = true
            while true {
                var batch: [ByteBuffer] = []
                while let next = ready.removeValue(forKey: nextToWrite) {
                    batch.append(next)
                    nextToWrite += 1
                }
                guard !batch.isEmpty else { break }
                let last = nextToWrite == chunks
                lock.unlock()
                do {
                    for b in batch { try file.write(b) }
                    if last { try file.close() }
                } catch {
                    lock.lock()
                    failed = true
                    writing = false
                    lock.unlock()
                    throw error
                }
                lock.lock()
                if last {
                    spare = []
                } else {
                    for b in batch {
                        b.removeAll()
                        spare.append(b)
                    }
                }
            }
            writing = false
            lock.unlock()
        }
    }
}
