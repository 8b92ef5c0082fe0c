import Foundation

/// Where a path really is: every symbolic link on the way followed, the last one too (also one that points
/// at nothing yet), and the part that does not exist yet kept as written. Two names of one file or folder
/// give the same answer, so locks keyed on it exclude each other.
enum RealPath {
    static func resolve(_ path: String) -> String {
        resolve(absolute(path), hops: 0)
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    /// `path` without its last component, lexically (`/` stays `/`).
    static func parent(_ path: String) -> String {
        let trimmed = trimmingSlashes(path)
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    /// The last component of `path`.
    static func name(_ path: String) -> String {
        let trimmed = trimmingSlashes(path)
        guard let slash = trimmed.lastIndex(of: "/") else { return trimmed }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    private static func trimmingSlashes(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }

    private static func resolve(_ path: String, hops: Int) -> String {
        if let real = realpath(path, nil) {
            defer { free(real) }
            return String(cString: real)
        }
        let trimmed = trimmingSlashes(path)
        if trimmed == "/" { return "/" }
        let up = parent(trimmed)
        let last = name(trimmed)
        if last.isEmpty || last == "." { return resolve(up, hops: hops) }
        if last == ".." { return parent(resolve(up, hops: hops)) }
        // A link to something not made yet: where it will be.
        if hops < 40, let target = link(trimmed) {
            return resolve(target.hasPrefix("/") ? target : up + "/" + target, hops: hops + 1)
        }
        let base = resolve(up, hops: hops)
        return base == "/" ? "/" + last : base + "/" + last
    }

    private static func link(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// The mode and group of the folders dolbom creates: owner-only (0700), or 0750 and the configuration's
/// `group` when it is set. Set explicitly, whatever the umask: under `umask 000` a folder made with the
/// default mode would let any user plant a link in it.
public struct FolderAccess: Sendable, Equatable {
    public var mode: mode_t
    public var gid: gid_t?

    public static let ownerOnly = FolderAccess(mode: 0o700, gid: nil)

    public init(mode: mode_t, gid: gid_t?) {
        self.mode = mode
        self.gid = gid
    }

    /// For the configuration's `group`; owner-only when it is unset or names no group (the run then
    /// stops before writing any output, see `OutputTarget.stage`).
    public init(group: String?) {
        if let group, let entry = getgrnam(group) {
            self.init(mode: 0o750, gid: entry.pointee.gr_gid)
        } else {
            self = .ownerOnly
        }
    }

    public struct Failure: Error, Equatable {
        public var path: String
        public var reason: String
    }

    /// Creates `path` and every missing folder above it, each with this mode and group; folders already
    /// there are left as they are.
    public func create(_ path: String) throws(Failure) {
        var missing: [String] = []
        var current = RealPath.absolute(path)
        var info = stat()
        while lstat(current, &info) != 0 {
            guard errno == ENOENT else { throw Failure(path: current, reason: String(cString: strerror(errno))) }
            missing.append(current)
            let up = RealPath.parent(current)
            if up == current { break }
            current = up
        }
        for folder in missing.reversed() {
            if mkdir(folder, mode) != 0 {
                if errno == EEXIST { continue }  // made meanwhile by someone else: not ours to change
                throw Failure(path: folder, reason: String(cString: strerror(errno)))
            }
            // Through a descriptor of the folder just made, not its name (which could be swapped for a link).
            let fd = open(folder, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else { throw Failure(path: folder, reason: String(cString: strerror(errno))) }
            defer { close(fd) }
            if let gid { _ = fchown(fd, uid_t.max, gid) }  // (uid_t)-1: the owner stays
            guard fchmod(fd, mode) == 0 else { throw Failure(path: folder, reason: String(cString: strerror(errno))) }
        }
    }
}
