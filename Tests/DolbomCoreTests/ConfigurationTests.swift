import DolbomNormalize
import Foundation
import Testing

@testable import DolbomCore

/// The configuration mistakes staff make, each stopping the run (exit 78) with the file, the line and the key.
@Suite("Strict configuration")
struct ConfigurationTests {
    static let roster = """
        counselors:
          - id: C01
            name: 김하늘
            hours: "09:00-18:00"
            max_calls_per_day: 5
          - id: C02
            name: 이서준
            hours: "09:00-18:00"
            max_calls_per_day: 5
        """

    /// Loads `text` as dolbom.yaml in a fresh folder (with a valid roster.yaml beside it) and returns the
    /// problems it gave.
    func load(_ text: String, roster: String = Self.roster) throws -> (folder: TempFolder, problems: [ConfigProblem]) {
        let folder = TempFolder()
        folder.write("roster.yaml", utf8: roster)
        let url = folder.write("dolbom.yaml", utf8: text)
        do {
            _ = try DolbomConfiguration.load(from: url)
            return (folder, [])
        } catch {
            guard case .problems(let problems) = error else {
                Issue.record("not problems: \(error)")
                return (folder, [])
            }
            return (folder, problems)
        }
    }

    @Test(
        arguments: [
            // (file, line, key, a word of the message)
            ("id_key: x\ncall_list_phone: masked\n", 2, "call_list_phone", "did you mean 'call_list_phones'?"),
            (
                "schedule:\n  roster: roster.yaml\n  slot_minute: 30\n", 3, "schedule.slot_minute",
                "did you mean 'slot_minutes'?"
            ),
            ("dedupe:\n  weights:\n    merge_treshold: 9\n", 3, "dedupe.weights.merge_treshold", "'merge_threshold'"),
            (
                "mappings:\n  - files: \"*.csv\"\n    korean_age: true\n", 3, "mappings[1].korean_age",
                "'korean_age_wording'"
            ),
            ("colour: blue\n", 1, "colour", "unknown key"),
            ("schedule:\n  slot_minutes: thirty\n", 2, "schedule.slot_minutes", "'thirty' is not a whole number"),
            ("schedule:\n  slot_minutes: 2\n", 2, "schedule.slot_minutes", "between 5 and 240"),
            ("call_list_phones: hidden\n", 1, "call_list_phones", "'hidden' is not one of 'full', 'masked'"),
            ("schedule:\n  holidays:\n    \"2024/10/10\": 시민의 날\n", 3, "schedule.holidays.2024/10/10", "is not a date"),
            ("state: /tmp\ngroup: no-such-group-dolbom\n", 2, "group", "no Unix group 'no-such-group-dolbom'"),
            ("schedule:\n  roster: rosters/roster.yaml\n", 2, "schedule.roster", "does not exist"),
            ("service_area: [아산시, 안드로메다시]\n", 1, "service_area[2]", "'안드로메다시'"),
        ] as [(String, Int, String, String)])
    func mistakeNamesLineAndKey(_ c: (String, Int, String, String)) throws {
        let (_, problems) = try load(c.0)
        let first = try #require(problems.first, "no problem reported for \(c.0)")
        #expect(first.line == c.1)
        #expect(first.key == c.2)
        #expect(first.message.contains(c.3), "\(first)")
        #expect(first.description.hasPrefix(first.path + ":\(c.1):"))
    }

    @Test func yamlSyntaxErrorGivesLineAndColumnInPlainWords() throws {
        let (_, problems) = try load("id_key: x\nschedule:\n  slot_minutes: 20\n   buffer_minutes: 10\n")
        let p = try #require(problems.first)
        #expect(p.line == 4)
        #expect(p.column > 1)
        #expect(p.message.contains("cannot be read as YAML"))
        #expect(!p.message.contains("DecodingError"))
    }

    @Test func relativePathsStartFromTheConfigurationsFolder() throws {
        let folder = TempFolder()
        try FileManager.default.createDirectory(
            at: folder.url.appendingPathComponent("inbox"), withIntermediateDirectories: true)
        folder.write("roster.yaml", utf8: Self.roster)
        let url = folder.write(
            "dolbom.yaml",
            utf8: """
                inputs: [inbox]
                output: out/{as_of}
                state: state.db
                archive: archive
                schedule:
                  roster: roster.yaml
                dedupe:
                  decisions: decisions.csv
                """)
        let config = try DolbomConfiguration.load(from: url)
        let base = folder.url.standardizedFileURL.path
        #expect(config.inputs == [base + "/inbox"])
        #expect(config.output == base + "/out/{as_of}")
        #expect(config.state == base + "/state.db")
        #expect(config.archive == base + "/archive")
        #expect(config.schedule?.roster == base + "/roster.yaml")
        #expect(config.dedupe?.decisions == base + "/decisions.csv")
    }

    @Test func everyProblemIsReportedInFileOrder() throws {
        let (_, problems) = try load("call_list_phone: masked\nschedule:\n  slot_minute: 30\n  buffer_minuts: 5\n")
        #expect(problems.map(\.line) == [1, 3, 4])
    }

    @Test func theSampleConfigurationIsValid() throws {
        let config = try DolbomConfiguration.load(from: packageRoot.appendingPathComponent("samples/dolbom.yaml"))
        #expect(
            config.schedule?.roster
                == packageRoot.appendingPathComponent("samples/roster.yaml").standardizedFileURL.path)
    }

    @Test(
        arguments: [
            ("call_list_phone", "call_list_phones"), ("slot_minute", "slot_minutes"), ("language", "languages"),
            ("max_calls", "max_calls_per_day"), ("zzz", nil), ("calls", nil),
        ] as [(String, String?)])
    func didYouMean(_ c: (String, String?)) {
        let known = ["call_list_phones", "slot_minutes", "languages", "max_calls_per_day", "id"]
        #expect(KeyDistance.nearest(to: c.0, in: known) == c.1)
    }
}

@Suite("Strict roster")
struct StrictRosterTests {
    func reason(_ text: String) throws -> (path: String, reason: String) {
        let folder = TempFolder()
        let url = folder.write("roster.yaml", utf8: text)
        do {
            _ = try RosterFile.load(url)
        } catch {
            guard case .roster(let path, let reason) = error else {
                Issue.record("\(error)")
                return ("", "")
            }
            return (path, reason)
        }
        Issue.record("no error for \(text)")
        return ("", "")
    }

    @Test func unknownCounselorKeyNamesLineCounselorAndSuggestion() throws {
        let (path, reason) = try reason(
            """
            counselors:
              - id: C01
                hours: "09:00-18:00"
                max_calls_per_day: 5
              - id: kim
                hours: "09:00-18:00"
                max_calls_per_day: 5
                language: [베트남어]
            """)
        #expect(reason.contains("\(path):8:5: counselors[2] (id: kim) language: 알 수 없는 항목입니다"), "\(reason)")
        #expect(reason.contains("'languages'"))
    }

    @Test func badLeaveDateNamesCounselorKeyAndLine() throws {
        let (path, reason) = try reason(
            """
            counselors:
              - id: C01
                hours: "09:00-18:00"
                max_calls_per_day: 5
              - id: C02
                hours: "09:00-18:00"
                max_calls_per_day: 5
              - id: kim
                hours: "09:00-18:00"
                max_calls_per_day: 5
                leave: [2024/07/17]
            """)
        #expect(reason.contains("\(path):11:"), "\(reason)")
        #expect(reason.contains("counselors[3] (id: kim) leave: '2024/07/17'은(는) 날짜가 아닙니다"), "\(reason)")
    }

    @Test func validationIssuesNameTheLineOfTheKey() throws {
        let (path, reason) = try reason(
            """
            counselors:
              - id: C01
                hours: "18:00-09:00"
                max_calls_per_day: 5
            """)
        #expect(reason.contains("\(path):3:5: counselors[1] (id: C01) hours:"), "\(reason)")
    }

    @Test func yamlSyntaxErrorHasALine() throws {
        let (path, reason) = try reason("counselors:\n  - id: C01\n    hours: \"09:00-18:00\n")
        #expect(reason.contains(path + ":"), "\(reason)")
        #expect(reason.contains("cannot be read as YAML"))
        #expect(!reason.contains("not valid YAML"))
    }
}

/// The same mistakes through the built binary: exit 78, and stderr names the file, the line and the key.
@Suite("Configuration mistakes end to end", .serialized)
struct ConfigurationEndToEndTests {
    @Test(
        arguments: [
            ("call_list_phone: masked\n", nil, "dolbom.yaml:1:1: call_list_phone:"),
            ("schedule:\n  roster: roster.yaml\n  slot_minute: 30\n", nil, "dolbom.yaml:3:3: schedule.slot_minute:"),
            (
                "schedule:\n  roster: roster.yaml\n",
                "counselors:\n  - id: kim\n    hours: \"09:00-18:00\"\n    max_calls_per_day: 5\n    language: [중국어]\n",
                "roster.yaml:5:5: counselors[1] (id: kim) language:"
            ),
            (
                "schedule:\n  roster: roster.yaml\n",
                "counselors:\n  - id: kim\n    hours: \"09:00-18:00\"\n    max_calls_per_day: 5\n    leave: [2024/07/17]\n",
                "roster.yaml:5:"
            ),
            ("schedule:\n  slot_minutes: 20\n   buffer_minutes: 10\n", nil, "dolbom.yaml:3:"),
            ("group: no-such-group-dolbom\n", nil, "dolbom.yaml:1:1: group:"),
            ("schedule:\n  roster: staff/roster.yaml\n", nil, "dolbom.yaml:2:3: schedule.roster:"),
        ] as [(String, String?, String)])
    func mistakeExits78(_ c: (String, String?, String)) throws {
        let folder = TempFolder()
        let config = folder.write("dolbom.yaml", utf8: c.0)
        folder.write("roster.yaml", utf8: c.1 ?? ConfigurationTests.roster)
        let export = folder.write("a.csv", utf8: SyntheticExport.text(0..<3))
        let out = folder.url.appendingPathComponent("out").path
        // Started from another folder: relative paths in the file must not depend on it.
        let result = try DolbomProcess.run(
            ["run", "--config", config.path, "--as-of", "2024-07-15", "--out", out, export.path],
            in: FileManager.default.temporaryDirectory)
        #expect(result.status == 78, "stderr: \(result.stderr)")
        #expect(result.stderr.contains(c.2), "stderr: \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
