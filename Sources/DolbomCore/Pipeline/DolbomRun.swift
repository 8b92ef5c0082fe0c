import DolbomNormalize
import Foundation
import Logging

/// How a run ended, which the command line maps to an exit code.
public enum RunOutcome: Sendable, Equatable {
    case ok
    /// Some rows were rejected (matters only under `--strict`).
    case rowsRejected
    /// At least one input could not be read, or only in part; the others were processed.
    case inputUnreadable
}

/// Progress for a terminal; the command line decides whether to show it.
public struct RunProgress: Sendable {
    public var file: String
    public var rowsRead: Int
}

/// Everything a run needs, resolved from flags, configuration and defaults.
public struct RunOptions: Sendable {
    public var inputs: [String]
    public var outputDirectory: URL
    public var asOf: LocalDate
    public var configuration: DolbomConfiguration
    public var dryRun: Bool

    public init(inputs: [String], outputDirectory: URL, asOf: LocalDate,
                configuration: DolbomConfiguration = DolbomConfiguration(), dryRun: Bool = false) {
        self.inputs = inputs
        self.outputDirectory = outputDirectory
        self.asOf = asOf
        self.configuration = configuration
        self.dryRun = dryRun
    }
}

public struct RunResult: Sendable {
    public var summary: RunSummary
    public var outcome: RunOutcome
    public var households: [Household]
    public var rejects: [Reject]
    public var callList: [CallListEntry]
    /// File names written into the output directory.
    public var written: [String]
}

public enum RunError: Error, CustomStringConvertible, Equatable {
    case noInputs
    case inputs(InputSet.Failure)
    case invariantBroken(String)
    case cannotWrite(path: String, reason: String)
    case legalDongCodes(path: String, reason: String)

    public var description: String {
        switch self {
        case .noInputs: return "no export files found in the given inputs (looked for *.csv, *.tsv, *.txt)"
        case .inputs(let failure): return failure.description
        case .invariantBroken(let detail): return "internal error: a row was lost or counted twice (\(detail)); nothing was written"
        case .cannotWrite(let path, let reason): return "\(path): cannot write outputs: \(reason)"
        case .legalDongCodes(let path, let reason): return "\(path): cannot read the 법정동코드 file: \(reason)"
        }
    }
}

/// One `dolbom run`: Read → Normalize → Resolve → Plan → Write.
public struct DolbomRun: Sendable {
    public var options: RunOptions
    public var logger: Logger

    public init(options: RunOptions, logger: Logger = Logger(label: "dolbom")) {
        self.options = options
        self.logger = logger
    }

    public func run(diagnostics: DiagnosticsCollector, progress: (@Sendable (RunProgress) -> Void)? = nil) throws(RunError) -> RunResult {
        let config = options.configuration
        let inputSet: InputSet
        do { inputSet = try InputSet(paths: options.inputs) } catch { throw .inputs(error) }
        guard !inputSet.inputs.isEmpty else { throw .noInputs }

        let gazetteer = try loadGazetteer()
        let builder = SubmissionBuilder(asOf: options.asOf, servedAges: config.servedAges,
                                        addresses: AddressNormalizer(gazetteer: gazetteer))
        let reader = ExportReader(configuration: config)

        var submissions: [Submission] = []
        var rejects: [Reject] = []
        var reports: [ExportFileReport] = []
        var counts = RunSummary.Counts()
        var expected: [SourceRef] = []

        // Read + Normalize, streaming row by row.
        for input in inputSet.inputs {
            var mapping: HeaderMapping?
            let koreanAge = config.mappings(for: input.name).contains { $0.koreanAgeWording == true }
            var rowsRead = 0
            var report = reader.read(input.url, diagnostics: diagnostics) { event in
                switch event {
                case .header(let m):
                    mapping = m
                case .record(let record):
                    let record = RawRecord(file: input.name, row: record.row, cells: record.cells)
                    expected.append(SourceRef(file: record.file, row: record.row))
                    switch builder.build(record, mapping: mapping!, koreanAgeWording: koreanAge) {
                    case .submission(let s): submissions.append(s)
                    case .reject(let r):
                        rejects.append(r)
                        counts.rejectedAtNormalize += 1
                    }
                case .unreadable(let record, let reason, let message):
                    expected.append(SourceRef(file: input.name, row: record.row))
                    let cells = mapping.map { m in
                        record.cells.enumerated().map { ExtraCell(column: $0.offset < m.headers.count ? m.headers[$0.offset] : "원본 줄", value: $0.element) }
                    } ?? []
                    rejects.append(Reject(file: input.name, row: record.row, reason: reason, message: message,
                                          column: nil, value: nil, cells: cells))
                    counts.rejectedAtRead += 1
                }
                rowsRead += 1
                if rowsRead % 50_000 == 0 { progress?(RunProgress(file: input.name, rowsRead: rowsRead)) }
            }
            report.file = input.name
            logger.info("read export", metadata: [
                "file": "\(input.name)", "encoding": "\(report.encoding?.rawValue ?? "-")",
                "rows": "\(report.dataRows)", "layout": "\(report.layout?.rawValue ?? "-")",
            ])
            counts.dataRows += report.dataRows
            counts.blankLines += report.blankLines
            reports.append(report)
        }
        counts.submissions = submissions.count

        // Resolve
        let households = HouseholdResolver(idKey: config.idKey ?? "dolbom").resolve(submissions)
        counts.households = households.count
        counts.mergedSubmissions = submissions.count - households.count

        // Plan
        let callList = CallListPlanner(asOf: options.asOf, priority: config.priority).plan(households)

        rejects.sort { $0.source < $1.source }
        try checkInvariant(expected: expected, households: households, rejects: rejects)

        let summary = makeSummary(reports: reports, counts: counts, households: households, rejects: rejects, submissions: submissions)
        var written: [String] = []
        if !options.dryRun {
            let writer = OutputWriter(maskPhonesOnCallList: config.callListPhones == "masked")
            let files: [String: Data]
            do {
                files = try writer.render(households: households, callList: callList, rejects: rejects, summary: summary)
            } catch {
                throw .cannotWrite(path: options.outputDirectory.path, reason: "\(error)")
            }
            written = try OutputDirectory(url: options.outputDirectory).replace(with: files)
        }
        let outcome: RunOutcome = reports.contains { $0.error != nil } ? .inputUnreadable : (rejects.isEmpty ? .ok : .rowsRejected)
        return RunResult(summary: summary, outcome: outcome, households: households, rejects: rejects,
                         callList: callList, written: written)
    }

    func loadGazetteer() throws(RunError) -> Gazetteer {
        guard let path = options.configuration.normalize?.legalDongCodes else { return .builtIn }
        let url = URL(fileURLWithPath: path)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw .legalDongCodes(path: path, reason: "file not found or not readable")
        }
        let text = String(data: data, encoding: SourceEncoding.dosKorean) ?? String(decoding: data, as: UTF8.self)
        do { return try Gazetteer(legalDongCodeText: text) } catch { throw .legalDongCodes(path: path, reason: "\(error)") }
    }

    /// Every data row must end in exactly one household's sources or one reject.
    func checkInvariant(expected: [SourceRef], households: [Household], rejects: [Reject]) throws(RunError) {
        var landed: [SourceRef: Int] = [:]
        for h in households { for s in h.sources { landed[s, default: 0] += 1 } }
        for r in rejects { landed[r.source, default: 0] += 1 }
        var expectedSet: [SourceRef: Int] = [:]
        for s in expected { expectedSet[s, default: 0] += 1 }
        if let twice = expectedSet.first(where: { $0.value > 1 }) {
            throw .invariantBroken("\(twice.key.label) was read twice")
        }
        if let lost = expected.first(where: { landed[$0] == nil }) {
            throw .invariantBroken("\(lost.label) is in no applicant and no reject")
        }
        if let double = landed.first(where: { $0.value > 1 }) {
            throw .invariantBroken("\(double.key.label) landed \(double.value) times")
        }
        if let extra = landed.keys.first(where: { expectedSet[$0] == nil }) {
            throw .invariantBroken("\(extra.label) appeared in the outputs but was never read")
        }
    }

    func makeSummary(reports: [ExportFileReport], counts: RunSummary.Counts, households: [Household],
                     rejects: [Reject], submissions: [Submission]) -> RunSummary {
        var rejectsByReason: [String: Int] = [:]
        var rejectsByFile: [String: Int] = [:]
        for r in rejects {
            rejectsByReason[r.reason, default: 0] += 1
            rejectsByFile[r.file, default: 0] += 1
        }
        var issuesByCode: [String: Int] = [:]
        for s in submissions { for issue in s.issues { issuesByCode[issue.code, default: 0] += 1 } }
        let perFile = reports.map { r in
            RunSummary.FileCounts(file: r.file, dataRows: r.dataRows, accepted: r.dataRows - (rejectsByFile[r.file] ?? 0),
                                  rejected: rejectsByFile[r.file] ?? 0)
        }
        var encodings: [String: String] = [:]
        for r in reports { encodings[r.file] = r.encoding?.rawValue ?? "unreadable" }
        return RunSummary(asOf: options.asOf.iso, inputs: reports, counts: counts, perFile: perFile,
                          rejectsByReason: rejectsByReason, issuesByCode: issuesByCode, encodings: encodings,
                          invariant: "ok: \(counts.dataRows) rows = \(counts.submissions) in \(households.count) households + \(rejects.count) rejects")
    }
}
