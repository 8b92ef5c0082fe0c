import DolbomGeo
import DolbomNormalize
import Foundation
import Testing

@testable import DolbomCore

/// Whole runs with and without the official address file (`geo.address_db`), on an export of real Seoul
/// addresses from the DolbomGeo fixture (scripts/gen_geo_fixture.py).
@Suite("Runs with the official address file")
struct AddressFileRunTests {
    static let fixtures = packageRoot.appendingPathComponent("Tests/DolbomGeoTests/Fixtures")

    /// The fixture's (address, published point), as the city wrote them.
    static func facilities() throws -> [(address: String, point: GeoPoint)] {
        let text = try String(
            contentsOf: fixtures.appendingPathComponent("seoul-facilities-expected.csv"), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return (f[1], GeoPoint(latitude: Double(f[2])!, longitude: Double(f[3])!))
        }
    }

    /// One household per address, with its own phone; `extra` rows are appended as written.
    static func export(_ addresses: [String], in folder: TempFolder) -> URL {
        var lines = ["타임스탬프,보호자 성명,연락처,주소,자녀 이름,자녀 생년월일,개인정보 수집·이용 동의"]
        for (i, address) in addresses.enumerated() {
            lines.append(
                "2024-07-01 10:\(String(format: "%02d", i % 60)),보호자\(i),010-5\(String(format: "%03d", i))-\(String(format: "%04d", 1000 + i)),\"\(address)\",아이\(i),2017-03-05,동의합니다"
            )
        }
        return folder.write("seoul.csv", utf8: lines.joined(separator: "\n") + "\n")
    }

    func run(_ export: URL, addressDB: String?, folder: TempFolder) throws -> RunResult {
        var config = DolbomConfiguration()
        if let addressDB { config.geo = .init(addressDB: addressDB) }
        let options = RunOptions(
            inputs: [export.path], output: folder.url.appendingPathComponent("out").path,
            asOf: LocalDate(iso: "2024-07-15")!, configuration: config)
        return try DolbomRun(options: options).run(diagnostics: DiagnosticsCollector())
    }

    func addressLine(_ result: RunResult, containing text: String) throws -> [String: Any] {
        let data = try Data(contentsOf: result.outputFolder.appendingPathComponent("applicants.jsonl"))
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            if let address = object["address"] as? [String: Any], (address["text"] as? String)?.contains(text) == true {
                return address
            }
        }
        Issue.record("no applicant with address \(text)")
        return [:]
    }

    @Test func everyFixtureAddressIsItsBuildingWithinOneMetreInApplicantsJSONL() throws {
        let folder = TempFolder()
        let facilities = try Self.facilities()
        let result = try run(
            Self.export(facilities.map(\.address), in: folder), addressDB: Self.fixtures.path, folder: folder)
        #expect(result.rejects.isEmpty)
        #expect(result.households.count == facilities.count)
        let byPhone = Dictionary(uniqueKeysWithValues: result.households.map { ($0.primaryPhone!.digits, $0) })
        for (i, facility) in facilities.enumerated() {
            guard let h = byPhone["0105\(String(format: "%03d", i))\(String(format: "%04d", 1000 + i))"] else {
                Issue.record("no household for \(facility.address)")
                continue
            }
            #expect(h.addressVerified, "\(facility.address)")
            #expect(h.location?.precision == .building, "\(facility.address)")
            let metres = h.location.map { $0.point.metres(to: facility.point) } ?? .infinity
            #expect(metres <= 1, "\(facility.address): \(metres) m")
            #expect(!h.issues.contains { $0.code == "address_not_found" })
        }
        let line = try addressLine(result, containing: "창신길 59")
        #expect(line["verified"] as? Bool == true)
        #expect(line["eupmyeondong"] as? String == "창신동")
        #expect(line["postal_code"] as? String == "03097")
        let location = line["location"] as? [String: Any]
        #expect(location?["precision"] as? String == "building")
    }

    @Test func aRoadOneJamoOffIsCorrectedAndAnUnknownNumberIsFlagged() throws {
        let folder = TempFolder()
        // 창신길 59 and 독산로72길 86-11 are in the fixture; 챵신길 is one vowel off; 독산로72길 9999 is not there.
        let export = Self.export(
            [
                "서울특별시 종로구 챵신길 59", "서울특별시 금천구 독산로72길 9999",
                "충남 아산시 배방읍 장재리 1784",
            ], in: folder)
        let result = try run(export, addressDB: Self.fixtures.path, folder: folder)
        #expect(result.households.count == 3)
        let corrected = try #require(result.households.first { $0.address?.buildingNumber == "59" })
        #expect(corrected.address?.road == "창신길")
        #expect(corrected.addressVerified)
        #expect(corrected.issues.map(\.code).contains("address_road_corrected"))
        let missing = try #require(result.households.first { $0.address?.buildingNumber == "9999" })
        #expect(!missing.addressVerified)
        #expect(missing.issues.map(\.code).contains("address_not_found"))
        #expect(missing.location?.precision == .sigungu)
        // A 지번 address is not in the road-name file: unverified, not flagged, located at its 읍면.
        let jibun = try #require(result.households.first { $0.address?.kind == .jibun })
        #expect(!jibun.addressVerified)
        #expect(!jibun.issues.map(\.code).contains("address_not_found"))
        #expect(jibun.location?.precision == .eupmyeondong)
        #expect(result.summary.issuesByCode["address_not_found"] == 1)
        #expect(result.summary.issuesByCode["address_road_corrected"] == 1)
    }

    @Test func withoutTheFileAddressesAreUnverifiedAndLocatedByArea() throws {
        let folder = TempFolder()
        let export = Self.export(["서울특별시 종로구 창신길 59", "충남 아산시 탕정면 탕정면로 120"], in: folder)
        let result = try run(export, addressDB: nil, folder: folder)
        for h in result.households {
            #expect(!h.addressVerified)
            #expect(!h.issues.map(\.code).contains("address_not_found"))
        }
        let seoul = try addressLine(result, containing: "창신길")
        #expect(seoul["verified"] as? Bool == false)
        #expect((seoul["location"] as? [String: Any])?["precision"] as? String == "sigungu")
        let asan = try addressLine(result, containing: "탕정면로")
        #expect((asan["location"] as? [String: Any])?["precision"] as? String == "eupmyeondong")
    }

    @Test func aMissingOrMalformedFileStopsTheRunWithExit78() throws {
        let folder = TempFolder()
        let export = Self.export(["서울특별시 종로구 창신길 59"], in: folder)
        let missing = folder.url.appendingPathComponent("nowhere").path
        #expect(throws: RunError.self) { try run(export, addressDB: missing, folder: folder) }
        let bad = folder.write("entrc_bad.txt", cp949: "11110|1|1111017400|서울특별시|종로구|창신동|111100000002|창신길|0|59\r\n")
        do {
            _ = try run(export, addressDB: bad.path, folder: folder)
            Issue.record("a malformed address file was accepted")
        } catch let error as RunError {
            #expect(DolbomExitCode.of(error) == DolbomExitCode.config)
            #expect(error.description.contains("entrc_bad.txt:1"))
            #expect(error.description.contains("10 fields"))
        }
    }

    @Test func unknownKeysUnderGeoAreConfigurationErrorsWithTheirLine() throws {
        let folder = TempFolder()
        let file = folder.write("dolbom.yaml", utf8: "call_list_phones: full\ngeo:\n  adress_db: /srv/entrc\n")
        do {
            _ = try DolbomConfiguration.load(from: file)
            Issue.record("a misspelt geo key was accepted")
        } catch {
            #expect(
                String(describing: error).contains(
                    "dolbom.yaml:3:3: geo.adress_db: unknown key; did you mean 'address_db'?"),
                "\(error)")
        }
        // A relative path is the configuration folder's, and must exist before any input is read.
        let missing = folder.write("missing.yaml", utf8: "geo:\n  address_db: entrc\n")
        do {
            _ = try DolbomConfiguration.load(from: missing)
            Issue.record("a missing address file was accepted")
        } catch {
            #expect(String(describing: error).contains("missing.yaml:2:3: geo.address_db"), "\(error)")
        }
        try FileManager.default.createDirectory(
            at: folder.url.appendingPathComponent("entrc"), withIntermediateDirectories: true)
        let good = folder.write("good.yaml", utf8: "geo:\n  address_db: entrc\n")
        #expect(
            try DolbomConfiguration.load(from: good).geo?.addressDB
                == folder.url.appendingPathComponent("entrc").standardizedFileURL.path)
    }
}
