import DolbomNormalize
import Foundation
import Testing

@testable import DolbomCore

/// A household's address is put together from all its rows: a family writes its home differently each
/// time (a 동 or the building's name once, a 지번 once, a floor before the room once).
@Suite("A household's address from all its rows")
struct HouseholdAddressTests {
    func run(_ addresses: [String]) throws -> RunResult {
        var text = SyntheticExport.header
        for (k, address) in addresses.enumerated() {
            let cells = [
                "2024/07/01 \(k + 1):00:00 오후 GMT+9", "김하늘", "010-4821-7730", address, "김도윤", "2017-03-04",
                "지역아동센터", "평일 오후(13시~18시)", "해당없음", "동의합니다", "",
            ]
            text += cells.map { "\"\($0)\"" }.joined(separator: ",") + "\n"
        }
        let folder = TempFolder()
        let input = folder.write("export.csv", utf8: text)
        let options = RunOptions(
            inputs: [input.path], output: folder.url.appendingPathComponent("out").path,
            asOf: LocalDate(iso: "2024-07-30")!, configuration: DolbomConfiguration(), dryRun: true)
        return try DolbomRun(options: options).run(diagnostics: DiagnosticsCollector())
    }

    /// A 지번 row between two road rows does not hide what the first road row said.
    @Test func partsWrittenOnceSurviveAnotherKindOfAddressBetween() throws {
        let result = try run([
            "충청남도 아산시 번영로224번길 11, 101동 202호 (용화동, 아산용화주공)",
            "충남 아산시 용화동 123-4 101동 202호",
            "충남 아산시 번영로224번길 11 101동 202호",
        ])
        #expect(result.households.count == 1)
        let address = try #require(result.households.first?.address)
        #expect(address.road == "번영로224번길")
        #expect(address.eupmyeondong == "용화동")
        #expect(address.buildingName == "아산용화주공")
        #expect(address.detail == "101동 202호")
    }

    /// `상가 2층 203호` and `203호` are one room of one building: one household, whose unit is the latest written.
    @Test(arguments: [("상가 2층 203호", "203호"), ("203호", "2층 203호"), ("12층 1203호", "1203호")])
    func aFloorBeforeItsRoomIsTheSameHome(first: String, second: String) throws {
        let result = try run(["충남 아산시 배방읍 배방로 221-4 \(first)", "충남 아산시 배방읍 배방로 221-4 \(second)"])
        #expect(result.households.count == 1)
    }
}
