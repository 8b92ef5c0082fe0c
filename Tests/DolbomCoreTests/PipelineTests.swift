import Foundation
import Testing
@testable import DolbomCore
import DolbomNormalize

@Suite("Pipeline invariants and writers")
struct PipelineTests {
    func household(_ id: String, _ sources: [SourceRef]) -> Household {
        Household(applicantID: id, guardianName: nil, phones: [], address: nil, children: [], careTypes: [], contactWindow: nil,
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
        let a = SourceRef(file: "a.csv", row: 2), b = SourceRef(file: "a.csv", row: 3), c = SourceRef(file: "b.csv", row: 2)
        try run.checkInvariant(expected: [a, b, c], households: [household("H-1", [a, c])], rejects: [reject("a.csv", 3)])
    }

    @Test func invariantCatchesALostRow() {
        let a = SourceRef(file: "a.csv", row: 2), b = SourceRef(file: "a.csv", row: 3)
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

    @Test func spreadsheetCSVQuotesEverythingWithBOMAndCRLF() {
        var csv = SpreadsheetCSV()
        csv.appendRow(["a,b", "say \"hi\"", "줄\n바꿈", "=1"])
        #expect(csv.bytes == [0xEF, 0xBB, 0xBF] + Array("\"a,b\",\"say \"\"hi\"\"\",\"줄\n바꿈\",\"'=1\"\r\n".utf8))
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
            try FileManager.default.createDirectory(at: folder.url.appendingPathComponent(day), withIntermediateDirectories: true)
            folder.write("\(day)/responses.csv", utf8: "보호자 성명,연락처\n")
        }
        folder.write("~$lock.csv", utf8: "")
        folder.write("notes.pdf", utf8: "")
        let set = try InputSet(paths: [folder.url.path])
        #expect(set.inputs.map(\.name) == ["0701/responses.csv", "0702/responses.csv"])
    }

    @Test(arguments: [("010-1234-5678", "010-****-5678"), ("01012345678", "010-****-5678"), ("123", "*23"), ("010-1234", "*****34")])
    func phonesAreMaskedForLogs(raw: String, masked: String) {
        #expect(Masking.phone(raw) == masked)
    }
}

@Suite("Configuration: the official 법정동코드 file")
struct LegalDongConfigurationTests {
    static let referenceFile = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/reference/법정동코드_전체자료.txt")

    @Test(.enabled(if: FileManager.default.fileExists(atPath: referenceFile.path), "needs ../shared/reference"))
    func legalDongFileCompletesAddresses() throws {
        let folder = TempFolder()
        var config = DolbomConfiguration()
        config.normalize = .init(legalDongCodes: Self.referenceFile.path)
        let options = RunOptions(inputs: [packageRoot.appendingPathComponent("samples/exports").path], output: folder.url.path,
                                 asOf: LocalDate(iso: "2024-07-15")!, configuration: config)
        let result = try DolbomRun(options: options).run(diagnostics: DiagnosticsCollector())
        let coded = result.households.filter { $0.address?.legalDongCode != nil }
        #expect(coded.count > result.households.count / 2)
        #expect(coded.allSatisfy { $0.address!.legalDongCode!.count == 10 && $0.address!.legalDongCode!.hasPrefix($0.address!.sigunguCode!) })
    }

    @Test func missingLegalDongFileIsAConfigurationError() {
        let folder = TempFolder()
        var config = DolbomConfiguration()
        config.normalize = .init(legalDongCodes: "/nonexistent/법정동코드.txt")
        let options = RunOptions(inputs: [packageRoot.appendingPathComponent("samples/exports").path], output: folder.url.path,
                                 asOf: LocalDate(iso: "2024-07-15")!, configuration: config)
        #expect(throws: RunError.legalDongCodes(path: "/nonexistent/법정동코드.txt", reason: "file not found or not readable")) {
            _ = try DolbomRun(options: options).run(diagnostics: DiagnosticsCollector())
        }
    }
}
