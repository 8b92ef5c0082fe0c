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

    /// Official full 시도 name (서울특별시, 강원특별자치도, 전북특별자치도 ...).
    public var sido: String?
    /// 시군구 below the 시도; 일반구 as `천안시 서북구`; nil for 세종특별자치시.
    public var sigungu: String?
    /// 읍/면/동 as written (법정동 or 행정동), also taken from the reference bracket.
    public var eupmyeondong: String?
    /// 리 (under a 읍/면).
    public var ri: String?
    /// Road name without spaces, e.g. `번영로224번길`.
    public var road: String?
    /// Building number, `15` or `125-24`.
    public var buildingNumber: String?
    /// 지하 building number.
    public var underground: Bool
    /// Lot number of a 지번 address, `1784`, `산12-3`.
    public var jibun: String?
    /// Canonical unit detail, e.g. `109동 1804호`, `3층`, `B동 201호`.
    public var detail: String?
    /// Apartment/building name from the reference bracket or trailing text.
    public var buildingName: String?
    /// 5-digit postal code (국가기초구역번호).
    public var postalCode: String?
    /// Clean one-line rendering for people.
    public var text: String
    public var kind: Kind
    /// 5-digit 시군구 code of the 법정동코드 (e.g. 44200 아산시; 36110 세종).
    public var sigunguCode: String?
    /// 10-digit 법정동코드; only when a 법정동 list was loaded and matched.
    public var legalDongCode: String?

    public init(
        sido: String? = nil, sigungu: String? = nil, eupmyeondong: String? = nil, ri: String? = nil,
        road: String? = nil, buildingNumber: String? = nil, underground: Bool = false, jibun: String? = nil,
        detail: String? = nil, buildingName: String? = nil, postalCode: String? = nil,
        text: String = "", kind: Kind = .partial, sigunguCode: String? = nil, legalDongCode: String? = nil
    ) {
        self.sido = sido
        self.sigungu = sigungu
        self.eupmyeondong = eupmyeondong
        self.ri = ri
        self.road = road
        self.buildingNumber = buildingNumber
        self.underground = underground
        self.jibun = jibun
        self.detail = detail
        self.buildingName = buildingName
        self.postalCode = postalCode
        self.text = text
        self.kind = kind
        self.sigunguCode = sigunguCode
        self.legalDongCode = legalDongCode
    }
}

extension Address {
    /// The canonical one-line form: 시도 시군구 [읍면] 도로명 번호, 상세 (동, 건물명), or the 지번 form.
    /// `unresolvedSigungu` keeps a written but ambiguous name (`중구`) so no information is lost.
    public func rendered(unresolvedSigungu: String? = nil) -> String {
        var parts: [String] = []
        if let s = sido { parts.append(s) }
        if let s = sigungu {
            parts.append(s)
        } else if let written = unresolvedSigungu {
            parts.append(written)
        }
        let isEupMyeon = eupmyeondong.map { $0.hasSuffix("읍") || $0.hasSuffix("면") } ?? false
        var text: String
        if let road {
            if isEupMyeon, let e = eupmyeondong { parts.append(e) }
            parts.append(road)
            if let n = buildingNumber { parts.append(underground ? "지하 " + n : n) }
            text = parts.joined(separator: " ")
            if let d = detail { text += ", " + d }
            var ref: [String] = []
            if !isEupMyeon, let e = eupmyeondong { ref.append(e) }
            if let b = buildingName { ref.append(b) }
            if !ref.isEmpty { text += " (" + ref.joined(separator: ", ") + ")" }
        } else {
            if let e = eupmyeondong { parts.append(e) }
            if let r = ri { parts.append(r) }
            if let j = jibun { parts.append(j) }
            text = parts.joined(separator: " ")
            if let d = detail { text += (jibun != nil ? ", " : " ") + d }
            if let b = buildingName { text += " (" + b + ")" }
        }
        return text
    }

    /// The same place: same 시군구 (when both known) and the same road and number, or the same 지번.
    public func isSamePlace(as other: Address) -> Bool {
        if let a = sigungu, let b = other.sigungu, a != b { return false }
        if let r = road, let n = buildingNumber { return r == other.road && n == other.buildingNumber }
        if let j = jibun { return j == other.jibun && (eupmyeondong == nil || other.eupmyeondong == nil || eupmyeondong == other.eupmyeondong) }
        return false
    }

    /// Fills components this address lacks from an earlier writing of the same place
    /// (a postal code or 동 written only once), and renders the text again.
    public func completed(from earlier: Address) -> Address {
        guard isSamePlace(as: earlier) else { return self }
        var a = self
        a.sido = a.sido ?? earlier.sido
        a.sigungu = a.sigungu ?? earlier.sigungu
        a.sigunguCode = a.sigunguCode ?? earlier.sigunguCode
        a.eupmyeondong = a.eupmyeondong ?? earlier.eupmyeondong
        a.ri = a.ri ?? earlier.ri
        a.postalCode = a.postalCode ?? earlier.postalCode
        a.detail = a.detail ?? earlier.detail
        a.buildingName = a.buildingName ?? earlier.buildingName
        a.legalDongCode = a.legalDongCode ?? earlier.legalDongCode
        if a != self { a.text = a.rendered() }
        return a
    }
}
