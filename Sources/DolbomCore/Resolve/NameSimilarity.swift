import DolbomRuntime
import Foundation

/// Similarity of Korean names on jamo (초성/중성/종성), not whole syllables:
/// 김민준 and 김민쥰 differ in one vowel, which syllable comparison would count
/// as a whole different character. Latin names compare letter by letter,
/// case and spaces ignored.
public enum NameSimilarity {
    /// The name as a sequence of jamo (or lower-case letters), for edit distance.
    public static func jamo(_ name: String) -> [UInt16] {
        var out: [UInt16] = []
        out.reserveCapacity(name.unicodeScalars.count * 3)
        appendJamo(name, to: &out)
        return out
    }

    /// `jamo(name)` appended to `out` (the feature table keeps every name's jamo in one pool). Names of
    /// precomposed syllables and ASCII (nearly all) are read from their bytes; others scalar by scalar.
    static func appendJamo(_ name: String, to out: inout [UInt16]) {
        let done = name.withUTF8Span { appendPlainJamo($0, to: &out) }
        if !done { appendJamoOfScalars(name, to: &out) }
    }

    /// The jamo of text made of precomposed Hangul syllables and ASCII only, appended to `out` as the
    /// scalar path appends them (ASCII whitespace, `.` and `-` skipped, letters lower-cased); false, with
    /// `out` untouched, for any other text.
    static func appendPlainJamo(_ utf8: Span<UInt8>, to out: inout [UInt16]) -> Bool {
        guard plainText(utf8) else { return false }
        var i = 0
        while i < utf8.count {
            let b = utf8[i]
            if b < 0x80 {
                i += 1
                switch b {
                case 0x09...0x0D, 0x20, UInt8(ascii: "."), UInt8(ascii: "-"): continue
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): out.append(UInt16(b + 0x20))
                default: out.append(UInt16(b))
                }
            } else {
                let index = syllable(utf8, i)! - 0xAC00
                i += 3
                out.append(UInt16(0x1100 + index / 588))
                out.append(UInt16(0x1161 + (index % 588) / 28))
                let final = index % 28
                if final > 0 { out.append(UInt16(0x11A7 + final)) }
            }
        }
        return true
    }

    /// `appendJamo` scalar by scalar, for any text.
    static func appendJamoOfScalars(_ name: String, to out: inout [UInt16]) {
        for scalar in name.unicodeScalars {
            let v = scalar.value
            if (0xAC00...0xD7A3).contains(v) {
                let index = v - 0xAC00
                out.append(UInt16(0x1100 + index / 588))
                out.append(UInt16(0x1161 + (index % 588) / 28))
                let final = index % 28
                if final > 0 { out.append(UInt16(0x11A7 + final)) }
            } else if scalar.properties.isWhitespace || scalar == "." || scalar == "-" {
                continue
            } else if let lower = scalar.properties.lowercaseMapping.unicodeScalars.first, lower.value < 0x10000 {
                out.append(UInt16(lower.value))
            } else if v < 0x10000 {
                out.append(UInt16(v))
            }
        }
    }

    /// 1 for the same name, 0 for nothing in common: 1 − edit distance / longer length.
    public static func score(_ a: [UInt16], _ b: [UInt16]) -> Double {
        score(a.span, b.span)
    }

    /// The same on spans (the pair loop reads names in place in the feature table's jamo pool, about ten
    /// times per submission).
    static func score(_ a: Span<UInt16>, _ b: Span<UInt16>) -> Double {
        // Equal sequences by length and bytes (the generic `elementsEqual` walked two iterators).
        if a.hasSameElements(as: b) { return a.isEmpty ? 0 : 1 }
        guard !a.isEmpty, !b.isEmpty else { return 0 }
        let distance = a.count <= 64 ? bitParallelDistance(a, b) : tableDistance(a, b)
        return 1 - Double(distance) / Double(max(a.count, b.count))
    }

    /// The edit distance by the dynamic-programming table, two rows at a time (for names of more than
    /// 64 jamo only: the bit-parallel form takes the rest).
    static func tableDistance(_ a: Span<UInt16>, _ b: Span<UInt16>) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// The same edit distance for `a` of at most 64 jamo, a column of the table at a time as bit vectors
    /// of its vertical differences (Myers 1999, in Hyyrö's form for edit distance): a few word operations
    /// per letter of `b` instead of a row of cells. Bits above `a`'s length hold garbage that never reaches
    /// the bits below (every operation carries upward only).
    static func bitParallelDistance(_ a: Span<UInt16>, _ b: Span<UInt16>) -> Int {
        let m = a.count
        guard m > 0 else { return b.count }
        let last: UInt64 = 1 << UInt64(m - 1)
        var positive: UInt64 = ~0
        var negative: UInt64 = 0
        var distance = m
        for j in b.indices {
            let letter = b[j]
            var equal: UInt64 = 0
            for i in 0..<m where a[i] == letter { equal |= 1 << UInt64(i) }
            let xv = equal | negative
            let xh = (((equal & positive) &+ positive) ^ positive) | equal
            var ph = negative | ~(xh | positive)
            var mh = positive & xh
            if ph & last != 0 { distance += 1 } else if mh & last != 0 { distance -= 1 }
            ph = ph << 1 | 1
            mh = mh << 1
            positive = mh | ~(xv | ph)
            negative = ph & xv
        }
        return distance
    }

    public static func score(_ a: String, _ b: String) -> Double { score(jamo(a), jamo(b)) }

    /// The given name of a Korean full name (`안하은` → `하은`), for matching a child
    /// written with and without surname. Two-syllable surnames are recognized.
    public static func givenName(_ name: String) -> String {
        // Precomposed syllables are one character each, so an all-syllable name is cut on scalars.
        let scalars = name.unicodeScalars
        if scalars.allSatisfy({ (0xAC00...0xD7A3).contains($0.value) }) {
            var count = 0
            for _ in scalars { count += 1 }
            guard count >= 3 else { return name }
            let second = scalars.index(after: scalars.startIndex)
            let third = scalars.index(after: second)
            if count >= 4 && doubleSurnames.contains(String(scalars[..<third])) { return String(scalars[third...]) }
            return String(scalars[second...])
        }
        let syllables = Array(name)
        guard syllables.count >= 3,
            syllables.allSatisfy({ $0.unicodeScalars.first.map { (0xAC00...0xD7A3).contains($0.value) } ?? false })
        else {
            return name
        }
        let two = String(syllables.prefix(2))
        if doubleSurnames.contains(two) && syllables.count >= 4 { return String(syllables.dropFirst(2)) }
        return String(syllables.dropFirst())
    }

    /// Where `givenName` of a name made only of precomposed Hangul syllables lies in its UTF-8 bytes (each
    /// syllable is three bytes; `utf8` is indexed from 0); nil for any other name (`givenName` itself decides
    /// those).
    static func givenNameBytes(_ utf8: Span<UInt8>) -> Range<Int>? {
        guard utf8.count % 3 == 0 else { return nil }
        var i = 0
        while i < utf8.count {
            guard syllable(utf8, i) != nil else { return nil }
            i += 3
        }
        let count = utf8.count / 3
        guard count >= 3 else { return 0..<utf8.count }
        if count >= 4, let first = syllable(utf8, 0), let second = syllable(utf8, 3),
            doubleSurnameScalars.contains(where: { $0 == (first, second) })
        {
            return 6..<utf8.count
        }
        return 3..<utf8.count
    }

    /// The scalar of the precomposed Hangul syllable at byte `i`, or nil.
    @inline(__always)
    private static func syllable(_ utf8: Span<UInt8>, _ i: Int) -> UInt32? {
        let b0 = utf8[i]
        let b1 = utf8[i + 1]
        let b2 = utf8[i + 2]
        guard b0 & 0xF0 == 0xE0, b1 & 0xC0 == 0x80, b2 & 0xC0 == 0x80 else { return nil }
        let v = UInt32(b0 & 0x0F) << 12 | UInt32(b1 & 0x3F) << 6 | UInt32(b2 & 0x3F)
        return (0xAC00...0xD7A3).contains(v) ? v : nil
    }

    /// `givenName(x) == givenName(y)` without making the given names: for names of syllables only (a
    /// child's name, nearly always) the bytes decide, as such text is equal exactly when its bytes are.
    static func sameGivenName(_ x: String, _ y: String) -> Bool {
        let fast: Bool? = x.withUTF8Span { p in
            y.withUTF8Span { q in
                guard let r = givenNameBytes(p), let s = givenNameBytes(q) else { return nil }
                return r.count == s.count && p.hasSameElements(r.lowerBound, as: q, s.lowerBound, length: r.count)
            }
        }
        return fast ?? (givenName(x) == givenName(y))
    }

    /// `x == y` (canonical equivalence), by bytes when they decide it: equal bytes are equal text, and text
    /// of ASCII and precomposed Hangul syllables only is in NFC, so two such texts are equal only if their bytes are.
    static func equalText(_ x: String, _ y: String) -> Bool {
        let fast: Bool? = x.withUTF8Span { p in
            y.withUTF8Span { q in
                if p.hasSameElements(as: q) { return true }
                return plainText(p) && plainText(q) ? false : nil
            }
        }
        return fast ?? (x == y)
    }

    /// Only ASCII and precomposed Hangul syllables.
    private static func plainText(_ utf8: Span<UInt8>) -> Bool {
        var i = 0
        while i < utf8.count {
            if utf8[i] < 0x80 {
                i += 1
            } else {
                guard i + 3 <= utf8.count, syllable(utf8, i) != nil else { return false }
                i += 3
            }
        }
        return true
    }

    /// `doubleSurnames` as pairs of syllable scalars.
    private static let doubleSurnameScalars: [(UInt32, UInt32)] = doubleSurnames.map { name in
        let scalars = Array(name.unicodeScalars)
        return (scalars[0].value, scalars[1].value)
    }

    static let doubleSurnames: Set<String> = ["남궁", "제갈", "선우", "황보", "독고", "사공", "서문", "동방", "망절", "어금"]
}
