import CDolbomSystem
import Foundation

/// The system calls Foundation lacks, each wrapped once (Linux; elsewhere they report `ENOSYS`).
public enum SystemCalls {
    /// Atomically exchanges two paths (renameat2 RENAME_EXCHANGE). Returns 0, or -1 with errno set.
    public static func exchangePaths(_ a: String, _ b: String) -> Int32 { dolbom_exchange_paths(a, b) }

    /// Renames `from` to `to` only if nothing is at `to`. Returns 0, or -1 with errno set (EEXIST).
    public static func renameNoReplace(_ from: String, _ to: String) -> Int32 { dolbom_rename_noreplace(from, to) }

    /// glibc malloc tuned for one batch run (freed memory reused, not handed back); true when it took effect.
    @discardableResult
    public static func keepFreedMemory() -> Bool { dolbom_keep_freed_memory() == 1 }

    /// Starts writing a range of `fd` out to the disk without waiting (a hint; fsync still does it all).
    @discardableResult
    public static func startWriteback(_ fd: Int32, offset: Int, length: Int) -> Int32 {
        dolbom_start_writeback(fd, Int64(offset), Int64(length))
    }

    /// Writes all of `bytes` into `fd` from offset 0 (pwrite, repeated until every byte is written).
    /// Returns 0, or the errno of the write that failed (EIO for a write that wrote nothing).
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32 {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes {
                pwrite(fd, $0.baseAddress! + written, bytes.count - written, off_t(written))
            }
            guard n > 0 else { return n < 0 ? errno : EIO }
            written += n
        }
        return 0
    }

    /// Turns O_DIRECT on or off for `fd`; true when the file system took it.
    @discardableResult
    public static func setDirectIO(_ fd: Int32, _ on: Bool) -> Bool { dolbom_set_direct_io(fd, on ? 1 : 0) == 0 }
}
