extension Array where Element: Comparable {
    /// Whether this array, sorted ascending, holds `value`: a binary search.
    @inlinable
    public func sortedContains(_ value: Element) -> Bool {
        var low = 0
        var high = count
        while low < high {
            let mid = (low + high) / 2
            if self[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low < count && self[low] == value
    }
}
