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
            file =
                fileNumbers[s.file]
                ?? {
                    files.append(s.file)
                    fileNumbers[s.file] = UInt64(files.count - 1)
                    return UInt64(files.count - 1)
                }()
            lastFile = (s.file, file)
        }
        let origin: UInt64 = s.fromState == nil ? 0 : (s.fromState! ? 2 : 1)
        return file << 34 | origin << 32 | UInt64(UInt32(truncatingIfNeeded: s.row))
    }

    /// How many rows were recorded from each file.
    func rowsPerFile() -> [String: Int] {
        var counts = [Int](repeating: 0, count: files.count)
        for k in keys { counts[Int(k >> 34)] += 1 }
        return Dictionary(uniqueKeysWithValues: zip(files, counts))
    }

    func source(_ k: UInt64) -> SourceRef {
        let origin = (k >> 32) & 3
        return SourceRef(
            file: files[Int(k >> 34)], row: Int(Int32(truncatingIfNeeded: k & 0xFFFF_FFFF)),
            fromState: origin == 0 ? nil : origin == 2)
    }
}
