import DolbomNormalize
import Foundation
import Testing

@testable import DolbomCore

/// The nightly loop as an IT officer sets it up: an inbox emptied after each run (`processed_files: move`),
/// a state file, a roster. A night with no new exports plans from the state and exits 0.
@Suite("Quiet nights", .serialized)
struct QuietNightTests {
    func setUp(_ folder: TempFolder) throws -> URL {
        try FileManager.default.createDirectory(
            at: folder.url.appendingPathComponent("inbox"), withIntermediateDirectories: true)
        folder.write("roster.yaml", utf8: ConfigurationTests.roster)
        return folder.write(
            "dolbom.yaml",
            utf8: """
                inputs: [inbox]
                output: out/{as_of}
                state: state.db
                processed_files: move
                archive: archive
                schedule:
                  roster: roster.yaml
                """)
    }

    @Test func emptyInboxWithStatePlansFromTheStateAndExitsZero() throws {
        let folder = TempFolder()
        let config = try setUp(folder)
        folder.write("inbox/forms.csv", utf8: SyntheticExport.text(0..<12))
        let first = try DolbomProcess.run(["run", "--quiet", "--config", config.path, "--as-of", "2024-07-15"])
        #expect(first.status == 0, "stderr: \(first.stderr)")
        // The export moved out of the inbox: the next night finds it empty.
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.url.appendingPathComponent("inbox").path).isEmpty
        )

        let quiet = try DolbomProcess.run(["run", "--quiet", "--config", config.path, "--as-of", "2024-07-16"])
        #expect(quiet.status == 0, "stderr: \(quiet.stderr)")
        #expect(quiet.stdout.isEmpty && quiet.stderr.isEmpty, "a quiet night prints nothing under --quiet")
        let out = folder.url.appendingPathComponent("out/2024-07-16")
        let callList = try String(contentsOf: out.appendingPathComponent("call-list.csv"), encoding: .utf8)
        #expect(callList.split(whereSeparator: \.isNewline).count == 1 + 6, "six households from the state on the list")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("schedule.csv").path))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("call-sheets/index.html").path))
        let summary =
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json")))
            as! [String: Any]
        #expect((summary["counts"] as? [String: Any])?["households"] as? Int == 6)
        // No empty archive folder for a night that moved nothing.
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("archive/2024-07-16").path))

        let history = try DolbomProcess.run(["history", "--config", config.path])
        #expect(history.status == 0)
        #expect(history.stdout.contains("2024-07-16"), "the quiet night is in the history: \(history.stdout)")
    }

    @Test func neitherInputNorStateExits66() throws {
        let folder = TempFolder()
        let config = try setUp(folder)
        let result = try DolbomProcess.run(["run", "--quiet", "--config", config.path, "--as-of", "2024-07-15"])
        #expect(result.status == 66, "stderr: \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("state.db").path))
    }

    @Test func noInputsAtAllButAStateFlagPlansToo() throws {
        let folder = TempFolder()
        let export = folder.write("a.csv", utf8: SyntheticExport.text(0..<4))
        let state = folder.url.appendingPathComponent("s.db").path
        let out1 = folder.url.appendingPathComponent("o1").path
        let out2 = folder.url.appendingPathComponent("o2").path
        let first = try DolbomProcess.run([
            "run", "--quiet", "--state", state, "--as-of", "2024-07-15", "--out", out1, export.path,
        ])
        #expect(first.status == 0, "stderr: \(first.stderr)")
        let second = try DolbomProcess.run(["run", "--state", state, "--as-of", "2024-07-16", "--out", out2])
        #expect(second.status == 0, "stderr: \(second.stderr)")
        #expect(second.stdout.contains("파일 0개"))
        #expect(second.stdout.contains("오늘 연락할 가구 2"), "\(second.stdout)")
    }
}

@Suite("Counselor's view")
struct CounselorViewTests {
    func run(_ folder: TempFolder, csv: String, configure: (inout DolbomConfiguration) -> Void = { _ in }) throws
        -> RunResult
    {
        folder.write("roster.yaml", utf8: ConfigurationTests.roster)
        let export = folder.write("a.csv", utf8: csv)
        var config = DolbomConfiguration()
        config.schedule = DolbomConfiguration.Schedule(roster: folder.url.appendingPathComponent("roster.yaml").path)
        configure(&config)
        let options = RunOptions(
            inputs: [export.path], output: folder.url.appendingPathComponent("out").path,
            asOf: LocalDate(iso: "2024-07-15")!, configuration: config)
        return try DolbomRun(options: options).run(diagnostics: DiagnosticsCollector())
    }

    static let header = "\"타임스탬프\",\"보호자 성명\",\"연락처\",\"주소\",\"자녀 이름\",\"자녀 생년월일 또는 나이\",\"개인정보 수집·이용 동의\"\n"

    static func row(_ minute: Int, _ name: String, _ phone: String, _ address: String, _ child: String, _ age: String)
        -> String
    {
        "\"2024/07/01 10:\(String(format: "%02d", minute)):00 오전 GMT+9\",\"\(name)\",\"\(phone)\",\"\(address)\",\"\(child)\",\"\(age)\",\"동의\"\n"
    }

    @Test func familiesOutsideTheServiceAreaAreListedApartAndNotBooked() throws {
        let csv =
            Self.header
            + Self.row(1, "김민준", "010-2000-0001", "충청남도 천안시 서북구 불당대로 200, 107동 103호", "김하은", "만 7세")
            + Self.row(2, "이서연", "010-2000-0002", "충청남도 아산시 배방읍 호서로79번길 35, 201호", "이도윤", "만 8세")
            + Self.row(3, "박지호", "010-2000-0003", "세종특별자치시 한누리대로 2130", "박수아", "만 6세")
            + Self.row(4, "최하준", "010-2000-0004", "주소 모름", "최지아", "만 9세")
        let folder = TempFolder()
        let result = try run(folder, csv: csv) { $0.serviceArea = ["아산시"] }
        let names = result.callList.map { $0.household.guardianName?.name ?? "-" }
        #expect(names.count == 4)
        // Inside (and unknown) first, outside last.
        #expect(Set(names.prefix(2)) == ["이서연", "최하준"], "\(names)")
        #expect(Set(names.suffix(2)) == ["김민준", "박지호"], "\(names)")
        #expect(result.callList.map(\.rank) == [1, 2, 3, 4])
        let booked = Set(result.appointments?.result.appointments.map(\.applicantID) ?? [])
        for entry in result.callList {
            #expect(booked.contains(entry.household.applicantID) == !ServiceArea.isOutside(entry.household))
        }
        let checks = try String(contentsOf: folder.url.appendingPathComponent("out/call-list.csv"), encoding: .utf8)
        #expect(checks.contains("관할 지역 밖(충청남도 천안시 서북구)"))

        let booking = TempFolder()
        let all = try run(booking, csv: csv) {
            $0.serviceArea = ["아산시"]
            $0.schedule?.bookOutOfArea = true
        }
        #expect(all.appointments?.result.appointments.count == 4)

        let unset = TempFolder()
        let none = try run(unset, csv: csv)
        #expect(!none.callList.contains { ServiceArea.isOutside($0.household) })
    }

    @Test(
        arguments: [
            ("아산시", ["44200"]), ("아산", ["44200"]), ("충청남도 아산시", ["44200"]), ("충남 천안시", ["44130", "44131", "44133"]),
            ("천안시 서북구", ["44133"]), ("세종", ["36110"]),
        ] as [(String, [String])])
    func serviceAreaNames(_ c: (String, [String])) throws {
        let codes = try #require(ServiceArea.district(c.0))
        #expect(Set(c.1).isSubset(of: codes), "\(codes)")
    }

    @Test func severalChildrenInOneCellBecomeSeveralChildren() throws {
        let csv =
            Self.header
            + Self.row(1, "노지훈", "010-2000-0011", "충청남도 아산시 배방읍 호서로79번길 35", "노시윤, 노시아", "7세, 5세")
            + Self.row(2, "정민수", "010-2000-0012", "충청남도 아산시 배방읍 호서로79번길 36", "정하람/정하늘", "2017-03-05")
            + Self.row(3, "한유리", "010-2000-0013", "충청남도 아산시 배방읍 호서로79번길 37", "한별 한솔", "만 6세 만 4세")
            + Self.row(4, "오세훈", "010-2000-0014", "충청남도 아산시 배방읍 호서로79번길 38", "김 민준", "만 7세")
        let folder = TempFolder()
        let result = try run(folder, csv: csv)
        func children(_ guardian: String) -> [Household.Child] {
            result.households.first { $0.guardianName?.name == guardian }?.children ?? []
        }
        #expect(
            Dictionary(uniqueKeysWithValues: children("노지훈").map { ($0.name ?? "", $0.age) }) == ["노시윤": 7, "노시아": 5])
        // One age for two names: nobody's age is guessed, the text is kept and the counselor asks.
        #expect(Set(children("정민수").map(\.name)) == ["정하람", "정하늘"])
        #expect(children("정민수").allSatisfy { $0.age == nil && $0.ageText == "2017-03-05" })
        #expect(
            result.households.first { $0.guardianName?.name == "정민수" }!.issues.contains {
                $0.code == "children_age_unpaired"
            })
        #expect(
            Dictionary(uniqueKeysWithValues: children("한유리").map { ($0.name ?? "", $0.age) }) == ["한별": 6, "한솔": 4])
        // A name written with a space is one child.
        #expect(children("오세훈").map(\.name) == ["김민준"])
        #expect(result.summary.counts.dataRows == result.summary.counts.submissions + result.rejects.count)
    }

    @Test(
        arguments: [
            ("노시윤, 노시아", ["노시윤", "노시아"]), ("노시윤/노시아", ["노시윤", "노시아"]), ("노시윤 노시아", ["노시윤", "노시아"]),
            ("김민준 이서연", ["김민준", "이서연"]), ("노시윤·노시아", ["노시윤", "노시아"]),
            ("김 민준", nil), ("남궁 민", nil), ("노시윤", nil), ("Jean·Pierre", nil), ("노시윤(7세), 노시아", nil),
            ("Nguyen Van An, Nguyen Thi Hoa", ["Nguyen Van An", "Nguyen Thi Hoa"]), ("민준 서연", nil),
        ] as [(String, [String]?)])
    func childNameCells(_ c: (String, [String]?)) {
        #expect(ChildNameList.split(c.0) == c.1)
    }

    @Test func checksAreWrittenForThePersonOnThePhoneAndStandOut() throws {
        let csv =
            Self.header
            + Self.row(1, "김ㅇㅇ", "1020000021", "충청남도 아산시 배방읍 호서로79번길 35", "김하은", "7살")
        let folder = TempFolder()
        _ = try run(folder, csv: csv)
        let callList = try String(contentsOf: folder.url.appendingPathComponent("out/call-list.csv"), encoding: .utf8)
        #expect(callList.contains("통화하는 분의 성함을 여쭤 주세요"))
        #expect(callList.contains("자녀 생년월일을 여쭤 주세요"))
        #expect(!callList.contains("원본을 확인해 주세요"))
        let sheets = try FileManager.default.contentsOfDirectory(
            atPath: folder.url.appendingPathComponent("out/call-sheets").path)
        let sheet = try #require(sheets.first { $0 != "index.html" })
        let html = try String(
            contentsOf: folder.url.appendingPathComponent("out/call-sheets/\(sheet)"), encoding: .utf8)
        #expect(html.contains("<tr class=\"check\"><th>확인할 점</th><td><strong>"))
    }
}

@Suite("Explain", .serialized)
struct ExplainRejectTests {
    @Test func explainAnswersForARejectedRow() throws {
        let folder = TempFolder()
        let csv =
            CounselorViewTests.header
            + CounselorViewTests.row(1, "김민준", "010-2000-0031", "충청남도 아산시 배방읍 호서로79번길 35", "김하은", "만 7세")
            + CounselorViewTests.row(2, "이서연", "010-12", "충청남도 아산시 배방읍 호서로79번길 36", "이도윤", "만 8세")
        let export = folder.write("forms.csv", utf8: csv)
        let result = try DolbomProcess.run(["explain", "forms.csv:3", export.path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("forms.csv:3: 제외된 행입니다"), "\(result.stdout)")
        #expect(result.stdout.contains("사유: phone_"), "\(result.stdout)")
        #expect(result.stdout.contains("열: 연락처"), "\(result.stdout)")
        let missing = try DolbomProcess.run(["explain", "forms.csv:9", export.path])
        #expect(missing.status == 66)
    }
}

@Suite("Ages of several children")
struct ChildAgeListTests {
    @Test(
        arguments: [
            ("7세, 5세", 2, ["7세", "5세"]), ("7세 5세", 2, ["7세", "5세"]), ("만 6세 만 4세", 2, ["만 6세", "만 4세"]),
            ("2017-03-05 / 2019-01-02", 2, ["2017-03-05", "2019-01-02"]), ("7, 5", 2, ["7", "5"]),
            ("2017-03-05", 2, nil), ("3/5/2017", 3, nil), ("7세", 2, nil), ("7세, 5세", 3, nil),
        ] as [(String, Int, [String]?)])
    func split(_ c: (String, Int, [String]?)) {
        #expect(ChildNameList.splitAges(c.0, count: c.1) == c.2)
    }
}
