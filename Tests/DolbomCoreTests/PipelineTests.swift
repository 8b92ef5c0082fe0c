import CLibCSV
import Crypto
import DolbomNormalize
import DolbomRuntime
import Foundation
import Testing

@testable import DolbomCore

@Suite("Pipeline invariants and writers")
struct PipelineTests {
    func household(_ id: String, _ sources: [SourceRef]) -> Household {
        Household(
            applicantID: id, guardianName: nil, phones: [], address: nil, children: [], careTypes: [],
            contactWindow: nil,
            flags: [], memos: [], firstSubmittedAt: nil, lastSubmittedAt: nil, sources: sources, extra: [], issues: [],
            mergeEvidence: [])
    }

    func reject(_ file: String, _ row: Int) -> Reject {
        Reject(file: file, row: row, reason: "empty_row", message: "", column: nil, value: nil, cells: [])
    }

    var run: DolbomRun {
        DolbomRun(options: RunOptions(inputs: [], output: "/tmp/dolbom-unused", asOf: LocalDate(iso: "2024-07-15")!))
    }

    @Test func invariantHoldsWhenEveryRowLandsOnce() throws {
        let a = SourceRef(file: "a.csv", row: 2)
        let b = SourceRef(file: "a.csv", row: 3)
        let c = SourceRef(file: "b.csv", row: 2)
        try run.checkInvariant(
            expected: [a, b, c], households: [household("H-1", [a, c])], rejects: [reject("a.csv", 3)])
    }

    @Test func invariantCatchesALostRow() {
        let a = SourceRef(file: "a.csv", row: 2)
        let b = SourceRef(file: "a.csv", row: 3)
        #expect(throws: RunError.invariantBroken("a.csv:3 is in no applicant and no reject")) {
            try run.checkInvariant(expected: [a, b], households: [household("H-1", [a])], rejects: [])
        }
    }

    @Test func invariantCatchesARowCountedTwice() {
        let a = SourceRef(file: "a.csv", row: 2)
        #expect(throws: RunError.invariantBroken("a.csv:2 landed 2 times")) {
            try run.checkInvariant(expected: [a], households: [household("H-1", [a])], rejects: [reject("a.csv", 2)])
        }
    }

    @Test func invariantCatchesARowNeverRead() {
        let a = SourceRef(file: "a.csv", row: 2)
        let stray = SourceRef(file: "a.csv", row: 9)
        #expect(throws: RunError.invariantBroken("a.csv:9 appeared in the outputs but was never read")) {
            try run.checkInvariant(expected: [a], households: [household("H-1", [a, stray])], rejects: [])
        }
        // Rows remembered from earlier runs may land without being read today.
        let remembered = SourceRef(file: "old.csv", row: 4, fromState: true)
        #expect(throws: Never.self) {
            try run.checkInvariant(
                expected: [a], households: [household("H-1", [a, remembered])], rejects: [], carried: [remembered])
        }
    }

    /// The check walks two sorted lists (radix-sorted past 4,096 rows); it must name the same row for the same
    /// fault as the plain rule: the first row read twice, the first lost row in reading order, the first row
    /// that landed more than once, the first row never read — on shuffled households over three files.
    @Test(arguments: 0..<12)
    func invariantNamesTheSameRowAsThePlainRule(seed: Int) {
        var rng = SplitMix(seed: UInt64(seed + 1))
        let files = ["a.csv", "b.csv", "c.csv"]
        var expected: [SourceRef] = []
        for file in files {
            for row in 2..<(2 + 2_000 + Int(rng.next() % 1_000)) { expected.append(SourceRef(file: file, row: row)) }
        }
        var landing = expected.shuffled(using: &rng)
        var carried: Set<SourceRef> = []
        switch seed % 6 {
        case 0: break
        case 1: landing.removeLast(1 + Int(rng.next() % 3))  // lost rows
        case 2: landing.append(landing[Int(rng.next() % UInt64(landing.count))])  // a row twice
        case 3: landing.append(SourceRef(file: "b.csv", row: 99_999))  // never read
        case 4:  // remembered rows, allowed, and one stray
            for row in 0..<50 {
                let s = SourceRef(file: "a.csv", row: 10_000 + row, fromState: true)
                carried.insert(s)
                landing.append(s)
            }
            landing.append(SourceRef(file: "a.csv", row: 20_000, fromState: true))
        default: expected.append(expected[Int(rng.next() % UInt64(expected.count))])  // read twice
        }
        let rejects = landing.suffix(300).map { reject($0.file, $0.row) }
        var households: [Household] = []
        var rest = landing.dropLast(300)[...]
        while !rest.isEmpty {
            let n = 1 + Int(rng.next() % 3)
            households.append(household("H-\(households.count)", Array(rest.prefix(n))))
            rest = rest.dropFirst(n)
        }
        func plainRule() -> RunError? {
            var ledger = RowLedger()
            for s in expected { ledger.record(s) }
            let keys = ledger.keys
            var counts: [UInt64: Int] = [:]
            for k in keys { counts[k, default: 0] += 1 }
            if let k = keys.sorted().first(where: { counts[$0]! > 1 }) {
                return .invariantBroken("\(ledger.source(k).label) was read twice")
            }
            var landed: [UInt64: Int] = [:]
            for h in households { for s in h.sources { landed[ledger.key(s), default: 0] += 1 } }
            for r in rejects { landed[ledger.key(r.source), default: 0] += 1 }
            if let k = keys.first(where: { landed[$0] == nil }) {
                return .invariantBroken("\(ledger.source(k).label) is in no applicant and no reject")
            }
            if let k = landed.keys.sorted().first(where: { landed[$0]! > 1 && counts[$0] != nil }) {
                return .invariantBroken("\(ledger.source(k).label) landed \(landed[k]!) times")
            }
            if let k = landed.keys.sorted().first(where: { counts[$0] == nil && !carried.contains(ledger.source($0)) })
            {
                return .invariantBroken("\(ledger.source(k).label) appeared in the outputs but was never read")
            }
            return nil
        }
        var thrown: RunError?
        do {
            try run.checkInvariant(expected: expected, households: households, rejects: rejects, carried: carried)
        } catch { thrown = error }
        #expect(thrown == plainRule())
        #expect((thrown == nil) == (seed % 6 == 0))
    }

    /// The reading thread's occurrence table must count exactly like a dictionary: same minute and number
    /// repeated, numbers too long for an integer, a table that grows from a small start, any seed.
    /// Sized for 10 (allocated and grown from `calloc`) and for 200,000 (a table of huge pages from fresh
    /// anonymous memory, whose zero bytes are its empty entries).
    @Test(arguments: [0, 1, 0xFFFF_FFFF_FFFF_FFFF] as [UInt64], [10, 200_000])
    func occurrencesAreCountedLikeADictionary(seed: UInt64, size: Int) {
        var rng = SplitMix(seed: seed &+ 7)
        let day = LocalDate(iso: "2024-07-01")!
        var counter = OccurrenceCounter(expected: size, seed: seed)
        var reference: [SubmissionFingerprint.OccurrenceKey: Int] = [:]
        var mismatches = 0
        for _ in 0..<20_000 {
            let time = LocalDateTime(
                date: day.adding(days: Int(rng.next() % 3)), hour: Int(rng.next() % 2), minute: Int(rng.next() % 60),
                second: Int(rng.next() % 2))!
            let phone =
                rng.next() % 9 == 0
                ? String(repeating: "1", count: 25) + String(rng.next() % 5) : "0101234\(rng.next() % 40)"
            let key = SubmissionFingerprint.OccurrenceKey(time: time, phone: phone)
            let expected = reference[key, default: 0]
            reference[key] = expected + 1
            if counter.next(key) != expected { mismatches += 1 }
        }
        #expect(mismatches == 0)
        #expect(reference.values.contains { $0 > 3 })
    }

    /// The counter is a value even though its entries live in memory of their own (huge pages): a copy
    /// counts on its own, also across a growth of the table (2,000 keys in a table sized for 10).
    @Test func aCopiedOccurrenceCounterCountsOnItsOwn() {
        let day = LocalDate(iso: "2024-07-01")!
        func key(_ i: Int) -> SubmissionFingerprint.OccurrenceKey {
            .init(
                time: LocalDateTime(date: day, hour: i / 60 % 24, minute: i % 60, second: 0)!,
                phone: "010123\(i % 2000)")
        }
        var original = OccurrenceCounter(expected: 10, seed: 3)
        #expect(original.next(key(1)) == 0)
        var copy = original
        #expect(copy.next(key(1)) == 1)
        for i in 2..<2_000 { #expect(copy.next(key(i)) == 0) }
        #expect(copy.next(key(1)) == 2)
        #expect(original.next(key(1)) == 1)
        #expect(original.next(key(1999)) == 0)
        var large = OccurrenceCounter(expected: 200_000, seed: 3)  // a mapped table, copied whole
        #expect(large.next(key(1)) == 0)
        var largeCopy = large
        #expect(largeCopy.next(key(1)) == 1)
        #expect(large.next(key(1)) == 1)
    }

    @Test(arguments: [
        ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
        ("+82 10", "'+82 10"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("＝1+1", "'＝1+1"),
        ("010-1234-5678", "010-1234-5678"),
        ("김민준", "김민준"),
        ("", ""),
    ])
    func formulaCellsAreNeutralized(cell: String, expected: String) {
        #expect(SpreadsheetCSV.neutralize(cell) == expected)
    }

    /// The content hash trims cells on their bytes; it must cut exactly what `trimmedWhitespace` cuts
    /// (every Unicode white-space scalar, at both ends, next to Hangul, Latin and nothing).
    @Test func contentHashTrimsLikeTrimmedWhitespace() {
        let spaces: [Unicode.Scalar] = [
            0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000, 0x2005, 0x200A,
            0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
        ].map { Unicode.Scalar($0)! }
        let notSpaces: [Unicode.Scalar] = [0x200B, 0x3001, 0x1681, 0x2010, 0xA1, 0x84, 0x2030].map {
            Unicode.Scalar($0)!
        }
        let bodies = ["", "김민준", "a", "아산시 번영로 224", "x\u{3000}y", "\u{00E9}"] + notSpaces.map { String($0) }
        var checked = 0
        for body in bodies {
            for lead in [nil] + spaces + notSpaces {
                for trail in [nil] + spaces + notSpaces {
                    let text = (lead.map { String($0) } ?? "") + body + (trail.map { String($0) } ?? "")
                    for padded in [text, " " + text + "\u{3000}\u{00A0}"] {
                        var bytes: [UInt8] = []
                        SubmissionFingerprint.appendTrimmed(padded, to: &bytes)
                        #expect(
                            bytes == Array(padded.trimmedWhitespace.utf8),
                            "\(padded.unicodeScalars.map { String($0.value, radix: 16) })")
                        checked += 1
                    }
                }
            }
        }
        #expect(checked > 5000)
    }

    /// The fingerprint's basis is written as bytes; it must hash the text it was once made as
    /// (`v1|time|<iso>|<digits>|<occurrence>`, `v1|content|<hash>`), or every stored submission would
    /// come back as new: ordinary rows, years `iso` spells another way, numbers long enough to spill
    /// the fixed buffer, and occurrences of every size.
    @Test func fingerprintBasisBytesAreTheTextItWasMadeAs() {
        var times: [LocalDateTime?] = [
            nil, LocalDateTime(date: LocalDate(year: 2024, month: 6, day: 20)!, hour: 0, minute: 0, second: 5),
            LocalDateTime(date: LocalDate(year: 1, month: 1, day: 1)!, hour: 23, minute: 59, second: 59),
            LocalDateTime(date: LocalDate(year: 9999, month: 12, day: 31)!, hour: 9, minute: 7),
        ]
        for days in [-800_000, 3_000_000] {
            times.append(LocalDateTime(date: LocalDate(daysSinceEpoch: days), hour: 1, minute: 2, second: 3))
        }
        let numbers = [
            "01012345678", "", "0212345678", String(repeating: "9", count: 230), String(repeating: "1", count: 400),
            "번호",
        ]
        let contents: [SubmissionIdentity.Code] = [
            .notHashed, SubmissionIdentity.Code(sha256: SHA256.hash(data: Array("x".utf8))),
            .text(String(repeating: "가", count: 120)),
        ]
        var checked = 0
        for time in times {
            for digits in numbers {
                let submission = Submission(
                    source: SourceRef(file: "f.csv", row: 2), submittedAt: time,
                    phones: PhoneList(primary: PhoneNumber(digits: digits, kind: .mobile)),
                    children: [], careTypes: [], flags: [], extra: [], issues: [])
                for content in contents {
                    for occurrence in [0, 1, 9, 10, 123_456, Int.max, -1, Int.min] {
                        let basis =
                            SubmissionFingerprint.occurrenceKey(submission).map { "v1|time|\($0)|\(occurrence)" }
                            ?? "v1|content|\(content.text)"
                        let expected = SubmissionIdentity.Code(sha256: SHA256.hash(data: Array(basis.utf8)))
                        let identity = SubmissionFingerprint.identity(
                            submission, contentHash: content, occurrence: occurrence)
                        #expect(identity.fingerprintCode == expected, "\(basis)")
                        #expect(identity.contentCode == content)
                        checked += 1
                    }
                }
            }
        }
        #expect(checked == times.count * numbers.count * contents.count * 8)
    }

    /// The memo's own hash table must give every text its own result: texts of one length, texts
    /// that share all but one byte, the empty text, long texts, through table growth and through
    /// emptying at the limit, with any seed (a seed of 0 included), and when every text of a length
    /// has the same hash.
    @Test(arguments: [(UInt64(0), false), (1, false), (0xDEAD_BEEF_F00D, false), (7, true)])
    func memoGivesEachTextItsOwnResult(seed: UInt64, lengthOnlyHash: Bool) {
        var texts = ["", " ", "가", "나", String(repeating: "아산시 번영로 ", count: 9)]
        for p in ["b", "c", "가", "\u{3000}"] { for q in ["d", "e", "나", "다", "0"] { texts.append("a\(p)m\(q)z") } }
        for n in 0..<300 { texts.append("충청남도 아산시 시민로 \(n)") }
        for limit in [8, 100, 4096] {
            var table = NormalizeMemo.Table<String>(limit: limit, seed: seed, lengthOnlyHash: lengthOnlyHash)
            var generator = SplitMix(seed: seed &+ UInt64(limit))
            var normalized = 0
            var drawn = Set<String>()
            for _ in 0..<4000 {
                let text = texts[Int(generator.next() % UInt64(texts.count))]
                drawn.insert(text)
                let result = table.value(text) {
                    normalized += 1
                    return .ok("<\($0)>")
                }
                #expect(result.value == "<\(text)>")
                #expect(table.count <= limit)
            }
            // Below the limit, each text is normalized once.
            if limit == 4096 { #expect(normalized == drawn.count) }
        }
    }

    /// Digests are read as four big-endian words, as the hex text spells them.
    @Test func digestWordsSpellTheHexOfTheDigest() {
        for text in ["", "a", "v1|time|2024-06-20T00:00:05+09:00|01012345678|0"] {
            let digest = SHA256.hash(data: Array(text.utf8))
            #expect(SubmissionIdentity.Code(sha256: digest).text == digest.hexString)
            #expect(SubmissionIdentity.Code(sha256: digest) == SubmissionIdentity.Code(digest: digest))
        }
    }

    /// A row is empty when every character of every cell is white space; the fast path looks at first scalars.
    @Test(arguments: [
        [""], ["", " ", "\u{3000}\t"], [" \u{301}"], ["\u{301}"], ["\r\n", "\u{00A0}"], ["a"], ["", " x"],
        [" ", "", "김"], ["\u{200B}"], [],
    ])
    func emptyRowsAreThoseWithOnlyWhiteSpace(cells: [String]) {
        let record = RawRecord(file: "f.csv", row: 2, cells: cells)
        #expect(record.isEmpty == cells.allSatisfy { $0.allSatisfy(\.isWhitespace) })
    }

    /// Test rows are recognized by a fold of the name cell: it must agree with full Unicode lower-casing.
    @Test(arguments: [
        "테스트", " 테 스 트 ", "TEST", "Test", "t e s t", "TESTER", "tester\u{3000}", "테스트입니다", "시험", "ㅌㅅㅌ",
        "테스트님", "testing", "", "  ", "김민준", "\u{212A}EST", "TEST\u{00A0}", "ＴＥＳＴ", "tést", "시 험", "test1",
    ])
    func testNamesAreFoldedLikeLowercasing(name: String) {
        let lowered = String(
            name.lowercased().unicodeScalars.filter { !$0.properties.isWhitespace }.map(Character.init))
        #expect(SubmissionBuilder.isTestName(name) == SubmissionBuilder.testNames.contains(lowered))
    }

    @Test func decimalDigitsAreWrittenAsStringSpellsThem() {
        var generator = SplitMix(seed: 3)
        var values = [0, 9, 10, -1, -10, 99, 100, 1_000_000, Int.max, Int.min]
        for _ in 0..<2000 { values.append(Int(truncatingIfNeeded: generator.next()) >> Int(generator.next() % 64)) }
        for n in values {
            let out = ByteBuffer(capacity: 1)
            out.writeDecimal(n)
            #expect(String(decoding: out.array, as: UTF8.self) == String(n))
        }
    }

    @Test func spreadsheetCSVQuotesEverythingWithBOMAndCRLF() {
        var csv = SpreadsheetCSV()
        csv.appendRow(["a,b", "say \"hi\"", "줄\n바꿈", "=1"])
        #expect(csv.bytes == [0xEF, 0xBB, 0xBF] + Array("\"a,b\",\"say \"\"hi\"\"\",\"줄\n바꿈\",\"'=1\"\r\n".utf8))
    }

    /// The CSV writer quotes by hand; the bytes must stay those of libcsv's `csv_write` after `neutralize`,
    /// also when a cell is written in pieces.
    @Test func spreadsheetCSVQuotesCellsAsLibcsvDoes() {
        let pieces = [
            "", "a", "\"", ",", "\n", "\r", "\t", "=", "+", "-", "@", "＝", "＋", "－", "＠", "'", "김", " ", "\"\"",
            "\u{1}",
        ]
        var seed: UInt64 = 12345
        func next(_ n: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(n))
        }
        for _ in 0..<3000 {
            let parts = (0..<next(5)).map { _ in pieces[next(pieces.count)] }
            let cell = parts.joined()
            var text = SpreadsheetCSV.neutralize(cell)
            var quoted = [UInt8](repeating: 0, count: text.utf8.count * 2 + 2)
            let n = text.withUTF8 { src in
                quoted.withUnsafeMutableBytes { csv_write($0.baseAddress, $0.count, src.baseAddress, src.count) }
            }
            let expected = [0xEF, 0xBB, 0xBF] + quoted[0..<n] + [0x0D, 0x0A]
            var whole = SpreadsheetCSV()
            whole.appendRow([cell])
            #expect(whole.bytes == expected, "\(cell.debugDescription)")
            var inPieces = SpreadsheetCSV()
            inPieces.cell { csv in for p in parts { csv.text(p) } }
            inPieces.endRow()
            #expect(inPieces.bytes == expected, "\(parts)")
        }
    }

    @Test func sameFileGivenTwiceIsReadOnce() throws {
        let folder = TempFolder()
        let file = folder.write("x.csv", utf8: "보호자 성명,연락처\n김민준,010-1234-5678\n")
        let set = try InputSet(paths: [file.path, folder.url.path, file.path])
        #expect(set.inputs.map(\.name) == ["x.csv"])
    }

    @Test func inputsWithTheSameBaseNameGetTheirFolder() throws {
        let folder = TempFolder()
        for day in ["0701", "0702"] {
            try FileManager.default.createDirectory(
                at: folder.url.appendingPathComponent(day), withIntermediateDirectories: true)
            folder.write("\(day)/responses.csv", utf8: "보호자 성명,연락처\n")
        }
        folder.write("~$lock.csv", utf8: "")
        folder.write("notes.pdf", utf8: "")
        let set = try InputSet(paths: [folder.url.path])
        #expect(set.inputs.map(\.name) == ["0701/responses.csv", "0702/responses.csv"])
    }

    @Test(arguments: [
        ("010-1234-5678", "010-****-5678"), ("01012345678", "010-****-5678"), ("123", "*23"), ("010-1234", "*****34"),
    ])
    func phonesAreMaskedForLogs(raw: String, masked: String) {
        #expect(Masking.phone(raw) == masked)
    }
}

@Suite("Configuration: the official 법정동코드 file")
struct LegalDongConfigurationTests {
    static let referenceFile = packageRoot.deletingLastPathComponent().appendingPathComponent(
        "shared/reference/법정동코드_전체자료.txt")

    @Test(.enabled(if: FileManager.default.fileExists(atPath: referenceFile.path), "needs ../shared/reference"))
    func legalDongFileCompletesAddresses() throws {
        let folder = TempFolder()
        var config = DolbomConfiguration()
        config.normalize = .init(legalDongCodes: Self.referenceFile.path)
        let options = RunOptions(
            inputs: [packageRoot.appendingPathComponent("samples/exports").path], output: folder.url.path,
            asOf: LocalDate(iso: "2024-07-15")!, configuration: config)
        let result = try DolbomRun(options: options).run(diagnostics: DiagnosticsCollector())
        let coded = result.households.filter { $0.address?.legalDongCode != nil }
        #expect(coded.count > result.households.count / 2)
        #expect(
            coded.allSatisfy {
                $0.address!.legalDongCode!.count == 10 && $0.address!.legalDongCode!.hasPrefix($0.address!.sigunguCode!)
            })
    }

    @Test func missingLegalDongFileIsAConfigurationError() {
        let folder = TempFolder()
        var config = DolbomConfiguration()
        config.normalize = .init(legalDongCodes: "/nonexistent/법정동코드.txt")
        let options = RunOptions(
            inputs: [packageRoot.appendingPathComponent("samples/exports").path], output: folder.url.path,
            asOf: LocalDate(iso: "2024-07-15")!, configuration: config)
        #expect(
            throws: RunError.legalDongCodes(path: "/nonexistent/법정동코드.txt", reason: "file not found or not readable")
        ) {
            _ = try DolbomRun(options: options).run(diagnostics: DiagnosticsCollector())
        }
    }
}

/// The Write stage starts while the run still plans and commits state, into a staged folder: a run that
/// fails after that must publish nothing and leave no staged folder behind.
@Suite("Staged outputs")
struct StagedOutputTests {
    @Test func aRunThatCannotPublishLeavesNothingBehind() throws {
        let folder = TempFolder()
        // The output path is taken by a file: every output fails to land there.
        let blocked = folder.write("out", utf8: "not a folder")
        let options = RunOptions(
            inputs: [packageRoot.appendingPathComponent("samples/exports").path], output: blocked.path,
            asOf: LocalDate(iso: "2024-07-15")!)
        #expect(throws: RunError.self) { _ = try DolbomRun(options: options).run(diagnostics: DiagnosticsCollector()) }
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter { $0.contains(".tmp-") }
        #expect(left.isEmpty, "staged folders left behind: \(left)")
        #expect(try String(contentsOf: blocked, encoding: .utf8) == "not a folder")
    }

    @Test func stagedFilesAppearOnlyWhenPublished() throws {
        let folder = TempFolder()
        let target = OutputTarget(folder: folder.url.appendingPathComponent("out"))
        let staged = try target.stage()
        let writer = OutputWriter(asOf: LocalDate(iso: "2024-07-15")!)
        let pending = try writer.start(
            into: staged.url, fileMode: staged.fileMode, households: [], statuses: [], rejects: [],
            resolution: HouseholdResolver().resolution([]))
        let names = try writer.finish(
            pending, into: staged.url, fileMode: staged.fileMode, callList: [],
            summary: RunSummary(
                asOf: "2024-07-15", inputs: [], counts: .init(), perFile: [],
                rejectsByReason: [:], issuesByCode: [:], encodings: [:],
                delta: RunDelta(), householdsByStatus: [:], callListSize: 0,
                invariant: "ok"))
        #expect(!FileManager.default.fileExists(atPath: target.folder.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: staged.url.path).sorted() == names)
        #expect(try target.publish(staged, names: names) == names)
        #expect(try FileManager.default.contentsOfDirectory(atPath: target.folder.path).sorted() == names)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["out"])
    }
}
