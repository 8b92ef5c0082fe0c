/// A JSON value for the line-oriented outputs (`applicants.jsonl`,
/// `rejects.jsonl`), serialized with sorted keys and the same escaping as
/// Foundation's `JSONEncoder` (`.sortedKeys, .withoutEscapingSlashes`).
///
/// Foundation's encoder costs about 60 µs per household on Linux, a quarter
/// of a whole run; this writer produces the identical bytes (the golden files
/// check it) in a fraction of that.
enum JSONLine {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case array([JSONLine])
    /// Keys are sorted when written.
    case object([(String, JSONLine)])

    static func optional(_ s: String?) -> JSONLine { s.map(JSONLine.string) ?? .null }
    static func optional(_ i: Int?) -> JSONLine { i.map(JSONLine.int) ?? .null }
    static func strings(_ items: [String]) -> JSONLine { .array(items.map(JSONLine.string)) }

    func write(into out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
        case .bool(let b): out.append(contentsOf: b ? Array("true".utf8) : Array("false".utf8))
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .string(let s): Self.writeString(s, into: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                item.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let pairs):
            out.append(UInt8(ascii: "{"))
            // The writers list keys in order already; sorting is then only a check.
            let inOrder = pairs.indices.dropFirst().allSatisfy { pairs[$0 - 1].0.utf8.lexicographicallyPrecedes(pairs[$0].0.utf8) }
            for (i, pair) in (inOrder ? pairs : pairs.sorted(by: { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) })).enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                Self.writeString(pair.0, into: &out)
                out.append(UInt8(ascii: ":"))
                pair.1.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        if s.utf8.withContiguousStorageIfAvailable({ appendEscaped($0, into: &out) }) == nil {
            Array(s.utf8).withUnsafeBufferPointer { appendEscaped($0, into: &out) }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Whether any of the eight bytes in `word` is a control byte (below 0x20), `"` or `\\`.
    @inline(__always)
    static func needsEscape(_ word: UInt64) -> Bool {
        let low: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZeroByte(_ x: UInt64) -> Bool { (x &- low) & ~x & high != 0 }
        let control = (word &- 0x2020_2020_2020_2020) & ~word & high != 0  // some byte below 0x20
        return control || hasZeroByte(word ^ 0x2222_2222_2222_2222) || hasZeroByte(word ^ 0x5C5C_5C5C_5C5C_5C5C)
    }

    /// Copies the runs that need no escaping whole; escapes `"`, `\\` and control characters.
    static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        // Most strings need no escaping at all: eight bytes at a time, look for a control byte, `"` or `\\`;
        // the first word that has one (or the tail) is looked at byte by byte from its start.
        var clean = 0
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while clean + 8 <= bytes.count {
                if needsEscape(raw.loadUnaligned(fromByteOffset: clean, as: UInt64.self)) { break }
                clean += 8
            }
        }
        if clean == bytes.count {
            out.append(contentsOf: bytes)
            return
        }
        var run = 0
        for i in clean..<bytes.count {
            let byte = bytes[i]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            if run < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<i])) }
            run = i + 1
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            default:
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        if run < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run...])) }
    }

    /// `appendEscaped` into a `ByteBuffer`: clean words are copied as they are checked.
    static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, into out: ByteBuffer) {
        guard let source = bytes.baseAddress else { return }
        let n = bytes.count
        var i = 0
        while i < n {
            // The clean run from `i`: checked and copied eight bytes at a time, then byte by byte up to the
            // first byte to escape.
            let p = out.room(n - i)
            let start = i
            let raw = UnsafeRawPointer(source), to = UnsafeMutableRawPointer(p) - start
            while i + 8 <= n {
                let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                if needsEscape(word) { break }
                to.storeBytes(of: word, toByteOffset: i, as: UInt64.self)
                i += 8
            }
            while i < n {
                let byte = source[i]
                if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { break }
                p[i - start] = byte
                i += 1
            }
            out.count &+= i - start
            guard i < n else { return }
            let byte = source[i]
            i += 1
            switch byte {
            case UInt8(ascii: "\""): out.append(0x5C, 0x22)
            case UInt8(ascii: "\\"): out.append(0x5C, 0x5C)
            case 0x0A: out.append(0x5C, UInt8(ascii: "n"))
            case 0x0D: out.append(0x5C, UInt8(ascii: "r"))
            case 0x09: out.append(0x5C, UInt8(ascii: "t"))
            case 0x08: out.append(0x5C, UInt8(ascii: "b"))
            case 0x0C: out.append(0x5C, UInt8(ascii: "f"))
            default:
                out.append("\\u00")
                out.append(hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)])
            }
        }
    }
}

/// The decimal digits of `n` appended as ASCII, as `String(n)` spells them, without making the string
/// (rows, ages and counts are written a few million times in a big run).
func appendDecimal(_ n: Int, to out: inout [UInt8]) {
    if n >= 0 && n < 10 {
        out.append(0x30 + UInt8(n))
        return
    }
    if n < 0 { out.append(UInt8(ascii: "-")) }
    var magnitude = n.magnitude
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
        var i = 20
        repeat {
            i -= 1
            digits[i] = 0x30 + UInt8(magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
        out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[i..<20]))
    }
}

/// `appendDecimal` into a `ByteBuffer`.
@inline(__always)
func appendDecimal(_ n: Int, to out: ByteBuffer) {
    if n >= 0 && n < 10 {
        out.append(0x30 + UInt8(truncatingIfNeeded: n))
        return
    }
    appendLongDecimal(n, to: out)
}

@inline(never)
func appendLongDecimal(_ n: Int, to out: ByteBuffer) {
    let p = out.room(20)
    var magnitude = n.magnitude
    // The number of digits by comparisons (10^19 is the largest power of ten a UInt holds), then the
    // digits from the last, one division by the constant 10 each.
    var digits = 1
    var power: UInt = 10
    while magnitude >= power {
        digits += 1
        guard digits < 20 else { break }
        power &*= 10
    }
    let sign = n < 0 ? 1 : 0
    if n < 0 { p[0] = UInt8(ascii: "-") }
    var at = sign + digits
    repeat {
        at -= 1
        let (quotient, digit) = magnitude.quotientAndRemainder(dividingBy: 10)
        p[at] = 0x30 + UInt8(truncatingIfNeeded: digit)
        magnitude = quotient
    } while at > sign
    out.count &+= sign + digits
}
