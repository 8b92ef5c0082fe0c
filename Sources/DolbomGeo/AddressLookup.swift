import DolbomNormalize

/// A building of the official address file that an address names.
public struct BuildingMatch: Hashable, Sendable {
    public var sido: String
    /// Empty for 세종특별자치시.
    public var sigungu: String?
    public var sigunguCode: String
    /// The 법정동 (읍·면 or 동).
    public var eupmyeondong: String?
    public var road: String
    public var buildingName: String?
    public var postalCode: String
    public var legalDongCode: String
    /// The entrance point, when the file gives one.
    public var entrance: UTMKPoint?
}

/// What the address file says of an address.
public enum AddressVerdict: Hashable, Sendable {
    /// Road and building number exist in that 시군구.
    case found(BuildingMatch)
    /// The road, written one or two jamo off, is the only road in the 시군구 with that building number
    /// that close: `BuildingMatch.road` is the file's spelling.
    case corrected(BuildingMatch, written: String)
    /// A road address the file does not have.
    case notFound
    /// Not a road address with a building number (a 지번 or partial address): the file lists neither.
    case notRoadAddress
}

extension AddressDatabase {
    /// Looks a road address up: by its 시군구 code when the address has one, else by road name among the
    /// roads of its 시도/시군구 (only a single building found counts).
    public func verdict(for a: Address) -> AddressVerdict {
        guard a.kind == .road, let roadText = a.road, let number = a.buildingNumber,
            let (main, sub) = Self.buildingNumber(number)
        else { return .notRoadAddress }
        let scope = roadsInScope(of: a)
        if let name = stringIDs[roadText] {
            let named = scope.sigunguCodes.flatMap { code in
                roadIDs[RoadKey(sigunguCode: code, name: name)].map { [$0] } ?? []
            }
            let candidates =
                named.isEmpty && scope.sigunguCodes.isEmpty
                ? (roadsByName[name] ?? []).filter { scope.contains(roads[Int($0)], strings: strings) } : named
            let hits = candidates.compactMap { building(road: $0, underground: a.underground, main: main, sub: sub) }
            if hits.count == 1 { return .found(match(hits[0])) }
            // The road exists and the number does not (or the name is in several 시군구): not a spelling slip.
            if !candidates.isEmpty { return .notFound }
        }
        // A road name one or two jamo off: only among the roads of a known 시군구 (or 시도) with that number.
        guard scope.isNarrow else { return .notFound }
        let written = Jamo.letters(roadText)
        var fits: [Int32] = []
        for road in scope.roads(in: self) {
            guard let letters = jamoByName[roads[Int(road)].name], abs(letters.count - written.count) <= 2,
                let hit = building(road: road, underground: a.underground, main: main, sub: sub),
                Jamo.distance(written, letters, limit: 2) <= 2
            else { continue }
            fits.append(hit)
            if fits.count > 1 { return .notFound }
        }
        if let only = fits.first { return .corrected(match(only), written: roadText) }
        return .notFound
    }

    /// The address with what the file adds: the corrected road, and 시도, 시군구, 읍면동, postal code, building
    /// name and 법정동코드 where the address lacks them (what the family wrote is kept).
    public static func completed(_ a: Address, with m: BuildingMatch) -> Address {
        var out = Address(
            sido: a.sido ?? m.sido, sigungu: a.sigungu ?? m.sigungu, eupmyeondong: a.eupmyeondong ?? m.eupmyeondong,
            ri: a.ri, road: m.road, buildingNumber: a.buildingNumber, underground: a.underground, jibun: a.jibun,
            detail: a.detail, buildingName: a.buildingName ?? m.buildingName, postalCode: a.postalCode ?? m.postalCode,
            text: "", kind: a.kind, sigunguCode: a.sigunguCode ?? m.sigunguCode,
            legalDongCode: a.legalDongCode ?? m.legalDongCode)
        out.text = out.rendered()
        return out == a ? a : out
    }

    /// `15` → (15, 0), `125-24` → (125, 24).
    static func buildingNumber(_ text: String) -> (Int, Int)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count <= 2, let main = Int(parts[0]), main > 0, main < 1 << 20 else { return nil }
        guard parts.count == 2 else { return (main, 0) }
        guard let sub = Int(parts[1]), sub >= 0, sub < 1 << 16 else { return nil }
        return (main, sub)
    }

    func building(road: Int32, underground: Bool, main: Int, sub: Int) -> Int32? {
        buildingIDs[Self.buildingKey(road: road, underground: underground, main: main, sub: sub)]
    }

    func match(_ index: Int32) -> BuildingMatch {
        let b = buildings[Int(index)]
        let road = roads[Int(b.road)]
        func text(_ id: Int32) -> String? { id == 0 ? nil : strings[Int(id)] }
        return BuildingMatch(
            sido: strings[Int(road.sido)], sigungu: text(road.sigungu),
            sigunguCode: Self.digits(Int(road.sigunguCode), 5),
            eupmyeondong: text(b.eupmyeondong), road: strings[Int(road.name)], buildingName: text(b.name),
            postalCode: Self.digits(Int(b.postalCode), 5), legalDongCode: Self.digits(Int(b.legalDongCode), 10),
            entrance: b.x.isNaN || b.y.isNaN ? nil : UTMKPoint(x: b.x, y: b.y))
    }

    static func digits(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// Where an address's road may be: its 시군구 code (and, for a 시 of 일반구 written without the 구, the
    /// codes of its 구), or its 시도/시군구 names.
    struct Scope {
        var sigunguCodes: [Int32]
        var sido: String?
        var sigungu: String?

        /// Narrow enough to look for a misspelt road: a 시군구 (or at least a 시도).
        var isNarrow: Bool { !sigunguCodes.isEmpty || sigungu != nil || sido != nil }

        func contains(_ road: Road, strings: [String]) -> Bool {
            if let sido, strings[Int(road.sido)] != sido { return false }
            if let sigungu {
                let name = strings[Int(road.sigungu)]
                if name != sigungu && !name.hasPrefix(sigungu + " ") { return false }
            }
            return true
        }

        func roads(in db: AddressDatabase) -> [Int32] {
            if !sigunguCodes.isEmpty { return sigunguCodes.flatMap { db.roadsBySigungu[$0] ?? [] } }
            return db.roadsBySigungu.keys.sorted().flatMap { code in
                (db.roadsBySigungu[code] ?? []).filter { contains(db.roads[Int($0)], strings: db.strings) }
            }
        }
    }

    func roadsInScope(of a: Address) -> Scope {
        guard let codeText = a.sigunguCode, let code = Int32(codeText) else {
            return Scope(sigunguCodes: [], sido: a.sido, sigungu: a.sigungu)
        }
        if roadsBySigungu[code] != nil { return Scope(sigunguCodes: [code], sido: a.sido, sigungu: a.sigungu) }
        // 천안시 (44130) written without its 구: the file lists 동남구 (44131) and 서북구 (44133).
        if code % 10 == 0 {
            let gu = (1...9).map { code + Int32($0) }.filter { roadsBySigungu[$0] != nil }
            if !gu.isEmpty { return Scope(sigunguCodes: gu, sido: a.sido, sigungu: a.sigungu) }
        }
        return Scope(sigunguCodes: [code], sido: a.sido, sigungu: a.sigungu)
    }
}

/// Hangul as jamo, for "one or two letters off" the way a keyboard slip is (번영료 is one vowel from 번영로).
enum Jamo {
    /// Each syllable as its initial, vowel and (when it has one) final jamo; other characters as they are.
    static func letters(_ s: String) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(s.unicodeScalars.count * 3)
        for u in s.unicodeScalars {
            let v = u.value
            if v >= 0xAC00 && v <= 0xD7A3 {
                let index = v - 0xAC00
                out.append(0x1100 + index / 588)
                out.append(0x1161 + (index % 588) / 28)
                if index % 28 != 0 { out.append(0x11A7 + index % 28) }
            } else {
                out.append(v)
            }
        }
        return out
    }

    /// Levenshtein distance, or `limit + 1` once it is sure to exceed `limit`.
    static func distance(_ a: [UInt32], _ b: [UInt32], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        var previous = Array(0...b.count)
        var current = Array(repeating: 0, count: b.count + 1)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            current[0] = i
            var best = current[0]
            for j in 1..<(b.count + 1) {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                best = min(best, current[j])
            }
            if best > limit { return limit + 1 }
            swap(&previous, &current)
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
