import Dispatch
import DolbomNormalize
import DolbomSchedule
import Foundation

/// Which household holds each source row: one array per input file indexed by row number, built in one
/// pass over the households (a dictionary keyed by every row cost more to build than the CSVs it served).
struct RowOwners {
    struct Owner {
        var index: Int
        /// Made of more than one row (only such households list merges).
        var multiSource: Bool
    }

    private struct FileKey: Hashable {
        var file: String
        var fromState: Bool?
    }

    /// Per file (a run reads a few): household index + 1 by row, negative for single-row households, 0 for
    /// none. Found by a scan, not a dictionary: a file's rows share one name string, so comparing names
    /// is mostly comparing their storage, where hashing a Korean name normalized it on every lookup.
    private var files: [FileKey] = []
    private var tables: [[Int32]] = []
    /// Rows too far out to index by number.
    private var others: [SourceRef: Owner] = [:]
    static let maxIndexedRow = 1 << 26

    private func fileIndex(_ file: String, _ fromState: Bool?) -> Int? {
        files.firstIndex { $0.file == file && $0.fromState == fromState }
    }

    init(_ households: [Household]) {
        var current = -1
        for i in households.indices { add(households[i].sources, of: i, current: &current) }
    }

    /// Records household `i`'s rows; `current` is the file of the row before (rows come file by file).
    private mutating func add(_ sources: [SourceRef], of i: Int, current: inout Int) {
        let multi = sources.count > 1
        for s in sources {
            guard s.row >= 0 && s.row < Self.maxIndexedRow else {
                others[s] = Owner(index: i, multiSource: multi)
                continue
            }
            if current < 0 || s.file != files[current].file || s.fromState != files[current].fromState {
                if let known = fileIndex(s.file, s.fromState) {
                    current = known
                } else {
                    files.append(FileKey(file: s.file, fromState: s.fromState))
                    tables.append([])
                    current = files.count - 1
                }
            }
            if s.row >= tables[current].count {
                let count = tables[current].count
                tables[current].append(contentsOf: repeatElement(0, count: Swift.max(s.row + 1 - count, count)))
            }
            tables[current][s.row] = multi ? Int32(i + 1) : -Int32(i + 1)
        }
    }

    func household(of s: SourceRef) -> Owner? {
        guard s.row >= 0 && s.row < Self.maxIndexedRow else { return others[s] }
        guard let f = fileIndex(s.file, s.fromState), s.row < tables[f].count else { return nil }
        let v = Int(tables[f][s.row])
        return v == 0 ? nil : Owner(index: abs(v) - 1, multiSource: v > 0)
    }
}
