/// Small, allocation-light text helpers shared by the field normalizers.
///
/// Everything works on arrays of `Unicode.Scalar` so the hot path never
/// touches `Regex`/`NSRegularExpression` or locale-aware Foundation APIs.
enum FieldText {
    typealias Scalars = [Unicode.Scalar]

    // MARK: Classification

    @inline(__always) static func isSpace(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0xA0, 0x3000, 0x2000...0x200B, 0x2028, 0x2029, 0x202F, 0x205F,
            0xFEFF:
            return true
        default:
            return false
        }
    }

    @inline(__always) static func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 0x30 && c.value <= 0x39 }
    @inline(__always) static func digitValue(_ c: Unicode.Scalar) -> Int { Int(c.value) - 0x30 }
    @inline(__always) static func isHangulSyllable(_ c: Unicode.Scalar) -> Bool {
        c.value >= 0xAC00 && c.value <= 0xD7A3
    }
    /// Hangul compatibility jamo (ㄱ ... ㅣ), what a keyboard produces for a lone consonant or vowel.
    @inline(__always) static func isCompatJamo(_ c: Unicode.Scalar) -> Bool { c.value >= 0x3131 && c.value <= 0x3163 }
    @inline(__always) static func isCompatConsonant(_ c: Unicode.Scalar) -> Bool {
        c.value >= 0x3131 && c.value <= 0x314E
    }
    @inline(__always) static func isCompatVowel(_ c: Unicode.Scalar) -> Bool { c.value >= 0x314F && c.value <= 0x3163 }
    @inline(__always) static func isLatinLetter(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        // Latin-1, Extended-A/B, and Extended Additional (Vietnamese `ễ`, `ị`: Nguyễn Thị Lan).
        return (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A)
            || (v >= 0xC0 && v <= 0x24F && v != 0xD7 && v != 0xF7)
            || (v >= 0x1E00 && v <= 0x1EFF)
    }
    @inline(__always) static func isHan(_ c: Unicode.Scalar) -> Bool {
        (c.value >= 0x4E00 && c.value <= 0x9FFF) || (c.value >= 0x3400 && c.value <= 0x4DBF)
            || (c.value >= 0xF900 && c.value <= 0xFAFF)
    }
    @inline(__always) static func isLetter(_ c: Unicode.Scalar) -> Bool {
        isHangulSyllable(c) || isCompatJamo(c) || isLatinLetter(c) || isHan(c)
    }
    @inline(__always) static func lowerASCII(_ c: Unicode.Scalar) -> Unicode.Scalar {
        (c.value >= 0x41 && c.value <= 0x5A) ? Unicode.Scalar(c.value + 0x20)! : c
    }

    // MARK: Folding

    private static let choseongCompat: [UInt32] = [
        0x3131, 0x3132, 0x3134, 0x3137, 0x3138, 0x3139, 0x3141, 0x3142, 0x3143, 0x3145,
        0x3146, 0x3147, 0x3148, 0x3149, 0x314A, 0x314B, 0x314C, 0x314D, 0x314E,
    ]
    /// Index 0 is "no final".
    static let jongseongCompat: [UInt32] = [
        0, 0x3131, 0x3132, 0x3133, 0x3134, 0x3135, 0x3136, 0x3137, 0x3139, 0x313A,
        0x313B, 0x313C, 0x313D, 0x313E, 0x313F, 0x3140, 0x3141, 0x3142, 0x3144, 0x3145,
        0x3146, 0x3147, 0x3148, 0x314A, 0x314B, 0x314C, 0x314D, 0x314E,
    ]

    /// Folds the look-alikes people paste from Excel, HWP and phones into plain
    /// ASCII (full-width digits and letters, ideographic space, typographic
    /// dashes and tildes), drops BOMs and zero-width spaces, and composes
    /// decomposed (NFD, e.g. macOS) Hangul into precomposed syllables.
    static func fold(_ s: String) -> Scalars {
        var out = Scalars()
        out.reserveCapacity(s.utf8.count)  // O(1) upper bound; counting scalars would walk the string
        for c in s.unicodeScalars {
            let v = c.value
            switch v {
            case 0xFEFF, 0x200B, 0x200C, 0x200D, 0x2060:
                continue
            case 0xFF01...0xFF5E:
                out.append(Unicode.Scalar(v - 0xFEE0)!)
            case 0x3000, 0xA0, 0x2000...0x200A, 0x202F, 0x205F:
                out.append(" ")
            case 0x2010...0x2015, 0x2212, 0xFE58, 0xFE63:
                out.append("-")
            case 0x301C, 0x223C, 0x02DC:
                out.append("~")
            case 0x1100...0x1112:  // conjoining choseong
                out.append(Unicode.Scalar(choseongCompat[Int(v - 0x1100)])!)
            case 0x1161...0x1175:  // conjoining jungseong
                let vi = v - 0x1161
                if let last = out.last, isCompatConsonant(last), let li = choseongCompat.firstIndex(of: last.value) {
                    out[out.count - 1] = Unicode.Scalar(0xAC00 + UInt32(li) * 588 + vi * 28)!
                } else {
                    out.append(Unicode.Scalar(0x314F + vi)!)
                }
            case 0x11A8...0x11C2:  // conjoining jongseong
                let ti = v - 0x11A7
                if let last = out.last, isHangulSyllable(last), (last.value - 0xAC00) % 28 == 0 {
                    out[out.count - 1] = Unicode.Scalar(last.value + ti)!
                } else {
                    out.append(Unicode.Scalar(jongseongCompat[Int(ti)])!)
                }
            default:
                out.append(c)
            }
        }
        return out
    }

    /// Trims leading/trailing whitespace and collapses inner runs to one ASCII space.
    static func collapseSpaces(_ a: Scalars) -> Scalars {
        var out = Scalars()
        out.reserveCapacity(a.count)
        var pendingSpace = false
        for c in a {
            if isSpace(c) {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace {
                    out.append(" ")
                    pendingSpace = false
                }
                out.append(c)
            }
        }
        return out
    }

    /// Trims leading/trailing whitespace only (inner newlines are kept).
    static func trimmed(_ a: Scalars) -> Scalars {
        guard let first = a.firstIndex(where: { !isSpace($0) }), let last = a.lastIndex(where: { !isSpace($0) }) else {
            return []
        }
        return Array(a[first...last])
    }

    static func removingSpaces(_ a: Scalars) -> Scalars { a.filter { !isSpace($0) } }

    /// Builds a String by encoding straight into its UTF-8 storage (much faster than appending scalars).
    static func string(_ a: ArraySlice<Unicode.Scalar>) -> String {
        var byteCount = 0
        for c in a { byteCount += UTF8.width(c) }
        return String(unsafeUninitializedCapacity: byteCount) { buf in
            var i = 0
            for c in a {
                UTF8.encode(c) { b in
                    buf[i] = b
                    i += 1
                }
            }
            return i
        }
    }

    static func string(_ a: [Unicode.Scalar]) -> String { string(a[...]) }

    /// Word lists as scalar arrays, so lookups hash plain integers instead of
    /// normalizing Strings.
    static func keys(_ words: [String]) -> Set<[Unicode.Scalar]> { Set(words.map { Array($0.unicodeScalars) }) }

    /// Whitespace removed and ASCII letters lower-cased, in one pass.
    static func compactLowered(_ a: Scalars) -> Scalars {
        var out = Scalars()
        out.reserveCapacity(a.count)
        for c in a where !isSpace(c) { out.append(lowerASCII(c)) }
        return out
    }

    static func scalars(_ s: String) -> Scalars { Array(s.unicodeScalars) }

    /// Whether `needle` occurs in `hay` (exact scalar match).
    static func contains(_ hay: Scalars, _ needle: Scalars) -> Bool {
        find(hay, needle, from: 0) != nil
    }

    static func find(_ hay: Scalars, _ needle: Scalars, from: Int) -> Int? {
        guard !needle.isEmpty, hay.count >= needle.count else { return nil }
        var i = from
        let last = hay.count - needle.count
        while i <= last {
            if hay[i] == needle[0] {
                var j = 1
                while j < needle.count && hay[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    static func hasPrefix(_ hay: Scalars, _ needle: Scalars, at i: Int) -> Bool {
        guard i >= 0, i + needle.count <= hay.count else { return false }
        for k in 0..<needle.count where hay[i + k] != needle[k] { return false }
        return true
    }

    static func hasSuffix(_ hay: Scalars, _ needle: Scalars) -> Bool {
        hasPrefix(hay, needle, at: hay.count - needle.count)
    }

    /// Whether `hay[..<end]` ends with `needle`.
    static func hasSuffix(_ hay: Scalars, _ needle: Scalars, end: Int) -> Bool {
        let i = end - needle.count
        guard i >= 0 else { return false }
        for k in 0..<needle.count where hay[i + k] != needle[k] { return false }
        return true
    }

    /// The options of a multi-select cell (`지역아동센터, 다함께돌봄센터`): folded, spaces collapsed (line
    /// breaks too), split outside parentheses; none for a blank cell.
    static func listParts(_ raw: String) -> [Scalars] {
        splitOutsideParens(collapseSpaces(fold(raw)))
    }

    /// Splits on any of `separators`, but never inside parentheses/brackets
    /// (option texts such as `방과후(늘봄학교)` or `다자녀(3자녀 이상)` stay whole).
    static func splitOutsideParens(_ a: Scalars, separators isSeparator: (Unicode.Scalar) -> Bool = isListSeparator)
        -> [Scalars]
    {
        var parts: [Scalars] = []
        var cur = Scalars()
        var depth = 0
        for c in a {
            switch c.value {
            case 0x28, 0x5B, 0x7B:
                depth += 1
                cur.append(c)
            case 0x29, 0x5D, 0x7D:
                depth = max(0, depth - 1)
                cur.append(c)
            default:
                if depth == 0 && isSeparator(c) {
                    parts.append(cur)
                    cur = []
                } else {
                    cur.append(c)
                }
            }
        }
        parts.append(cur)
        return parts.map { collapseSpaces($0) }.filter { !$0.isEmpty }
    }

    /// Separators of multi-select cells: `,` `/` `;` `|` `+` `·` `、` and line breaks.
    @inline(__always) static func isListSeparator(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x2C, 0x2F, 0x3B, 0x0A, 0x0D, 0x7C, 0xB7, 0x3001, 0x30FB, 0x2B: return true
        default: return false
        }
    }

    /// Two-digit zero padding for messages.
    static func p2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
}

/// A token of a date/time-like cell: a digit run, a run of letters, or one symbol.
struct FieldToken: Equatable {
    enum Kind: Equatable { case number, word, symbol }
    var kind: Kind
    var text: [Unicode.Scalar]
    /// Numeric value of a `number` token (saturates for absurdly long runs).
    var value: Int
    /// Whether whitespace preceded the token.
    var spaced: Bool

    var digitCount: Int { kind == .number ? text.count : 0 }
    func isSymbol(_ s: Unicode.Scalar) -> Bool { kind == .symbol && text.first == s }
    func isWord(_ w: String) -> Bool { kind == .word && text.elementsEqual(w.unicodeScalars) }
    var word: String { FieldText.string(text) }

    /// Tokenizes already folded scalars; letters are lower-cased ASCII.
    static func tokenize(_ a: [Unicode.Scalar]) -> [FieldToken] {
        var toks: [FieldToken] = []
        var i = 0
        var spaced = false
        while i < a.count {
            let c = a[i]
            if FieldText.isSpace(c) {
                spaced = true
                i += 1
                continue
            }
            if FieldText.isDigit(c) {
                var v = 0
                let start = i
                while i < a.count, FieldText.isDigit(a[i]) {
                    if v < Int.max / 20 { v = v * 10 + FieldText.digitValue(a[i]) }
                    i += 1
                }
                toks.append(FieldToken(kind: .number, text: Array(a[start..<i]), value: v, spaced: spaced))
            } else if FieldText.isLetter(c) {
                var w: [Unicode.Scalar] = []
                while i < a.count, FieldText.isLetter(a[i]) {
                    w.append(FieldText.lowerASCII(a[i]))
                    i += 1
                }
                toks.append(FieldToken(kind: .word, text: w, value: 0, spaced: spaced))
            } else {
                toks.append(FieldToken(kind: .symbol, text: [c], value: 0, spaced: spaced))
                i += 1
            }
            spaced = false
        }
        return toks
    }
}
