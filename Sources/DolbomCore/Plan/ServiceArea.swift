import DolbomNormalize

/// The 시군구 a city's counselors serve (`service_area` in the configuration). A family living elsewhere
/// (a neighbouring city's form link shared in a group chat) is listed apart for the counselor to refer,
/// instead of taking a slot from the city's own families.
public struct ServiceArea: Sendable, Equatable {
    /// 5-digit 시군구 codes, a city's 일반구 included (천안시 → 동남구, 서북구).
    public let codes: Set<String>
    let sidoCodes: Set<String>

    /// nil when no area is configured (no family is out of it).
    public init?(names: [String]?, gazetteer: Gazetteer = .builtIn) {
        guard let names, !names.isEmpty else { return nil }
        var codes: Set<String> = []
        for name in names { codes.formUnion(Self.district(name, gazetteer: gazetteer) ?? []) }
        self.codes = codes
        sidoCodes = Set(codes.map { String($0.prefix(2)) })
    }

    /// The codes a name in the configuration stands for (`아산시`, `아산`, `충남 천안시`, `천안시 서북구`, `세종`),
    /// nil when it names no 시군구 the gazetteer knows.
    public static func district(_ text: String, gazetteer: Gazetteer = .builtIn) -> Set<String>? {
        let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard !words.isEmpty else { return nil }
        var sido: String?
        var rest = words
        if words.count > 1, let code = gazetteer.sidoCode(alias: words[0]) {
            sido = code
            rest = Array(words.dropFirst())
        }
        if rest.isEmpty || (words.count == 1 && gazetteer.sidoCode(alias: words[0]) == "36") {
            // A 시도 without 시군구: only 세종 is served as one.
            let code = sido ?? gazetteer.sidoCode(alias: words[0])
            guard code == "36" else { return nil }
            return Set(gazetteer.allSigungu.filter { $0.sidoCode == "36" }.map(\.code)).union(["36110"])
        }
        var found = Set(gazetteer.sigunguCodes(named: rest.joined(separator: " ")))
        if let sido { found = found.filter { $0.hasPrefix(sido) } }
        guard !found.isEmpty else { return nil }
        // A city with 일반구 stands for its 구 too.
        for code in found {
            guard let city = gazetteer.sigungu(code: code), city.city == nil else { continue }
            for gu in gazetteer.allSigungu where gu.sidoCode == city.sidoCode && gu.city == city.name {
                found.insert(gu.code)
            }
        }
        return found
    }

    /// False when the address is known to lie outside the area; true inside; nil when the address does not
    /// say (no 시군구 in a served 시도, or no address): such a family is not set apart.
    public func contains(_ address: Address?) -> Bool? {
        guard let address else { return nil }
        if let code = address.sigunguCode { return codes.contains(code) }
        if let sido = address.sido, let code = Gazetteer.builtIn.sidoCode(alias: sido), !sidoCodes.contains(code) {
            return false
        }
        return nil
    }

    /// How the family's place is named to the counselor (`천안시 서북구`, `세종특별자치시`).
    public static func place(_ address: Address?) -> String {
        guard let address else { return "" }
        return [address.sido, address.sigungu].compactMap { $0 }.joined(separator: " ")
    }
}
