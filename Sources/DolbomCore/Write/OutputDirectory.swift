import DolbomRuntime
import Foundation

/// Where a run's files go, and how they get there without a reader (or a
/// kill) ever seeing a half-written set: every file is written into a
/// temporary folder beside the target, then the folder is swapped in with one
/// atomic rename (renameat2 RENAME_EXCHANGE when the target already exists),
/// and the `latest` link, if configured, is moved with another.
///
/// `folder` is a real path (no symbolic link in it, see `RealPath`): a `--out` given as a link publishes
/// into the folder it points to, staged beside that folder, and the link stays as it is.
public struct OutputTarget: Sendable, Equatable {
    public var folder: URL
    /// A symlink that always points at the newest run's folder.
    public var latest: URL?
    /// A group that may read the outputs (files 0640, folders 0750); owner-only otherwise.
    public var group: String?
    /// The folder as the configuration or `--out` names it, which `latest` points at.
    public var named: URL

    public init(folder: URL, latest: URL? = nil, group: String? = nil, named: URL? = nil) {
        self.folder = folder
        self.latest = latest
        self.group = group
        self.named = named ?? folder
    }

    /// Expands `{as_of}` and `{run}` in a configured folder pattern.
    public static func expand(_ pattern: String, asOf: String, run: Int64?) -> String {
        pattern.replacingOccurrences(of: "{as_of}", with: asOf)
            .replacingOccurrences(of: "{run}", with: run.map { String(format: "%04lld", $0) } ?? "norun")
    }

    static let knownFiles: Set<String> = [
        "applicants.jsonl", "rejects.jsonl", "rejects.csv", "summary.json", "call-list.csv", "duplicates.csv",
        "review.csv",
        "schedule.csv", "schedule.jsonl", "call-sheets", "calendars", "call-results.csv",
    ]

    var fileMode: mode_t { group == nil ? 0o600 : 0o640 }
    var folderMode: mode_t { group == nil ? 0o700 : 0o750 }

    /// Removes temporary folders left by a run that was killed (call while holding the run lock).
    public func removeLeftovers() {
        let parent = folder.deletingLastPathComponent()
        let prefix = ".\(folder.lastPathComponent).tmp-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
        where name.hasPrefix(prefix) {
            try? FileManager.default.removeItem(at: parent.appendingPathComponent(name))
        }
    }

    /// A fresh temporary folder beside the target, for one run's files; nothing is visible at the target
    /// until `publish(_:names:)`. The run may fill it while it still plans and commits state.
    public struct StagedFolder: Sendable {
        public var url: URL
        public var fileMode: mode_t
        let gid: gid_t?
    }

    /// Creates the temporary folder (call while holding the run lock, after `removeLeftovers`).
    public func stage() throws(RunError) -> StagedFolder {
        let parent = folder.deletingLastPathComponent()
        let gid = group.flatMap { name -> gid_t? in getgrnam(name).map { $0.pointee.gr_gid } }
        if group != nil && gid == nil {
            throw .cannotWrite(path: folder.path, reason: "group \"\(group!)\" does not exist")
        }
        do {
            try FolderAccess(mode: folderMode, gid: gid).create(parent.path)
        } catch {
            throw .cannotWrite(path: error.path, reason: error.reason)
        }
        let temp = parent.appendingPathComponent(
            ".\(folder.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        guard mkdir(temp.path, folderMode) == 0 else {
            throw .cannotWrite(path: temp.path, reason: String(cString: strerror(errno)))
        }
        let staged = StagedFolder(url: temp, fileMode: fileMode, gid: gid)
        fix(temp.path, folderMode, staged)
        return staged
    }

    /// Removes a staged folder that will not be published (the run failed after staging it).
    public func discard(_ staged: StagedFolder) {
        try? FileManager.default.removeItem(at: staged.url)
    }

    private func fix(_ path: String, _ mode: mode_t, _ staged: StagedFolder) {
        if let gid = staged.gid { chown(path, getuid(), gid) }
        chmod(path, mode)
    }

    /// Swaps a filled staged folder into place (one atomic rename when it can); returns `names`.
    /// Deletes a folder of previous outputs, its files on every core: giving back a gigabyte of page cache
    /// (applicants.jsonl alone 0.16 s at 1M rows) was the run's last wait, one file after another.
    static func removeOutputs(at folder: URL) {
        let fm = FileManager.default
        // Largest first, so the two largest files go to two cores.
        func size(_ name: String) -> Int {
            ((try? fm.attributesOfItem(atPath: folder.appendingPathComponent(name).path))?[.size] as? Int) ?? 0
        }
        let names = ((try? fm.contentsOfDirectory(atPath: folder.path)) ?? []).map { ($0, size($0)) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.map(\.0)
        DispatchQueue.concurrentPerform(iterations: names.count) { i in
            let path = folder.appendingPathComponent(names[i]).path
            if unlink(path) != 0 { try? FileManager.default.removeItem(atPath: path) }  // a folder (call-sheets/)
        }
        try? fm.removeItem(at: folder)
    }

    public func publish(_ staged: StagedFolder, names: [String]) throws(RunError) -> [String] {
        let fm = FileManager.default
        let temp = staged.url
        func fix(_ path: String, _ mode: mode_t) { self.fix(path, mode, staged) }
        for name in names {
            let path = temp.appendingPathComponent(name).path
            var isFolder: ObjCBool = false
            if fm.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
                fix(path, folderMode)
                for inner in (try? fm.contentsOfDirectory(atPath: path)) ?? [] { fix(path + "/" + inner, fileMode) }
            } else {
                fix(path, fileMode)
            }
        }

        // What is at the folder's path now, the name itself and not where a link there points: the path was
        // resolved when the run took its lock, and a link is never swapped away (that would empty what it pointed to).
        var info = stat()
        let exists = lstat(folder.path, &info) == 0
        if exists && info.st_mode & S_IFMT == S_IFLNK {
            discard(staged)
            throw .cannotWrite(
                path: folder.path, reason: "it became a symbolic link during the run; nothing was published")
        }
        let isDirectory = exists && info.st_mode & S_IFMT == S_IFDIR
        if !exists {
            guard rename(temp.path, folder.path) == 0 else {
                let reason = String(cString: strerror(errno))
                try? fm.removeItem(at: temp)
                throw .cannotWrite(path: folder.path, reason: reason)
            }
        } else {
            let existing = (try? fm.contentsOfDirectory(atPath: folder.path)) ?? []
            let onlyOurs = isDirectory && existing.allSatisfy { Self.knownFiles.contains($0) }
            if onlyOurs && SystemCalls.exchangePaths(temp.path, folder.path) == 0 {
                Self.removeOutputs(at: temp)  // now holds the previous outputs
            } else {
                // A folder shared with other files (or a file system without renameat2):
                // replace our files one by one, each atomically.
                for name in names {
                    let from = temp.appendingPathComponent(name).path
                    let to = folder.appendingPathComponent(name).path
                    var isFolder: ObjCBool = false
                    // A folder (call-sheets/, calendars/) cannot be renamed over a non-empty one: swap, then drop the old.
                    if fm.fileExists(atPath: to, isDirectory: &isFolder), isFolder.boolValue,
                        SystemCalls.exchangePaths(from, to) == 0
                    {
                        continue
                    }
                    if rename(from, to) != 0 {
                        let reason = String(cString: strerror(errno))
                        try? fm.removeItem(at: temp)
                        throw .cannotWrite(path: folder.appendingPathComponent(name).path, reason: reason)
                    }
                }
                try? fm.removeItem(at: temp)
            }
        }
        if let latest { try pointLatest(latest) }
        return names
    }

    func pointLatest(_ latest: URL) throws(RunError) {
        let linkParent = latest.deletingLastPathComponent()
        let target = linkParent.path == named.deletingLastPathComponent().path ? named.lastPathComponent : named.path
        let tempLink = linkParent.appendingPathComponent(".\(latest.lastPathComponent).tmp-\(getpid())")
        unlink(tempLink.path)
        guard symlink(target, tempLink.path) == 0, rename(tempLink.path, latest.path) == 0 else {
            throw .cannotWrite(path: latest.path, reason: String(cString: strerror(errno)))
        }
    }
}
