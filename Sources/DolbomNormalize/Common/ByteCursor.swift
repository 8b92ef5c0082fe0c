/// A reading position in a cell's UTF-8 bytes, for the fast paths that read the common shapes of a
/// field (Google Forms timestamps, plain birth dates) without making strings; anything unexpected
/// makes them give up and leave the cell to the general, token-based path.
/// Generic over the bytes (indexed from 0), so a fast path reads a cell's borrowed UTF-8 as it is.
struct ByteCursor<Bytes: RandomAccessCollection> where Bytes.Element == UInt8, Bytes.Index == Int {
    let bytes: Bytes
    var index = 0

    init(_ bytes: Bytes) { self.bytes = bytes }

    var atEnd: Bool { index == bytes.count }
    var remaining: Int { bytes.count - index }

    /// `minDigits...maxDigits` ASCII digits as a number; nil (position undefined) when there are fewer,
    /// or when more digits follow.
    mutating func number(_ minDigits: Int, _ maxDigits: Int) -> Int? {
        var value = 0
        var count = 0
        while index < bytes.count, count < maxDigits, let digit = digit(at: index) {
            value = value * 10 + digit
            index += 1
            count += 1
        }
        guard count >= minDigits, !(index < bytes.count && digit(at: index) != nil) else { return nil }
        return value
    }

    /// Steps over `byte` when it is next.
    mutating func skip(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// Steps over the next byte when it is one of `choices`.
    mutating func skip(anyOf choices: StaticString) -> Bool {
        guard index < bytes.count else { return false }
        let next = bytes[index]
        let found = choices.withUTF8Buffer { $0.contains(next) }
        if found { index += 1 }
        return found
    }

    /// Steps over `word` (e.g. `"년"`, compared as UTF-8 bytes) when it comes next; no array is made.
    mutating func skip(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard remaining >= count else { return false }
        let start = word.utf8Start
        for k in 0..<count where bytes[index + k] != start[k] { return false }
        index += count
        return true
    }

    /// Steps over `sequence` (UTF-8 bytes) when it comes next.
    mutating func skip(_ sequence: [UInt8]) -> Bool {
        guard remaining >= sequence.count, bytes[index..<(index + sequence.count)].elementsEqual(sequence) else {
            return false
        }
        index += sequence.count
        return true
    }

    private func digit(at i: Int) -> Int? {
        let b = bytes[i]
        return b >= 0x30 && b <= 0x39 ? Int(b - 0x30) : nil
    }
}
