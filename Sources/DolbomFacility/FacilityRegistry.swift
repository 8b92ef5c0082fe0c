import DolbomGeo
import DolbomNormalize
import DolbomRuntime
import Foundation

/// What a facility named in free text (a results sheet's `안내 기관`, a `dolbom explain` argument) is.
public enum FacilityMatch: Hashable, Sendable {
    case found(Facility)
    /// Several facilities fit the text equally well (in registry order): ask which one.
    case ambiguous([Facility])
    case notFound
}

/// All facilities of a run, with a lookup by id or name and a spatial index for the matcher.
///
/// The index is a uniform grid over projected metres: an equirectangular projection at the registry's
/// middle latitude (x = R·λ·cos φ₀, y = R·φ), cells of `cellMetres`. Within Korea (33°–38.6°N) the projection
/// stretches east–west distances by at most cos φ₀ / cos φ ≈ 7%; a query widens its box by exactly that factor
/// at its own latitude and then measures each candidate by great-circle distance, so no facility within the
/// radius is missed and none beyond it is returned.
public struct FacilityRegistry: Sendable {
    public let facilities: [Facility]
    /// The same facilities, each in one box the suggestions share: a suggestion is copied by every writer, and
    /// a facility holds some thirty references (its texts and address) where a box is one.
    let shared: [Shared<Facility>]

    private var byID: [String: Int] = [:]
    private var byNameKey: [String: [Int]] = [:]
    private var byBareNameKey: [String: [Int]] = [:]
    private var bySigungu: [String: [Int]] = [:]
    private var wholeSigunguBySigungu: [String: [Int]] = [:]

    // The grid: cell (cx, cy) → facility indices, sorted.
    private let cellMetres: Double
    private let cosReference: Double
    private var cells: [GridCell: [Int32]] = [:]
    /// Each facility's point (or nil), apart from the facilities: the distance loop reads only these.
    private var points: [GeoPoint?] = []
    /// The same points with their latitudes' cosines worked out (the distance loop measures from one household
    /// to many facilities).
    private var prepared: [PreparedGeoPoint?] = []

    struct GridCell: Hashable, Sendable {
        var x: Int32
        var y: Int32
    }

    static let earthRadius = 6_371_008.8

    /// Facilities in the order given (the order of the lists, then rows); ids must be unique (the reader
    /// rejects repeats before this).
    public init(_ facilities: [Facility], cellMetres: Double = 1000) {
        self.facilities = facilities
        shared = facilities.map(Shared.init)
        self.cellMetres = max(50, cellMetres)
        let located = facilities.compactMap { $0.location?.point }
        let midLatitude =
            located.isEmpty
            ? 36.5
            : (located.map(\.latitude).min()! + located.map(\.latitude).max()!) / 2
        cosReference = cos(midLatitude * .pi / 180)
        points.reserveCapacity(facilities.count)
        for (i, f) in facilities.enumerated() {
            if byID[f.id] == nil { byID[f.id] = i }
            let key = Self.nameKey(f.name)
            byNameKey[key, default: []].append(i)
            let bare = Self.bareNameKey(f.name)
            if bare != key { byBareNameKey[bare, default: []].append(i) }
            if let s = f.sigungu {
                bySigungu[s, default: []].append(i)
                if f.servesWholeSigungu { wholeSigunguBySigungu[s, default: []].append(i) }
            }
            let p = f.location?.point
            points.append(p)
            prepared.append(p.map(PreparedGeoPoint.init))
            if let p { cells[cell(project(p)), default: []].append(Int32(i)) }
        }
    }

    public var count: Int { facilities.count }

    public subscript(id id: String) -> Facility? { byID[id].map { facilities[$0] } }

    /// Facility `i`'s point, without copying the facility.
    public func point(_ i: Int) -> GeoPoint? { points[i] }

    // MARK: - Lookup by text

    /// The facility a person means by `text`: its id (any case), or its name ignoring spaces, brackets and
    /// case (`구로19호점 우리동네키움센터 (항동융합형)` = `구로19호점우리동네키움센터(항동융합형)`), or its name
    /// without the bracketed parts (`구로19호점 우리동네키움센터`). Also an id followed by the name
    /// (`GR221001 구로19호점…`, as `facility-matches.csv` prints them). Several facilities of that name →
    /// `.ambiguous`, in registry order.
    public func facility(matching text: String) -> FacilityMatch {
        let trimmed = text.trimmedWhitespace
        guard !trimmed.isEmpty else { return .notFound }
        if let i = byID[trimmed] ?? byIDIgnoringCase(trimmed) { return .found(facilities[i]) }
        if let first = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }).first, first.count < trimmed.count,
            let i = byID[String(first)] ?? byIDIgnoringCase(String(first))
        {
            return .found(facilities[i])
        }
        let key = Self.nameKey(trimmed)
        guard !key.isEmpty else { return .notFound }
        if let hits = byNameKey[key] { return Self.result(hits.map { facilities[$0] }) }
        let bare = Self.bareNameKey(trimmed)
        var hits = (byNameKey[bare] ?? []) + (byBareNameKey[bare] ?? [])
        if bare != key { hits += byBareNameKey[key] ?? [] }
        hits = Array(Set(hits)).sorted()
        return Self.result(hits.map { facilities[$0] })
    }

    private func byIDIgnoringCase(_ s: String) -> Int? {
        guard s.unicodeScalars.allSatisfy({ $0.isASCII }) else { return nil }
        let up = s.uppercased()
        return byID[up] ?? byID[s.lowercased()]
    }

    private static func result(_ hits: [Facility]) -> FacilityMatch {
        switch hits.count {
        case 0: return .notFound
        case 1: return .found(hits[0])
        default: return .ambiguous(hits)
        }
    }

    /// The name lowercased, without spaces and bracket characters (the bracketed words kept).
    public static func nameKey(_ name: String) -> String {
        var out = ""
        for c in name.unicodeScalars
        where !isSpace(c) && !brackets.contains(c) && !dashes.contains(c) && c != "·" && c != "." {
            out.unicodeScalars.append(c.isASCII ? Unicode.Scalar(UInt8(ascii: c)).lowercasedASCII : c)
        }
        return out
    }

    /// The name without its bracketed parts, then as `nameKey`.
    public static func bareNameKey(_ name: String) -> String {
        var depth = 0
        var out = ""
        for c in name.unicodeScalars {
            if opening.contains(c) {
                depth += 1
                continue
            }
            if closing.contains(c) {
                depth = max(0, depth - 1)
                continue
            }
            if depth == 0 { out.unicodeScalars.append(c) }
        }
        return nameKey(out)
    }

    private static let opening: Set<Unicode.Scalar> = ["(", "[", "{", "<", "（", "［", "〔", "【", "〈", "「"]
    private static let closing: Set<Unicode.Scalar> = [")", "]", "}", ">", "）", "］", "〕", "】", "〉", "」"]
    private static let brackets = opening.union(closing)
    private static let dashes: Set<Unicode.Scalar> = ["-", "‐", "–", "—", "_"]
    private static func isSpace(_ c: Unicode.Scalar) -> Bool {
        c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{00A0}" || c == "\u{3000}" || c == "\u{200B}"
            || c == "\u{FEFF}"
    }

    // MARK: - Space

    private func project(_ p: GeoPoint) -> (x: Double, y: Double) {
        (Self.earthRadius * p.longitude * .pi / 180 * cosReference, Self.earthRadius * p.latitude * .pi / 180)
    }

    private func cell(_ xy: (x: Double, y: Double)) -> GridCell {
        GridCell(
            x: Int32(clamping: Int((xy.x / cellMetres).rounded(.down))),
            y: Int32(clamping: Int((xy.y / cellMetres).rounded(.down))))
    }

    /// Indices of the facilities within `radius` metres (great-circle) of `point`, with their distances,
    /// nearest first (ties in registry order); with `sorted: false` in cell order (the matcher ranks them itself).
    public func within(_ radius: Double, of point: GeoPoint, sorted: Bool = true) -> [(index: Int, metres: Double)] {
        guard radius >= 0, !cells.isEmpty else { return [] }
        let centre = project(point)
        // East–west: r metres at latitude φ are r·cos φ₀/cos φ projected metres (+1% for the sphere's cap).
        let cosHere = max(0.01, cos(point.latitude * .pi / 180))
        let dx = radius * cosReference / cosHere * 1.01 + 1
        let dy = radius * 1.01 + 1
        let lo = cell((centre.x - dx, centre.y - dy))
        let hi = cell((centre.x + dx, centre.y + dy))
        var out: [(index: Int, metres: Double)] = []
        let here = PreparedGeoPoint(point)
        if Int(hi.x - lo.x + 1) * Int(hi.y - lo.y + 1) > cells.count * 2 {
            // A radius wider than the registry: the cells that exist, not every cell of the box.
            for (c, members) in cells where c.x >= lo.x && c.x <= hi.x && c.y >= lo.y && c.y <= hi.y {
                collect(members, here, radius, &out)
            }
        } else {
            for cx in lo.x...hi.x {
                for cy in lo.y...hi.y {
                    if let members = cells[GridCell(x: cx, y: cy)] { collect(members, here, radius, &out) }
                }
            }
        }
        if sorted { out.sort { $0.metres != $1.metres ? $0.metres < $1.metres : $0.index < $1.index } }
        return out
    }

    private func collect(
        _ members: [Int32], _ point: PreparedGeoPoint, _ radius: Double,
        _ out: inout [(index: Int, metres: Double)]
    ) {
        for m in members {
            let i = Int(m)
            guard let p = prepared[i] else { continue }
            let d = point.metres(to: p)
            if d <= radius { out.append((i, d)) }
        }
    }

    /// The nearest located facility within `limit` metres and its distance (nil when there is none): grows the
    /// search ring by ring, so it costs what `within` costs for the distance found (or for `limit`).
    public func nearest(
        to point: GeoPoint, within limit: Double = 2_000_000, where include: (Facility) -> Bool = { _ in true }
    ) -> (index: Int, metres: Double)? {
        var radius = cellMetres
        while true {
            let ring = min(radius, limit)
            if let hit = within(ring, of: point).first(where: { include(facilities[$0.index]) }) { return hit }
            if ring >= limit { return nil }
            radius *= 2
        }
    }

    /// Facilities whose address is in the 시군구 (registry order).
    public func inSigungu(_ sigungu: String) -> [Int] { bySigungu[sigungu] ?? [] }

    /// The services for a whole 시군구 (아이돌봄, 드림스타트) whose address is in it (registry order).
    public func servingWholeSigungu(_ sigungu: String) -> [Int] { wholeSigunguBySigungu[sigungu] ?? [] }
}

extension Unicode.Scalar {
    fileprivate var lowercasedASCII: Unicode.Scalar {
        value >= 0x41 && value <= 0x5A ? Unicode.Scalar(value + 0x20)! : self
    }
}
