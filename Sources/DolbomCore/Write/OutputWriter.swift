import Dispatch
import DolbomNormalize
import DolbomSchedule
import Foundation

/// The Write stage: renders a run's results into the contract files. It
/// decides formats, never content.
public struct OutputWriter: Sendable {
    /// Show phone numbers in full on the call list (counselors dial them) or masked.
    public var maskPhonesOnCallList: Bool
    /// Phones on the printed call sheets (`schedule.call_sheet_phones`).
    public var maskPhonesOnCallSheets: Bool
    /// The run's as-of day, printed on call sheets and used as the calendars' DTSTAMP.
    public var asOf: LocalDate

    public init(maskPhonesOnCallList: Bool = false, maskPhonesOnCallSheets: Bool = false, asOf: LocalDate) {
        self.maskPhonesOnCallList = maskPhonesOnCallList
        self.maskPhonesOnCallSheets = maskPhonesOnCallSheets
        self.asOf = asOf
    }

    /// Writes every output file into `folder` (a fresh temporary folder), streaming:
    /// memory does not hold a whole file. Returns the names written.
    public func write(into folder: URL, fileMode: mode_t, households: [Household], statuses: [String: HouseholdStatus],
                      callList: [CallListEntry], rejects: [Reject], summary: RunSummary, resolution: Resolution,
                      appointments: AppointmentPlan? = nil) throws -> [String] {
        @Sendable func sink(_ name: String) throws -> FileSink { try FileSink(path: folder.appendingPathComponent(name).path, mode: fileMode) }

        // The files are independent: they are written side by side, one task per file or two.
        let tasks: [@Sendable () throws -> Void] = [
            {
                let applicants = try sink("applicants.jsonl")
                for household in households {
                    ApplicantJSON.write(household, status: statuses[household.applicantID] ?? HouseholdStatus(), into: &applicants.buffer)
                    applicants.buffer.append(0x0A)
                    try applicants.flushIfFull()
                }
                try applicants.close()
            },
            { try writeCallListCSV(callList, appointments: appointments, to: try sink("call-list.csv")) },
            { try writeDuplicatesCSV(resolution, households: households, to: try sink("duplicates.csv")) },
            {
                let rejectLines = try sink("rejects.jsonl")
                for reject in rejects {
                    ApplicantJSON.reject(reject).write(into: &rejectLines.buffer)
                    rejectLines.buffer.append(0x0A)
                    try rejectLines.flushIfFull()
                }
                try rejectLines.close()
                try writeRejectsCSV(rejects, to: try sink("rejects.csv"))
            },
            {
                try writeReviewCSV(resolution, households: households, to: try sink("review.csv"))
                let pretty = JSONEncoder()
                pretty.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
                let summaryFile = try sink("summary.json")
                summaryFile.buffer.append(contentsOf: try pretty.encode(summary))
                summaryFile.buffer.append(0x0A)
                try summaryFile.close()
            },
        ] + scheduleTasks(appointments, folder: folder, fileMode: fileMode, sink: sink)
        var failures = [(any Error)?](repeating: nil, count: tasks.count)
        failures.withUnsafeMutableBufferPointer { buffer in
            let slots = TaskSlots(buffer)
            DispatchQueue.concurrentPerform(iterations: tasks.count) { i in
                do { try tasks[i]() } catch { slots.buffer[i] = error }
            }
        }
        if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
        var names = ["applicants.jsonl", "call-list.csv", "duplicates.csv", "rejects.csv", "rejects.jsonl", "review.csv", "summary.json"]
        if appointments != nil { names += ["calendars", "call-results.csv", "call-sheets", "schedule.csv", "schedule.jsonl"] }
        return names.sorted()
    }

    /// The appointment files (with a roster): two more tasks beside the others.
    func scheduleTasks(_ appointments: AppointmentPlan?, folder: URL, fileMode: mode_t,
                       sink: @escaping @Sendable (String) throws -> FileSink) -> [@Sendable () throws -> Void] {
        guard let appointments else { return [] }
        let outputs = ScheduleOutputs(plan: appointments, maskPhonesInSchedule: maskPhonesOnCallList,
                                      maskPhonesOnSheets: maskPhonesOnCallSheets, asOf: asOf)
        return [
            {
                try outputs.writeCSV(to: try sink("schedule.csv"))
                try outputs.writeJSONL(to: try sink("schedule.jsonl"))
                try outputs.writeResultsSheet(to: try sink("call-results.csv"))
            },
            {
                let folderMode: mode_t = fileMode & 0o040 != 0 ? 0o750 : 0o700
                for sub in ["call-sheets", "calendars"] {
                    guard mkdir(folder.appendingPathComponent(sub).path, folderMode) == 0 else {
                        throw RunError.cannotWrite(path: folder.appendingPathComponent(sub).path, reason: String(cString: strerror(errno)))
                    }
                }
                _ = try outputs.writeCallSheets(into: folder.appendingPathComponent("call-sheets"), fileMode: fileMode)
                try outputs.writeCalendars(into: folder.appendingPathComponent("calendars"), fileMode: fileMode)
            },
        ]
    }

    /// One line per merge: which rows became one household, with what score and which fields agreed.
    func writeDuplicatesCSV(_ r: Resolution, households: [Household], to file: FileSink) throws {
        var householdOf: [SourceRef: String] = [:]
        for h in households where h.sources.count > 1 { for s in h.sources { householdOf[s] = h.applicantID } }
        var csv = SpreadsheetCSV()
        csv.appendRow(["신청번호", "행 1", "행 2", "점수", "일치한 항목", "다른 항목"])
        let lines = r.merged.compactMap { e -> (String, PairEvidence)? in
            householdOf[r.source(e.a)].map { ($0, e) }
        }.sorted { ($0.0, $0.1.a, $0.1.b) < ($1.0, $1.1.a, $1.1.b) }
        for (id, e) in lines {
            let k = e.korean
            csv.appendRow([id, r.source(e.a).label, r.source(e.b).label, ScoreText.oneDecimal(e.score), k.agreed, k.disagreed])
            try file.take(&csv.bytes)
        }
        try file.take(&csv.bytes)
        try file.close()
    }

    /// Pairs for a person to decide. Fill 판정 with same/같음 or different/다름 and save the file as
    /// the configuration's `dedupe.decisions`: every later run honours it.
    func writeReviewCSV(_ r: Resolution, households: [Household], to file: FileSink) throws {
        // Only the rows of the pairs to review need their household (a map of every row would hold them all).
        var wanted: Set<SourceRef> = []
        for e in r.review {
            wanted.insert(r.source(e.a))
            wanted.insert(r.source(e.b))
        }
        var householdOf: [SourceRef: String] = [:]
        if !wanted.isEmpty {
            for h in households { for s in h.sources where wanted.contains(s) { householdOf[s] = h.applicantID } }
        }
        var csv = SpreadsheetCSV()
        csv.appendRow(["키 1", "키 2", "판정", "점수", "일치한 항목", "다른 항목", "행 1", "행 2", "신청번호 1", "신청번호 2",
                       "보호자 1", "보호자 2", "연락처 1", "연락처 2", "주소 1", "주소 2", "자녀 1", "자녀 2"])
        for e in r.review {
            let x = r.submission(e.a), y = r.submission(e.b)
            let k = e.korean
            func children(_ s: Submission) -> String { s.children.compactMap { $0.name?.name }.joined(separator: ", ") }
            csv.appendRow([SubmissionKey.of(x), SubmissionKey.of(y), "", ScoreText.oneDecimal(e.score), k.agreed, k.disagreed,
                           x.source.label, y.source.label, householdOf[x.source] ?? "", householdOf[y.source] ?? "",
                           x.guardianName?.name ?? "", y.guardianName?.name ?? "", x.phones.primary.formatted, y.phones.primary.formatted,
                           x.address?.text ?? "", y.address?.text ?? "", children(x), children(y)])
            try file.take(&csv.bytes)
        }
        try file.take(&csv.bytes)
        try file.close()
    }

    func writeRejectsCSV(_ rejects: [Reject], to file: FileSink) throws {
        var csv = SpreadsheetCSV()
        csv.appendRow(["파일", "행", "사유 코드", "고칠 내용", "열", "값", "원본 내용"])
        for r in rejects {
            let raw = r.cells.filter { !$0.value.isEmpty }.map { "\($0.column): \($0.value)" }.joined(separator: " | ")
            csv.appendRow([r.file, String(r.row), r.reason, r.message, r.column ?? "", r.value ?? "", raw])
            try file.take(&csv.bytes)
        }
        try file.take(&csv.bytes)
        try file.close()
    }

    func writeCallListCSV(_ entries: [CallListEntry], appointments: AppointmentPlan? = nil, to file: FileSink) throws {
        var csv = SpreadsheetCSV()
        csv.appendRow(["순위", "신청번호", "우선순위 사유", "보호자", "연락처", "다른 연락처", "주소", "자녀", "희망 서비스",
                       "통화 가능 시간", "가구 유형", "최초 신청", "대기일", "신청 건수", "메모", "확인할 점", "상담사", "약속 시간", "상담 언어"])
        var booked: [String: Appointment] = [:]
        for a in appointments?.result.appointments ?? [] { booked[a.applicantID] = a }
        var unscheduled: [String: UnscheduledReason] = [:]
        for u in appointments?.result.unscheduled ?? [] { unscheduled[u.applicantID] = u.reason }
        for e in entries {
            let h = e.household
            csv.appendRow([
                String(e.rank), h.applicantID, e.reason, HouseholdText.guardian(h),
                HouseholdText.phone(h.primaryPhone, masked: maskPhonesOnCallList), HouseholdText.otherPhones(h, masked: maskPhonesOnCallList),
                h.address?.text ?? "", HouseholdText.children(h), HouseholdText.careTypes(h), HouseholdText.window(h), HouseholdText.flags(h),
                h.firstSubmittedAt.map { "\($0.date.iso) \(HouseholdText.clock($0))" } ?? "",
                e.waitingDays.map(String.init) ?? "", String(h.sources.count),
                h.memos.joined(separator: " / "), HouseholdText.checks(h).joined(separator: " / "),
                booked[h.applicantID].map { HouseholdText.counselorName(appointments!, $0.counselorID) } ?? "",
                booked[h.applicantID].map { HouseholdText.shortWhen($0.start) } ?? (unscheduled[h.applicantID].map { "미배정: \($0.message)" } ?? ""),
                h.language ?? "",
            ])
            try file.take(&csv.bytes)
        }
        try file.take(&csv.bytes)
        try file.close()
    }
}

/// Where concurrent writing tasks leave their errors, each in its own slot.
private struct TaskSlots: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<(any Error)?>
    init(_ buffer: UnsafeMutableBufferPointer<(any Error)?>) { self.buffer = buffer }
}

/// A file written through a buffer, flushed in large blocks and synced on close.
public final class FileSink {
    let fd: Int32
    let path: String
    var buffer: [UInt8] = []
    static let blockSize = 1 << 20

    init(path: String, mode: mode_t) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard fd >= 0 else { throw RunError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        buffer.reserveCapacity(Self.blockSize + 4096)
    }

    /// Moves `bytes` into the file's buffer (leaving `bytes` empty), writing out full blocks.
    func take(_ bytes: inout [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        bytes.removeAll(keepingCapacity: true)
        try flushIfFull()
    }

    func flushIfFull() throws {
        if buffer.count >= Self.blockSize { try flush() }
    }

    func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            guard n > 0 else { throw RunError.cannotWrite(path: path, reason: "write failed (disk full?): \(String(cString: strerror(errno)))") }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        try flush()
        guard fsync(fd) == 0 else { throw RunError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        Foundation.close(fd)
    }
}
