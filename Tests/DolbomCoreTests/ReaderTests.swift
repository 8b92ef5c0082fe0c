import DolbomNormalize
import Foundation
import Testing

@testable import DolbomCore

@Suite("Reader: bytes, encodings and libcsv")
struct ReaderTests {
    let header = "타임스탬프,보호자 성명,보호자 연락처(휴대전화),거주지 주소,자녀 이름\n"

    @Test func quotedCommasQuotesAndNewlinesStayInOneCell() {
        let folder = TempFolder()
        let file = folder.write(
            "a.csv",
            utf8: header
                + "\"2024/07/01 10:03:08 오후 GMT+9\",\"김민준\",\"010-1234-5678\",\"아산시 배미로 15, 101동 \"\"A\"\"\",\"하은\"\n"
                + "\"2024/07/02 9:00:00 오전 GMT+9\",\"이서연\",\"010-2222-3333\",\"첫 줄\n둘째 줄\",\"도윤\"\n"
                + "x,박지호,010-4444-5555,주소,시우\n")
        let result = ReadResult(file)
        #expect(result.records.count == 3)
        #expect(result.records[0].cells[3] == "아산시 배미로 15, 101동 \"A\"")
        #expect(result.records[1].cells[3] == "첫 줄\n둘째 줄")
        // Spreadsheet rows: header = 1; a record with a newline inside a cell is still one row.
        #expect(result.records.map(\.row) == [2, 3, 4])
        #expect(result.report.dataRows == 3)
        #expect(result.report.encoding == .utf8)
    }

    /// The probe checks UTF-8 eight bytes at a time and hashes on another thread: chunk boundaries
    /// anywhere (inside a multi-byte character, inside an ASCII run) give the same encoding and checksum.
    @Test func probeIsTheSameForEveryChunkSize() throws {
        let folder = TempFolder()
        let korean =
            header + "\"2024/07/01 10:03:08 오후 GMT+9\",김민준,010-1234-5678,\"아산시 배미로 15\",하은\n"
            + String(repeating: "abcdefgh,", count: 40) + "끝\n"
        let files = [
            folder.write("u.csv", utf8: korean), folder.write("b.csv", utf8: korean, bom: true),
            folder.write("c.csv", cp949: korean),
            folder.write("a.csv", utf8: String(repeating: "ascii,only\n", count: 50)),
        ]
        for file in files {
            let whole = try FileProbe.examine(file)
            for size in [3, 4, 5, 7, 8, 9, 16, 4096] {  // the BOM is looked for in the first chunk: at least 3 bytes
                let chunked = try FileProbe.examine(file, chunkSize: size)
                #expect(
                    chunked.encoding == whole.encoding && chunked.sha256 == whole.sha256,
                    "\(file.lastPathComponent) in chunks of \(size)")
            }
        }
        #expect(try FileProbe.examine(files[0]).encoding == .utf8)
        #expect(try FileProbe.examine(files[1]).encoding == .utf8BOM)
        #expect(try FileProbe.examine(files[2]).encoding == .cp949)
        #expect(try FileProbe.examine(files[3]).encoding == .utf8)
    }

    /// The reader decides a file's encoding on the way, from the `decidingBytes` after its first byte above
    /// ASCII: the same encoding, checksum and cells whatever chunks the file is read in. A CP949 byte within
    /// that stretch makes the file CP949; one further on is read as UTF-8 it cannot be (U+FFFD, and the
    /// file's one warning, on its row); a stretch of ASCII longer than a chunk before the first Korean
    /// letter is read as it is in either encoding.
    @Test func encodingIsDecidedOnTheSameBytesWhateverTheChunkSize() throws {
        let folder = TempFolder()
        let row = "\"2024/07/01 10:03:08 오후 GMT+9\",김민준,010-1234-5678,\"아산시 배미로 15\",하은\n"
        let rows = String(repeating: row, count: 900)  // ~80 KB, most of it above ASCII
        let deciding = RecordRouter.decidingBytes
        // A CP949 lead byte for the first byte of the first phone number at or after `offset`.
        func breakPhone(_ bytes: inout [UInt8], after offset: Int) {
            let at = bytes.indices.first {
                $0 > offset && bytes[$0 - 1] == UInt8(ascii: ",") && bytes[$0] == UInt8(ascii: "0")
            }!
            bytes[at] = 0xB1
        }
        var early = Array((header + rows).utf8)
        breakPhone(&early, after: 200)  // within the deciding stretch
        var late = Array((header + rows).utf8)
        breakPhone(&late, after: deciding + 5_000)  // past it
        // 4 x 84 KB of ASCII
        let preamble = String(repeating: "\"" + String(repeating: "preamble text ", count: 6_000) + "\"\n", count: 4)
        let files: [(URL, SourceEncoding)] = [
            (folder.write("utf8.csv", utf8: header + row + row), .utf8),
            (folder.write("cp949.csv", cp949: header + row + row), .cp949),
            (folder.write("bom.csv", utf8: header + row, bom: true), .utf8BOM),
            (folder.write("ascii.csv", utf8: "name,phone\nkim,010-1234-5678\n"), .utf8),
            (folder.write("long.csv", utf8: header + rows), .utf8),
            (folder.write("early.csv", early), .cp949),
            (folder.write("late.csv", late), .utf8),
            (folder.write("preamble.csv", cp949: preamble + header + row + row), .cp949),
            // U+FEFF inside a file is text, not a mark
            (folder.write("feff.csv", utf8: header + "\u{FEFF}" + row + row), .utf8),
        ]
        for (file, encoding) in files {
            let whole = ReadResult(file)
            #expect(whole.report.encoding == encoding, "\(file.lastPathComponent)")
            #expect(whole.report.sha256 == (try FileProbe.checksum(file)), "\(file.lastPathComponent)")
            let bytes = (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
            // tiny chunks on small files (debug builds are slow)
            for size in (bytes < 10_000 ? [4, 5, 64, 4096] : [509, 70_000]) {
                let chunked = ReadResult(file, chunkSize: size)
                #expect(
                    chunked.report.encoding == encoding && chunked.report.sha256 == whole.report.sha256
                        && chunked.records.map(\.cells) == whole.records.map(\.cells)
                        && chunked.records.map(\.row) == whole.records.map(\.row)
                        && chunked.diagnostics.map(\.code) == whole.diagnostics.map(\.code),
                    "\(file.lastPathComponent) in chunks of \(size)")
            }
        }
        let lateRead = ReadResult(files[6].0)
        let bad = lateRead.records.filter { $0.cells.contains { $0.contains("\u{FFFD}") } }
        #expect(bad.count == 1)
        #expect(lateRead.records.allSatisfy { $0.cells[1] == "김민준" })
        #expect(lateRead.diagnostics.filter { $0.code == "cell_invalid_encoding" }.map(\.row) == [bad.first?.row])
        let preambleRead = ReadResult(files[7].0)
        #expect(preambleRead.records.count == 2 && preambleRead.records.allSatisfy { $0.cells[1] == "김민준" })
        #expect(preambleRead.report.preambleRows == 4)
    }

    /// The sniffer's shortcuts (ASCII eight bytes at a time, whole three-byte sequences) decide exactly as
    /// the plain rule does (a lead byte announces how many continuation bytes follow), for valid text,
    /// CP949 bytes, cut and stray sequences, split into chunks anywhere.
    @Test func encodingSnifferMatchesTheByteByByteRule() {
        // Whether the bytes are UTF-8; where the first sequence that is not starts; where the first byte above ASCII is.
        func plainRule(_ bytes: [UInt8]) -> (valid: Bool, invalidAt: Int?, firstNonASCII: Int?) {
            var pending = 0
            var start = 0
            let firstNonASCII = bytes.firstIndex { $0 >= 0x80 }
            for (i, byte) in bytes.enumerated() {
                if pending == 0 { start = i }
                if pending > 0 {
                    guard byte & 0xC0 == 0x80 else { return (false, start, firstNonASCII) }
                    pending -= 1
                } else if byte < 0x80 {
                    continue
                } else if byte & 0xE0 == 0xC0, byte >= 0xC2 {
                    pending = 1
                } else if byte & 0xF0 == 0xE0 {
                    pending = 2
                } else if byte & 0xF8 == 0xF0, byte <= 0xF4 {
                    pending = 3
                } else {
                    return (false, start, firstNonASCII)
                }
            }
            return (pending == 0, nil, firstNonASCII)
        }
        let pieces: [[UInt8]] = [
            Array("abcdefgh,".utf8), Array("김민준".utf8), Array("é".utf8), Array("😀".utf8), Array(" 010-1234\n".utf8),
            [0xB1, 0xE8], [0xEA, 0xB9], [0x80], [0xEA], [0xF0, 0x9F], [0xC3],
        ]
        var generator = SplitMix(seed: 11)
        for round in 0..<2000 {
            var bytes: [UInt8] = Array("x".utf8)  // no BOM: the encoding says only whether the bytes are UTF-8
            for _ in 0..<Int(generator.next() % 16) {
                let piece = Int(generator.next() % UInt64(pieces.count))
                // Mostly valid text; the broken pieces now and then.
                if piece < 5 || generator.next() % 8 == 0 { bytes += pieces[piece] }
            }
            var sniffer = EncodingSniffer()
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + 1 + Int(generator.next() % 24))
                bytes[start..<end].withUnsafeBytes { sniffer.feed($0) }
                start = end
            }
            let plain = plainRule(bytes)
            #expect((sniffer.encoding == .utf8) == plain.valid, "round \(round): \(bytes)")
            #expect(sniffer.invalidAt == plain.invalidAt, "round \(round): \(bytes)")
            #expect(sniffer.firstNonASCII == plain.firstNonASCII, "round \(round): \(bytes)")
        }
    }

    @Test func crlfAndBOM() {
        let folder = TempFolder()
        let text =
            header.replacingOccurrences(of: "\n", with: "\r\n")
            + "t,김민준,010-1234-5678,주소,하은\r\n\r\nt,이서연,010-2222-3333,주소,도윤\r\n"
        let result = ReadResult(folder.write("b.csv", utf8: text, bom: true))
        #expect(result.report.encoding == .utf8BOM)
        #expect(result.mapping?.headers.first == "타임스탬프")  // BOM is not part of the first header
        #expect(result.records.map(\.row) == [2, 4])  // the blank line is row 3, as in Excel
        #expect(result.report.blankLines == 1)
        #expect(result.records[1].cells[4] == "도윤")
    }

    @Test func cp949FromKoreanExcelIncludingExtendedSyllables() {
        let folder = TempFolder()
        let text = "접수일시,신청인,휴대폰번호,주소(도로명),아동명,비고\r\n2024-07-01 08:28,김똠이,1012345678,충남 아산시 배방읍,뷁군,똠방각하\r\n"
        let result = ReadResult(folder.write("c.csv", cp949: text))
        #expect(result.report.encoding == .cp949)
        #expect(result.records.count == 1)
        #expect(result.records[0].cells == ["2024-07-01 08:28", "김똠이", "1012345678", "충남 아산시 배방읍", "뷁군", "똠방각하"])
        #expect(result.mapping?.roles[1] == .field(.guardianName))
    }

    @Test func nfdHangulFromMacOSBecomesNFC() {
        let folder = TempFolder()
        let nfd = "김민준".decomposedStringWithCanonicalMapping
        #expect(nfd.unicodeScalars.count == 9)
        let result = ReadResult(
            folder.write(
                "d.csv", utf8: header + "t,\(nfd),010-1234-5678,주소,\("하은".decomposedStringWithCanonicalMapping)\n"))
        #expect(result.records[0].cells[1].unicodeScalars.count == 3)
        #expect(result.records[0].cells[1] == "김민준")
        #expect(Array(result.records[0].cells[4].utf8) == Array("하은".utf8))
    }

    /// The decoder looks for decomposed text eight bytes at a time: wherever the jamo or combining
    /// accent falls against those eight-byte steps, and whatever surrounds it, the cell comes out NFC,
    /// and text that is already NFC comes out byte for byte as it was.
    @Test func cellsAreNFCWhereverTheDecomposedTextFalls() {
        let pieces = [
            "a", "7", " ", "김", "민준", "-", "\u{1112}\u{1161}", "\u{110B}\u{1173}\u{11AB}", "e\u{0301}",
            "Nguye\u{0302}\u{0303}n",
            "ö", "😀", "é", "\u{AC00}",
        ]
        var generator = SplitMix(seed: 8)
        let decoder = CellDecoder(encoding: .utf8)
        for _ in 0..<3000 {
            var text = ""
            for _ in 0..<Int(generator.next() % 12) { text += pieces[Int(generator.next() % UInt64(pieces.count))] }
            let bytes = Array(text.utf8)
            let decoded = bytes.withUnsafeBytes { decoder.decode($0) }
            #expect(decoded.valid)
            #expect(Array(decoded.text.utf8) == Array(text.precomposedStringWithCanonicalMapping.utf8), "\(bytes)")
        }
    }

    /// The decoder marks cells that need no trimming, and the builder then skips `trimmedWhitespace`:
    /// a marked cell must be its own trimmed text, whatever white space, broken bytes or decomposed
    /// letters it starts or ends with, in either encoding (CP949 bytes are not the text's, so only
    /// empty cells are marked there); rows shorter than the header are padded with marked empty cells.
    @Test func cellsMarkedTrimmedNeedNoTrimming() {
        let pieces: [[UInt8]] =
            [
                "a", "7", " ", "김", "민준", "\t", "\r\n", "\u{00A0}", "\u{3000}", "\u{2003}", "\u{205F}", "\u{1680}",
                "\u{0085}", "\u{200B}", "\u{1112}\u{1161}", "e\u{0301}", "\u{0301}", "😀", "\u{FEFF}", "가", "\u{2028}",
                "\u{202F}",
                "\u{2009}", "\u{1681}", "\u{3001}",
            ].map { Array($0.utf8) }
            + [[0xFF], [0xE3, 0x80], [0xC2], [0x80], [0xA0], [0xE2, 0x80, 0x8A, 0x80], [0xA1, 0xA1], [0xB1, 0xE8]]
        var generator = SplitMix(seed: 21)
        var marked = 0
        var unmarked = 0
        for encoding in [SourceEncoding.utf8, .utf8BOM, .cp949] {
            for _ in 0..<1500 {
                var fields = FieldBuffer()
                let count = Int(generator.next() % 6)
                for _ in 0..<count {
                    for _ in 0..<Int(generator.next() % 5) {
                        fields.bytes += pieces[Int(generator.next() % UInt64(pieces.count))]
                    }
                    fields.ends.append(fields.bytes.count)
                }
                let record = EncodedRecord(
                    file: "f.csv", row: 2, fields: fields, decoder: CellDecoder(encoding: encoding),
                    columns: 4, reportsInvalidBytes: true)
                let (decoded, _, trimmed) = record.decoded()
                #expect(decoded.cells.count == max(count, 4))
                for (i, cell) in decoded.cells.enumerated() {
                    if trimmed.contains(i) {
                        // Judged on the scalars' Unicode properties, apart from the byte rules under test.
                        let ends = [cell.unicodeScalars.first, cell.unicodeScalars.last].compactMap { $0 }
                        #expect(!ends.contains { $0.properties.isWhitespace }, "\(encoding) \(Array(cell.utf8))")
                        marked += 1
                    } else {
                        unmarked += 1
                    }
                }
                for i in count..<max(count, 4) { #expect(trimmed.contains(i)) }
            }
        }
        #expect(marked > 2000 && unmarked > 2000)
        // Ends that only look like white space at their last byte (가 is EA B0 80) are still marked.
        var fields = FieldBuffer()
        for text in ["민가", "가\u{2000}가", "\u{3001}나"] {
            fields.bytes += Array(text.utf8)
            fields.ends.append(fields.bytes.count)
        }
        let record = EncodedRecord(
            file: "f.csv", row: 2, fields: fields, decoder: CellDecoder(encoding: .utf8), columns: 3,
            reportsInvalidBytes: true)
        #expect((0..<3).allSatisfy(record.decoded().trimmed.contains))
        #expect(!TrimmedCells.unknown.contains(0))
    }

    /// A record decoded after the one before it takes that record's text for cells with the same
    /// bytes: it must come out as decoded alone, cell for cell (and with the same trimmed marks and
    /// undecodable-bytes flag), whatever the cells share, in each encoding.
    @Test func cellsRepeatedFromThePreviousRecordAreDecodedAlike() {
        let pieces: [[UInt8]] =
            ["동의합니다", "늘봄학교", " ", "김민준", "010-1234-5678", "\u{1112}\u{1161}", "e\u{0301}", "", "a"]
            .map { Array($0.utf8) } + [[0xFF], [0xB1, 0xE8], [0xA1, 0xA1]]
        var generator = SplitMix(seed: 34)
        func randomFields(like earlier: FieldBuffer?) -> FieldBuffer {
            var fields = FieldBuffer()
            for i in 0..<Int(generator.next() % 6) {
                if let earlier, i < earlier.count, generator.next() % 2 == 0 {
                    earlier.withField(i) { fields.bytes += Array($0) }
                } else {
                    for _ in 0..<Int(generator.next() % 3) {
                        fields.bytes += pieces[Int(generator.next() % UInt64(pieces.count))]
                    }
                }
                fields.ends.append(fields.bytes.count)
            }
            return fields
        }
        var reused = 0
        for encoding in [SourceEncoding.utf8, .cp949] {
            for _ in 0..<1000 {
                let first = randomFields(like: nil)
                let second = randomFields(like: first)
                func record(_ fields: FieldBuffer) -> EncodedRecord {
                    EncodedRecord(
                        file: "f.csv", row: 2, fields: fields, decoder: CellDecoder(encoding: encoding), columns: 3,
                        reportsInvalidBytes: true)
                }
                let before = record(first).decoded()
                guard !before.invalidBytes else { continue }
                let alone = record(second).decoded()
                let after = record(second).decoded(after: first, cells: before.record.cells)
                #expect(
                    after.record.cells.map { Array($0.utf8) } == alone.record.cells.map { Array($0.utf8) },
                    "\(encoding)")
                #expect(after.invalidBytes == alone.invalidBytes)
                #expect((0..<8).allSatisfy { after.trimmed.contains($0) == alone.trimmed.contains($0) })
                reused += (0..<second.count).filter { second.sameField($0, as: first) }.count
            }
        }
        #expect(reused > 500)
    }

    /// Records handed on as bytes and decoded on the normalizing cores are the records the reading
    /// thread would have decoded: every encoding, short rows padded, a title line above the header.
    @Test func recordsDecodedLaterAreTheSame() {
        let folder = TempFolder()
        let body = "2024 돌봄 신청 현황\n" + header + "t,김민준,010-1234-5678,\"아산시 배미로 15, 101동\",하은\nt,이서연\n"
        let nfd = body + "t,\("박지호".decomposedStringWithCanonicalMapping),010-4444-5555,주소,시우\n"  // UTF-8 only
        let cp949 = body + "t,박지호,010-4444-5555,주소,똠이\n"
        for file in [
            folder.write("u.csv", utf8: nfd), folder.write("b.csv", utf8: nfd, bom: true),
            folder.write("c.csv", cp949: cp949),
        ] {
            let now = ReadResult(file)
            let later = ReadResult(file, decodeLater: true)
            #expect(now.records.count == 3)
            #expect(later.records == now.records, "\(file.lastPathComponent)")
            #expect(later.report == now.report)
        }
    }

    /// Bytes a file's encoding cannot decode: one warning for the file, at the first such row, whether
    /// the reading thread or the normalizing cores decode it; every row still lands somewhere.
    @Test func undecodableBytesAreReportedOnceAtTheirFirstRow() throws {
        let folder = TempFolder()
        // A CP949 export (Korean Excel) with two cells holding bytes CP949 cannot decode.
        func cp949(_ text: String) -> [UInt8] { Array(text.data(using: SourceEncoding.dosKorean)!) }
        var bytes = cp949(header)
        for i in 0..<12 {
            bytes += cp949("2024-07-0\(i % 9 + 1) 10:00,김민준\(i),010-1234-56\(10 + i),충남 아산시 배방읍 배방로 \(i),하은")
            if i == 6 || i == 9 { bytes += [0x20, 0xFF, 0xFE] }
            bytes.append(0x0A)
        }
        let file = folder.write("broken.csv", bytes)
        let read = ReadResult(file)
        #expect(read.diagnostics.filter { $0.code == "cell_invalid_encoding" }.map(\.row) == [8])
        let collector = DiagnosticsCollector()
        let options = RunOptions(
            inputs: [file.path], output: folder.url.appendingPathComponent("out").path,
            asOf: LocalDate(iso: "2024-07-15")!, dryRun: true)
        let result = try DolbomRun(options: options).run(diagnostics: collector)
        #expect(collector.all.filter { $0.code == "cell_invalid_encoding" }.map(\.row) == [8])
        #expect(result.summary.counts.dataRows == 12)
    }

    @Test func truncatedFileMidQuoteIsReportedWithRowAndLine() {
        let folder = TempFolder()
        let result = ReadResult(
            folder.write("e.csv", utf8: header + "t,김민준,010-1234-5678,주소,하은\nt,이서연,010-2222-3333,\"아산시 배미로\n15, 10"))
        #expect(result.records.count == 1)
        #expect(result.unreadable.count == 1)
        #expect(result.unreadable[0].0.row == 3)
        #expect(result.unreadable[0].1 == "csv_unterminated_quote")
        #expect(result.report.error != nil)
        let diagnostic = result.diagnostics.first { $0.code == "csv_unterminated_quote" }
        #expect(diagnostic?.file == "e.csv")
        #expect(diagnostic?.row == 3)
        #expect(diagnostic?.message.contains("3번째 줄") == true)
    }

    @Test func strayQuoteRejectsOneRowAndReadingResumes() {
        let folder = TempFolder()
        let result = ReadResult(
            folder.write(
                "f.csv",
                utf8: header
                    + "t,김민준,010-1234-5678,주소,하은\n"
                    + "t,이서\"연,010-2222-3333,주소,도윤\n"
                    + "t,박지호,010-4444-5555,주소,시우\n"))
        #expect(result.records.map(\.row) == [2, 4])
        #expect(result.unreadable.map(\.0.row) == [3])
        #expect(result.unreadable.map(\.1) == ["csv_malformed_row"])
        #expect(result.unreadable[0].0.cells.last?.contains("이서\"연") == true)
        #expect(result.records[1].cells[1] == "박지호")
    }

    @Test(arguments: [
        ([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00] as [UInt8], "엑셀 통합문서"),
        ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1], "97-2003"),
        ([0xFF, 0xFE, 0x40, 0x00], "UTF-16"),
        (Array("<html><table><tr><td>a</td></tr></table></html>".utf8), "HTML"),
        ([0x41, 0x00, 0x42, 0x2C, 0x43], "바이너리"),
    ])
    func filesThatAreNotCSVAreReportedNotRead(bytes: [UInt8], wording: String) {
        let folder = TempFolder()
        let result = ReadResult(folder.write("g.csv", bytes))
        #expect(result.records.isEmpty)
        #expect(result.report.error?.contains(wording) == true)
        #expect(result.diagnostics.contains { $0.code == "file_not_csv" && $0.file == "g.csv" })
    }

    @Test func titleRowsAboveTheHeaderAreSkipped() {
        let folder = TempFolder()
        let result = ReadResult(
            folder.write("h.csv", utf8: "2024년 돌봄 신청 현황,,,,\n" + header + "t,김민준,010-1234-5678,주소,하은\n"))
        #expect(result.report.headerRow == 2)
        #expect(result.report.preambleRows == 1)
        #expect(result.records.map(\.row) == [3])
    }

    @Test func unknownHeaderRejectsEveryRowInsteadOfDroppingIt() {
        let folder = TempFolder()
        let result = ReadResult(folder.write("i.csv", utf8: "a,b,c\n1,2,3\n4,5,6\n"))
        #expect(result.records.isEmpty)
        #expect(result.unreadable.map(\.1) == ["file_header_unrecognized", "file_header_unrecognized"])
        #expect(result.diagnostics.contains { $0.code == "header_unrecognized" })
    }

    @Test(arguments: ["\t", ";"])
    func tabAndSemicolonDelimitersAreDetected(delimiter: String) {
        let folder = TempFolder()
        let text =
            ["보호자 성명", "연락처", "주소"].joined(separator: delimiter) + "\n"
            + ["김민준", "010-1234-5678", "아산시, 배방읍"].joined(separator: delimiter) + "\n"
        let result = ReadResult(folder.write("j.csv", utf8: text))
        #expect(result.records.first?.cells == ["김민준", "010-1234-5678", "아산시, 배방읍"])
    }

    @Test func spacesInsideUnquotedCellsAreKeptAsWritten() {
        let folder = TempFolder()
        let result = ReadResult(folder.write("k.csv", utf8: "보호자 성명,연락처\n  김 민준 , 010 1234 5678\n"))
        #expect(result.records.first?.cells == ["  김 민준 ", " 010 1234 5678"])
    }

    @Test func shortRowsArePaddedAndLongRowsKeepTheirExtraCells() {
        let folder = TempFolder()
        let result = ReadResult(folder.write("l.csv", utf8: "보호자 성명,연락처,주소\n김민준\n이서연,010-2222-3333,주소,덤\n"))
        #expect(result.records[0].cells == ["김민준", "", ""])
        #expect(result.records[1].cells == ["이서연", "010-2222-3333", "주소", "덤"])
    }

    @Test func largeFilesStreamAcrossChunkBoundaries() throws {
        let folder = TempFolder()
        var text = header
        for i in 0..<20_000 {
            text +=
                "\"2024/07/01 10:03:08 오후 GMT+9\",\"김민준\(i)\",\"010-1234-\(String(format: "%04d", i % 10_000))\",\"아산시\n배미로 \(i)\",\"하은\"\r\n"
        }
        let url = folder.write("m.csv", utf8: text)
        var stream = CSVRecordStream(url: url)
        stream.chunkSize = 4096  // force many chunk boundaries inside quoted cells and multibyte characters
        var rows: [Int] = []
        var lastName = ""
        try stream.forEach { event in
            if case .record(let row, let fields) = event {
                rows.append(row)
                lastName = fields.withField(1) { String(decoding: $0, as: UTF8.self) }
            }
        }
        #expect(rows.count == 20_001)
        #expect(rows.last == 20_001)
        #expect(lastName == "김민준19999")
    }

    /// The stream reads its file through one reused buffer: whatever the chunk size, the same events come
    /// out, with a byte-order mark dropped and a malformed line's raw text (never the mark) kept whole,
    /// also when the bad line is the file's first or straddles a chunk edge.
    @Test(arguments: [
        "\u{FEFF}a\"b,c\n1,2\n3,\"x\"y\n4,5\n",  // mark, then a stray quote on the first line
        "\u{FEFF}이름,번호\n김\"민준,1\n\"이서연\",2\n\n\"줄\n바꿈\",3\r\n",
        "h1,h2\n\"open,1\n2,3\n",  // the file ends inside a quoted cell
    ])
    func sameEventsWhateverTheChunkSize(text: String) throws {
        let folder = TempFolder()
        let url = folder.write("c.csv", utf8: text)
        func events(_ chunkSize: Int) throws -> [String] {
            var stream = CSVRecordStream(url: url)
            stream.chunkSize = chunkSize
            var out: [String] = []
            try stream.forEach { event in
                switch consume event {
                case .record(let row, let fields):
                    out.append(
                        "r\(row):"
                            + (0..<fields.count).map { i in fields.withField(i) { String(decoding: $0, as: UTF8.self) }
                            }.joined(separator: "|"))
                case .blankLine(let row):
                    out.append("b\(row)")
                case .malformed(let row, let line, _, let raw, let reason):
                    out.append("m\(row)@\(line):\(String(decoding: raw, as: UTF8.self)):\(reason)")
                }
            }
            return out
        }
        let whole = try events(1 << 18)
        #expect(!whole.isEmpty)
        #expect(!whole.joined().contains("\u{FEFF}"))
        for size in [1, 2, 3, 5, 7, 16, 64] {
            let got = try events(size)
            #expect(got == whole, "chunks of \(size): \(got) vs \(whole)")
        }
    }
}
