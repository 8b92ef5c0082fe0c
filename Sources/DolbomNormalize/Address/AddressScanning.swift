import DolbomRuntime

/// Scalar-level helpers for address tokenizing. Everything works on unicode
/// scalars (input is NFC, so Hangul syllables are single scalars) and avoids
/// regular expressions: this runs once per row on files of a million rows.
enum AddressScan {
    @inline(__always) static func isHangul(_ s: Unicode.Scalar) -> Bool { s.value >= 0xAC00 && s.value <= 0xD7A3 }
    @inline(__always) static func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 0x30 && s.value <= 0x39 }
    @inline(__always) static func isLatin(_ s: Unicode.Scalar) -> Bool {
        (s.value >= 0x41 && s.value <= 0x5A) || (s.value >= 0x61 && s.value <= 0x7A)
    }

    /// Full-width forms to ASCII, every kind of space to " ", dashes to "-".
    @inline(__always) static func fold(_ s: Unicode.Scalar) -> Unicode.Scalar {
        let v = s.value
        if v < 0x80 {
            if v == 0x09 || v == 0x0A || v == 0x0D || v == 0x0B || v == 0x0C { return " " }
            return s
        }
        if v >= 0xFF01 && v <= 0xFF5E { return Unicode.Scalar(v - 0xFEE0)! }
        switch v {
        case 0x00A0, 0x1680, 0x2000...0x200B, 0x202F, 0x205F, 0x3000, 0xFEFF: return " "
        case 0x2010...0x2015, 0x2212, 0xFE63, 0x30FC: return "-"
        case 0x3001, 0xFE50: return ","
        case 0x3014, 0x3010, 0x3008, 0x300C: return "("
        case 0x3015, 0x3011, 0x3009, 0x300D: return ")"
        default: return s
        }
    }

    static func string<C: Collection>(_ scalars: C) -> String where C.Element == Unicode.Scalar {
        String(unsafeUninitializedCapacity: scalars.count * 4) { buf in
            var i = 0
            for s in scalars {
                UTF8.encode(s) {
                    buf[i] = $0
                    i += 1
                }
            }
            return i
        }
    }

    @inline(__always) static func slice(_ u: Substring.UnicodeScalarView) -> String { String(Substring(u)) }

    /// `15`, `125-24` (at most 5 digits each side). Stops at the sixth digit of a side: the
    /// result is known then, and a run of digits can be as long as the cell.
    static func isNumber<C: Collection>(_ u: C) -> Bool where C.Element == Unicode.Scalar {
        var digits = 0
        var dashes = 0
        var afterDash = 0
        for s in u {
            if isDigit(s) {
                if dashes == 0 { digits += 1 } else { afterDash += 1 }
                if digits > 5 || afterDash > 5 { return false }
            } else if s == "-" && dashes == 0 && digits > 0 {
                dashes = 1
            } else {
                return false
            }
        }
        return digits >= 1 && digits <= 5 && (dashes == 0 || (afterDash >= 1 && afterDash <= 5))
    }

    /// `isNumber` of the bytes `from ..< to` (a byte of a non-ASCII scalar is neither digit nor dash).
    static func isNumber(_ w: ScalarBytes, _ from: Int, _ to: Int) -> Bool {
        var digits = 0
        var dashes = 0
        var afterDash = 0
        for i in from..<to {
            let c = w[i]
            if c >= 0x30 && c <= 0x39 {
                if dashes == 0 { digits += 1 } else { afterDash += 1 }
                if digits > 5 || afterDash > 5 { return false }
            } else if c == 0x2D && dashes == 0 && digits > 0 {
                dashes = 1
            } else {
                return false
            }
        }
        return digits >= 1 && digits <= 5 && (dashes == 0 || (afterDash >= 1 && afterDash <= 5))
    }

    @inline(__always) static func isHangul(_ v: UInt32) -> Bool { v >= 0xAC00 && v <= 0xD7A3 }
    @inline(__always) static func isDigit(_ v: UInt32) -> Bool { v >= 0x30 && v <= 0x39 }

    /// Hangul, digit, `·` or `.`: what place and road names are made of.
    @inline(__always) static func isNameScalar(_ v: UInt32) -> Bool {
        isHangul(v) || isDigit(v) || v == 0xB7 || v == 0x2E
    }

    /// The number of scalars of `from ..< to` when all are name scalars, else nil.
    @inline(__always) static func nameLength(_ w: ScalarBytes, _ from: Int, _ to: Int) -> Int? {
        var n = 0
        var i = from
        while i < to {
            let (v, len) = w.scalar(at: i)
            guard isNameScalar(v) else { return nil }
            n += 1
            i += len
        }
        return n
    }

    /// A building number, allowing a trailing `번` or a mistaken `번지` (`15번`, `15번지`).
    static func buildingNumber(_ w: String) -> String? {
        w.withUTF8Span { u -> String? in
            guard let end = buildingNumberEnd(u) else { return nil }
            return end == u.count ? w : u.string(0, end)
        }
    }

    /// `buildingNumber` of bytes: where the number ends (its bytes are `0 ..< end`), or nil.
    static func buildingNumberEnd(_ u: ScalarBytes) -> Int? {
        guard let last = u.last else { return nil }
        var end = u.count
        if last == .v("번") {
            end -= 3
        } else if last == .v("지"), u.count > 6, u.scalar(at: u.count - 6).value == .v("번") {
            // (three scalars or more: `번지` alone is not a number either way)
            end -= 6
        }
        return isNumber(u, 0, end) ? end : nil
    }

    /// `1784`, `123-4번지`, `산12-3` → canonical 지번 (`산` kept, `번지` dropped).
    static func jibun(_ w: String) -> String? {
        w.withUTF8Span { u -> String? in
            // `산` + the number is the word's own prefix.
            return jibunEnd(u).map { u.string(0, $0) }
        }
    }

    /// `jibun` of bytes: where the 지번 ends (it is the bytes `0 ..< end`), or nil.
    static func jibunEnd(_ u: ScalarBytes) -> Int? {
        guard let first = u.first, isDigit(first) || first == .v("산") else { return nil }
        let last = u.last!
        var end = u.count
        if last == .v("지"), u.scalar(at: u.start(before: u.start(before: end))).value == .v("번") {
            end = u.start(before: u.start(before: end))
        } else if last == .v("번") {
            end -= 3
        }
        let start = first == .v("산") ? 3 : 0
        guard start < end, isNumber(u, start, end) else { return nil }
        return end
    }

    /// The last syllable of a place name: 읍/면/동/가 (읍면동) or 리.
    enum PlaceEnding { case eupMyeonDong, ri }

    /// Hangul-initial name of Hangul/digits (and `·`) ending in one of `endings`.
    static func isPlaceName(_ w: String, endings: PlaceEnding) -> Bool {
        w.withUTF8Span { isPlaceName($0, endings: endings) }
    }

    static func isPlaceName(_ u: ScalarBytes, endings: PlaceEnding) -> Bool {
        isPlaceName(u, endings: endings, isName: { isName(u, 0, $0) })
    }

    /// `isPlaceName`, with `isName(end)` answering `isName(u, 0, end)` (the parser answers it for
    /// a long word from what it knows of the word's tail).
    @inline(__always) static func isPlaceName(_ u: ScalarBytes, endings: PlaceEnding, isName: (Int) -> Bool) -> Bool {
        guard let first = u.first, let last = u.last, isHangul(first) else { return false }
        switch endings {
        case .eupMyeonDong:
            guard last == .v("읍") || last == .v("면") || last == .v("동") || last == .v("가") else { return false }
        case .ri: guard last == .v("리") else { return false }
        }
        return isName(u.count)
    }

    /// Whether `from ..< to` is two or more name scalars and nothing else.
    @inline(__always) static func isName(_ u: ScalarBytes, _ from: Int, _ to: Int) -> Bool {
        guard let n = nameLength(u, from, to) else { return false }
        return n >= 2
    }

    /// `배방읍`, `탕정면`, `역삼동`, `상계1동`, `성수동1가` (a `가` always follows a digit:
    /// `돈암동삼성상가` is a building, not a 법정동).
    static func isEupMyeonDong(_ w: String) -> Bool { w.withUTF8Span { isEupMyeonDong($0) } }

    static func isEupMyeonDong(_ u: ScalarBytes) -> Bool {
        isEupMyeonDong(u, isName: { isName(u, 0, $0) })
    }

    /// `isEupMyeonDong`, with `isName` as in `isPlaceName`.
    @inline(__always) static func isEupMyeonDong(_ u: ScalarBytes, isName: (Int) -> Bool) -> Bool {
        guard isPlaceName(u, endings: .eupMyeonDong, isName: isName) else { return false }
        // A place name is at least two scalars, all of one or three bytes.
        if u.last == .v("가") { return isDigit(u.scalar(at: u.start(before: u.count - 3)).value) }
        return true
    }
    static func isRi(_ w: String) -> Bool { isPlaceName(w, endings: .ri) }
    static func isRi(_ u: ScalarBytes) -> Bool { isPlaceName(u, endings: .ri) }

    /// `가동`, `나동` ... are building blocks, not 법정동, when a unit follows.
    static func isBlockLetterDong(_ w: String) -> Bool { w.withUTF8Span { isBlockLetterDong($0) } }

    static func isBlockLetterDong(_ u: ScalarBytes) -> Bool {
        guard u.count >= 4, u.last == .v("동") else { return false }
        let (first, len) = u.scalar(at: 0)
        return len + 3 == u.count && isBlockLetter(first)
    }
    static let blockLetters: Set<Unicode.Scalar> = [
        "가", "나", "다", "라", "마", "바", "사", "아", "자", "차", "카", "타", "파", "하",
    ]

    /// `blockLetters.contains`, as a switch.
    @inline(__always) static func isBlockLetter(_ v: UInt32) -> Bool {
        switch v {
        case .v("가"), .v("나"), .v("다"), .v("라"), .v("마"), .v("바"), .v("사"),
            .v("아"), .v("자"), .v("차"), .v("카"), .v("타"), .v("파"), .v("하"):
            return true
        default: return false
        }
    }

    /// A road word: `번영로`, `테헤란로7길`, `동작대로35차길`; or a road glued
    /// to its number: `용구대로125-24`, `상원길63`.
    static func road(_ w: String) -> (road: String, number: String?)? {
        w.withUTF8Span { u -> (road: String, number: String?)? in
            guard let end = roadEnd(u) else { return nil }
            return (end == u.count ? w : u.string(0, end), end == u.count ? nil : u.string(end, u.count))
        }
    }

    /// `road` of bytes: where the road name ends; the bytes after it are the glued number.
    static func roadEnd(_ u: ScalarBytes) -> Int? {
        roadEnd(u, isName: { isName(u, 0, $0) })
    }

    /// `roadEnd`, with `isName` as in `isPlaceName`.
    @inline(__always) static func roadEnd(_ u: ScalarBytes, isName: (Int) -> Bool) -> Int? {
        guard let first = u.first, let last = u.last else { return nil }
        // Hangul first, or a date-named road such as `3·15대로`.
        guard isHangul(first) || (isDigit(first) && (hasMiddleDot(u) || u.contains(0x2E) || isDigitLedRoadName(u)))
        else { return nil }
        var end = u.count
        if !(last == .v("로") || last == .v("길")) {
            // Digits and dashes are one byte each. A number is at most 11 of them (`12345-12345`):
            // a longer run is not read to its start.
            var j = u.count
            while j > 0, u.count - j < 12, (u[j - 1] >= 0x30 && u[j - 1] <= 0x39) || u[j - 1] == 0x2D { j -= 1 }
            guard j < u.count, j > 0, u.count - j < 12 else { return nil }
            let before = u.scalar(at: u.start(before: j)).value
            guard before == .v("로") || before == .v("길"), isNumber(u, j, u.count) else { return nil }
            end = j
        }
        return isName(end) ? end : nil
    }

    /// Whether `·` (C2 B7) is among the bytes.
    @inline(__always) static func hasMiddleDot(_ u: ScalarBytes) -> Bool {
        var i = 0
        while i + 1 < u.count {
            if u[i] == 0xC2 && u[i + 1] == 0xB7 { return true }
            i += 1
        }
        return false
    }

    /// The `224번길`, `30길`, `28나길` (optionally glued to a number: `36길52`)
    /// written apart from the main road name.
    static func roadSuffix(_ w: String) -> (suffix: String, number: String?)? {
        w.withUTF8Span { u -> (suffix: String, number: String?)? in
            guard let end = roadSuffixEnd(u) else { return nil }
            if end == u.count { return (w, nil) }
            return (u.string(0, end), u.string(end, u.count))
        }
    }

    /// `roadSuffix` of bytes: where the `N길` ends; the bytes after it are the glued number.
    static func roadSuffixEnd(_ u: ScalarBytes) -> Int? {
        guard let restStart = suffixPrefixEnd(u, from: 0, digits: u.count) else { return nil }
        if restStart == u.count { return restStart }
        return isNumber(u, restStart, u.count) ? restStart : nil
    }

    /// `101동1203호` / `B동201호` / `가동101호` / `101동1203` → ("101동", "1203호").
    static func splitDongHo(_ w: String) -> (String, String)? {
        w.withUTF8Span { u -> (String, String)? in
            guard let (p, restEnd) = splitDongHo(u) else { return nil }
            let restStart = p + 3
            // Head and rest are ASCII or one syllable: upper-casing the bytes is `upperLatin`.
            let dong = AddressTextWriter.string(capacity: p + 3) { out in
                for i in 0..<p {
                    let c = u[i]
                    out.byte(c >= 0x61 && c <= 0x7A ? c - 32 : c)
                }
                out.literal("동")
            }
            let ho = AddressTextWriter.string(capacity: restEnd - restStart + 3) { out in
                out.bytes(u.extracting(restStart..<restEnd))
                out.literal("호")
            }
            return (dong, ho)
        }
    }

    /// `splitDongHo` of bytes: where `동` starts (the head is `0 ..< dong`) and where the 호
    /// digits end (they start after `동`).
    static func splitDongHo(_ u: ScalarBytes) -> (dong: Int, digitsEnd: Int)? {
        guard let p = u.firstIndex(ofScalar: .v("동")), p > 0 else { return nil }
        let restStart = p + 3
        guard restStart < u.count else { return nil }
        var restEnd = u.count
        if u.last == .v("호") { restEnd -= 3 }
        guard restStart < restEnd, u.allDigits(restStart, restEnd) else { return nil }
        let ok = u.allDigits(0, p) || u.allLatin(0, p) || (p == 3 && isBlockLetter(u.scalar(at: 0).value))
        return ok ? (p, restEnd) : nil
    }

    /// The last scalar of `w` (nil when empty).
    static func lastScalar(_ w: String) -> UInt32? { w.withUTF8Span { $0.last } }

    /// Every scalar of `w` is an ASCII digit (true when empty).
    static func allDigits(_ w: String) -> Bool { w.withUTF8Span { $0.allDigits(0, $0.count) } }

    /// Every scalar of `w` is a Hangul syllable, and there are at least `minimum`.
    /// A Hangul word of two syllables or more whose last syllable is `로` with its vowel one key off on the
    /// standard keyboard (`료`, `러`, `루`, `류`, `려`): the road-name slip people make most.
    static func isRoadSuffixSlip(_ u: ScalarBytes) -> Bool {
        guard let last = u.last, slipSyllables.contains(last), isHangulWord(u, atLeast: 2) else { return false }
        return true
    }

    static let slipSyllables: Set<UInt32> = [.v("료"), .v("러"), .v("루"), .v("류"), .v("려")]

    static func isHangulWord(_ w: String, atLeast minimum: Int) -> Bool {
        w.withUTF8Span { isHangulWord($0, atLeast: minimum) }
    }

    static func isHangulWord(_ u: ScalarBytes, atLeast minimum: Int) -> Bool {
        // (Not decoded when there are fewer bytes than the minimum's syllables need.)
        if u.count < 3 * minimum { return false }
        var i = 0
        var n = 0
        while i < u.count {
            let (v, len) = u.scalar(at: i)
            guard isHangul(v) else { return false }
            n += 1
            i += len
        }
        return n >= minimum
    }

    /// Whether any byte is a lower-case ASCII letter.
    @inline(__always) static func hasLowerLatin(_ s: String) -> Bool {
        s.withUTF8Span { hasLowerLatin($0) }
    }

    /// Whether any byte is a lower-case ASCII letter.
    @inline(__always) static func hasLowerLatin(_ u: ScalarBytes) -> Bool {
        for i in u.indices where u[i] >= 0x61 && u[i] <= 0x7A { return true }
        return false
    }

    static func upperLatin(_ s: String) -> String {
        // Usually there is nothing to change (`101동`, `1203호`): keep the string.
        if !hasLowerLatin(s) { return s }
        var v = String.UnicodeScalarView()
        for c in s.unicodeScalars {
            if c.value >= 0x61 && c.value <= 0x7A { v.append(Unicode.Scalar(c.value - 32)!) } else { v.append(c) }
        }
        return String(v)
    }

    /// `101동`, `B동`, `1203호`, `3층`, `지하1층`, `B1층`: a unit word.
    static func isUnit(_ w: String) -> Bool { w.withUTF8Span { isUnit($0) } }

    static func isUnit(_ u: ScalarBytes) -> Bool {
        // Two scalars or more, the last a three-byte 동/호/층: more than three bytes.
        guard u.count > 3, let last = u.last, last == .v("동") || last == .v("호") || last == .v("층") else {
            return false
        }
        var from = 0
        let to = u.count - 3
        // `지하` + at least one more scalar.
        if last == .v("층"), to > 6, u.scalar(at: 0).value == .v("지"), u.scalar(at: 3).value == .v("하") { from = 6 }
        if u.allDigits(from, to) { return true }
        if u.allLatin(from, to) { return true }
        if to - from >= 2, u.allLatin(from, from + 1), u.allDigits(from + 1, to) { return true }
        return last == .v("동") && to - from == 3 && isBlockLetter(u.scalar(at: from).value)
    }

    static let buildingSuffixes: [String] = [
        "아파트", "빌라", "빌라트", "빌딩", "맨션", "오피스텔", "타워", "팰리스", "하이츠", "캐슬",
        "푸르지오", "아이파크", "힐스테이트", "빌리지", "단지", "타운", "주택", "연립",
    ]

    static let buildingSuffixBytes: [[UInt8]] = buildingSuffixes.map { Array($0.utf8) }

    /// A word that names a building (`태강아파트`, `상계주공3단지아파트`).
    static func isBuildingName(_ w: String) -> Bool { w.withUTF8Span { isBuildingName($0) } }

    static func isBuildingName(_ u: ScalarBytes) -> Bool {
        let n = u.count
        guard n >= 9 else { return false }
        var hit = false
        for suf in buildingSuffixBytes where n > suf.count {
            var k = 0
            while k < suf.count, u[n - suf.count + k] == suf[k] { k += 1 }
            if k == suf.count {
                hit = true
                break
            }
        }
        return hit && !isUnit(u)
    }
}

extension String {
    /// Byte equality (input is NFC): much cheaper than `==` for Hangul.
    @inline(__always) func addressBytesEqual(_ other: String) -> Bool {
        withUTF8Span { a in
            other.withUTF8Span { b in
                guard a.count == b.count else { return false }
                for i in 0..<a.count where a[i] != b[i] { return false }
                return true
            }
        }
    }
}
