import DolbomNormalize
import Foundation
import Testing

@testable import DolbomCore

@Suite("Resolve under hostile input: big blocks, wide rows")
struct HostileResolveTests {
    func run(_ text: String) throws -> RunResult {
        let folder = TempFolder()
        let input = folder.write("export.csv", utf8: text)
        let options = RunOptions(
            inputs: [input.path], output: folder.url.appendingPathComponent("out").path,
            asOf: LocalDate(iso: "2024-07-30")!, configuration: DolbomConfiguration(), dryRun: true)
        return try DolbomRun(options: options).run(diagnostics: DiagnosticsCollector())
    }

    /// Identical rows are one family whatever their number: 64 merged and 65 did not (the block was skipped).
    @Test(arguments: [2, 64, 65, 300])
    func identicalRowsAreOneHousehold(count: Int) throws {
        let row = SyntheticExport.row(0).replacingOccurrences(of: "\n", with: "")
        let result = try run(SyntheticExport.header + Array(repeating: row + "\n", count: count).joined())
        #expect(result.households.count == 1)
        #expect(result.households.first?.sources.count == count)
    }

    /// A centre's line given by 80 families (an oversized block): each family's own rows still merge, the
    /// families stay apart.
    @Test func familiesOnABigSharedLineMergeTheirOwnRowsOnly() throws {
        var rows = ""
        for k in 0..<80 {
            var f = IdentityFamilies.family(k)
            f.phone = "041-541-9999"
            rows += IdentityFamilies.row(f, minute: k * 10) + IdentityFamilies.row(f, minute: k * 10 + 5, memo: "다시")
        }
        let result = try run(IdentityFamilies.header + rows)
        #expect(result.households.count == 80)
        #expect(result.households.allSatisfy { $0.sources.count == 2 })
        #expect(result.resolution.oversizedBlocks.count >= 1)
    }

    /// Pass-through cells are merged in time linear in their number (a row of 100,000 columns was quadratic).
    @Test func passThroughCellsMergeInLinearTime() {
        func cells(_ n: Int) -> [ExtraCell] { (0..<n).map { ExtraCell(column: "열\($0 % (n / 2))", value: "\($0)") } }
        func seconds(_ n: Int) -> Double {
            let input = cells(n)
            var best = Double.infinity
            for _ in 0..<5 {
                let start = DispatchTime.now().uptimeNanoseconds
                let merged = HouseholdResolver.latestPerColumn(input)
                best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                #expect(merged.count == n / 2)
            }
            return best
        }
        let small = seconds(4000)
        let large = seconds(32_000)
        // Linear is 8x, quadratic 64x; 32 leaves room for a loaded machine (best of five runs each).
        #expect(large / small < 32, "8x the cells took \(large / small)x the time")
        // Each column once, with its latest value, in the order of those values.
        let merged = HouseholdResolver.latestPerColumn([
            ExtraCell(column: "a", value: "1"), ExtraCell(column: "b", value: "2"),
            ExtraCell(column: "a", value: "3"),
        ])
        #expect(merged == [ExtraCell(column: "b", value: "2"), ExtraCell(column: "a", value: "3")])
    }
}
