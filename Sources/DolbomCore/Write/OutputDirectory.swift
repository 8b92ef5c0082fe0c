import Foundation

/// The folder counselors open in the morning. Files are written to a
/// temporary name in the same folder, made owner-only, then renamed into
/// place, so a reader never sees a half-written file.
struct OutputDirectory {
    var url: URL

    func replace(with files: [String: Data]) throws(RunError) -> [String] {
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .cannotWrite(path: url.path, reason: error.localizedDescription)
        }
        var written: [String] = []
        for name in files.keys.sorted() {
            let final = url.appendingPathComponent(name)
            let temp = url.appendingPathComponent(".\(name).tmp-\(getpid())")
            guard fm.createFile(atPath: temp.path, contents: files[name], attributes: [.posixPermissions: 0o600]) else {
                throw .cannotWrite(path: temp.path, reason: "could not create the file (permissions? disk full?)")
            }
            if rename(temp.path, final.path) != 0 {
                let reason = String(cString: strerror(errno))
                try? fm.removeItem(at: temp)
                throw .cannotWrite(path: final.path, reason: reason)
            }
            written.append(name)
        }
        return written
    }
}
