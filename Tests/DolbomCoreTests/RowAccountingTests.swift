import DolbomNormalize
import Foundation
import Testing

@testable import DolbomCore

/// The self-check against the reader's own count of data rows, kept apart from the rows the pipeline took in.
@Suite("Row accounting: the reader's count against the rows that landed")
struct RowAccountingTests {
    func household(_ id: String, _ sources: [SourceRef]) -> Household {
        Household(
            applicantID: id, guardianName: nil, phones: [], address: nil, children: [], careTypes: [],
            contactWindow: nil,
            flags: [], memos: [], firstSubmittedAt: nil, lastSubmittedAt: nil, sources: sources, extra: [], issues: [],
            mergeEvidence: [])
    }

    var run: DolbomRun {
        DolbomRun(options: RunOptions(inputs: [], output: "/tmp/dolbom-unused", asOf: LocalDate(iso: "2024-07-15")!))
    }

    @Test func aRowCountedButNeverHandedOnBreaksTheCheck() {
        let a = SourceRef(file: "a.csv", row: 3)
        // Every row handed on landed once, but the reader counted two.
        #expect(throws: RunError.invariantBroken("a.csv: the reader counted 2 data rows, 1 reached the pipeline")) {
            try run.checkInvariant(
                expected: [a], households: [household("H-1", [a])], rejects: [], readerRows: [("a.csv", 2)])
        }
        // And a row handed on that no reader counted.
        #expect(
            throws: RunError.invariantBroken("b.csv: 1 rows reached the pipeline from a file the reader never counted")
        ) {
            try run.checkInvariant(
                expected: [a, SourceRef(file: "b.csv", row: 2)],
                households: [household("H-1", [a, SourceRef(file: "b.csv", row: 2)])], rejects: [],
                readerRows: [("a.csv", 1)])
        }
    }

    @Test func theCheckReturnsTheAcceptedRows() throws {
        let a = SourceRef(file: "a.csv", row: 2)
        let b = SourceRef(file: "a.csv", row: 3)
        let c = SourceRef(file: "x/a.csv", row: 2)
        let reject = Reject(file: "a.csv", row: 3, reason: "empty_row", message: "", column: nil, value: nil, cells: [])
        let accepted = try run.checkInvariant(
            expected: [a, b, c], households: [household("H-1", [a, c])], rejects: [reject],
            readerRows: [("a.csv", 2), ("x/a.csv", 1)])
        #expect(accepted == 2)
        // Two inputs with the same base name are counted together.
        #expect(throws: Never.self) {
            try run.checkInvariant(
                expected: [a, b], households: [household("H-1", [a])], rejects: [reject],
                readerRows: [("a.csv", 1), ("a.csv", 1)])
        }
    }

    @Test func theRowListNamesRanges() {
        #expect(RecordRouter.rowList([1]) == "1행(1줄)")
        #expect(RecordRouter.rowList([1, 2, 3, 7]) == "1-3, 7행(4줄)")
    }
}
