import Foundation

/// A file's bytes, read-only: mapped into memory rather than read into the heap (the national address
/// file is hundreds of megabytes), or copied from `Data`. Indexed from 0 and bounds-checked; parts are
/// named by ranges and copied out only when asked for.
public final class FileBytes: @unchecked Sendable {
    @usableFromInline let base: UnsafeBufferPointer<UInt8>
    private let mapped: Bool

    /// Why a file could not be mapped: the system's reason.
    public struct Failure: Error, Equatable {
        public var reason: String
    }

    /// The bytes of the file at `path`, mapped (nothing is read until touched).
    public init(contentsOf path: String) throws(Failure) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw Failure(reason: String(cString: strerror(errno))) }
        let size = Int(status.st_size)
        guard size > 0 else {
            base = UnsafeBufferPointer(start: nil, count: 0)
            mapped = false
            return
        }
        guard let memory = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), memory != MAP_FAILED else {
            throw Failure(reason: String(cString: strerror(errno)))
        }
        base = UnsafeBufferPointer(start: memory.assumingMemoryBound(to: UInt8.self), count: size)
        mapped = true
    }

    /// A copy of `data`'s bytes.
    public init(_ data: Data) {
        let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: data.count)
        _ = copy.initialize(from: data)
        base = UnsafeBufferPointer(copy)
        mapped = false
    }

    deinit {
        if mapped {
            munmap(UnsafeMutableRawPointer(mutating: base.baseAddress!), base.count)
        } else {
            base.deallocate()
        }
    }

    public var count: Int { base.count }

    @inlinable
    public subscript(i: Int) -> UInt8 {
        precondition(i >= 0 && i < base.count, "FileBytes: index out of range")
        return base[i]
    }

    /// The bytes of `range`, copied.
    public func bytes(_ range: Range<Int>) -> [UInt8] { Array(base[checked(range)]) }

    /// Whether the bytes of `range` are `other`'s.
    public func bytes(_ range: Range<Int>, equal other: [UInt8]) -> Bool { base[checked(range)].elementsEqual(other) }

    /// The bytes of `range` as UTF-8 text (invalid sequences replaced).
    public func text(_ range: Range<Int>) -> String { String(decoding: base[checked(range)], as: UTF8.self) }

    /// The bytes of `range` as UTF-8 text, or nil when they are not valid UTF-8.
    public func text(validatingUTF8 range: Range<Int>) -> String? {
        String(validating: base[checked(range)], as: UTF8.self)
    }

    private func checked(_ range: Range<Int>) -> Range<Int> {
        precondition(range.lowerBound >= 0 && range.upperBound <= base.count, "FileBytes: range out of bounds")
        return range
    }
}
