import Foundation

/// A stable sort on every core: consecutive runs sorted at once, then merged with the earlier run first
/// on ties. That is the order one stable sort (Swift's `sort`) gives, whatever the number of runs.
enum ParallelSort {
    /// Sorts `items` by `less`, in as many runs as there are cores for large inputs.
    static func sort<T: Sendable>(_ items: inout [T], by less: @Sendable (T, T) -> Bool) {
        sort(&items, parts: items.count < 1 << 14 ? 1 : min(max(ProcessInfo.processInfo.activeProcessorCount, 1), 8), by: less)
    }

    /// Sorts `items` by `less` in `parts` runs.
    static func sort<T: Sendable>(_ items: inout [T], parts: Int, by less: @Sendable (T, T) -> Bool) {
        let parts = max(1, min(parts, items.count))
        guard parts > 1 else {
            items.sort(by: less)
            return
        }
        let input = items, count = items.count
        let runs = ParallelMap.map(count: parts, chunk: 1) { p -> [T] in
            var run = Array(input[(p * count / parts)..<((p + 1) * count / parts)])
            run.sort(by: less)
            return run
        }
        var next = [Int](repeating: 0, count: parts)
        for i in 0..<count {
            // The smallest head; on a tie the earlier run's, as a stable sort keeps it.
            var best = -1
            for r in 0..<parts where next[r] < runs[r].count {
                if best < 0 || less(runs[r][next[r]], runs[best][next[best]]) { best = r }
            }
            items[i] = runs[best][next[best]]
            next[best] += 1
        }
    }
}
