import DolbomFacility
import DolbomGeo
import DolbomNormalize
import Foundation
import Testing

@testable import DolbomCore

/// Whole runs with a facility registry: families placed at the real addresses of Seoul's facilities (located
/// through the official-address fixture made from the facilities' own coordinates) get that facility first.
@Suite("Runs with facilities")
struct FacilityRunTests {
    static let fixtures = packageRoot.appendingPathComponent("Tests/DolbomGeoTests/Fixtures")

    @Test(.enabled(if: FacilityRegistryTests.seoulPresent, "needs ../shared/reference/seoul-open-data"))
    func familiesAtAFacilitysAddressGetThatFacilityFirstWithin100Metres() throws {
        let folder = TempFolder()
        let all = try AddressFileRunTests.facilities()  // (address, point) of the fixture, in its order
        let allSources = try String(
            contentsOf: Self.fixtures.appendingPathComponent("seoul-facilities-expected.csv"), encoding: .utf8
        )
        .split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[0].split(separator: ":")[1]) }
        var config = DolbomConfiguration()
        config.geo = .init(addressDB: Self.fixtures.path)
        config.facilities = .init(files: [FacilityRegistryTests.seoul.path])
        let registry = try FacilityListReader(config: config.facilities!, asOf: LocalDate(iso: "2024-07-15")!).load()
            .registry
        // The fixture has every addressed row of the lists; the registry rejected the test row (테스트시설).
        let kept = allSources.indices.filter { registry[id: allSources[$0]] != nil }
        #expect(allSources.indices.filter { !kept.contains($0) }.map { allSources[$0] } == ["GN210701"])
        let expected = kept.map { all[$0] }
        let sources = kept.map { allSources[$0] }
        // One household per facility, its child of an age the facility serves, asking for its type.
        var lines = ["타임스탬프,보호자 성명,연락처,주소,자녀 이름,자녀 생년월일,희망 서비스,개인정보 수집·이용 동의"]
        for (i, address) in expected.map(\.address).enumerated() {
            let f = try #require(registry[id: sources[i]], "\(sources[i]) not in the registry")
            let birth =
                f.band.grades?.lowerBound ?? 1 >= 7
                ? "2011-05-05" : (f.band.ages?.upperBound ?? 12) <= 5 ? "2021-05-05" : "2016-05-05"
            lines.append(
                "2024-07-01 10:\(String(format: "%02d", i % 60)),보호자\(i),010-5\(String(format: "%03d", i))-\(String(format: "%04d", 1000 + i)),\"\(address)\",아이\(i),\(birth),\(f.type.rawValue),동의합니다"
            )
        }
        let export = folder.write("families.csv", utf8: lines.joined(separator: "\n") + "\n")
        let options = RunOptions(
            inputs: [export.path], output: folder.url.appendingPathComponent("out").path,
            asOf: LocalDate(iso: "2024-07-15")!, configuration: config)
        let result = try DolbomRun(options: options).run(diagnostics: DiagnosticsCollector())
        let matches = try #require(result.facilities)
        let byPhone = Dictionary(
            uniqueKeysWithValues: result.households.enumerated().map { ($1.primaryPhone!.digits, $0) })
        var first = 0
        var coLocated = 0
        for i in expected.indices {
            let h = try #require(byPhone["0105\(String(format: "%03d", i))\(String(format: "%04d", 1000 + i))"])
            let m = matches.byIndex[h]
            let top = try #require(m.suggestions.first, "\(sources[i]): no suggestion")
            #expect(top.precision == .building)
            #expect(top.metres! < 100, "\(sources[i]): first suggestion \(top.facility.id) at \(top.metres!) m")
            if top.facility.id == sources[i] {
                first += 1
            } else {
                // Another facility in the same building (the lists have a few): then ours is next to it.
                let own = try #require(
                    m.suggestions.first { $0.facility.id == sources[i] }, "\(sources[i]) not suggested")
                #expect(
                    own.metres! < 100 && abs(own.metres! - top.metres!) < 1, "\(sources[i]) behind \(top.facility.id)")
                coLocated += 1
            }
        }
        #expect(first + coLocated == expected.count)
        #expect(coLocated <= 10, "\(coLocated) facilities share a building with another")
        // The run's files carry them.
        let jsonl = try String(
            contentsOf: result.outputFolder.appendingPathComponent("applicants.jsonl"), encoding: .utf8)
        #expect(jsonl.contains("\"suggestions\":[{\"children\":[\"아이0\"],\"distance_m\":"))
        let csv = try String(
            contentsOf: result.outputFolder.appendingPathComponent("facility-matches.csv"), encoding: .utf8)
        #expect(csv.contains("\"신청번호\",\"보호자\",\"주소\",\"순서\",\"기관 id\""))
        let rejects = try String(
            contentsOf: result.outputFolder.appendingPathComponent("facility-rejects.csv"), encoding: .utf8)
        #expect(rejects.contains("facility_test_row"))
        #expect(result.summary.facilities?.facilities == 655)
        #expect(result.summary.facilities?.householdsWithSuggestions == expected.count)
    }

    @Test func aColumnSayingWhenCareIsNeededIsReadLikeTheMemo() {
        #expect(FacilityPlan.isCareTimeColumn("돌봄 필요 시간"))
        #expect(FacilityPlan.isCareTimeColumn("이용 희망 요일"))
        #expect(!FacilityPlan.isCareTimeColumn("상담 가능한 시간"))
        #expect(!FacilityPlan.isCareTimeColumn("통화 희망 시간"))
        #expect(!FacilityPlan.isCareTimeColumn("자녀 수"))
    }

    @Test func samplesShowSuggestionsEverywhereAndExplainSaysWhy() throws {
        let folder = TempFolder()
        let config = try DolbomConfiguration.load(from: packageRoot.appendingPathComponent("samples/dolbom.yaml"))
        let options = RunOptions(
            inputs: [packageRoot.appendingPathComponent("samples/exports").path],
            output: folder.url.path, asOf: LocalDate(iso: "2024-07-15")!, configuration: config)
        let result = try DolbomRun(options: options).run(diagnostics: DiagnosticsCollector())
        let matches = try #require(result.facilities)
        #expect(result.written.contains("facility-matches.csv") && result.written.contains("facility-rejects.csv"))
        let header = try String(contentsOf: folder.url.appendingPathComponent("call-list.csv"), encoding: .utf8).split(
            separator: "\r\n")[0]
        #expect(header.hasSuffix("\"추천 기관 1\",\"추천 기관 2\",\"추천 기관 3\",\"추천 기관 id\""))
        let sheet = try String(
            contentsOf: folder.url.appendingPathComponent("call-sheets/2024-07-15_C01.html"), encoding: .utf8)
        #expect(sheet.contains("<div class=\"fac\"><div class=\"fac-h\">안내할 기관</div><ol><li>"))
        // Every suggestion on the sheet names a facility of the registry, with its distance's basis.
        let h = try #require(
            result.households.indices.first {
                !matches.byIndex[$0].suggestions.isEmpty && matches.byIndex[$0].basis == .distance
            })
        let lines = FacilityExplanation.lines(matches, applicantID: result.households[h].applicantID)
        #expect(lines[0].hasPrefix("  안내할 기관: 집 위치(동 중심 기준)에서 3.0 km + 동 중심 여유 1.0 km 안"))
        #expect(lines.contains { $0.contains("점수") && $0.contains("= 거리") })
        #expect(lines.last!.contains("가중치: 거리 40"))
        // Deterministic: a second run writes the same suggestions.
        let again = try DolbomRun(
            options: RunOptions(
                inputs: options.inputs, output: TempFolder().url.path, asOf: options.asOf,
                configuration: config)
        ).run(diagnostics: DiagnosticsCollector())
        #expect(
            again.facilities!.byIndex.map { $0.suggestions.map(\.facility.id) }
                == matches.byIndex.map { $0.suggestions.map(\.facility.id) })
    }
}
