import Foundation

/// The export files of a run: files as given, directories expanded to their
/// CSV files, in a stable order, each with the display name used in provenance.
public struct InputSet: Sendable {
    public struct Input: Sendable, Hashable {
        public var url: URL
        /// Base name, or `folder/name` when two inputs share a base name.
        public var name: String
    }

    public var inputs: [Input]

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case missing(String)

        public var description: String {
            switch self {
            case .missing(let path): return "\(path): no such file or directory"
            }
        }
    }

    /// Files inside directories that are exports: `*.csv`/`*.txt`, not hidden, not Excel's `~$` lock files.
    static func isExport(_ url: URL) -> Bool {
        let name = url.lastPathComponent
        if name.hasPrefix(".") || name.hasPrefix("~$") { return false }
        let ext = url.pathExtension.lowercased()
        return ext == "csv" || ext == "tsv" || ext == "txt"
    }

    public init(paths: [String]) throws(Failure) {
        var urls: [URL] = []
        var seen: Set<String> = []
        let fm = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .missing(path) }
            var found: [URL] = []
            if isDirectory.boolValue {
                let root = URL(fileURLWithPath: path)
                let walker = fm.enumerator(
                    at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
                while let url = walker?.nextObject() as? URL {
                    if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true, Self.isExport(url)
                    {
                        found.append(url)
                    }
                }
                found.sort { $0.path < $1.path }
            } else {
                found = [URL(fileURLWithPath: path)]
            }
            for url in found {
                // The same file named twice (or through a directory and by name) is read once.
                let key = url.resolvingSymlinksInPath().standardizedFileURL.path
                if seen.insert(key).inserted { urls.append(url) }
            }
        }
        var byName: [String: Int] = [:]
        for url in urls { byName[url.lastPathComponent, default: 0] += 1 }
        inputs = urls.map { url in
            let base = url.lastPathComponent
            let name = byName[base]! > 1 ? url.deletingLastPathComponent().lastPathComponent + "/" + base : base
            return Input(url: url, name: name)
        }
    }
}
