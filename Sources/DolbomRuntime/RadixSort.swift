/// Least-significant-digit radix sorts for the integer keys of blocking: a million rows give about
/// five million block entries and ten million candidate pairs, which a comparison sort orders in
/// 20-odd passes of comparisons and a radix sort in a few linear passes (16 bits each).
/// Stable, and the result is exactly what `sort()` gives.
public enum RadixSort {
    /// Sorts `keys` ascending; only the digits below the highest set bit of any key are looked at.
    public static func sort(_ keys: inout [UInt64]) {
        guard keys.count > 1 << 12 else {
            keys.sort()
            return
        }
        let passes = digitCount(keys.reduce(0, |))
        var scratch = [UInt64](repeating: 0, count: keys.count)
        for pass in 0..<passes {
            let shift = UInt64(16 * pass)
            if scatter(from: keys, to: &scratch, digit: { Int(truncatingIfNeeded: ($0 >> shift) & 0xFFFF) }) {
                swap(&keys, &scratch)
            }
        }
    }

    /// Sorts pairs ascending by `high`, then `low`.
    public static func sort(_ entries: inout [(high: UInt64, low: UInt64)]) {
        guard entries.count > 1 << 12 else {
            entries.sort { $0.high != $1.high ? $0.high < $1.high : $0.low < $1.low }
            return
        }
        let lowPasses = digitCount(entries.reduce(0) { $0 | $1.low })
        let highPasses = digitCount(entries.reduce(0) { $0 | $1.high })
        var scratch = [(high: UInt64, low: UInt64)](repeating: (0, 0), count: entries.count)
        for pass in 0..<lowPasses {
            let shift = UInt64(16 * pass)
            if scatter(from: entries, to: &scratch, digit: { Int(truncatingIfNeeded: ($0.low >> shift) & 0xFFFF) }) {
                swap(&entries, &scratch)
            }
        }
        for pass in 0..<highPasses {
            let shift = UInt64(16 * pass)
            if scatter(from: entries, to: &scratch, digit: { Int(truncatingIfNeeded: ($0.high >> shift) & 0xFFFF) }) {
                swap(&entries, &scratch)
            }
        }
    }

    /// How many 16-bit digits hold `bits`.
    private static func digitCount(_ bits: UInt64) -> Int {
        bits == 0 ? 0 : (64 - bits.leadingZeroBitCount + 15) / 16
    }

    /// One counting pass: `source` into `target`, stably, by `digit` (0..<65536). Returns false, having
    /// moved nothing, when every key has the same digit (a stable pass would leave the order as it is):
    /// row numbers and string ids leave high digits of a word empty.
    @inline(__always)
    private static func scatter<T>(from source: [T], to target: inout [T], digit: (T) -> Int) -> Bool {
        var offsets = [Int](repeating: 0, count: 1 << 16)
        return source.withUnsafeBufferPointer { from in
            offsets.withUnsafeMutableBufferPointer { counts in
                for x in from { counts[digit(x)] += 1 }
                if let first = from.first, counts[digit(first)] == from.count { return false }
                var total = 0
                for d in 0..<counts.count {
                    let n = counts[d]
                    counts[d] = total
                    total += n
                }
                target.withUnsafeMutableBufferPointer { to in
                    for x in from {
                        let d = digit(x)
                        to[counts[d]] = x
                        counts[d] += 1
                    }
                }
                return true
            }
        }
    }
}

extension Array {
    /// `parts` one after another, each copied whole (`Array(parts.joined())` copies element by element:
    /// ten million candidate pairs at 1M rows).
    public init(concatenating parts: [[Element]]) {
        self.init()
        reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for part in parts { append(contentsOf: part) }
    }
}
