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
                let walker = fm.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
                while let url = walker?.nextObject() as? URL {
                    if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true, Self.isExport(url) {
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

/// The rows a run read, as sorted-friendly integers (file number, origin, row): 8 bytes a row instead of a
/// `SourceRef` (32 bytes and a file name reference), for the check that every row landed exactly once.
struct RowLedger {
    private var fileNumbers: [String: UInt64] = [:]
    private var files: [String] = []
    private(set) var keys: [UInt64] = []

    mutating func record(_ source: SourceRef) {
        keys.append(key(source))
    }

    /// The last file looked up: rows come file by file, and comparing a name with itself is cheaper than hashing it.
    private var lastFile: (name: String, number: UInt64)?

    mutating func key(_ s: SourceRef) -> UInt64 {
        let file: UInt64
        if let last = lastFile, last.name == s.file {
            file = last.number
        } else {
            file = fileNumbers[s.file] ?? {
                files.append(s.file)
                fileNumbers[s.file] = UInt64(files.count - 1)
                return UInt64(files.count - 1)
            }()
            lastFile = (s.file, file)
        }
        let origin: UInt64 = s.fromState == nil ? 0 : (s.fromState! ? 2 : 1)
        return file << 34 | origin << 32 | UInt64(UInt32(truncatingIfNeeded: s.row))
    }

    func source(_ k: UInt64) -> SourceRef {
        let origin = (k >> 32) & 3
        return SourceRef(file: files[Int(k >> 34)], row: Int(Int32(truncatingIfNeeded: k & 0xFFFF_FFFF)),
                         fromState: origin == 0 ? nil : origin == 2)
    }
}
