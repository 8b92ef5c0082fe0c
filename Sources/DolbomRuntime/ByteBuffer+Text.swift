import Foundation

/// The text kernels of the writers: JSON strings, CSV cells, decimal numbers. Clean text (nearly all of
/// it) is checked and copied in one pass, eight bytes at a time.
extension ByteBuffer {
    /// `bytes` as a JSON string in quotes, escaped as Foundation's `JSONEncoder` escapes
    /// (`.withoutEscapingSlashes`): `\"`, `\\`, `\n`, `\r`, `\t`, `\b`, `\f`, other control bytes `\u00XX`.
    public func writeJSONString(_ bytes: UnsafeBufferPointer<UInt8>) {
        let n = bytes.count
        var clean = 0
        writeWithUnsafeBytes(reserving: n + 2) { p in
            p[0] = UInt8(ascii: "\"")
            clean = Self.copyClean(bytes, to: p, at: 1, stop: Self.needsJSONEscape, stopByte: Self.isJSONEscaped)
            if clean == n {
                p[n + 1] = UInt8(ascii: "\"")
                return n + 2
            }
            return 1 + clean
        }
        guard clean < n else { return }
        writeJSONEscaped(UnsafeBufferPointer(rebasing: bytes[clean...]))
        write(UInt8(ascii: "\""))
    }

    /// A text as a JSON string in quotes (see `writeJSONString(_:)` for bytes).
    @inlinable
    public func writeJSONString(_ s: String) { s.readingUTF8 { writeJSONString($0) } }

    /// `bytes` escaped for the inside of a JSON string (no quotes around).
    public func writeJSONEscaped(_ bytes: UnsafeBufferPointer<UInt8>) {
        let n = bytes.count
        var i = 0
        while i < n {
            let rest = UnsafeBufferPointer(rebasing: bytes[i...])
            i += writeWithUnsafeBytes(reserving: n - i) { p in
                Self.copyClean(rest, to: p, at: 0, stop: Self.needsJSONEscape, stopByte: Self.isJSONEscaped)
            }
            guard i < n else { return }
            let byte = bytes[i]
            i += 1
            switch byte {
            case UInt8(ascii: "\""): write(0x5C, 0x22)
            case UInt8(ascii: "\\"): write(0x5C, 0x5C)
            case 0x0A: write(0x5C, UInt8(ascii: "n"))
            case 0x0D: write(0x5C, UInt8(ascii: "r"))
            case 0x09: write(0x5C, UInt8(ascii: "t"))
            case 0x08: write(0x5C, UInt8(ascii: "b"))
            case 0x0C: write(0x5C, UInt8(ascii: "f"))
            default:
                write("\\u00")
                write(Self.hexDigits[Int(byte >> 4)], Self.hexDigits[Int(byte & 0x0F)])
            }
        }
    }

    /// A text escaped for the inside of a JSON string.
    @inlinable
    public func writeJSONEscaped(_ s: String) { s.readingUTF8 { writeJSONEscaped($0) } }

    /// `,"key":` (or `"key":` when `first`), for a key with nothing to escape.
    @inlinable @inline(__always)
    public func writeJSONKey(_ k: StaticString, first: Bool) {
        let n = k.utf8CodeUnitCount
        writeWithUnsafeBytes(reserving: n + 4) { p in
            var at = 0
            if !first {
                p[0] = UInt8(ascii: ",")
                at = 1
            }
            p[at] = UInt8(ascii: "\"")
            UnsafeMutableBufferPointer(rebasing: p[(at + 1)...]).baseAddress!.update(from: k.utf8Start, count: n)
            p[at + n + 1] = UInt8(ascii: "\"")
            p[at + n + 2] = UInt8(ascii: ":")
            return at + n + 3
        }
    }

    /// `bytes` with each `"` doubled (the inside of a quoted CSV cell, as libcsv's `csv_write` quotes).
    public func writeQuotesDoubled(_ bytes: UnsafeBufferPointer<UInt8>) {
        let n = bytes.count
        var i = writeWithUnsafeBytes(reserving: n) { p in
            Self.copyClean(bytes, to: p, at: 0, stop: Self.holdsQuote, stopByte: { $0 == UInt8(ascii: "\"") })
        }
        while i < n {
            // From a quote on, runs between quotes are copied whole.
            let rest = bytes[i...]
            let quote = rest.firstIndex(of: UInt8(ascii: "\"")) ?? n
            write(UnsafeBufferPointer(rebasing: bytes[i..<Swift.min(quote + 1, n)]))
            if quote < n { write(UInt8(ascii: "\"")) }
            i = quote + 1
        }
    }

    /// A text with each `"` doubled.
    @inlinable
    public func writeQuotesDoubled(_ s: String) { s.readingUTF8 { writeQuotesDoubled($0) } }

    /// The decimal digits of `n`, as `String(n)` spells them, without making the string.
    @inlinable @inline(__always)
    public func writeDecimal(_ n: Int) {
        if n >= 0 && n < 10 {
            write(0x30 + UInt8(truncatingIfNeeded: n))
            return
        }
        writeLongDecimal(n)
    }

    @usableFromInline @inline(never)
    func writeLongDecimal(_ n: Int) {
        writeWithUnsafeBytes(reserving: 20) { p in
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
            return sign + digits
        }
    }

    /// `v` (0...99) as two digits.
    @inlinable @inline(__always)
    public func writeTwoDigits(_ v: Int) {
        write(UInt8(truncatingIfNeeded: 0x30 + v / 10), UInt8(truncatingIfNeeded: 0x30 + v % 10))
    }

    /// `v` (0...9999) as four digits.
    @inlinable @inline(__always)
    public func writeFourDigits(_ v: Int) {
        writeTwoDigits(v / 100)
        writeTwoDigits(v % 100)
    }

    /// Whether the bytes from `start` on are the UTF-8 of `s`.
    public func bytes(from start: Int, equalUTF8 s: String) -> Bool {
        precondition(start >= 0 && start <= count)
        return s.hasUTF8(UnsafeRawBufferPointer(start: base + start, count: count - start))
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    /// Copies `source` to `p` from `at` up to its first byte `stopByte` accepts (words `stop` accepts are
    /// checked byte by byte); returns how many bytes were copied.
    @inline(__always)
    static func copyClean(
        _ source: UnsafeBufferPointer<UInt8>, to p: UnsafeMutableBufferPointer<UInt8>, at: Int,
        stop: (UInt64) -> Bool, stopByte: (UInt8) -> Bool
    ) -> Int {
        guard let from = source.baseAddress else { return 0 }
        let n = source.count
        let raw = UnsafeRawPointer(from)
        let to = UnsafeMutableRawPointer(p.baseAddress! + at)
        var i = 0
        while i + 8 <= n {
            let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if stop(word) { break }
            to.storeBytes(of: word, toByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < n, !stopByte(from[i]) {
            p[at + i] = from[i]
            i += 1
        }
        return i
    }

    /// Whether a byte is written escaped in JSON: a control byte, `"` or `\\`.
    @inline(__always)
    static func isJSONEscaped(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// Whether any of the eight bytes in `word` is a control byte (below 0x20), `"` or `\\`.
    @inline(__always)
    static func needsJSONEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ 0x2222_2222_2222_2222
        let backslash = word ^ 0x5C5C_5C5C_5C5C_5C5C
        let zeroQuote = (quote &- ones) & ~quote & highs
        let zeroBackslash = (backslash &- ones) & ~backslash & highs
        let control = (word &- 0x2020_2020_2020_2020) & ~word & highs
        return zeroQuote | zeroBackslash | control != 0
    }

    /// Whether any of the eight bytes in `word` is `"`.
    @inline(__always)
    static func holdsQuote(_ word: UInt64) -> Bool {
        let x = word ^ 0x2222_2222_2222_2222
        return (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 != 0
    }
}
