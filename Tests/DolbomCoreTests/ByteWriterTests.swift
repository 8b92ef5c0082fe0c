import CLibCSV
import Dispatch
import DolbomNormalize
import DolbomRuntime
import Foundation
import Testing

@testable import DolbomCore

/// The writers that store into a `ByteBuffer` through a pointer (`JSONBytes`, `SpreadsheetCSV`,
/// `OrderedChunks`) against the general paths they replace.
@Suite("Byte writers")
struct ByteWriterTests {
    /// Texts long enough for the eight-byte copy, with the byte to escape before, inside and after a word.
    static func texts(seed: UInt64, count: Int) -> [String] {
        let pieces = [
            "a", "김", "ab", "아산시 배방읍 ", "\"", "\\", "\n", "\t", "\u{1}", "\u{1F}", "\u{7F}", "/", "😀", " ", "é",
            "01234567", "=", "＝", "-",
        ]
        var generator = SplitMix(seed: seed)
        return (0..<count).map { _ in
            var text = ""
            for _ in 0..<Int(generator.next() % 24) { text += pieces[Int(generator.next() % UInt64(pieces.count))] }
            return text
        }
    }

    static let foundationJSON: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    @Test func jsonStringsAreWrittenAsFoundationWritesThem() {
        for text in Self.texts(seed: 7, count: 4000) {
            // Foundation's encoder is the reference the output contract names.
            let general = Array(try! Self.foundationJSON.encode(text))
            // Written after other bytes and into a small buffer, so room is made in the middle of strings.
            let buffer = ByteBuffer(capacity: 1)
            buffer.write(UInt8(ascii: "x"))
            var w = JSONBytes(into: buffer)
            w.string(text)
            #expect(Array(buffer.array.dropFirst()) == general, "\(text.debugDescription)")
            var inString = JSONStringText(buffer: ByteBuffer(capacity: 1))
            inString.text(text)
            #expect(
                [UInt8(ascii: "\"")] + inString.buffer.array + [UInt8(ascii: "\"")] == general,
                "\(text.debugDescription)")
        }
    }

    /// Care types and flags copied from their names made once read as the names escaped each time.
    @Test func careTypesAndFlagsAreWrittenAsTheirNames() {
        var generator = SplitMix(seed: 41)
        for _ in 0..<200 {
            let types = CareType.allCases.filter { _ in generator.next() % 2 == 0 }.shuffled(using: &generator)
            let flags = HouseholdFlag.allCases.filter { _ in generator.next() % 2 == 0 }.shuffled(using: &generator)
            var named = JSONBytes(into: ByteBuffer())
            named.careTypes(types)
            named.flags(flags)
            var escaped = JSONBytes(into: ByteBuffer())
            escaped.strings(types.map(\.rawValue))
            escaped.strings(flags.map(\.rawValue))
            #expect(named.out == escaped.out)
        }
    }

    @Test func csvCellsAreQuotedAsLibcsvQuotesThem() {
        for cell in Self.texts(seed: 11, count: 4000) {
            let text = SpreadsheetCSV.neutralize(cell)
            var quoted = [UInt8](repeating: 0, count: text.utf8.count * 2 + 2)
            let n = Array(text.utf8).withUnsafeBytes { src in
                quoted.withUnsafeMutableBytes { csv_write($0.baseAddress, $0.count, src.baseAddress, src.count) }
            }
            var csv = SpreadsheetCSV()
            csv.appendRow([cell])
            #expect(csv.bytes == [0xEF, 0xBB, 0xBF] + quoted[0..<n] + [0x0D, 0x0A], "\(cell.debugDescription)")
        }
    }

    @Test func numbersAndDatesAreSpelledAsStringsSpellThem() {
        var generator = SplitMix(seed: 3)
        var values = [0, 9, 10, -1, -9, -10, 99, 100, 1_000_000, Int.max, Int.min, Int.min + 1]
        for _ in 0..<2000 { values.append(Int(truncatingIfNeeded: generator.next()) >> Int(generator.next() % 64)) }
        for n in values {
            let buffer = ByteBuffer(capacity: 1)
            buffer.writeDecimal(n)
            #expect(String(decoding: buffer.array, as: UTF8.self) == String(n))
        }
        for _ in 0..<2000 {
            let year = Int(generator.next() % 9999) + 1
            let month = Int(generator.next() % 12) + 1
            let day = Int(generator.next() % 28) + 1
            let date = LocalDate(year: year, month: month, day: day)!
            let time = LocalDateTime(
                date: date, hour: Int(generator.next() % 24), minute: Int(generator.next() % 60),
                second: Int(generator.next() % 60))!
            var w = JSONBytes(into: ByteBuffer(capacity: 1))
            w.date(date)
            w.time(time)
            let general =
                Array(try! Self.foundationJSON.encode(date.iso)) + Array(try! Self.foundationJSON.encode(time.iso))
            #expect(w.out == general, "\(time)")
        }
    }

    /// Chunks rendered by several tasks at once, finishing out of order, make the file one task makes
    /// rendering every chunk in turn; the reused buffers start empty.
    @Test func orderedChunksWriteTheSameFileWhoeverRendersThem() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dolbom-chunks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let lines = Self.texts(seed: 13, count: 3000)
        let render: @Sendable (Range<Int>, ByteBuffer) -> Void = { range, out in
            // Uneven work, so that later chunks often finish first.
            if range.lowerBound % 3 == 0 { usleep(200) }
            for i in range {
                var w = JSONBytes(into: out)
                w.string(lines[i])
                out.write(0x0A)
            }
        }
        var expected: [UInt8] = []
        for line in lines {
            JSONLine.writeString(line, into: &expected)
            expected.append(0x0A)
        }
        for (name, helpers) in [("one", 1), ("four", 4)] {
            let path = folder.appendingPathComponent(name).path
            let chunks = OrderedChunks(
                file: try OutputFile(path: path, mode: 0o600), count: lines.count, chunkSize: 7, render: render)
            DispatchQueue.concurrentPerform(iterations: helpers) { _ in try? chunks.help() }
            #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == expected, "\(name)")
        }
    }

    /// A file past the staging block is written with O_DIRECT, its last block zero-padded and cut back:
    /// the file holds exactly the bytes given, whichever way they came (buffered, drained, written), for
    /// lengths on and off the alignment, and on a file system that refuses O_DIRECT too (through the page cache).
    @Test func bigFilesKeepTheirExactBytes() throws {
        var generator = SplitMix(seed: 29)
        let pool = (0..<OutputFile.blockSize * 2).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let folders = [FileManager.default.temporaryDirectory.path, "/dev/shm"].filter {
            FileManager.default.isWritableFile(atPath: $0)
        }
        for base in folders {
            let folder = URL(fileURLWithPath: base).appendingPathComponent("dolbom-sink-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            // Whether this file system takes O_DIRECT at all, asked apart from OutputFile.
            let probe = open(folder.appendingPathComponent("probe").path, O_WRONLY | O_CREAT, 0o600)
            let takesDirect = SystemCalls.setDirectIO(probe, true)
            close(probe)
            for total in [
                OutputFile.stagingSize * 2, OutputFile.stagingSize * 2 + 12_345, OutputFile.stagingSize - 1,
                4096 * 3 + 1, 0,
            ] {
                var expected: [UInt8] = []
                let path = folder.appendingPathComponent("out-\(total)").path
                let sink = try OutputFile(path: path, mode: 0o600)
                let pieces = ByteBuffer(capacity: 1)
                while expected.count < total {
                    let length = min(
                        total - expected.count, Int(generator.next() % UInt64(OutputFile.blockSize * 3 / 2)) + 1)
                    let start = Int(generator.next() % UInt64(pool.count - length))
                    let bytes = Array(pool[start..<start + length])
                    expected += bytes
                    // Bytes left in `pieces` by `drain` are taken before any other way of writing.
                    switch generator.next() % 3 {
                    case 0:
                        try sink.take(pieces)
                        sink.buffer += bytes
                        try sink.flushIfFull()
                    case 1:
                        pieces.write(bytes)
                        try sink.drain(pieces)
                    default:
                        try sink.take(pieces)
                        try bytes.withUnsafeBufferPointer { try sink.write($0) }
                    }
                }
                try sink.take(pieces)
                try sink.close()
                let written = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
                #expect(written.count == expected.count, "\(base) \(total)")
                #expect(written == expected, "\(base) \(total)")
                #expect(sink.direct == (takesDirect && total >= OutputFile.stagingSize), "\(base) \(total)")
            }
        }
    }

    /// A file system may take O_DIRECT and then refuse a write (EINVAL) or write part of a block: the file
    /// goes on through the page cache from there, and still holds exactly the bytes given.
    @Test func aRefusedOrShortDirectWriteFallsBackToThePageCache() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dolbom-sink-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let probe = open(folder.appendingPathComponent("probe").path, O_WRONLY | O_CREAT, 0o600)
        let takesDirect = SystemCalls.setDirectIO(probe, true)
        close(probe)
        // nothing to fall back from here; bigFilesKeepTheirExactBytes covers this file system
        guard takesDirect else { return }
        var generator = SplitMix(seed: 31)
        let words = (0..<(OutputFile.stagingSize * 3 + 777) / 8 + 1).map { _ in generator.next() }
        let expected = Array(words.withUnsafeBytes { $0.prefix(OutputFile.stagingSize * 3 + 777) })
        for failure in ["refused", "short"] {
            let path = folder.appendingPathComponent(failure).path
            let sink = try OutputFile(path: path, mode: 0o600)
            var writes = 0
            let plain = sink.systemWrite
            sink.systemWrite = { fd, bytes, count in
                writes += 1
                // The second block: the first went out direct.
                guard writes == 2 else { return plain(fd, bytes, count) }
                if failure == "refused" {
                    errno = EINVAL
                    return -1
                }
                return plain(fd, bytes, 1000)
            }
            try expected.withUnsafeBufferPointer { try sink.write($0) }
            #expect(!sink.direct, "\(failure)")
            try sink.close()
            #expect(writes > 2, "\(failure)")
            #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == expected, "\(failure)")
        }
    }
}

@Suite("Call list entries")
struct CallListEntryTests {
    /// The reason as it was built before it was written into one string: piece by piece.
    static func reference(_ planner: CallListPlanner, _ household: Household, attempts: Int) -> (
        score: Int, reason: String
    ) {
        var score = 0
        var reason = ""
        func add(_ part: String) {
            if !reason.isEmpty { reason += ", " }
            reason += part
        }
        var weighted = false
        for flag in household.flags {
            let points = planner.flagWeights[flag] ?? 0
            guard points > 0 else { continue }
            score += points
            reason += weighted ? "·" : ""
            reason += flag.rawValue
            weighted = true
        }
        if weighted { reason += " 가구" }
        var youngest: Int?
        for child in household.children {
            if let age = child.age, youngest.map({ age < $0 }) ?? true { youngest = age }
        }
        if let youngest, youngest < planner.youngChildAge, planner.youngChildPoints > 0 {
            score += planner.youngChildPoints
            add("막내 만 \(youngest)세")
        }
        if let first = household.firstSubmittedAt?.date {
            let days = max(0, planner.asOf.daysSinceEpoch - first.daysSinceEpoch)
            score += days * planner.pointsPerWaitingDay
            add("\(days)일 대기")
        } else {
            add("신청일 모름")
        }
        if attempts > 0 {
            score += attempts * planner.pointsPerFailedAttempt
            add("부재 \(attempts)회")
        }
        return (score, reason)
    }

    @Test func reasonsAndScoresAreThoseOfThePieceByPieceReason() {
        var generator = SplitMix(seed: 17)
        func pick(_ n: Int) -> Int { Int(generator.next() % UInt64(n)) }
        let asOf = LocalDate(iso: "2024-07-15")!
        var planners = [CallListPlanner(asOf: asOf)]
        var custom = CallListPlanner(asOf: asOf)
        custom.flagWeights[.맞벌이] = 0
        custom.flagWeights[.다문화] = -3
        custom.youngChildPoints = 0
        custom.pointsPerWaitingDay = 2
        planners.append(custom)
        for _ in 0..<3000 {
            let flags = HouseholdFlag.allCases.filter { _ in pick(3) == 0 }
            let children = (0..<pick(4)).map { _ in
                Household.Child(
                    name: nil, birthDate: nil, age: pick(4) == 0 ? nil : pick(15) - 1, schoolGrade: nil, ageText: nil,
                    sources: [])
            }
            let first =
                pick(5) == 0
                ? nil
                : LocalDateTime(
                    date: LocalDate(year: 2020 + pick(6), month: 1 + pick(12), day: 1 + pick(28))!, hour: 9, minute: 0)
            let h = Household(
                applicantID: "H-\(pick(1000))", guardianName: nil, phones: [], address: nil, children: children,
                careTypes: [],
                contactWindow: nil, flags: flags, memos: [], firstSubmittedAt: first, lastSubmittedAt: first,
                sources: [], extra: [], issues: [], mergeEvidence: [])
            let attempts = pick(3) == 0 ? pick(40) : 0
            for planner in planners {
                let entry = planner.entry(h, attempts: attempts)
                let expected = Self.reference(planner, h, attempts: attempts)
                #expect(entry.reason == expected.reason)
                #expect(entry.score == expected.score)
                #expect(entry.waitingDays == first.map { max(0, asOf.daysSinceEpoch - $0.date.daysSinceEpoch) })
            }
        }
    }
}

extension CallListEntryTests {
    /// The packed sort keys order entries as the comparison they replace: score descending, then the
    /// first submission ascending with households without one last; equal keys exactly when neither
    /// comes first (the applicant id decides).
    @Test func sortKeysOrderAsScoresAndFirstSubmissions() {
        var generator = SplitMix(seed: 29)
        func pick(_ n: Int) -> Int { Int(generator.next() % UInt64(n)) }
        func sample() -> (score: Int, first: LocalDateTime?) {
            let scores = [0, 1, -1, 5, Int.max, Int.min, 1 << 40, -(1 << 40), pick(20) - 10]
            // Few dates, so that ties on the day leave the time of day to decide.
            let first =
                pick(4) == 0
                ? nil
                : LocalDateTime(
                    date: LocalDate(
                        year: [1, 2024, 2024, 9999][pick(4)], month: 1 + pick(2) * 11, day: 1 + pick(2) * 27)!,
                    hour: pick(24), minute: pick(60), second: pick(2) * 59)
            return (scores[pick(scores.count)], first)
        }
        func before(_ a: (score: Int, first: LocalDateTime?), _ b: (score: Int, first: LocalDateTime?)) -> Bool? {
            if a.score != b.score { return a.score > b.score }
            switch (a.first, b.first) {
            case (let x?, let y?) where x != y: return x < y
            case (_?, nil): return true
            case (nil, _?): return false
            default: return nil
            }
        }
        for _ in 0..<20000 {
            let a = sample()
            let b = pick(5) == 0 ? a : sample()
            let ka = CallListPlanner.sortKey(score: a.score, first: a.first)
            let kb = CallListPlanner.sortKey(score: b.score, first: b.first)
            let packed: Bool? = ka == kb ? nil : (ka.high, ka.low) < (kb.high, kb.low)
            #expect(packed == before(a, b), "\(a) \(b)")
        }
    }
}

@Suite("Household text without strings")
struct HouseholdTextSinkTests {
    /// Phone numbers and scores written in place read as `PhoneNumber` and `ScoreText` spell them.
    @Test func phonesAndScoresAreSpelledAsTheirStrings() {
        var generator = SplitMix(seed: 19)
        var numbers = [
            "01012345678", "0212345678", "021234567", "0505123456", "05051234567", "0411234567", "07012345678",
            "1234", "12345", "", "02", "0",
        ]
        for _ in 0..<500 {
            numbers.append(
                String((0..<Int(generator.next() % 14)).map { _ in Character(String(generator.next() % 10)) }))
        }
        for digits in numbers {
            let p = PhoneNumber(digits: digits, kind: .mobile)
            for masked in [false, true] {
                var sink = StringSink()
                sink.phone(p, masked: masked)
                #expect(sink.string == (masked ? p.masked : p.formatted), "\(digits)")
            }
        }
        for _ in 0..<500 {
            let date = LocalDate(
                year: Int(generator.next() % 9999) + 1, month: Int(generator.next() % 12) + 1,
                day: Int(generator.next() % 28) + 1)!
            var sink = StringSink()
            sink.isoDate(date)
            #expect(sink.string == date.iso)
        }
        var scores: [Double] = [0, -0.0, 15.5, -2.25, 1e20, .nan, .infinity, 0.05, 99.95, 123.4]
        for _ in 0..<2000 {
            scores.append(
                Double(Int(generator.next() % 4000) - 2000) / Double([1, 2, 4, 10, 3][Int(generator.next() % 5)]))
        }
        for score in scores {
            var sink = StringSink()
            sink.oneDecimal(score)
            #expect(sink.string == ScoreText.oneDecimal(score), "\(score)")
        }
    }

    /// The call list's window cell, written in place, reads as `HouseholdText.window` (the string the
    /// schedule and the call sheets show), also when the family's words equal the structured text
    /// byte for byte, or only canonically (decomposed Hangul).
    @Test func windowCellsReadAsTheWindowText() {
        var generator = SplitMix(seed: 23)
        func pick(_ n: Int) -> Int { Int(generator.next() % UInt64(n)) }
        let days: [ContactWindow.Days] = [.any, .weekdays, .weekend]
        for _ in 0..<3000 {
            let ranges = (0..<pick(3)).map { _ in MinuteRange(start: pick(1500), end: pick(1500)) }
            var w = ContactWindow(days: days[pick(3)], ranges: ranges, anytime: pick(4) == 0, text: "")
            let structured = ContactWindowText.korean(w)
            w.text =
                [
                    structured, "", "오후 2시~5시", "say \"hi\"", structured.decomposedStringWithCanonicalMapping,
                    "=1", structured + " ", "평일 언제든",
                ][pick(8)]
            let h = Household(
                applicantID: "H-1", guardianName: nil, phones: [], address: nil, children: [], careTypes: [],
                contactWindow: w, flags: [], memos: [], firstSubmittedAt: nil, lastSubmittedAt: nil,
                sources: [], extra: [], issues: [], mergeEvidence: [])
            var expected = SpreadsheetCSV()
            expected.cell(HouseholdText.window(h))
            var inPlace = SpreadsheetCSV()
            inPlace.cell { $0.window(w) }
            #expect(inPlace.bytes == expected.bytes, "\(w)")
        }
    }
}

@Suite("Reject files")
struct RejectFileTests {
    static func rejects() -> [Reject] {
        let texts = ByteWriterTests.texts(seed: 31, count: 600)
        var generator = SplitMix(seed: 37)
        func pick(_ n: Int) -> Int { Int(generator.next() % UInt64(n)) }
        return (0..<200).map { i in
            let cells = (0..<pick(5)).map { _ in
                ExtraCell(column: texts[pick(texts.count)], value: pick(3) == 0 ? "" : texts[pick(texts.count)])
            }
            return Reject(
                file: texts[pick(texts.count)], row: pick(100_000) - 10, reason: texts[pick(texts.count)],
                message: texts[pick(texts.count)],
                column: pick(2) == 0 ? nil : texts[pick(texts.count)],
                value: pick(2) == 0 ? nil : texts[pick(texts.count)], cells: cells)
        }
    }

    /// rejects.jsonl lines written directly read as the `JSONLine` tree (keys sorted) writes them.
    @Test func rejectLinesAreThoseOfTheJSONTree() {
        for r in Self.rejects() {
            var tree: [UInt8] = []
            ApplicantJSON.reject(r).write(into: &tree)
            let direct = ByteBuffer(capacity: 1)
            ApplicantJSON.writeReject(r, into: direct)
            #expect(direct.array == tree, "\(r)")
        }
    }

    /// rejects.csv rows written cell by cell read as the rows of joined strings they replace.
    @Test func rejectRowsAreThoseOfJoinedStrings() throws {
        let rejects = Self.rejects()
        var expected = SpreadsheetCSV()
        expected.appendRow(["파일", "행", "사유 코드", "고칠 내용", "열", "값", "원본 내용"])
        for r in rejects {
            let raw = r.cells.filter { !$0.value.isEmpty }.map { "\($0.column): \($0.value)" }.joined(separator: " | ")
            expected.appendRow([r.file, String(r.row), r.reason, r.message, r.column ?? "", r.value ?? "", raw])
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "dolbom-rejects-\(UUID().uuidString).csv"
        ).path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try OutputWriter(asOf: LocalDate(iso: "2024-07-15")!).writeRejectsCSV(
            rejects, to: try OutputFile(path: path, mode: 0o600))
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == expected.bytes)
    }
}
