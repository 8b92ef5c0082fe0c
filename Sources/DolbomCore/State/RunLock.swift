import Foundation

/// One run at a time per state file: an exclusive `flock` on `STATE.lock`,
/// which the kernel releases when the process ends, however it ends. The
/// lock file names the holder so a second run can say who is running.
public final class RunLock {
    public let path: String
    /// What the lock guards (the state file, or the output folder), named in the "already running" message.
    let guarded: String
    private var fd: Int32 = -1

    public init(statePath: String) {
        guarded = statePath
        path = statePath + ".lock"
    }

    /// Takes the lock or throws `.locked` at once (never waits: cron must not pile up runs).
    public func acquire(description: String) throws(StateError) {
        // The output folder's parent may not exist yet on a first run.
        try? FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(),
                                                 withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let fd = open(path, O_RDWR | O_CREAT, 0o600)
        guard fd >= 0 else { throw .cannotLock(path: path, reason: String(cString: strerror(errno))) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            var buffer = [UInt8](repeating: 0, count: 512)
            let n = pread(fd, &buffer, buffer.count, 0)
            close(fd)
            let holder = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "unknown process"
            throw .locked(path: guarded, holder: holder)
        }
        ftruncate(fd, 0)
        let text = Array("\(description)\n".utf8)
        _ = pwrite(fd, text, text.count, 0)
        self.fd = fd
    }

    public func release() {
        guard fd >= 0 else { return }
        ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }
}
