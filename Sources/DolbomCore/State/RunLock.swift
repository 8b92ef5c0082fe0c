import DolbomRuntime
import Foundation

/// One run at a time per state file, and per output folder: an exclusive `flock` on a lock file beside
/// it, which the kernel releases when the process ends, however it ends. The lock file names the holder
/// so a second run can say who is running.
///
/// A lock file may sit in a folder other users can write to, so nothing found at its path is trusted: it is
/// opened without following a symbolic link, must be a regular file, and is never written into. A run
/// writes its line into a fresh file of its own and renames that into place already locked, so the line is
/// there before the lock can be seen held; it removes the file when done. Both locks are keyed on real
/// paths: a link to the state file, or to the output folder, takes the same lock as the file itself.
public final class RunLock {
    /// The lock file.
    public let path: String
    /// What the lock guards, as the user named it (the state file, or the output folder), for the
    /// "already running" message.
    let guarded: String
    /// The real path of what the lock guards.
    public let guardedRealPath: String
    let folders: FolderAccess
    private var fd: Int32 = -1

    /// `STATE.lock` beside the state file's real path.
    public init(statePath: String, folders: FolderAccess = .ownerOnly) {
        guarded = statePath
        guardedRealPath = RealPath.resolve(statePath)
        path = guardedRealPath + ".lock"
        self.folders = folders
    }

    /// `.NAME.lock` beside the output folder's real path (the folder need not exist yet).
    public init(outputFolder: String, folders: FolderAccess = .ownerOnly) {
        guarded = outputFolder
        guardedRealPath = RealPath.resolve(outputFolder)
        let parent = RealPath.parent(guardedRealPath)
        path = (parent == "/" ? "" : parent) + "/.\(RealPath.name(guardedRealPath)).lock"
        self.folders = folders
    }

    static let linkReason =
        "it is a symbolic link; dolbom never follows one at a lock path (someone may have put it there to have a file emptied): remove it and run again"

    /// Takes the lock or throws `.locked` at once (never waits for the holder: cron must not pile up runs).
    public func acquire(description: String) throws(StateError) {
        // The folder may not exist yet on a first run.
        do { try folders.create(RealPath.parent(path)) } catch {
            throw .cannotLock(path: path, reason: "\(error.path): \(error.reason)")
        }
        let line = Array("\(description)\n".utf8)
        let started = Date()
        while true {
            // Another run's file can come and go between two looks; that settles within moments.
            guard Date().timeIntervalSince(started) < 5 else {
                throw .cannotLock(path: path, reason: "the lock file kept changing; is something else removing it?")
            }
            let fd = open(path, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
            if fd < 0 {
                let error = errno
                if error == ENOENT {
                    if let mine = try place(line, replacing: false) {
                        self.fd = mine
                        return
                    }
                    continue  // another run put its file there first: look at that one
                }
                throw .cannotLock(
                    path: path, reason: error == ELOOP ? Self.linkReason : String(cString: strerror(error)))
            }
            var info = stat()
            guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
                close(fd)
                throw .cannotLock(
                    path: path, reason: "it is not a regular file, as dolbom's lock files are: remove it and run again")
            }
            if flock(fd, LOCK_EX | LOCK_NB) == 0 {
                defer { close(fd) }
                // Removed (or replaced) by its holder between our open and our lock: look again.
                guard Self.isAt(fd, path) else { continue }
                // Left by a run that was killed: ours goes in its place while we hold its lock.
                if let mine = try place(line, replacing: true) {
                    self.fd = mine
                    return
                }
                continue
            }
            let error = errno
            let holder = Self.line(fd)
            let stillThere = Self.isAt(fd, path)
            close(fd)
            guard error == EWOULDBLOCK else { throw .cannotLock(path: path, reason: String(cString: strerror(error))) }
            guard stillThere else { continue }
            // A holder is named at once; a line naming a process that has ended belongs to a killed run whose
            // file is being replaced by the holder this very moment, and an empty file to an older dolbom
            // that writes its line after locking: both are read again for a moment.
            let waited = Date().timeIntervalSince(started)
            if let holder, Self.isAlive(holder) || waited > 0.25 { throw .locked(path: guarded, holder: holder) }
            if waited > 2 { throw .locked(path: guarded, holder: holder ?? "unknown process") }
            usleep(10_000)
        }
    }

    /// Writes `line` into a fresh file beside the lock file, locks it and renames it to the lock path
    /// (over a stale file whose lock we hold, or only where none is); nil when another run's file got there first.
    private func place(_ line: [UInt8], replacing: Bool) throws(StateError) -> Int32? {
        let temp = RealPath.parent(path) + "/.\(RealPath.name(path)).\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .cannotLock(path: path, reason: "\(temp): \(String(cString: strerror(errno)))") }
        func fail(_ error: Int32) -> StateError {
            unlink(temp)
            close(fd)
            return .cannotLock(path: path, reason: String(cString: strerror(error)))
        }
        guard fchmod(fd, 0o600) == 0 else { throw fail(errno) }
        let writeError = SystemCalls.writeAll(fd, line)
        guard writeError == 0 else { throw fail(writeError) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { throw fail(errno) }
        let placed = replacing ? rename(temp, path) : SystemCalls.renameNoReplace(temp, path)
        guard placed == 0 else {
            let error = errno
            if !replacing && error == EEXIST {
                unlink(temp)
                close(fd)
                return nil
            }
            throw fail(error)
        }
        return fd
    }

    /// Whether `fd` is the file now at `path` (not one removed or replaced since it was opened).
    private static func isAt(_ fd: Int32, _ path: String) -> Bool {
        var opened = stat()
        var named = stat()
        return fstat(fd, &opened) == 0 && lstat(path, &named) == 0 && opened.st_dev == named.st_dev
            && opened.st_ino == named.st_ino
    }

    /// The holder's line, or nil while the file holds no whole line.
    private static func line(_ fd: Int32) -> String? {
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = pread(fd, &buffer, buffer.count, 0)
        guard n > 0, let end = buffer[0..<n].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let text = String(decoding: buffer[0..<end], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    /// False only for a line naming a process (`pid N, ...`) that no longer exists.
    private static func isAlive(_ holder: String) -> Bool {
        guard holder.hasPrefix("pid ") else { return true }
        let digits = holder.dropFirst(4).prefix { $0.isASCII && $0.isNumber }
        guard let pid = pid_t(digits), pid > 0 else { return true }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    public func release() {
        guard fd >= 0 else { return }
        if Self.isAt(fd, path) { unlink(path) }
        close(fd)  // gives the lock back
        fd = -1
    }

    deinit { release() }
}
