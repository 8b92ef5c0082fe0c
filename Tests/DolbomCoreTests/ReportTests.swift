import DolbomNormalize
import Foundation
import Testing

@testable import DolbomCore

/// report.html: self-contained, its totals equal to summary.json and the data files, no personal data, and the
/// figures' buckets on their boundaries.
@Suite("Report page and figures")
struct ReportTests {
    struct Run {
        /// Kept alive for the run's files.
        var scratch: TempFolder
        var url: URL
        var result: RunResult
        func text(_ name: String) throws -> String {
            String(
                decoding: try #require(FileManager.default.contents(atPath: url.appendingPathComponent(name).path)),
                as: UTF8.self)
        }
        func jsonLines(_ name: String) throws -> [[String: Any]] {
            try text(name).split(separator: "\n").map {
                try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            }
        }
    }

    static func samplesRun(state: URL? = nil, output: URL? = nil, inputs: [String]? = nil) throws -> Run {
        let folder = TempFolder()
        let config = try DolbomConfiguration.load(from: packageRoot.appendingPathComponent("samples/dolbom.yaml"))
        var options = RunOptions(
            inputs: inputs ?? [packageRoot.appendingPathComponent("samples/exports").path],
            output: (output ?? folder.url).path, asOf: LocalDate(iso: "2024-07-15")!, configuration: config)
        options.statePath = state?.path
        let result = try DolbomRun(options: options).run(diagnostics: DiagnosticsCollector())
        return Run(scratch: folder, url: output ?? folder.url, result: result)
    }

    /// The numbers the page shows in its tiles (`data-total`), commas removed.
    static func totals(_ html: String) -> [String: Int] {
        var out: [String: Int] = [:]
        for part in html.components(separatedBy: "data-total=\"").dropFirst() {
            let key = String(part.prefix { $0 != "\"" })
            let value = part.drop { $0 != ">" }.dropFirst().prefix { $0 != "<" }.filter { $0 != "," }
            out[key] = Int(value)
        }
        return out
    }

    /// `data-key` → `data-count` of every bar in the chart titled `title`.
    static func bars(_ html: String, chart title: String) throws -> [String: Int] {
        let start = try #require(html.range(of: "aria-label=\"\(title)\""))
        let svg = html[start.upperBound...]
        let end = try #require(svg.range(of: "</svg>"))
        var out: [String: Int] = [:]
        for part in svg[..<end.lowerBound].components(separatedBy: "data-key=\"").dropFirst() {
            let key = String(part.prefix { $0 != "\"" })
            guard let count = part.range(of: "data-count=\"") else { continue }
            out[key] = Int(part[count.upperBound...].prefix { $0 != "\"" })
        }
        return out
    }

    @Test func pageIsSelfContainedAndItsTotalsEqualTheFiles() throws {
        let run = try Self.samplesRun()
        let html = try run.text("report.html")
        #expect(run.result.written.contains("report.html"))

        // Nothing to fetch: no scripts, links, images, frames or style imports, no address of anything.
        for needle in [
            "http:", "https:", "//", "src=", "href=", "<script", "<link", "<img", "<iframe", "<object", "url(",
            "@import",
        ] {
            #expect(!html.lowercased().contains(needle), "report.html holds \(needle)")
        }
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"ko\">"))
        #expect(html.contains("@page { size: A4 portrait"))

        let summaryData = try #require(
            FileManager.default.contents(atPath: run.url.appendingPathComponent("summary.json").path))
        let summary = try #require(try JSONSerialization.jsonObject(with: summaryData) as? [String: Any])
        let counts = try #require(summary["counts"] as? [String: Int])
        let applicants = try run.jsonLines("applicants.jsonl")
        let rejects = try run.jsonLines("rejects.jsonl")
        let schedule = try run.jsonLines("schedule.jsonl")
        let totals = Self.totals(html)

        #expect(totals["households"] == counts["households"])
        #expect(totals["households"] == applicants.count)
        #expect(totals["submissions"] == counts["submissions"])
        #expect(totals["submissions"] == applicants.reduce(0) { $0 + (($1["sources"] as? [Any])?.count ?? 0) })
        #expect(totals["rejected_rows"] == rejects.count)
        #expect(totals["rejected_rows"] == (summary["rejects_by_reason"] as? [String: Int])?.values.reduce(0, +))
        #expect(totals["open_households"] == (summary["households_by_status"] as? [String: Int])?["open"])
        #expect(totals["open_households"] == applicants.filter { $0["status"] as? String == "open" }.count)
        #expect(totals["appointments"] == schedule.filter { $0["status"] as? String != "unscheduled" }.count)
        #expect(totals["appointments"] == (summary["schedule"] as? [String: Any])?["appointments"] as? Int)
        #expect(totals["new_households"] == nil, "no state file: nothing to compare with")

        // Every bar of the 읍면동 chart equals the applicants with that 읍면동 (the samples have several 시군구, which
        // go in front of the names; 세종 has none and shows its 시도).
        var byDong: [String: Int] = [:]
        var noDong = 0
        for a in applicants {
            let address = a["address"] as? [String: Any]
            guard let dong = address?["eupmyeondong"] as? String else {
                noDong += 1
                continue
            }
            let area = (address?["sigungu"] as? String) ?? (address?["sido"] as? String) ?? ""
            byDong["\(area) \(dong)", default: 0] += 1
        }
        #expect(Set(byDong.keys.map { $0.split(separator: " ").first! }).count > 1)
        let dongBars = try Self.bars(html, chart: "읍면동별 가구")
        #expect(!dongBars.isEmpty)
        for (dong, n) in dongBars { #expect(byDong[dong] == n, "\(dong)") }
        let figures = try #require(run.result.summary.report)
        #expect(
            figures.intake.byEupmyeondong.reduce(0) { $0 + $1.count } + figures.intake.eupmyeondongUnknown
                == applicants.count)
        #expect(figures.intake.eupmyeondongUnknown == noDong)

        // Rejects by reason on the page are the file's.
        var byReason: [String: Int] = [:]
        for r in rejects { byReason[r["reason"] as! String, default: 0] += 1 }
        #expect(try Self.bars(html, chart: "제외 사유별 행") == byReason)

        // Children by age add up to the children in applicants.jsonl; waiting buckets to the open households.
        let children = applicants.reduce(0) { $0 + (($1["children"] as? [Any])?.count ?? 0) }
        #expect(try Self.bars(html, chart: "자녀 나이·학년").values.reduce(0, +) == children)
        #expect(try Self.bars(html, chart: "기다린 날별 가구").values.reduce(0, +) == totals["open_households"])

        // summary.json's report is the figures the page was drawn from.
        let report = try #require(summary["report"] as? [String: Any])
        let decoded = try JSONDecoder().decode(ReportFigures.self, from: JSONSerialization.data(withJSONObject: report))
        #expect(decoded == figures)
        // The samples configure facilities: demand by 읍면동 covers every open household, as the page says.
        let capacity = try #require(report["capacity"] as? [String: Any])
        #expect(capacity["facilities_configured"] as? Bool == true)
        let demand = try #require(capacity["demand_by_eupmyeondong"] as? [[String: Any]])
        #expect(demand.reduce(0) { $0 + ($1["households"] as! Int) } == totals["open_households"])
        let with = demand.reduce(0) { $0 + ($1["with_suggestions"] as! Int) }
        #expect(html.contains("대기 중인 \(totals["open_households"]!)가구 가운데 \(with)가구에 안내할 기관을 찾았고"))
        #expect(!html.contains("시설 목록이 설정되지 않았습니다"))
    }

    @Test func pageNamesNoGuardianPhoneOrAddress() throws {
        let run = try Self.samplesRun()
        let html = try run.text("report.html")
        for a in try run.jsonLines("applicants.jsonl") {
            let guardian = a["guardian"] as? [String: Any]
            if let name = guardian?["name"] as? String, name.count > 1 {
                #expect(!html.contains(name), "a guardian's name")
            }
            if let phone = guardian?["phone"] as? String { #expect(!html.contains(phone)) }
            if let road = (a["address"] as? [String: Any])?["text"] as? String { #expect(!html.contains(road)) }
        }
    }

    @Test func sameInputsGiveTheSameBytes() throws {
        let first = try Self.samplesRun()
        let second = try Self.samplesRun()
        #expect(try first.text("report.html") == second.text("report.html"))
        #expect(try first.text("summary.json") == second.text("summary.json"))
    }

    @Test func withStateTheNewHouseholdsAreThoseSinceTheLastRun() throws {
        let folder = TempFolder()
        let state = folder.url.appendingPathComponent("state.db")
        let exports = packageRoot.appendingPathComponent("samples/exports")
        let one = try Self.samplesRun(
            state: state, output: folder.url.appendingPathComponent("one"),
            inputs: [exports.appendingPathComponent("asan_google_form_2024-07.csv").path])
        let firstFigures = try #require(one.result.summary.report)
        #expect(firstFigures.intake.comparedWithLastRun)
        #expect(firstFigures.intake.newHouseholds == firstFigures.intake.households)
        #expect(firstFigures.intake.byEupmyeondong.allSatisfy { $0.new == $0.count })

        let two = try Self.samplesRun(
            state: state, output: folder.url.appendingPathComponent("two"), inputs: [exports.path])
        let figures = try #require(two.result.summary.report)
        #expect(figures.intake.newHouseholds == two.result.delta.newHouseholds)
        #expect(figures.intake.newHouseholds > 0)
        let newByDong = figures.intake.byEupmyeondong.reduce(0) { $0 + ($1.new ?? 0) }
        let newWithoutDong = two.result.households.filter {
            $0.address?.eupmyeondong == nil && !one.result.households.map(\.applicantID).contains($0.applicantID)
        }.count
        #expect(newByDong + newWithoutDong == figures.intake.newHouseholds)
        let html = String(
            decoding: try #require(
                FileManager.default.contents(
                    atPath: folder.url.appendingPathComponent("two/report.html").path)), as: UTF8.self)
        #expect(Self.totals(html)["new_households"] == figures.intake.newHouseholds)
        #expect(html.contains("지난 실행보다 \(ReportWording.number(figures.intake.newHouseholds))가구 늘었습니다"))
    }

    @Test func textFromTheInputsIsEscaped() {
        var figures = ReportFigures(intake: .init(), waiting: .init(), team: nil, quality: .init(), capacity: .init())
        figures.quality.filesWithRejects = [.init(file: "<script>alert(1)</script>&.csv", dataRows: 3, rejected: 2)]
        figures.quality.rejectsByReason = [ReportCount(key: "x\"<", label: "<b>굵게</b>", count: 2)]
        figures.intake.byEupmyeondong = [ReportCount(key: "A&B동", label: "A&B동", count: 1)]
        let html = ReportPage(figures: figures, asOf: LocalDate(iso: "2024-07-15")!).render()
        #expect(!html.contains("<script>"))
        #expect(!html.contains("<b>굵게"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&amp;.csv"))
        #expect(html.contains("A&amp;B동"))
        #expect(html.contains("data-key=\"x&quot;&lt;\""))
    }

    @Test func childBuckets() {
        let table: [(age: Int?, grade: Int?, key: String)] = [
            (nil, nil, "unknown"), (0, nil, "age_0_2"), (2, nil, "age_0_2"), (3, nil, "preschool"),
            (7, nil, "preschool"),
            (7, 1, "grade_1"), (12, 6, "grade_6"), (9, nil, "age_8_11_grade_unknown"), (12, nil, "age_12_plus"),
            (15, nil, "age_12_plus"), (nil, 3, "grade_3"),
        ]
        for row in table {
            let child = Household.Child(
                name: nil, birthDate: nil, age: row.age, schoolGrade: row.grade, ageText: nil, sources: [])
            #expect(
                ChildBucket(child).key == row.key,
                "age \(String(describing: row.age)), grade \(String(describing: row.grade))")
        }
    }

    @Test func waitBuckets() {
        let table = [
            (0, "days_0_2"), (2, "days_0_2"), (3, "days_3_6"), (6, "days_3_6"), (7, "days_7_13"), (13, "days_7_13"),
            (14, "days_14_29"), (29, "days_14_29"), (30, "days_30_59"), (59, "days_30_59"), (60, "days_60_plus"),
        ]
        for (days, key) in table { #expect(WaitBucket(days: days).key == key, "\(days) days") }
    }

    @Test func longestWaitsKeepTheTopInOrder() {
        var top = LongestWaits(limit: 3)
        for (id, days) in [("H-B", 5), ("H-A", 5), ("H-C", 9), ("H-D", 1), ("H-E", 7), ("H-F", 5)] {
            top.insert(.init(applicantID: id, days: days, unansweredCalls: 0, appointment: nil))
        }
        #expect(top.sorted.map(\.applicantID) == ["H-C", "H-E", "H-A"])
    }

    @Test func numbersAreWrittenWithCommas() {
        #expect(ReportWording.number(0) == "0")
        #expect(ReportWording.number(999) == "999")
        #expect(ReportWording.number(1000) == "1,000")
        #expect(ReportWording.number(1_234_567) == "1,234,567")
        #expect(ReportChart.px(12.34) == "12.3")
        #expect(ReportChart.px(12.0) == "12")
    }
}
