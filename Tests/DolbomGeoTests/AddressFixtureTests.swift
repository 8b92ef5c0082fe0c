import DolbomNormalize
import Foundation
import Testing

@testable import DolbomGeo

let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

/// The fixture of real Seoul addresses (scripts/gen_geo_fixture.py): each address, as the city wrote it,
/// parsed by the address normalizer and looked up in the fixture file, must come back as its building with
/// the entrance, converted back from UTM-K by PROJ, within 1 m of the city's own WGS84 point.
@Suite("Official address file: fixture of real Seoul addresses")
struct AddressFixtureTests {
    struct Expected {
        var source: String
        var address: String
        var point: GeoPoint
    }

    static func expected() throws -> [Expected] {
        let text = try String(
            contentsOf: fixtures.appendingPathComponent("seoul-facilities-expected.csv"), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return Expected(
                source: f[0], address: f[1], point: GeoPoint(latitude: Double(f[2])!, longitude: Double(f[3])!))
        }
    }

    static func database() throws -> AddressDatabase {
        try AddressDatabase(path: fixtures.appendingPathComponent("entrc_seoul_facilities.txt").path)
    }

    @Test func everyAddressComesBackAsItsBuildingWithinOneMetre() throws {
        let rows = try Self.expected()
        #expect(rows.count >= 300)
        let db = try Self.database()
        #expect(db.lineCount == rows.count)
        #expect(db.buildingCount == rows.count)
        let projection = try UTMKProjection()
        let normalizer = AddressNormalizer()
        var worst = 0.0
        for row in rows {
            guard let address = normalizer.normalize(row.address).value else {
                Issue.record("\(row.source): \(row.address) did not parse")
                continue
            }
            guard case .found(let match) = db.verdict(for: address) else {
                Issue.record(
                    "\(row.source): \(row.address) (road \(address.road ?? "-"), number \(address.buildingNumber ?? "-")) not found"
                )
                continue
            }
            guard let entrance = match.entrance, let point = projection.wgs84(entrance) else {
                Issue.record("\(row.source): no entrance point")
                continue
            }
            let metres = Location(point, precision: .building).point.metres(to: row.point)
            worst = max(worst, metres)
            #expect(metres <= 1, "\(row.source): \(row.address) is \(metres) m from the published point")
        }
        #expect(worst <= 1)
    }

    @Test func theFileCompletesDongPostalCodeAndCode() throws {
        let db = try Self.database()
        let a = AddressNormalizer().normalize("서울특별시 종로구 창신길 59").value!
        guard case .found(let match) = db.verdict(for: a) else {
            Issue.record("not found")
            return
        }
        let completed = AddressDatabase.completed(a, with: match)
        #expect(completed.eupmyeondong == "창신동")
        #expect(completed.postalCode == "03097")
        #expect(completed.legalDongCode == "1111017400")
        #expect(completed.text == "서울특별시 종로구 창신길 59 (창신동)")
    }
}
