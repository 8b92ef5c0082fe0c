import DolbomGeo
import Testing

/// The matcher measures with prepared points; the call sheets, `dolbom explain` and the tests with
/// `GeoPoint.metres(to:)`. Both must give the same distance to the bit, or a facility at the edge of the
/// maximum distance could be in reach for one and not the other.
@Suite struct PreparedGeoPointTests {
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
            let plain = a.metres(to: b)
            let prepared = PreparedGeoPoint(a).metres(to: PreparedGeoPoint(b))
            #expect(plain.bitPattern == prepared.bitPattern, "\(a) → \(b): \(plain) vs \(prepared)")
        }
        let seoulCityHall = GeoPoint(latitude: 37.5663, longitude: 126.9779)
        let asanCityHall = GeoPoint(latitude: 36.7898, longitude: 127.0018)
        let metres = PreparedGeoPoint(seoulCityHall).metres(to: PreparedGeoPoint(asanCityHall))
        #expect(abs(metres - 86_400) < 1_000)
    }
}
