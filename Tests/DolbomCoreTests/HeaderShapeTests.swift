import DolbomNormalize
import Foundation
import Testing

@testable import DolbomCore

/// What can sit above, around and inside an export's header, and that every data row still ends in exactly
/// one applicant or one reject, with the row-accounting line telling the truth (issue 22, part 2).
@Suite("Header shapes: preambles, broken quotes, blank lines, repeated headers")
struct HeaderShapeTests {
    let header = "타임스탬프,보호자 성명,보호자 연락처(휴대전화),거주지 주소,자녀 이름\n"
    func row(_ i: Int) -> String {
        "2024-07-0\(1 + i % 9) 10:00,김민\(i),010-1234-\(String(format: "%04d", 1000 + i)),충남 아산시 배방읍 배방로 \(i + 1),하은\(i)\n"
    }
    func rows(_ n: Int) -> String { (0..<n).map(row).joined() }

    /// A dry run over one file: the result and the diagnostics.
    func run(_ file: URL, configuration: DolbomConfiguration = DolbomConfiguration()) throws -> (
        RunResult, [Diagnostic]
    ) {
        let collector = DiagnosticsCollector()
        var options = RunOptions(
            inputs: [file.path], output: file.deletingLastPathComponent().appendingPathComponent("out").path,
            asOf: LocalDate(iso: "2024-07-15")!, configuration: configuration, dryRun: true)
        options.recordHistory = false
        let result = try DolbomRun(options: options).run(diagnostics: collector)
        return (result, collector.all)
    }

    /// The line the probe found: one submission under a note with a stray quote was counted as two rows, both
    /// "accepted", one of them in no applicant and no reject.
    @Test func aNoteWithAStrayQuoteAboveTheHeaderIsNoDataRow() throws {
        let folder = TempFolder()
        let file = folder.write("probe.csv", utf8: "내보내기 안내: \"응답\" 시트에서 받음\n" + header + row(0))
        let read = ReadResult(file)
        #expect(read.report.headerRow == 2)
        #expect(read.report.dataRows == 1)
        #expect(read.records.map(\.row) == [3])
        #expect(read.unreadable.isEmpty)
        let (result, diagnostics) = try run(file)
        #expect(result.summary.counts.dataRows == 1)
        #expect(result.households.count == 1 && result.rejects.isEmpty)
        #expect(result.summary.invariant == "ok: 1 rows = 1 accepted + 0 rejects; 1 households")
        #expect(result.outcome == .ok)  // a note above the header is not an unreadable input
        let warning = diagnostics.first { $0.code == "header_preamble_skipped" }
        #expect(warning?.severity == .warning && warning?.file == "probe.csv" && warning?.row == 1)
        #expect(warning?.message.contains("1행") == true)
    }

    /// The probe's second shape: two such notes above a real export (the sample Google form), which counted
    /// two rows more than it read.
    @Test func twoNotesAboveARealExportCountOnlyItsRows() throws {
        let folder = TempFolder()
        let sample = try Data(
            contentsOf: packageRoot.appendingPathComponent("samples/exports/asan_google_form_2024-07.csv"))
        let plain = folder.write("plain.csv", [UInt8](sample))
        let noted = folder.write(
            "noted.csv", Array("※ \"개인정보\" 취급 주의\n출력: 2024-07-15 \"관리자\"\n".utf8) + [UInt8](sample))
        let (before, _) = try run(plain)
        let (after, diagnostics) = try run(noted)
        #expect(after.summary.counts.dataRows == before.summary.counts.dataRows)
        #expect(after.summary.counts.submissions == before.summary.counts.submissions)
        #expect(after.rejects.count == before.rejects.count)
        #expect(after.households.count == before.households.count)
        #expect(after.summary.invariant == before.summary.invariant)
        #expect(
            diagnostics.filter { $0.code == "header_preamble_skipped" }.map(\.message).first?.contains("1-2행") == true)
    }

    /// Every shape of preamble put above each sample export (in the sample's own encoding, after its
    /// byte-order mark) leaves its rows as they were: the same counts, the same rejects two rows further
    /// down, the same applicants.
    @Test(arguments: [
        ("title", "2024년 7월 돌봄 신청 현황,,,\n", 1),
        ("stray quote note", "내보내기: \"응답\" 시트 (2024-07-15)\n", 1),
        ("two stray quote notes", "※ \"개인정보\" 주의\n출력자 \"관리자\"\n", 2),
        ("unbalanced quote", "\"2024년 신청 현황 (7월분\n", 1),
        ("blank lines", "\n\n", 2),
        ("blank lines, CRLF", "\r\n\r\n", 2),
        ("title, blank line, unbalanced note, empty cells", "돌봄 신청\n\n\"안내: 주소는 도로명으로\n,,,\n", 4),
        ("quoted multi-line note, closed", "\"안내\n- 연락처 확인\",,\n", 2),
    ])
    func preambleShapesLeaveEverySampleAsItWas(shape: String, preamble: String, lines: Int) throws {
        for name in ["asan_google_form_2024-07.csv", "asan_city_form_excel.csv", "dreamstart_family_form.csv"] {
            let configuration = try DolbomConfiguration.load(
                from: packageRoot.appendingPathComponent("samples/dolbom.yaml"))
            var bytes = [UInt8](try Data(contentsOf: packageRoot.appendingPathComponent("samples/exports/\(name)")))
            let bom = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            let utf8 = String(validating: bytes[bom...], as: UTF8.self) != nil
            let encoded = utf8 ? Array(preamble.utf8) : [UInt8](preamble.data(using: SourceEncoding.dosKorean)!)
            bytes.insert(contentsOf: encoded, at: bom)
            let plainFolder = TempFolder()
            let shapedFolder = TempFolder()
            let plain = plainFolder.write(
                name, [UInt8](try Data(contentsOf: packageRoot.appendingPathComponent("samples/exports/\(name)"))))
            let shaped = shapedFolder.write(name, bytes)
            let (before, _) = try run(plain, configuration: configuration)
            let (after, diagnostics) = try run(shaped, configuration: configuration)
            let label = "\(shape) above \(name)"
            #expect(after.summary.inputs[0].headerRow == 1 + lines, "\(label)")
            #expect(after.summary.counts.dataRows == before.summary.counts.dataRows, "\(label)")
            #expect(after.summary.counts.submissions == before.summary.counts.submissions, "\(label)")
            #expect(after.households.count == before.households.count, "\(label)")
            #expect(after.summary.invariant == before.summary.invariant, "\(label)")
            #expect(
                after.rejects.map { "\($0.reason)@\($0.row - lines)" }
                    == before.rejects.map { "\($0.reason)@\($0.row)" }, "\(label)")
            #expect(after.outcome == before.outcome, "\(label)")
            #expect(
                !diagnostics.contains { $0.code == "csv_malformed_row" || $0.code == "csv_unterminated_quote" },
                "\(label)")
        }
    }

    /// A quote opened in a title and never closed swallows, read as CSV, the header and every row to the end
    /// of the file (an Excel export has no other quote to close it): the whole file was one broken row.
    @Test func anUnclosedQuoteInATitleDoesNotSwallowTheFile() throws {
        let folder = TempFolder()
        let file = folder.write("swallow.csv", utf8: "\"7월 신청 현황 (미완\n" + header + rows(3))
        let read = ReadResult(file)
        #expect(read.report.headerRow == 2 && read.report.preambleRows == 1)
        #expect(read.records.map(\.row) == [3, 4, 5])
        #expect(read.unreadable.isEmpty && read.report.error == nil)
        let (result, _) = try run(file)
        #expect(result.summary.counts.dataRows == 3)
        #expect(result.households.count == 3)
        #expect(result.summary.invariant == "ok: 3 rows = 3 accepted + 0 rejects; 3 households")
    }

    /// The same quote closed by the first quoted cell below: read as CSV, the header and the rows above that
    /// cell were one broken row and the rest had no header.
    @Test func anUnbalancedQuoteClosedFurtherDownDoesNotEatTheHeader() throws {
        let folder = TempFolder()
        let file = folder.write(
            "closed.csv",
            utf8: "\"7월 신청 현황 (미완\n" + header + row(0) + row(1)
                + "2024-07-03 10:00,이서연,010-2222-3333,\"충남 아산시 배방읍, 101동\",도윤\n" + row(2))
        let read = ReadResult(file)
        #expect(read.report.headerRow == 2)
        #expect(read.records.map(\.row) == [3, 4, 5, 6])
        #expect(read.records.dropFirst(2).first?.cells[3] == "충남 아산시 배방읍, 101동")
        let (result, _) = try run(file)
        #expect(result.summary.counts.dataRows == 4 && result.households.count == 4 && result.rejects.isEmpty)
    }

    /// The delimiter is sniffed from the first line: a title there (no tabs, or a comma) hid a tab- or
    /// semicolon-separated header.
    @Test(arguments: ["\t", ";"])
    func aTitleAboveATabOrSemicolonHeaderHidesNeither(delimiter: String) throws {
        let folder = TempFolder()
        let lines = [header, row(0), row(1)].map { $0.replacingOccurrences(of: ",", with: delimiter) }
        let file = folder.write("t.csv", utf8: "2024년 7월, 돌봄 신청 현황\n" + lines.joined())
        let read = ReadResult(file)
        #expect(read.report.delimiter == (delimiter == "\t" ? "tab" : ";"))
        #expect(read.report.headerRow == 2 && read.report.preambleRows == 1)
        #expect(read.records.map { $0.cells[1] } == ["김민0", "김민1"])
    }

    @Test func blankLinesAboveTheHeaderAreBlankLinesNotRows() throws {
        let folder = TempFolder()
        let file = folder.write("blank.csv", utf8: "\n\r\n\n" + header + rows(2))
        let read = ReadResult(file)
        #expect(read.report.headerRow == 4)
        #expect(read.report.blankLines == 3)
        #expect(read.report.preambleRows == 0)
        #expect(read.report.dataRows == 2)
        #expect(read.records.map(\.row) == [5, 6])
        #expect(!read.diagnostics.contains { $0.code == "header_preamble_skipped" })
    }

    /// Two exports pasted into one file: the second header is no submission. It is a reject of its own
    /// (`header_repeated`), with a warning naming its row; the rows under it are read as usual.
    @Test func aRepeatedHeaderInsideAFileIsRejectedAsSuch() throws {
        let folder = TempFolder()
        let file = folder.write("pasted.csv", utf8: header + rows(2) + header + (2..<4).map(row).joined())
        let read = ReadResult(file)
        #expect(read.records.map(\.row) == [2, 3, 5, 6])
        #expect(read.unreadable.map { "\($0.1)@\($0.0.row)" } == ["header_repeated@4"])
        #expect(read.report.dataRows == 5)
        let (result, diagnostics) = try run(file)
        #expect(result.households.count == 4)
        #expect(result.rejects.map { "\($0.reason)@\($0.row)" } == ["header_repeated@4"])
        #expect(result.summary.invariant == "ok: 5 rows = 4 accepted + 1 rejects; 4 households")
        #expect(
            diagnostics.contains {
                $0.code == "header_repeated" && $0.severity == .warning && $0.file == "pasted.csv" && $0.row == 4
            })
        // Read encoded (as the run does) and decoded, and with spaces added after the header's commas.
        #expect(ReadResult(file, decodeLater: true).unreadable.map(\.0.row) == [4])
        let spaced = folder.write(
            "spaced.csv", utf8: header + row(0) + header.replacingOccurrences(of: ",", with: ", ") + row(1))
        #expect(ReadResult(spaced).unreadable.map { "\($0.1)@\($0.0.row)" } == ["header_repeated@3"])
    }

    /// A quoted header (Google Forms) repeated: the same bytes again.
    @Test func aRepeatedQuotedHeaderIsRejectedAsSuch() throws {
        let folder = TempFolder()
        let file = folder.write("forms.csv", utf8: SyntheticExport.text(0..<2) + SyntheticExport.text(2..<4))
        let (result, _) = try run(file)
        #expect(result.rejects.map { "\($0.reason)@\($0.row)" } == ["header_repeated@4"])
        #expect(result.summary.counts.dataRows == 5)
        #expect(result.summary.counts.submissions == 4)
    }

    /// No header anywhere and a broken first line: the broken line is no data row, every row under the
    /// first readable one is rejected, and the count says so.
    @Test func aBrokenFirstLineAboveAnUnknownHeaderIsNoDataRow() throws {
        let folder = TempFolder()
        let file = folder.write("unknown.csv", utf8: "a\"b,c\n1,2\n3,4\n")
        let read = ReadResult(file)
        #expect(read.report.dataRows == 1)
        #expect(read.unreadable.map(\.1) == ["file_header_unrecognized"])
        let (result, _) = try run(file)
        #expect(result.summary.counts.dataRows == result.rejects.count)
        #expect(result.summary.invariant == "ok: 1 rows = 0 accepted + 1 rejects; 0 households")
    }

    /// A title above the header, read in chunks of every size: the same rows, cells and diagnostics (the
    /// line-by-line search reads the file itself; the stream starts at the header's line).
    @Test func aPreambleReadsTheSameWhateverTheChunkSize() {
        let folder = TempFolder()
        for (name, text) in [
            ("a.csv", "\"제목 (미완\n\n" + header + rows(3)),
            ("b.csv", "\u{FEFF}제목 \"x\"\r\n" + header + rows(2) + header + rows(1)),
        ] {
            let file = folder.write(name, utf8: text)
            let whole = ReadResult(file)
            #expect(!whole.records.isEmpty)
            for size in [1, 2, 3, 5, 16, 64] {
                let chunked = ReadResult(file, chunkSize: size)
                #expect(
                    chunked.records == whole.records && chunked.unreadable.map(\.0) == whole.unreadable.map(\.0)
                        && chunked.diagnostics == whole.diagnostics && chunked.report == whole.report,
                    "\(name) in chunks of \(size)")
            }
        }
    }
}
