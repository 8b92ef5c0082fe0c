import DolbomGeo
import Foundation
import Testing

/// The matcher measures with prepared points (the latitude's cosine worked out once per point): the distance
/// must be the textbook haversine's to the bit, or a facility at the edge of the maximum distance could be in
/// reach for one way of measuring and not the other.
@Suite struct PreparedGeoPointTests {
    /// The haversine as written from its definition, every term computed on the spot.
    static func haversine(_ a: GeoPoint, _ b: GeoPoint) -> Double {
        let r = 6_371_008.8
        let p1 = a.latitude * .pi / 180
        let p2 = b.latitude * .pi / 180
        let dp = p2 - p1
        let dl = (b.longitude - a.longitude) * .pi / 180
        let h = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2)
        return 2 * r * asin(min(1, h.squareRoot()))
    }

    @Test func theSameBitsAsTheHaversineOfTwoPoints() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        for _ in 0..<20_000 {
            // Korea and its surroundings, and pairs from a few metres to across the country.
            let a = GeoPoint(latitude: 33 + next() * 6, longitude: 124 + next() * 8)
            let near = next() < 0.5
            let b = GeoPoint(
                latitude: near ? a.latitude + (next() - 0.5) * 0.05 : 33 + next() * 6,
                longitude: near ? a.longitude + (next() - 0.5) * 0.05 : 124 + next() * 8)
            let plain = Self.haversine(a, b)
            let prepared = PreparedGeoPoint(a).metres(to: PreparedGeoPoint(b))
            #expect(plain.bitPattern == prepared.bitPattern, "\(a) → \(b): \(plain) vs \(prepared)")
            #expect(a.metres(to: b).bitPattern == plain.bitPattern)
        }
        let seoulCityHall = GeoPoint(latitude: 37.5663, longitude: 126.9779)
        let asanCityHall = GeoPoint(latitude: 36.7898, longitude: 127.0018)
        let metres = PreparedGeoPoint(seoulCityHall).metres(to: PreparedGeoPoint(asanCityHall))
        #expect(abs(metres - 86_400) < 1_000)
    }
}
