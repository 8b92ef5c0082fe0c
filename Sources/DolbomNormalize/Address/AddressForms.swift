/// Byte-level rules for the ways people write an address that the basic word rules of
/// `AddressScan` do not cover: words glued together (`328역삼동`, `모종동592-11`,
/// `금제13길6금능동`), 지번 spellings (`1784의3`, `1784-0`), units glued to names
/// (`16층서린동`, `수서동주민센터2층`). Each rule reads a word once, front to back.
extension AddressScan {
    /// How many ASCII digits start at byte `from`, counted up to `limit` (a run of digits can be
    /// as long as the cell; every rule here wants at most five).
    @inline(__always) static func digitRun(_ u: ScalarBytes, from: Int, limit: Int = 6) -> Int {
        var j = from
        while j < u.count, j - from < limit, u[j] >= 0x30 && u[j] <= 0x39 { j += 1 }
        return j - from
    }

    /// A road name led by digits (`63로`, `3번도로길`): digits, then Hangul, ending in 로/길;
    /// not a `N길`/`N번길` written apart from its road (`roadSuffixEnd`).
    static func isDigitLedRoadName(_ u: ScalarBytes) -> Bool {
        let d = digitRun(u, from: 0)
        guard d >= 1, d <= 4, d < u.count, isHangul(u.scalar(at: d).value) else { return false }
        return roadSuffixEnd(u) == nil
    }

    /// A 지번 word in canonical form: `1784`, `1784-3` (also written `1784의3`, `1784-3번지`),
    /// `산12-3`; a sub-number `0` is no sub-number (`1784-0` → `1784`). `bunji` tells whether
    /// `번지` or `번` was written (then a following `3호` is the sub-number).
    static func jibunForm(_ u: ScalarBytes) -> (text: String, hasSub: Bool, bunji: Bool)? {
        var i = 0
        var san = false
        if u.count > 3, u.scalar(at: 0).value == .v("산") {
            san = true
            i = 3
        }
        let mainStart = i
        let m = digitRun(u, from: i)
        guard m >= 1, m <= 5 else { return nil }
        i += m
        let mainEnd = i
        var sub: Range<Int>?
        if i < u.count {
            var sep = 0
            if u[i] == 0x2D { sep = 1 } else if u.scalar(at: i).value == .v("의") { sep = 3 }
            if sep > 0 {
                let s = digitRun(u, from: i + sep)
                guard s >= 1, s <= 5 else { return nil }
                sub = (i + sep)..<(i + sep + s)
                i += sep + s
            }
        }
        var bunji = false
        if i < u.count {
            let rest = u.extracting(i..<u.count)
            guard rest.equals("번지") || rest.equals("번") else { return nil }
            bunji = true
        }
        if let s = sub, u.all(s.lowerBound, s.upperBound, are: 0x30) { sub = nil }
        let text = AddressTextWriter.string(capacity: u.count + 1) { w in
            if san { w.literal("산") }
            w.bytes(u.extracting(mainStart..<mainEnd))
            if let s = sub {
                w.byte(0x2D)
                w.bytes(u.extracting(s))
            }
        }
        return (text, sub != nil, bunji)
    }

    /// `3호` after `1784번지`: the digits of a sub-number written as 호.
    static func hoNumber(_ u: ScalarBytes) -> Range<Int>? {
        guard u.count > 3, u.last == .v("호") else { return nil }
        let d = digitRun(u, from: 0)
        return d >= 1 && d <= 5 && d == u.count - 3 ? 0..<d : nil
    }

    /// A building number glued to what follows it (`311상가동`, `12.3층`, `1579모종동592-11`):
    /// where the number ends and where the rest starts. The rest is text after `.` or `,`, or
    /// two or more scalars starting with a Hangul syllable that is no unit or road ending
    /// (`101동`, `5층`, `15번지`, `46번길23` are not numbers glued to a name).
    static func gluedNumber(_ u: ScalarBytes) -> (numberEnd: Int, restStart: Int)? {
        let m = digitRun(u, from: 0)
        guard m >= 1, m <= 5, m < u.count else { return nil }
        var end = m
        if u[end] == 0x2D {
            let s = digitRun(u, from: end + 1)
            if s >= 1, s <= 5 { end += 1 + s }
        }
        guard end < u.count else { return nil }
        if u[end] == 0x2E || u[end] == 0x2C {
            return end + 1 < u.count ? (end, end + 1) : nil
        }
        let (first, len) = u.scalar(at: end)
        guard isHangul(first), end + len < u.count, roadSuffixEnd(u) == nil else { return nil }
        switch first {
        case .v("동"), .v("호"), .v("층"), .v("번"), .v("가"), .v("길"), .v("로"), .v("리"), .v("의"): return nil
        default: return (end, end)
        }
    }

    /// `N길`, `N번길`, `N가길` at the start of a word, followed by the building number and then
    /// more (`46번길23한국토지주택공사`): where the suffix ends and where the number ends.
    static func suffixGluedNumber(_ u: ScalarBytes) -> (suffixEnd: Int, numberEnd: Int)? {
        guard let sufEnd = suffixPrefixEnd(u, from: 0), sufEnd < u.count else { return nil }
        let n = digitRun(u, from: sufEnd)
        guard n >= 1, n <= 5 else { return nil }
        var end = sufEnd + n
        if end < u.count, u[end] == 0x2D {
            let s = digitRun(u, from: end + 1)
            if s >= 1, s <= 5 { end += 1 + s }
        }
        guard end < u.count, isHangul(u.scalar(at: end).value) else { return nil }
        return (sufEnd, end)
    }

    /// The end of `digits [one Hangul] 길` starting at `from`, or nil (at most `digits` digits).
    static func suffixPrefixEnd(_ u: ScalarBytes, from: Int, digits: Int = 6) -> Int? {
        let d = digitRun(u, from: from, limit: digits)
        guard d >= 1 else { return nil }
        var i = from + d
        guard i < u.count else { return nil }
        var (v, len) = u.scalar(at: i)
        if v != .v("길") {
            guard isHangul(v), i + len < u.count else { return nil }
            i += len
            (v, len) = u.scalar(at: i)
            guard v == .v("길") else { return nil }
        }
        return i + len
    }

    /// A road with its number glued to what follows (`금제13길6금능동`, `진각로141훈리`,
    /// `태장로795번길137장기동`): the byte after the number, where the rest starts.
    static func roadGluedSplit(_ u: ScalarBytes) -> Int? {
        guard let first = u.first, isHangul(first) else { return nil }
        var i = 0
        while i < u.count {
            let (v, len) = u.scalar(at: i)
            i += len
            guard v == .v("로") || v == .v("길"), i < u.count else { continue }
            // A `N번길` after the road name belongs to the name: look further.
            if suffixPrefixEnd(u, from: i) != nil { continue }
            let d = digitRun(u, from: i)
            guard d >= 1, d <= 5 else { continue }
            var end = i + d
            if end < u.count, u[end] == 0x2D {
                let s = digitRun(u, from: end + 1)
                if s >= 1, s <= 5 { end += 1 + s }
            }
            guard end < u.count, isHangul(u.scalar(at: end).value) else { continue }
            return roadEnd(u.extracting(0..<end)) != nil ? end : nil
        }
        return nil
    }

    /// A 읍면동/리 glued to its 지번 (`읍내동산51번지`, `모종동592-11`): where the 지번 starts.
    static func placeJibunSplit(_ u: ScalarBytes) -> Int? {
        guard let first = u.first, isHangul(first) else { return nil }
        var d = 0
        while d < u.count, !(u[d] >= 0x30 && u[d] <= 0x39) { d += 1 }
        guard d < u.count, d >= 6 else { return nil }
        var p = d
        if u.scalar(at: u.start(before: d)).value == .v("산") { p = u.start(before: d) }
        let place = u.extracting(0..<p)
        guard isEupMyeonDong(place) || isRi(place), jibunForm(u.extracting(p..<u.count)) != nil else { return nil }
        return p
    }

    /// A unit glued before a name (`16층서린동`, `1-4층서초동`, `105호구의동`): where the name starts.
    static func unitNameSplit(_ u: ScalarBytes) -> Int? {
        var i = 0
        while i < u.count, (u[i] >= 0x30 && u[i] <= 0x39) || u[i] == 0x2D || u[i] == 0x7E { i += 1 }
        guard i >= 1, i + 3 < u.count else { return nil }
        let v = u.scalar(at: i).value
        guard v == .v("층") || v == .v("호") else { return nil }
        let rest = i + 3
        guard u.count - rest >= 6, isHangul(u.scalar(at: rest).value) else { return nil }
        return rest
    }

    /// A name with a floor or room glued to its end (`수서동주민센터2층`, `월드타워10층`): where
    /// the unit starts.
    static func nameUnitSplit(_ u: ScalarBytes) -> Int? {
        guard let first = u.first, isHangul(first) || isLatin(Unicode.Scalar(first) ?? " "),
            let last = u.last, last == .v("층") || last == .v("호")
        else { return nil }
        var j = u.count - 3
        while j > 0, u[j - 1] >= 0x30 && u[j - 1] <= 0x39 { j -= 1 }
        guard j < u.count - 3, j >= 6 else { return nil }
        guard isHangul(u.scalar(at: u.start(before: j)).value) else { return nil }
        return j
    }

    /// A floor, room or block of a unit: `3층`, `1203호`, `B동`, `1-4층`, `1~2층`, `지층`, `B1`,
    /// `지1층` (the words `isUnit` does not know are read here).
    static func isUnitLike(_ u: ScalarBytes) -> Bool {
        if isUnit(u) { return true }
        if u.equals("지층") || u.equals("지하") || u.equals("옥탑") { return true }
        guard let last = u.last else { return false }
        if last == .v("층") || last == .v("호") {
            var from = 0
            if u.starts(with: "지하") { from = 6 } else if u.starts(with: "지") { from = 3 }
            let to = u.count - 3
            guard to > from else { return false }
            for k in from..<to {
                let c = u[k]
                let ok = (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x7E || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A)
                if !ok { return false }
            }
            return true
        }
        // `B1`, `b2`: a basement floor.
        if u.count >= 2, u.count <= 3, u[0] | 0x20 == 0x62, u.allDigits(1, u.count) { return true }
        return false
    }

    /// A word that is a 지번 on its own: `416-6`, `1446번지`, `산50-3`.
    static func isJibunWord(_ u: ScalarBytes) -> Bool { jibunForm(u) != nil }
}
