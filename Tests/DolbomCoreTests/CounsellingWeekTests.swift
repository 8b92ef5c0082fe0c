import Foundation
import GRDB
import Testing

@testable import DolbomCore

/// A counselling week as a city team lives it, through the built binary: the first night's run with the sample
/// roster and a state file; counselors fill in `call-results.csv` the way people do (`7월 18일`, a memo, a
/// 부재중, a 통화완료) and import it; the next morning's run (with the day's new exports) keeps the promised days
/// and carries the history onto the sheets; importing the same sheet again changes nothing.
@Suite("A counselling week", .serialized)
struct CounsellingWeekTests {
    let config = packageRoot.appendingPathComponent("samples/dolbom.yaml").path
    let exports = packageRoot.appendingPathComponent("samples/exports")

    /// Cells of one line of a file dolbom wrote (every cell quoted, no quotes inside the cells read here).
    static func cells(_ line: String) -> [String] {
        let line = line.hasPrefix("\u{FEFF}") ? String(line.dropFirst()) : line
        guard line.count >= 2 else { return [] }
        return String(line.dropFirst().dropLast()).components(separatedBy: "\",\"")
    }

    static func text(_ path: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
    }

    /// The tables an import changes, as text.
    static func stateDump(_ path: String) throws -> String {
        let queue = try DatabaseQueue(path: path)
        return try queue.read { db in
            try ["household", "call_outcome", "appointment", "appointment_change", "submission"].map { table in
                try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1, 2").map(\.description).joined(
                    separator: "\n")
            }.joined(separator: "\n--\n")
        }
    }

    @Test func promisesHistoryAndReimport() throws {
        let folder = TempFolder()
        let state = folder.url.appendingPathComponent("state.db").path
        let day1 = folder.url.appendingPathComponent("day1").path
        // Monday night: the first export only.
        let first = try DolbomProcess.run([
            "run", "-q", "--config", config, "--state", state, "--as-of", "2024-07-15", "--out", day1,
            exports.appendingPathComponent("dreamstart_family_form.csv").path,
        ])
        #expect(first.status == 0, "\(first.stderr)")

        // The counselors' day: three calls on the sheet, written as people write.
        var lines = try Self.text(day1 + "/call-results.csv").components(separatedBy: "\r\n")
        #expect(Self.cells(lines[0]).prefix(6) == ["신청번호", "상담원", "통화일시", "결과", "메모", "재통화일"])
        // Monday's calls of the families ranked lowest: a promise must not depend on being first in line anyway.
        var rank: [String: Int] = [:]
        for row in try Self.text(day1 + "/schedule.csv").components(separatedBy: "\r\n").map(Self.cells)
        where row.count > 7 {
            rank[row[7]] = Int(row[6])
        }
        let todays = lines.indices.dropFirst()
            .filter { Self.cells(lines[$0]).count > 3 && Self.cells(lines[$0])[2].hasPrefix("2024-07-15") }
            .sorted { rank[Self.cells(lines[$0])[0]] ?? 0 > rank[Self.cells(lines[$1])[0]] ?? 0 }
        #expect(todays.count >= 3)
        let (callbackLine, noAnswerLine, doneLine) = (todays[0], todays[1], todays[2])
        let callbackID = Self.cells(lines[callbackLine])[0]
        let noAnswerID = Self.cells(lines[noAnswerLine])[0]
        let doneID = Self.cells(lines[doneLine])[0]
        func fill(_ k: Int, result: String, memo: String, callback: String) {
            var c = Self.cells(lines[k])
            (c[3], c[4], c[5]) = (result, memo.replacingOccurrences(of: "\"", with: "\"\""), callback)
            lines[k] = "\"" + c.joined(separator: "\",\"") + "\""
        }
        fill(callbackLine, result: "재통화요청", memo: "퇴근 후 다시 전화", callback: "7월 18일")
        fill(noAnswerLine, result: "부재중", memo: "=HYPERLINK(\"http://x\") 문자 남김", callback: "")
        fill(doneLine, result: "통화완료", memo: "<센터 안내함>", callback: "")
        let sheet = folder.write("call-results.csv", utf8: lines.joined(separator: "\r\n"))

        let imported = try DolbomProcess.run([
            "outcomes", "import", "--config", config, "--state", state, "--as-of", "2024-07-15", sheet.path,
        ])
        #expect(imported.status == 0, "\(imported.stdout)\n\(imported.stderr)")
        // Every line is reported: the three read (with the day the callback was read as), the rest skipped.
        #expect(imported.stdout.contains("call-results.csv:\(callbackLine + 1): 반영: \(callbackID) 재통화요청"))
        #expect(imported.stdout.contains("재통화일 2024-07-18"))
        #expect(imported.stdout.contains("연도가 없어"))
        #expect(imported.stdout.contains("call-results.csv:\(noAnswerLine + 1): 반영: \(noAnswerID) 부재중"))
        #expect(imported.stdout.contains("call-results.csv:\(doneLine + 1): 반영: \(doneID) 통화완료"))
        #expect(imported.stdout.components(separatedBy: ": 건너뜀: ").count - 1 == lines.filter { !$0.isEmpty }.count - 4)
        // Memos are the counselors' words: not in the report cron mails.
        #expect(!imported.stdout.contains("퇴근 후") && !imported.stderr.contains("퇴근 후"))

        // Importing the same sheet again changes nothing and is no failure.
        let before = try Self.stateDump(state)
        let again = try DolbomProcess.run([
            "outcomes", "import", "--config", config, "--state", state, "--as-of", "2024-07-15", sheet.path,
        ])
        #expect(again.status == 0, "\(again.stdout)\n\(again.stderr)")
        #expect(again.stdout.contains("이미 반영됨: \(callbackID) 재통화요청"))
        #expect(again.stdout.contains("통화 결과 0건 반영"))
        #expect(try Self.stateDump(state) == before)

        // Tuesday night: the other exports came in, with families ranked above the callback's.
        let day2 = folder.url.appendingPathComponent("day2").path
        let second = try DolbomProcess.run([
            "run", "--config", config, "--state", state, "--as-of", "2024-07-16", "--out", day2,
            exports.path,
        ])
        #expect(second.status == 0, "\(second.stderr)")
        let schedule = try Self.text(day2 + "/schedule.csv").components(separatedBy: "\r\n").map(Self.cells)
        let callbackRow = try #require(schedule.first { $0.count > 7 && $0[7] == callbackID })
        #expect(callbackRow[0] == "2024-07-18", "the callback asked for 7월 18일 is on \(callbackRow[0])")
        #expect(callbackRow.last == "07-18(목) 재통화 요청")
        let retryRow = try #require(schedule.first { $0.count > 7 && $0[7] == noAnswerID })
        #expect(retryRow[0] == "2024-07-17", "the retry due 07-17 is on \(retryRow[0])")
        #expect(!schedule.contains { $0.count > 7 && $0[7] == doneID })
        let summary =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: day2 + "/summary.json")))
            as! [String: Any]
        let plan = summary["schedule"] as! [String: Any]
        #expect(plan["promises_kept"] as? Int == 2 && plan["promises_missed"] as? Int == 0)
        #expect(second.stdout.contains("약속한 날(재통화 요청·부재중 재시도): 그날 잡음 2, 못 잡음 0"))
        // Families ranked above the callback's were booked after the 18th: without the promise going first, they
        // would have filled the day (as they did before), and the callback would have moved past it.
        let callbackRank = try #require(Int(callbackRow[6]))
        #expect(
            schedule.contains {
                $0.count > 15 && $0[0] > "2024-07-18" && (Int($0[6]) ?? .max) < callbackRank && $0[15] == "새 약속"
            })
        let counselorDay = plan["calls_per_counselor_day"] as! [String: [String: Int]]
        #expect(counselorDay.values.compactMap { $0["2024-07-18"] }.reduce(0, +) >= 30)

        // The call sheet of the 18th shows what happened before and the memo, escaped.
        let counselor = callbackRow[5]
        let callSheet = try Self.text(day2 + "/call-sheets/2024-07-18_\(counselor).html")
        let block = try #require(
            callSheet.components(separatedBy: "<section class=\"call\">").first { $0.contains(callbackID) })
        #expect(block.contains("퇴근 후 다시 전화"))
        #expect(block.contains("재통화요청 (재통화일 2024-07-18)"))
        #expect(block.contains("이번이 2번째 통화"))
        #expect(block.contains("07-18(목) 재통화 요청"))
        let retrySheet = try Self.text(day2 + "/call-sheets/2024-07-17_\(retryRow[5]).html")
        let retryBlock = try #require(
            retrySheet.components(separatedBy: "<section class=\"call\">").first { $0.contains(noAnswerID) })
        #expect(retryBlock.contains("=HYPERLINK(&quot;http://x&quot;) 문자 남김"))
        #expect(retryBlock.contains("부재중 1번"))

        // Thursday: both are due; call-list.csv carries the history in its last columns.
        let day4 = folder.url.appendingPathComponent("day4").path
        let fourth = try DolbomProcess.run([
            "run", "-q", "--config", config, "--state", state, "--as-of", "2024-07-18", "--out", day4, exports.path,
        ])
        #expect(fourth.status == 0, "\(fourth.stderr)")
        // (The samples configure facilities: their four columns come last; the history is before them.)
        let withFacilities = try Self.text(day4 + "/call-list.csv").components(separatedBy: "\r\n").map(Self.cells)
        #expect(Array(withFacilities[0].suffix(4)) == ["추천 기관 1", "추천 기관 2", "추천 기관 3", "추천 기관 id"])
        let callList = withFacilities.map { Array($0.dropLast(4)) }
        let header = callList[0]
        // The history columns, then the referral columns (안내 기관, 방문 예약, 방문 결과).
        let historyStart = try #require(header.firstIndex(of: "지난 통화 결과"))
        let historyColumns = historyStart..<(historyStart + 5)
        #expect(Array(header[historyColumns]) == ["지난 통화 결과", "지난 통화일", "지난 상담사", "통화 시도", "통화 메모"])
        let a = try #require(callList.first { $0.count > 1 && $0[1] == callbackID })
        #expect(
            Array(a[historyColumns]) == [
                "재통화요청 (재통화일 2024-07-18)", Self.cells(lines[callbackLine])[2],
                Self.name(counselorOf: lines[callbackLine]),
                "1", "07-15 퇴근 후 다시 전화",
            ])
        let b = try #require(callList.first { $0.count > 1 && $0[1] == noAnswerID })
        #expect(b[historyColumns].first == "부재중")
        #expect(b[historyColumns.upperBound - 2] == "1")
        #expect(b[historyColumns.upperBound - 1] == "07-15 =HYPERLINK(\"\"http://x\"\") 문자 남김")
        #expect(!callList.contains { $0.contains { $0.hasPrefix("=") } })
        #expect(!callList.contains { $0.count > 1 && $0[1] == doneID })

        // explain shows the calls with the memo.
        let explained = try DolbomProcess.run([
            "explain", "--config", config, "--state", state, "--as-of", "2024-07-18", callbackID, exports.path,
        ])
        #expect(explained.status == 0, "\(explained.stderr)")
        #expect(explained.stdout.contains("통화 기록: 1번"))
        #expect(explained.stdout.contains("재통화요청 (재통화일 2024-07-18) — 메모: 퇴근 후 다시 전화"))

        // Friday: a quiet night (the inbox is empty, nothing was imported on Thursday): the plan comes from the
        // state, the call history with it, the run is in the history, and cron sees exit 0.
        let inbox = folder.url.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let day5 = folder.url.appendingPathComponent("day5").path
        let quiet = try DolbomProcess.run([
            "run", "-q", "--config", config, "--state", state, "--as-of", "2024-07-19",
            "--out", day5, inbox.path,
        ])
        #expect(quiet.status == 0, "a quiet night: \(quiet.stderr)")
        let quietList = try Self.text(day5 + "/call-list.csv").components(separatedBy: "\r\n").map {
            Array(Self.cells($0).dropLast(4))
        }
        let still = try #require(quietList.first { $0.count > 1 && $0[1] == callbackID })
        #expect(still[historyColumns.upperBound - 1] == "07-15 퇴근 후 다시 전화")
        #expect(quietList.count - 1 >= callList.count - 1 - 2, "the families of the state are planned again")
        #expect(FileManager.default.fileExists(atPath: day5 + "/schedule.csv"))
        let history = try DolbomProcess.run(["history", "--config", config, "--state", state])
        #expect(history.status == 0 && history.stdout.contains("2024-07-19"), "\(history.stdout)")
    }

    /// The counselor's name on a call-results.csv line (its `약속` cell: `김하늘 07-15(월) 09:00`).
    static func name(counselorOf line: String) -> String {
        String(cells(line).last!.split(separator: " ")[0])  // the last cell, after the visit columns
    }
}
