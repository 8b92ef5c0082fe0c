import Foundation

/// A fixed-size array of plain values that starts all zero, in memory of its own: a big one is mapped
/// fresh (zero-filled by the kernel page by page, as values first land in it, on huge pages where the
/// kernel has them) instead of being written up front; a small one comes from `calloc`. For hash-table
/// slots a million rows land in at random: with 4 KB pages nearly every lookup first walked the page
/// tables, and clearing the table up front cost a tenth of a second before the first row was read.
public final class ZeroedTable<Element: BitwiseCopyable>: @unchecked Sendable {
    @usableFromInline let base: UnsafeMutablePointer<Element>
    public let count: Int
    /// The length of the mapping `base` starts (0: from `calloc`).
    private let mappedBytes: Int
    private static var hugePage: Int { 2 << 20 }

    /// `count` zero values.
    public init(count: Int) {
        self.count = count
        let bytes = Swift.max(count, 1) * MemoryLayout<Element>.stride
        var mapped =
            bytes >= Self.hugePage
            ? mmap(nil, bytes + Self.hugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) : nil
        if mapped == MAP_FAILED { mapped = nil }
        if let mapped {
            // On a huge-page boundary, the rest given back (a hint: without THP, plain pages).
            let start = (Int(bitPattern: mapped) + Self.hugePage - 1) & ~(Self.hugePage - 1)
            let lead = start - Int(bitPattern: mapped)
            if lead > 0 { munmap(mapped, lead) }
            let tail = Self.hugePage - lead
            if tail > 0 { munmap(UnsafeMutableRawPointer(bitPattern: start + bytes), tail) }
            let memory = UnsafeMutableRawPointer(bitPattern: start)!
            _ = madvise(memory, bytes, MADV_HUGEPAGE)
            base = memory.bindMemory(to: Element.self, capacity: count)
            mappedBytes = bytes
        } else {
            guard let memory = calloc(Swift.max(count, 1), MemoryLayout<Element>.stride) else {
                fatalError("out of memory for a table of \(bytes) bytes")
            }
            base = memory.bindMemory(to: Element.self, capacity: count)
            mappedBytes = 0
        }
    }

    deinit {
        // Plain values: nothing to deinitialize.
        if mappedBytes > 0 { munmap(base, mappedBytes) } else { free(base) }
    }

    @inlinable
    public subscript(index: Int) -> Element {
        @inline(__always) get {
            precondition(index >= 0 && index < count)
            return base[index]
        }
        @inline(__always) set {
            precondition(index >= 0 && index < count)
            base[index] = newValue
        }
    }

    /// Asks for the cache line of element `index` (a hint).
    @inlinable @inline(__always)
    public func prefetch(_ index: Int) {
        guard index >= 0 && index < count else { return }
        Prefetch.line(UnsafeRawPointer(base + index))
    }

    /// A table of the same values.
    public func copy() -> ZeroedTable<Element> {
        let table = ZeroedTable(count: count)
        table.base.update(from: base, count: count)
        return table
    }
}
