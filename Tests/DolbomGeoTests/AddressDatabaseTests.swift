import DolbomNormalize
import Foundation
import Testing

@testable import DolbomGeo

/// One line in the official layout (18 fields), encoded as the distributed files are (CP949).
private func line(
    _ sigungu: String = "44200", serial: Int = 1, legal: String = "4420010600", sido: String = "충청남도",
    sigunguName: String = "아산시", dong: String = "용화동", road: String = "번영로224번길",
    underground: Int = 0, main: Int = 11, sub: Int = 0, building: String = "아산용화주공",
    postal: String = "31534", x: String = "956012.500000", y: String = "1844120.250000"
) -> String {
    [
        sigungu, String(format: "%010d", serial), legal, sido, sigunguName, dong, sigungu + "0000001", road,
        "\(underground)",
        "\(main)", "\(sub)", building, postal, "공동주택", "0", legal, x, y,
    ].joined(separator: "|")
}

private func database(_ lines: [String]) throws -> AddressDatabase {
    let text = lines.joined(separator: "\r\n") + "\r\n"
    return try AddressDatabase(contents: text.data(using: TextFields.dosKorean)!, path: "entrc_test.txt")
}

private func address(_ text: String) -> Address { AddressNormalizer().normalize(text).value! }

@Suite("Official address file: index and lookup")
struct AddressDatabaseTests {
    static let asan = [
        line(),
        line(serial: 2, road: "번영로", main: 224, building: ""),
        line(serial: 3, road: "번영로", main: 230, sub: 4, building: ""),
        line(serial: 4, road: "남부로", main: 288, building: "", postal: "31530"),
        line(
            serial: 5, legal: "4420025021", dong: "배방읍", road: "배미로34번길", main: 15, building: "아산탕정삼성트라팰리스",
            postal: "31502"),
        line(serial: 6, road: "시민로", underground: 1, main: 406, building: "온천지하상가"),
        line(
            "44131", serial: 7, legal: "4413110100", sigunguName: "천안시 동남구", dong: "신방동", road: "신방통정로",
            main: 58, building: "", postal: "31164"),
        line(
            "44133", serial: 8, legal: "4413310700", sigunguName: "천안시 서북구", dong: "불당동", road: "불당대로",
            main: 200, building: "천안불당지웰더샵", postal: "31156"),
    ]

    @Test func readsEveryLineAndKeepsOneEntrancePerBuilding() throws {
        let db = try database(Self.asan + [line(serial: 9, x: "956013.500000")])
        #expect(db.lineCount == 9)
        #expect(db.buildingCount == 8)
        // The lowest serial stands for the building, whatever the order of the lines.
        guard case .found(let m) = db.verdict(for: address("충남 아산시 번영로224번길 11")) else {
            Issue.record("not found")
            return
        }
        #expect(m.entrance == UTMKPoint(x: 956012.5, y: 1844120.25))
    }

    /// Written address → what the file says (found road, corrected road, not found, or not a road address).
    @Test(arguments: [
        ("충남 아산시 번영로224번길 11", "found 번영로224번길 용화동 31534 아산용화주공"),
        ("충청남도 아산시 번영로 224", "found 번영로 용화동 31534 -"),
        ("아산시 번영로 230-4", "found 번영로 용화동 31534 -"),
        ("충남 아산시 배방읍 배미로34번길 15, 109동 1804호", "found 배미로34번길 배방읍 31502 아산탕정삼성트라팰리스"),
        ("충남 아산시 시민로 지하 406", "found 시민로 용화동 31534 온천지하상가"),
        ("충남 천안시 서북구 불당대로 200", "found 불당대로 불당동 31156 천안불당지웰더샵"),
        // 천안시 without its 구: the road is looked for in both 구.
        ("충남 천안시 신방통정로 58", "found 신방통정로 신방동 31164 -"),
        // One jamo off (ㄴ for ㅇ, ㅓ for ㅏ), and two (ㅕ for ㅓ, ㄴ for ㅇ): corrected when only one road fits.
        ("충남 아산시 번연로 224", "corrected 번영로 용화동 31534 -"),
        ("충남 아산시 변연로224번길 11", "corrected 번영로224번길 용화동 31534 아산용화주공"),
        ("충남 아산시 넘부로 288", "corrected 남부로 용화동 31530 -"),
        // The last syllable one key off `로` (the parser reads `…료`/`…루` as a road with a warning).
        ("충남 아산시 번영료 224", "corrected 번영로 용화동 31534 -"),
        ("충남 아산시 남부루 288", "corrected 남부로 용화동 31530 -"),
        ("충남 아산시 번영료224번길 11", "corrected 번영로224번길 용화동 31534 아산용화주공"),
        // Three jamo off is another road.
        ("충남 아산시 닌두로 288", "notFound"),
        // The road exists, the number does not: not a spelling slip.
        ("충남 아산시 번영로 9999", "notFound"),
        ("충남 아산시 번영로 230-5", "notFound"),
        // Ground and underground are different buildings.
        ("충남 아산시 시민로 406", "notFound"),
        // The road is in another 시군구.
        ("충남 공주시 번영로 224", "notFound"),
        ("충남 아산시 배방읍 장재리 1784", "notRoadAddress"),
    ])
    func verdicts(written: String, expected: String) throws {
        let db = try database(Self.asan)
        let got: String
        switch db.verdict(for: address(written)) {
        case .found(let m): got = "found \(m.road) \(m.eupmyeondong ?? "-") \(m.postalCode) \(m.buildingName ?? "-")"
        case .corrected(let m, _):
            got = "corrected \(m.road) \(m.eupmyeondong ?? "-") \(m.postalCode) \(m.buildingName ?? "-")"
        case .notFound: got = "notFound"
        case .notRoadAddress: got = "notRoadAddress"
        }
        #expect(got == expected, "\(written)")
    }

    @Test func aSlipTwoRoadsFitIsNotCorrected() throws {
        // 번연로 is one jamo from 번영로 and two from 번양로, and both have a building 224.
        let db = try database(Self.asan + [line(serial: 20, road: "번양로", main: 224, building: "")])
        #expect(db.verdict(for: address("충남 아산시 번연로 224")) == .notFound)
    }

    @Test func completionKeepsWhatTheFamilyWrote() throws {
        let db = try database(Self.asan)
        let written = address("충남 아산시 번연로224번길 11, 102동 803호")
        guard case .corrected(let m, let slip) = db.verdict(for: written) else {
            Issue.record("not corrected")
            return
        }
        #expect(slip == "번연로224번길")
        let done = AddressDatabase.completed(written, with: m)
        #expect(done.road == "번영로224번길")
        #expect(done.detail == "102동 803호")
        #expect(done.eupmyeondong == "용화동")
        #expect(done.postalCode == "31534")
        #expect(done.buildingName == "아산용화주공")
        #expect(done.legalDongCode == "4420010600")
        #expect(done.text == "충청남도 아산시 번영로224번길 11, 102동 803호 (용화동, 아산용화주공)")
    }

    /// A file that is not in the layout fails with its line and field named.
    @Test(arguments: [
        (
            line().replacingOccurrences(of: "|31534|", with: "|"),
            "entrc_test.txt:2: cannot read the address file (위치정보요약DB): 17 fields separated by '|', the layout has 18"
        ),
        (
            line(main: 0),
            "entrc_test.txt:2: cannot read the address file (위치정보요약DB): building number 0-0 (지하 0) or 시군구코드 44200 out of range"
        ),
        (
            line(x: "95601x"),
            "entrc_test.txt:2: cannot read the address file (위치정보요약DB): X좌표 (field 17) is not a coordinate in metres: \"95601x\""
        ),
        (
            line(postal: "3153A"),
            "entrc_test.txt:2: cannot read the address file (위치정보요약DB): 우편번호 (field 13) is not a number: \"3153A\""
        ),
        (line(road: ""), "entrc_test.txt:2: cannot read the address file (위치정보요약DB): 도로명 (field 8) is empty"),
    ])
    func malformedLines(bad: String, message: String) {
        #expect(throws: AddressDatabase.LoadError.self) { try database([line(), bad]) }
        do {
            _ = try database([line(), bad])
        } catch let error as AddressDatabase.LoadError {
            #expect(error.description == message)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func emptyCoordinatesAreAllowedAndGiveNoEntrance() throws {
        let db = try database([line(x: "", y: "")])
        guard case .found(let m) = db.verdict(for: address("충남 아산시 번영로224번길 11")) else {
            Issue.record("not found")
            return
        }
        #expect(m.entrance == nil)
    }

    @Test func readsUTF8CopiesToo() throws {
        let text = Self.asan.joined(separator: "\n") + "\n"
        let db = try AddressDatabase(contents: Data(text.utf8), path: "entrc_utf8.txt")
        #expect(db.buildingCount == 8)
        #expect(db.verdict(for: address("충남 아산시 번영로 224")) != .notFound)
    }

    @Test func aFolderIsReadFileByFileAndAnEmptyFolderIsAnError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dolbom-geo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: AddressDatabase.LoadError.self) { try AddressDatabase(path: folder.path) }
        try (Self.asan[0...3].joined(separator: "\r\n")).data(using: TextFields.dosKorean)!
            .write(to: folder.appendingPathComponent("entrc_chungnam.txt"))
        try (Self.asan[4...].joined(separator: "\r\n")).data(using: TextFields.dosKorean)!
            .write(to: folder.appendingPathComponent("entrc_chungnam2.txt"))
        try Data("ignored".utf8).write(to: folder.appendingPathComponent("readme.txt"))
        let db = try AddressDatabase(path: folder.path)
        #expect(db.files.count == 2)
        #expect(db.buildingCount == 8)
    }
}

@Suite("Jamo distance, centroids and PROJ")
struct GeoPartsTests {
    @Test(arguments: [
        ("번영로", "번영료", 1), ("번영로", "변영료", 2), ("번영로", "번영로", 0), ("남부로", "난두료", 3), ("남부로", "난부료", 2),
        ("남부로", "닌두로", 3), ("번영로", "번연로", 1), ("번양로", "번연로", 2),
        ("시민로", "시민로1번길", 7), ("온천대로", "온천대", 2),
    ])
    func jamoDistance(a: String, b: String, d: Int) {
        #expect(Jamo.distance(Jamo.letters(a), Jamo.letters(b), limit: 10) == d)
    }

    @Test(arguments: [
        ("충남 아산시 배방읍 배방로 47", "eupmyeondong"),
        ("충남 아산시 온천대로 1459", "sigungu"),
        ("서울특별시 강남구 역삼동 737", "eupmyeondong"),
        ("세종특별자치시 한누리대로 2130", "sigungu"),
        ("세종특별자치시 보람동 한누리대로 2130", "eupmyeondong"),
        ("충남 천안시 불당대로 200", "sigungu"),
    ])
    func centroidPrecision(written: String, precision: String) {
        let location = AreaCentroids.kma.location(of: address(written))
        #expect(location?.precision.rawValue == precision, "\(written)")
    }

    @Test func aLegalDongNameStandsForItsNumberedAdministrativeDongs() throws {
        // 역삼동 (법정동) is 역삼1동 and 역삼2동 (행정동): the mean of their points, within the 강남구.
        let p = try #require(AreaCentroids.kma.location(of: address("서울특별시 강남구 역삼동 737"))).point
        #expect(p.latitude > 37.49 && p.latitude < 37.51)
        #expect(p.longitude > 127.02 && p.longitude < 127.06)
    }

    @Test func projInvertsCs2cs() throws {
        // Seoul City Hall: cs2cs EPSG:4326 EPSG:5179 gives 1952032.0810 953901.1653 for 37.5665 126.978.
        let p = try #require(try UTMKProjection().wgs84(UTMKPoint(x: 953901.1653, y: 1952032.0810)))
        #expect(p.metres(to: GeoPoint(latitude: 37.5665, longitude: 126.978)) < 0.01)
    }

    @Test(arguments: [
        (375_665_350, "37.5665350"), (-1, "-0.0000001"), (1_270_000_000, "127.0000000"), (0, "0.0000000"),
    ])
    func decimals(e7: Int, text: String) {
        #expect(Location.decimal(e7) == text)
    }
}
