import DolbomRuntime

/// One Korean address split into the parts call lists sort, group and dedupe on.
///
/// Components are canonical (official 시도/시군구 names, road names without
/// spaces, detail as `101동 1203호`) so two spellings of the same home compare
/// equal; `text` is the one-line rendering staff read on a call list.
public struct Address: Hashable, Sendable, Codable {
    /// What kind of address could be made of the input.
    public enum Kind: String, Hashable, Sendable, Codable {
        /// 도로명주소: road name + building number.
        case road
        /// 지번주소: 읍면동/리 + lot number.
        case jibun
        /// Neither could be completed; see the issues.
        case partial
    }

    /// The stored parts, boxed: an address is copied from a submission into its household and
    /// the call list, and a shared box costs one reference instead of some 230 bytes.
    @usableFromInline
    struct Fields: Hashable, Sendable, Codable {
        @usableFromInline var sido: String?
        @usableFromInline var sigungu: String?
        @usableFromInline var eupmyeondong: String?
        @usableFromInline var ri: String?
        @usableFromInline var road: String?
        @usableFromInline var buildingNumber: String?
        @usableFromInline var underground: Bool
        @usableFromInline var jibun: String?
        @usableFromInline var detail: String?
        @usableFromInline var buildingName: String?
        @usableFromInline var postalCode: String?
        @usableFromInline var text: String
        @usableFromInline var kind: Kind
        @usableFromInline var sigunguCode: String?
        @usableFromInline var legalDongCode: String?
    }

    /// Immutable once made: a `let` of a class is memory the optimizer knows no one writes, so a getter
    /// inlined into a reader (the writers and the pair scorer read a dozen parts per address) borrows the
    /// part from the box instead of retaining a copy of it. A change makes a new box: the normalizer builds
    /// the parts as `Fields` and boxes them once, so that happens only when merging writings of a place.
    @usableFromInline var box: SharedBox<Fields>

    private var fields: Fields {
        _read { yield box.value }
        _modify { yield &box.value }
    }

    /// The parts boxed as they are (the normalizer's one box per address).
    init(fields: Fields) { box = SharedBox(fields) }

    /// Official full 시도 name (서울특별시, 강원특별자치도, 전북특별자치도 ...).
    @inlinable public var sido: String? { box.value.sido }
    /// 시군구 below the 시도; 일반구 as `천안시 서북구`; nil for 세종특별자치시.
    @inlinable public var sigungu: String? { box.value.sigungu }
    /// 읍/면/동 as written (법정동 or 행정동), also taken from the reference bracket.
    @inlinable public var eupmyeondong: String? { box.value.eupmyeondong }
    /// 리 (under a 읍/면).
    @inlinable public var ri: String? { box.value.ri }
    /// Road name without spaces, e.g. `번영로224번길`.
    @inlinable public var road: String? { box.value.road }
    /// Building number, `15` or `125-24`.
    @inlinable public var buildingNumber: String? { box.value.buildingNumber }
    /// 지하 building number.
    @inlinable public var underground: Bool { box.value.underground }
    /// Lot number of a 지번 address, `1784`, `산12-3`.
    @inlinable public var jibun: String? { box.value.jibun }
    /// Canonical unit detail, e.g. `109동 1804호`, `3층`, `B동 201호`.
    @inlinable public var detail: String? { box.value.detail }
    /// Apartment/building name from the reference bracket or trailing text.
    @inlinable public var buildingName: String? { box.value.buildingName }
    /// 5-digit postal code (국가기초구역번호).
    @inlinable public var postalCode: String? { box.value.postalCode }
    /// Clean one-line rendering for people; the one part set after the address is made (rendered again when
    /// the official address file completes the parts).
    public var text: String {
        @inlinable get { box.value.text }
        _modify { yield &fields.text }
    }
    @inlinable public var kind: Kind { box.value.kind }
    /// 5-digit 시군구 code of the 법정동코드 (e.g. 44200 아산시; 36110 세종).
    @inlinable public var sigunguCode: String? { box.value.sigunguCode }
    /// 10-digit 법정동코드; only when a 법정동 list was loaded and matched.
    @inlinable public var legalDongCode: String? { box.value.legalDongCode }

    public init(
        sido: String? = nil, sigungu: String? = nil, eupmyeondong: String? = nil, ri: String? = nil,
        road: String? = nil, buildingNumber: String? = nil, underground: Bool = false, jibun: String? = nil,
        detail: String? = nil, buildingName: String? = nil, postalCode: String? = nil,
        text: String = "", kind: Kind = .partial, sigunguCode: String? = nil, legalDongCode: String? = nil
    ) {
        box = SharedBox(
            Fields(
                sido: sido, sigungu: sigungu, eupmyeondong: eupmyeondong, ri: ri, road: road,
                buildingNumber: buildingNumber,
                underground: underground, jibun: jibun, detail: detail, buildingName: buildingName,
                postalCode: postalCode,
                text: text, kind: kind, sigunguCode: sigunguCode, legalDongCode: legalDongCode))
    }

    public static func == (a: Address, b: Address) -> Bool {
        a.box.sharesBox(with: b.box) || a.box.value == b.box.value
    }
    public func hash(into hasher: inout Hasher) { box.value.hash(into: &hasher) }
    public init(from decoder: any Decoder) throws { box = SharedBox(try Fields(from: decoder)) }
    public func encode(to encoder: any Encoder) throws { try box.value.encode(to: encoder) }
}

extension Address {
    /// The canonical one-line form: 시도 시군구 [읍면] 도로명 번호, 상세 (동, 건물명), or the 지번 form.
    /// `unresolvedSigungu` keeps a written but ambiguous name (`중구`) so no information is lost.
    public func rendered(unresolvedSigungu: String? = nil) -> String {
        Self.render(box.value, unresolvedSigungu: unresolvedSigungu)
    }

    /// `rendered` of the parts, each read in place (`f` is borrowed, not copied).
    static func render(_ f: Fields, unresolvedSigungu: String?) -> String {
        // Written as bytes into one buffer (the same text as joining the parts with " " and ", ").
        let sigungu = f.sigungu ?? unresolvedSigungu
        func n(_ s: String?) -> Int { s?.utf8.count ?? 0 }
        // Separators, brackets and `지하` take at most 48 bytes.
        let capacity =
            48 + n(f.sido) + n(sigungu) + n(f.eupmyeondong) + n(f.ri) + n(f.road) + n(f.buildingNumber)
            + n(f.jibun) + n(f.detail) + n(f.buildingName)
        let isEupMyeon = f.eupmyeondong.map(Self.endsWithEupMyeon) ?? false
        return AddressTextWriter.string(capacity: capacity) { w in
            var empty = true
            func part(_ s: String, _ w: inout AddressTextWriter) {
                if !empty { w.byte(0x20) }
                w.text(s)
                empty = false
            }
            if let s = f.sido { part(s, &w) }
            if let s = sigungu { part(s, &w) }
            if let road = f.road {
                if isEupMyeon, let e = f.eupmyeondong { part(e, &w) }
                part(road, &w)
                if let n = f.buildingNumber {
                    if f.underground {
                        if !empty { w.byte(0x20) }
                        w.literal("지하 ")
                        w.text(n)
                    } else {
                        part(n, &w)
                    }
                }
                if let d = f.detail {
                    w.literal(", ")
                    w.text(d)
                }
                let refEmd = isEupMyeon ? nil : f.eupmyeondong
                if refEmd != nil || f.buildingName != nil {
                    w.literal(" (")
                    if let e = refEmd { w.text(e) }
                    if let b = f.buildingName {
                        if refEmd != nil { w.literal(", ") }
                        w.text(b)
                    }
                    w.byte(0x29)
                }
            } else {
                if let e = f.eupmyeondong { part(e, &w) }
                if let r = f.ri { part(r, &w) }
                if let j = f.jibun { part(j, &w) }
                if let d = f.detail {
                    if f.jibun != nil { w.literal(", ") } else { w.byte(0x20) }
                    w.text(d)
                }
                if let b = f.buildingName {
                    w.literal(" (")
                    w.text(b)
                    w.byte(0x29)
                }
            }
        }
    }

    /// `e.hasSuffix("읍") || e.hasSuffix("면")` (Character semantics), without the grapheme and
    /// normalization work when the answer is plainly no: a last Character that is canonically
    /// `읍`/`면` must end in that syllable or in its final jamo (ᆸ U+11B8, ᆫ U+11AB, decomposed input).
    /// When the last scalar is the syllable itself and the one before it is ASCII or a whole
    /// syllable (neither can join it into a bigger Character), the answer is plainly yes too.
    static func endsWithEupMyeon(_ e: String) -> Bool {
        let u = e.unicodeScalars
        guard let last = u.last,
            last == "읍" || last == "면" || last == "\u{11B8}" || last == "\u{11AB}"
        else { return false }
        if last == "읍" || last == "면" {
            let before = u.index(before: u.endIndex)
            if before == u.startIndex { return true }
            let prev = u[u.index(before: before)]
            if prev.value < 0x80 || (prev.value >= 0xAC00 && prev.value <= 0xD7A3) { return true }
        }
        return e.hasSuffix("읍") || e.hasSuffix("면")
    }

    /// The same place: same 시군구 (when both known) and the same road and number, or the same 지번.
    public func isSamePlace(as other: Address) -> Bool {
        if let a = sigungu, let b = other.sigungu, a != b { return false }
        if let r = road, let n = buildingNumber { return r == other.road && n == other.buildingNumber }
        if let j = jibun {
            return j == other.jibun
                && (eupmyeondong == nil || other.eupmyeondong == nil || eupmyeondong == other.eupmyeondong)
        }
        return false
    }

    /// Fills components this address lacks from an earlier writing of the same place
    /// (a postal code or 동 written only once), and renders the text again.
    public func completed(from earlier: Address) -> Address {
        guard isSamePlace(as: earlier) else { return self }
        // Filled as parts and boxed once (each property set on an `Address` makes a new box).
        var f = box.value
        let e = earlier.box.value
        f.sido = f.sido ?? e.sido
        f.sigungu = f.sigungu ?? e.sigungu
        f.sigunguCode = f.sigunguCode ?? e.sigunguCode
        f.eupmyeondong = f.eupmyeondong ?? e.eupmyeondong
        f.ri = f.ri ?? e.ri
        f.postalCode = f.postalCode ?? e.postalCode
        f.detail = f.detail ?? e.detail
        f.buildingName = f.buildingName ?? e.buildingName
        f.legalDongCode = f.legalDongCode ?? e.legalDongCode
        if f == box.value { return self }
        f.text = Self.render(f, unresolvedSigungu: nil)
        return Address(fields: f)
    }

}
