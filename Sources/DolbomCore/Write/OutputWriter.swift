import CDolbomSystem
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
    /// Earlier calls by applicant id (from the state), for the call list and the call sheets.
    public var callHistory: [String: CallHistory] = [:]
    /// Facilities families were guided to and their visits, by applicant id (from the state).
    public var referrals: [String: [Referral]] = [:]
    /// The households that have referrals, for visits.csv and the visit pages.
    public var referralHouseholds: [String: Household] = [:]
    /// Write visits.csv and visits/ (runs with a state file, where referrals are kept).
    public var writesVisits = false
    /// The facility suggestions and the registry's rejects (only when `facilities:` is configured).
    public var facilities: FacilityOutputs?

    public init(maskPhonesOnCallList: Bool = false, maskPhonesOnCallSheets: Bool = false, asOf: LocalDate) {
        self.maskPhonesOnCallList = maskPhonesOnCallList
        self.maskPhonesOnCallSheets = maskPhonesOnCallSheets
        self.asOf = asOf
    }

    /// Starts writing, in the background, the files that need only the resolved households, their statuses,
    /// the rejects and the merge evidence (applicants.jsonl, duplicates.csv, review.csv, rejects.*): the run
    /// plans, checks and commits state meanwhile, and `finish` writes the rest. `folder` is a fresh temporary
    /// folder; `statuses[i]` is the status of `households[i]`. Streaming: memory does not hold a whole file.
    public func start(into folder: URL, fileMode: mode_t, households: [Household], statuses: [HouseholdStatus],
                      rejects: [Reject], resolution: Resolution) throws -> PendingFiles {
        @Sendable func sink(_ name: String) throws -> FileSink { try FileSink(path: folder.appendingPathComponent(name).path, mode: fileMode) }

        // applicants.jsonl is most of the bytes: the first task works on it from the start, and every task
        // that ends (here and in `finish`) joins in, so neither core waits for the other.
        let facilities = self.facilities
        let applicants = try OrderedChunks(file: sink("applicants.jsonl"), count: households.count, chunkSize: 2048) { range, out in
            households.withUnsafeBufferPointer { all in
                for i in range {
                    Household.prefetch(all, ahead: i, in: range, text: true)
                    ApplicantJSON.write(all[i], status: statuses[i], suggestions: facilities?.matches.byIndex[i], into: out)
                    out.append(0x0A)
                }
            }
        }
        let facilityTasks: [@Sendable () throws -> Void] = facilities.map { f in
            [{
                try f.writeMatchesCSV(households, to: try sink("facility-matches.csv"))
                try FacilityOutputs.writeRejectsCSV(f.load.rejects, to: try sink("facility-rejects.csv"))
            }]
        } ?? []
        let tasks: [@Sendable () throws -> Void] = facilityTasks + [
            { try applicants.help() },
            {
                // Both files name the household of a row; review.csv is small and follows.
                let owners = RowOwners(households)
                try writeDuplicatesCSV(resolution, households: households, owners: owners, to: try sink("duplicates.csv"))
                try writeReviewCSV(resolution, households: households, owners: owners, to: try sink("review.csv"))
            },
            {
                let rejectLines = try sink("rejects.jsonl")
                let lines = ByteBuffer(capacity: 1 << 16)
                for reject in rejects {
                    ApplicantJSON.writeReject(reject, into: lines)
                    lines.append(0x0A)
                    try rejectLines.drain(lines)
                }
                try rejectLines.take(lines)
                try rejectLines.close()
                try writeRejectsCSV(rejects, to: try sink("rejects.csv"))
            },
            { try applicants.help() },
        ]
        return PendingFiles(applicants: applicants, tasks: tasks)
    }

    /// Writes the files that need the plan and the summary (call-list.csv, summary.json, the schedule files)
    /// into the folder `pending` writes to, helps with applicants.jsonl, and waits for `pending`.
    /// Returns the names of every file written.
    public func finish(_ pending: PendingFiles, into folder: URL, fileMode: mode_t, callList: [CallListEntry],
                       summary: RunSummary, appointments: AppointmentPlan? = nil) throws -> [String] {
        @Sendable func sink(_ name: String) throws -> FileSink { try FileSink(path: folder.appendingPathComponent(name).path, mode: fileMode) }
        let applicants = pending.applicants
        // The call list is the second largest file: rendered in chunks like applicants.jsonl, by the first
        // task and by every task that ends.
        let callListFile = try callListChunks(callList, appointments: appointments, to: try sink("call-list.csv"))
        let tasks: [@Sendable () throws -> Void] = [
            { try callListFile.help() },
            {
                let pretty = JSONEncoder()
                pretty.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
                let summaryFile = try sink("summary.json")
                summaryFile.buffer.append(contentsOf: try pretty.encode(summary))
                summaryFile.buffer.append(0x0A)
                try summaryFile.close()
            },
            {
                guard let figures = summary.report else { return }
                let reportFile = try sink("report.html")
                reportFile.buffer.append(contentsOf: ReportPage(figures: figures, asOf: asOf).render().utf8)
                try reportFile.close()
            },
        ] + scheduleTasks(appointments, folder: folder, fileMode: fileMode, sink: sink)
          + visitTasks(appointments, folder: folder, fileMode: fileMode, sink: sink) + [
            { try applicants.help() },
            { try callListFile.help() },
        ]
        let failures = ParallelMap.map(count: tasks.count, chunk: 1) { i -> (any Error)? in
            do { try tasks[i]() } catch { return error }
            return nil
        }
        if let failure = pending.wait() ?? failures.lazy.compactMap({ $0 }).first { throw failure }
        var names = ["applicants.jsonl", "call-list.csv", "duplicates.csv", "rejects.csv", "rejects.jsonl", "review.csv", "summary.json"]
        if summary.report != nil { names.append("report.html") }
        if facilities != nil { names += ["facility-matches.csv", "facility-rejects.csv"] }
        if appointments != nil { names += ["calendars", "call-results.csv", "call-sheets", "schedule.csv", "schedule.jsonl"] }
        if writesVisits { names += ["visits", "visits.csv"] }
        return names.sorted()
    }

    /// The appointment files (with a roster): two more tasks beside the others.
    func scheduleTasks(_ appointments: AppointmentPlan?, folder: URL, fileMode: mode_t,
                       sink: @escaping @Sendable (String) throws -> FileSink) -> [@Sendable () throws -> Void] {
        guard let appointments else { return [] }
        var made = ScheduleOutputs(plan: appointments, maskPhonesInSchedule: maskPhonesOnCallList,
                                   maskPhonesOnSheets: maskPhonesOnCallSheets, asOf: asOf, callHistory: callHistory,
                                   referrals: referrals)
        made.facilities = facilities
        let outputs = made
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

    /// visits.csv and visits/ (with a state file): one more task beside the others.
    func visitTasks(_ appointments: AppointmentPlan?, folder: URL, fileMode: mode_t,
                    sink: @escaping @Sendable (String) throws -> FileSink) -> [@Sendable () throws -> Void] {
        guard writesVisits else { return [] }
        let outputs = VisitOutputs(referrals: Array(referrals.values.joined()), households: referralHouseholds, plan: appointments,
                                   maskPhonesInCSV: maskPhonesOnCallList, maskPhonesOnPages: maskPhonesOnCallSheets, asOf: asOf,
                                   registry: facilities?.load.registry)
        return [{
            try outputs.writeCSV(to: try sink("visits.csv"))
            let pages = folder.appendingPathComponent("visits")
            guard mkdir(pages.path, fileMode & 0o040 != 0 ? 0o750 : 0o700) == 0 else {
                throw RunError.cannotWrite(path: pages.path, reason: String(cString: strerror(errno)))
            }
            try outputs.writePages(into: pages, fileMode: fileMode)
        }]
    }

    /// One line per merge: which rows became one household, with what score and which fields agreed.
    func writeDuplicatesCSV(_ r: Resolution, households: [Household], owners: RowOwners, to file: FileSink) throws {
        var csv = SpreadsheetCSV()
        csv.appendRow(["신청번호", "행 1", "행 2", "점수", "일치한 항목", "다른 항목"])
        // Ordered by applicant id through the households' id ranks: integers to compare, not strings.
        let ranks = Self.idRanks(households)
        var lines: [(rank: Int32, household: Int32, edge: PairEvidence)] = []
        lines.reserveCapacity(r.merged.count)
        for e in r.merged {
            if let h = owners.household(of: r.source(e.a)), h.multiSource { lines.append((ranks[h.index], Int32(h.index), e)) }
        }
        lines.sort { ($0.rank, $0.edge.a, $0.edge.b) < ($1.rank, $1.edge.a, $1.edge.b) }
        var wording = AgreementWording()
        for (n, line) in lines.enumerated() {
            // In id-rank order the households are anywhere in memory (see `Household.prefetchFields`).
            if n + 8 < lines.count {
                households.withUnsafeBufferPointer { Household.prefetchFields(in: UnsafeRawPointer($0.baseAddress! + Int(lines[n + 8].household)), at: 0) }
            }
            let e = line.edge
            let k = wording.korean(e)
            // Cells opened and closed around the writers: a closure reading `r` copied the resolution.
            let a = r.source(e.a), b = r.source(e.b)
            csv.cell(households[Int(line.household)].applicantID)
            csv.beginCell()
            csv.sourceLabel(a)
            csv.endCell()
            csv.beginCell()
            csv.sourceLabel(b)
            csv.endCell()
            csv.beginCell()
            csv.oneDecimal(e.score)
            csv.endCell()
            csv.cell(k.agreed)
            csv.cell(k.disagreed)
            csv.endRow()
            try file.drain(csv.buffer)
        }
        try file.take(csv.buffer)
        try file.close()
    }

    /// Each household's place in applicant-id order (equal ids share a place), as the sort by id
    /// string would put them; households come sorted from Resolve, so this is usually one pass.
    static func idRanks(_ households: [Household]) -> [Int32] {
        let ids = households.map(\.applicantID)
        var order = Array(ids.indices)
        if !ids.indices.dropFirst().allSatisfy({ !(ids[$0] < ids[$0 - 1]) }) { order.sort { ids[$0] < ids[$1] } }
        var ranks = [Int32](repeating: 0, count: ids.count)
        var rank: Int32 = 0
        for (n, i) in order.enumerated() {
            if n > 0, ids[order[n - 1]] < ids[i] { rank += 1 }
            ranks[i] = rank
        }
        return ranks
    }

    /// Pairs for a person to decide. Fill 판정 with same/같음 or different/다름 and save the file as
    /// the configuration's `dedupe.decisions`: every later run honours it.
    func writeReviewCSV(_ r: Resolution, households: [Household], owners: RowOwners, to file: FileSink) throws {
        var csv = SpreadsheetCSV()
        csv.appendRow(["키 1", "키 2", "판정", "점수", "일치한 항목", "다른 항목", "행 1", "행 2", "신청번호 1", "신청번호 2",
                       "보호자 1", "보호자 2", "연락처 1", "연락처 2", "주소 1", "주소 2", "자녀 1", "자녀 2"])
        func householdID(_ s: SourceRef) -> String { owners.household(of: s).map { households[$0.index].applicantID } ?? "" }
        for e in r.review {
            let x = r.submission(e.a), y = r.submission(e.b)
            let k = e.korean
            func children(_ s: Submission) -> String { s.children.compactMap { $0.name?.name }.joined(separator: ", ") }
            csv.appendRow([SubmissionKey.of(x), SubmissionKey.of(y), "", ScoreText.oneDecimal(e.score), k.agreed, k.disagreed,
                           x.source.label, y.source.label, householdID(x.source), householdID(y.source),
                           x.guardianName?.name ?? "", y.guardianName?.name ?? "", x.phones.primary.formatted, y.phones.primary.formatted,
                           x.address?.text ?? "", y.address?.text ?? "", children(x), children(y)])
            try file.drain(csv.buffer)
        }
        try file.take(csv.buffer)
        try file.close()
    }

    func writeRejectsCSV(_ rejects: [Reject], to file: FileSink) throws {
        var csv = SpreadsheetCSV()
        csv.appendRow(["파일", "행", "사유 코드", "고칠 내용", "열", "값", "원본 내용"])
        for r in rejects {
            csv.cell(r.file)
            csv.cell(r.row)
            csv.cell(r.reason)
            csv.cell(r.message)
            csv.cell(r.column ?? "")
            csv.cell(r.value ?? "")
            // The row as read: `column: value` for each cell with a value, joined by ` | `.
            csv.beginCell()
            var first = true
            for c in r.cells where !c.value.isEmpty {
                if !first { csv.literal(" | ") }
                first = false
                csv.text(c.column)
                csv.literal(": ")
                csv.text(c.value)
            }
            csv.endCell()
            csv.endRow()
            try file.drain(csv.buffer)
        }
        try file.take(csv.buffer)
        try file.close()
    }

    static let callListHeader = ["순위", "신청번호", "우선순위 사유", "보호자", "연락처", "다른 연락처", "주소", "자녀", "희망 서비스",
                                 "통화 가능 시간", "가구 유형", "최초 신청", "대기일", "신청 건수", "메모", "확인할 점", "상담사", "약속 시간", "상담 언어"]
        + CallListHistoryColumns.header + CallListReferralColumns.header

    /// call-list.csv: one row per household to call, in rank order, rendered in chunks by whoever helps
    /// (`OrderedChunks`). Cells are written in pieces straight into the CSV (`HouseholdText`'s writers),
    /// not joined into strings first: this is the second largest file.
    func callListChunks(_ entries: [CallListEntry], appointments: AppointmentPlan?, to file: FileSink) throws -> OrderedChunks {
        var header = SpreadsheetCSV()
        header.appendRow(Self.callListHeader + (facilities == nil ? [] : FacilityOutputs.callListHeader))
        try file.take(header.buffer)
        var booked: [String: Appointment] = [:]
        for a in appointments?.result.appointments ?? [] { booked[a.applicantID] = a }
        var unscheduled: [String: UnscheduledReason] = [:]
        for u in appointments?.result.unscheduled ?? [] { unscheduled[u.applicantID] = u.reason }
        let history = CallListHistoryColumns(history: callHistory, plan: appointments)
        let referrals = CallListReferralColumns(referrals: referrals, asOf: asOf)
        let shared = ReadOnlyShared(value: (entries: entries, appointments: appointments, booked: booked, unscheduled: unscheduled))
        let masked = maskPhonesOnCallList
        let facilities = self.facilities
        return OrderedChunks(file: file, count: entries.count, chunkSize: 2048) { range, out in
            let s = shared.value
            Self.callListRows(s.entries, range, masked: masked, appointments: s.appointments, booked: s.booked,
                              unscheduled: s.unscheduled, history: history, referrals: referrals, facilities: facilities, into: out)
        }
    }

    /// The call-list rows of `entries[range]`.
    private static func callListRows(_ entries: [CallListEntry], _ range: Range<Int>, masked: Bool, appointments: AppointmentPlan?,
                                     booked: [String: Appointment], unscheduled: [String: UnscheduledReason],
                                     history: CallListHistoryColumns, referrals: CallListReferralColumns, facilities: FacilityOutputs?,
                                     into out: ByteBuffer) {
        var csv = SpreadsheetCSV(continuing: out)
        // Entries lent from the array's buffer, not copied with their household and strings; cells opened
        // and closed around the writers (closures capturing the entry copied it for each).
        entries.withUnsafeBufferPointer { entries in
        // The households ahead asked for (see `Household.prefetchFields`), through raw pointers: reading
        // `entries[i].household` for it copied the whole entry.
        let ahead = CallListPlanner.HouseholdsAhead(entries)
        for i in range {
            ahead.prefetch(before: i, in: range)
            // The fields read one by one: a copy of the entry (made for each use of it) retained its household.
            let h = entries[i].household, why = entries[i].why, waitingDays = entries[i].waitingDays
            csv.cell(entries[i].rank)
            csv.cell(h.applicantID)
            csv.beginCell()
            why.write(household: h, waitingDays: waitingDays, into: &csv)
            csv.endCell()
            csv.beginCell()
            HouseholdText.guardian(h, into: &csv)
            csv.endCell()
            let phones = h.phones
            csv.beginCell()
            if let p = phones.first { csv.phone(p, masked: masked) }
            csv.endCell()
            csv.beginCell()
            csv.joined(phones.dropFirst(), separator: ", ") { $0.phone($1, masked: masked) }
            csv.endCell()
            if let a = h.address { csv.cell(a.text) } else { csv.emptyCell() }
            csv.beginCell()
            HouseholdText.children(h, into: &csv)
            csv.endCell()
            csv.beginCell()
            HouseholdText.careTypes(h, into: &csv)
            csv.endCell()
            csv.beginCell()
            if let w = h.contactWindow { csv.window(w) }
            csv.endCell()
            csv.beginCell()
            HouseholdText.flags(h, into: &csv)
            csv.endCell()
            csv.beginCell()
            if let t = h.firstSubmittedAt { HouseholdText.dayAndClock(t, into: &csv) }
            csv.endCell()
            if let days = waitingDays { csv.cell(days) } else { csv.emptyCell() }
            csv.cell(h.sources.count)
            csv.beginCell()
            csv.joined(h.memos, separator: " / ") { $0.text($1) }
            csv.endCell()
            csv.beginCell()
            HouseholdText.checks(h, separator: " / ", into: &csv)
            csv.endCell()
            if let appointments {
                let appointment = booked[h.applicantID]
                csv.cell(appointment.map { HouseholdText.counselorName(appointments, $0.counselorID) } ?? "")
                csv.cell(appointment.map { HouseholdText.shortWhen($0.start) } ?? (unscheduled[h.applicantID].map { "미배정: \($0.message)" } ?? ""))
            } else {
                csv.emptyCell()
                csv.emptyCell()
            }
            csv.cell(h.language ?? "")
            history.write(h.applicantID, into: &csv)
            referrals.write(h.applicantID, into: &csv)
            facilities?.writeCallListColumns(h.applicantID, into: &csv)
            csv.endRow()
        } }
    }
}

/// Which household holds each source row: one array per input file indexed by row number, built in one
/// pass over the households (a dictionary keyed by every row cost more to build than the CSVs it served).
struct RowOwners {
    struct Owner {
        var index: Int
        /// Made of more than one row (only such households list merges).
        var multiSource: Bool
    }

    private struct FileKey: Hashable {
        var file: String
        var fromState: Bool?
    }

    /// Per file (a run reads a few): household index + 1 by row, negative for single-row households, 0 for
    /// none. Found by a scan, not a dictionary: a file's rows share one name string, so comparing names
    /// is mostly comparing their storage, where hashing a Korean name normalized it on every lookup.
    private var files: [FileKey] = []
    private var tables: [[Int32]] = []
    /// Rows too far out to index by number.
    private var others: [SourceRef: Owner] = [:]
    static let maxIndexedRow = 1 << 26

    private func fileIndex(_ file: String, _ fromState: Bool?) -> Int? {
        files.firstIndex { $0.file == file && $0.fromState == fromState }
    }

    init(_ households: [Household]) {
        var current = -1
        // Households asked for ahead (see `Household.prefetchFields`) and their rows lent, not copied.
        households.withUnsafeBufferPointer { all in
            for i in all.indices {
                Household.prefetch(all, ahead: i, in: all.indices)
                all[i].sources.withUnsafeBufferPointer { add($0, of: i, current: &current) }
            }
        }
    }

    /// Records household `i`'s rows; `current` is the file of the row before (rows come file by file).
    private mutating func add(_ sources: UnsafeBufferPointer<SourceRef>, of i: Int, current: inout Int) {
        let multi = sources.count > 1
        for s in sources {
            guard s.row >= 0 && s.row < Self.maxIndexedRow else {
                others[s] = Owner(index: i, multiSource: multi)
                continue
            }
            if current < 0 || s.file != files[current].file || s.fromState != files[current].fromState {
                if let known = fileIndex(s.file, s.fromState) {
                    current = known
                } else {
                    files.append(FileKey(file: s.file, fromState: s.fromState))
                    tables.append([])
                    current = files.count - 1
                }
            }
            if s.row >= tables[current].count {
                let count = tables[current].count
                tables[current].append(contentsOf: repeatElement(0, count: Swift.max(s.row + 1 - count, count)))
            }
            tables[current][s.row] = multi ? Int32(i + 1) : -Int32(i + 1)
        }
    }

    func household(of s: SourceRef) -> Owner? {
        guard s.row >= 0 && s.row < Self.maxIndexedRow else { return others[s] }
        guard let f = fileIndex(s.file, s.fromState), s.row < tables[f].count else { return nil }
        let v = Int(tables[f][s.row])
        return v == 0 ? nil : Owner(index: abs(v) - 1, multiSource: v > 0)
    }
}

/// `PairEvidence.korean`, worked out once per combination of field agreements (there are a few hundred).
struct AgreementWording {
    private var cache: [UInt16: (agreed: String, disagreed: String)] = [:]

    mutating func korean(_ e: PairEvidence) -> (agreed: String, disagreed: String) {
        if let known = cache[e.packed.bits] { return known }
        let k = e.korean
        cache[e.packed.bits] = k
        return k
    }
}

extension TextSink {
    /// `SourceRef.label`: `file.csv:12`, with ` (이전 실행)` for a row from an earlier run.
    mutating func sourceLabel(_ s: SourceRef) {
        text(s.file)
        literal(":")
        number(s.row)
        if s.fromState == true { literal(" (이전 실행)") }
    }
}

/// The first half of the Write stage, running on a background queue while the run goes on
/// (`OutputWriter.start`). `wait` must be called before the folder is published or discarded.
public final class PendingFiles: @unchecked Sendable {
    let applicants: OrderedChunks
    private let done = DispatchGroup()
    // Written by the background task before `done` is left; read after waiting on it.
    private var failure: (any Error)?

    init(applicants: OrderedChunks, tasks: [@Sendable () throws -> Void]) {
        self.applicants = applicants
        done.enter()
        DispatchQueue.global().async { [self] in
            let failures = ParallelMap.map(count: tasks.count, chunk: 1) { i -> (any Error)? in
                do { try tasks[i]() } catch { return error }
                return nil
            }
            failure = failures.lazy.compactMap { $0 }.first
            done.leave()
        }
    }

    /// Blocks until the background files are written (or failed); returns the first failure.
    @discardableResult
    public func wait() -> (any Error)? {
        done.wait()
        return failure
    }
}

/// A file of lines rendered in chunks by any task that helps, and written in order: a task takes the next
/// chunk, renders it into a buffer, and whoever holds the chunk next in line writes what is ready.
/// The last chunk written closes (and syncs) the file. Buffers are refilled once written (a fresh one for
/// every chunk came from `mmap` and cost a page fault per 4 KB written) and let go with the file.
final class OrderedChunks: @unchecked Sendable {
    private let file: FileSink
    private let count: Int
    private let chunkSize: Int
    private let chunks: Int
    private let render: @Sendable (Range<Int>, ByteBuffer) -> Void
    private let lock = NSLock()
    // Under `lock`:
    private var nextToRender = 0
    private var nextToWrite = 0
    private var ready: [Int: ByteBuffer] = [:]
    private var spare: [ByteBuffer] = []
    /// The size of the last chunk rendered, for the first capacity of a new buffer.
    private var lastSize = 1 << 16
    private var failed = false
    /// A task is writing ready chunks out (outside the lock).
    private var writing = false

    init(file: FileSink, count: Int, chunkSize: Int, render: @escaping @Sendable (Range<Int>, ByteBuffer) -> Void) {
        self.file = file
        self.count = count
        self.chunkSize = chunkSize
        // One chunk even for no lines, so the (empty) file is closed like any other.
        chunks = max(1, (count + chunkSize - 1) / chunkSize)
        self.render = render
    }

    /// Renders and writes chunks until none is left to take. One task at a time writes (`writing`), outside
    /// the lock: a task that finishes a chunk meanwhile leaves it ready and renders the next.
    func help() throws {
        while true {
            lock.lock()
            let chunk = nextToRender
            nextToRender += 1
            let buffer = chunk < chunks && !failed ? spare.popLast() ?? ByteBuffer(capacity: lastSize + lastSize / 4) : nil
            lock.unlock()
            guard let buffer else { return }
            render(chunk * chunkSize ..< min(count, (chunk + 1) * chunkSize), buffer)
            lock.lock()
            guard !failed else {
                lock.unlock()
                return
            }
            lastSize = max(lastSize, buffer.count)
            ready[chunk] = buffer
            guard !writing else {
                lock.unlock()
                continue
            }
            writing = true
            while true {
                var batch: [ByteBuffer] = []
                while let next = ready.removeValue(forKey: nextToWrite) {
                    batch.append(next)
                    nextToWrite += 1
                }
                guard !batch.isEmpty else { break }
                let last = nextToWrite == chunks
                lock.unlock()
                do {
                    for b in batch { try file.write(b.bytes) }
                    if last { try file.close() }
                } catch {
                    lock.lock()
                    failed = true
                    writing = false
                    lock.unlock()
                    throw error
                }
                lock.lock()
                if last {
                    spare = []
                } else {
                    for b in batch {
                        b.removeAll()
                        spare.append(b)
                    }
                }
            }
            writing = false
            lock.unlock()
        }
    }
}

/// A file written through a buffer, flushed in large blocks and synced on close.
///
/// A file that grows past one staging block (applicants.jsonl, call-list.csv, …) is written with O_DIRECT
/// from an aligned staging buffer: the run syncs every file before it renames the folder into place, so
/// the bytes go to the disk anyway, and the page-cache copy it saves is a gigabyte of memory the machine
/// would otherwise have to find (on a VM that returns freed memory to its host, 2.5 s per GB of fresh
/// pages against 0.6 s per GB to the disk). Small files, and file systems that refuse O_DIRECT, are
/// written through the page cache as before; the bytes in the file are the same either way.
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

    deinit {
        if !closed { Foundation.close(fd) }
        staging?.deallocate()
    }

    func flushIfFull() throws {
        if buffer.count >= Self.blockSize { try flush() }
    }

    func flush() throws {
        try writeAll(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Moves `bytes` into the file's buffer (leaving `bytes` empty), writing out full blocks.
    func take(_ bytes: ByteBuffer) throws {
        buffer.append(contentsOf: bytes.bytes)
        bytes.removeAll()
        try flushIfFull()
    }

    /// Writes `bytes` out once they fill a block (leaving `bytes` empty), straight from the caller's buffer.
    func drain(_ bytes: ByteBuffer) throws {
        guard bytes.count >= Self.blockSize else { return }
        try flush()
        try writeAll(bytes.bytes)
        bytes.removeAll()
    }

    /// Writes `bytes` out after what is buffered.
    func write(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        try flush()
        try writeAll(bytes)
    }

    private func writeAll(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBufferPointer { try writeAll($0) }
    }

    /// Bytes collect in the staging block; each full block goes to the file.
    private func writeAll(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        guard !bytes.isEmpty else { return }
        let block = staging ?? {
            let b = UnsafeMutableRawPointer.allocate(byteCount: Self.stagingSize, alignment: Self.directAlignment)
            staging = b
            return b
        }()
        var offset = 0
        while offset < bytes.count {
            let n = min(Self.stagingSize - staged, bytes.count - offset)
            (block + staged).copyMemory(from: bytes.baseAddress! + offset, byteCount: n)
            staged += n
            offset += n
            if staged == Self.stagingSize {
                // A full block: the file is a big one, written past the page cache from here on.
                if !directTried {
                    directTried = true
                    direct = dolbom_set_direct_io(fd, 1) == 0
                }
                try writeStaged(count: staged)
                staged = 0
            }
        }
    }

    /// Writes the first `count` bytes of the staging block (a multiple of the alignment when direct).
    private func writeStaged(count: Int) throws {
        try writeOut(UnsafeRawPointer(staging!), count: count)
    }

    private func writeOut(_ block: UnsafeRawPointer, count: Int) throws {
        var offset = 0
        while offset < count {
            let n = systemWrite(fd, block + offset, count - offset)
            if n < 0, errno == EINVAL, direct {
                // The file system took O_DIRECT but not this write: the rest goes through the page cache.
                direct = false
                _ = dolbom_set_direct_io(fd, 0)
                continue
            }
            guard n > 0 else { throw RunError.cannotWrite(path: path, reason: "write failed (disk full?): \(String(cString: strerror(errno)))") }
            offset += n
            if direct, n % Self.directAlignment != 0 {
                // A short write leaves the next one unaligned: finish through the page cache.
                direct = false
                _ = dolbom_set_direct_io(fd, 0)
            }
        }
        written += count
        // Through the page cache, the disk is given each 16 MB as it is written rather than the whole file at
        // `close`'s fsync, which the run then waited for (0.2 s for applicants.jsonl at 1M rows). A hint:
        // `close` still syncs it all.
        if !direct, written - handedToDisk >= Self.writebackStep {
            _ = dolbom_start_writeback(fd, Int64(handedToDisk), Int64(written - handedToDisk))
            handedToDisk = written
        }
    }

    /// Staging block: large enough that each direct write keeps the disk busy, small enough for every
    /// open file to have one.
    static let stagingSize = 4 << 20
    /// O_DIRECT needs buffer, offset and length aligned to the device's logical block (512 or 4096 bytes).
    static let directAlignment = 4096
    private var staging: UnsafeMutableRawPointer?
    private var staged = 0
    private var directTried = false
    /// Whether the blocks go past the page cache (for tests: the bytes are the same either way).
    private(set) var direct = false
    private var closed = false
    /// write(2), replaceable by tests to refuse a direct write or cut one short as a file system may.
    var systemWrite: (Int32, UnsafeRawPointer, Int) -> Int = { Foundation.write($0, $1, $2) }
    private var written = 0
    private var handedToDisk = 0
    static let writebackStep = 16 << 20

    func close() throws {
        if staging == nil {
            // A small file (a call sheet, summary.json): its bytes never left the buffer, and go out from there.
            try buffer.withUnsafeBytes { if let base = $0.baseAddress { try writeOut(base, count: $0.count) } }
            buffer.removeAll()
        }
        try flush()
        if staged > 0 {
            if direct {
                // The last block is written whole, zero-padded to the alignment, and the file cut back to its length.
                let length = written + staged
                let padded = (staged + Self.directAlignment - 1) / Self.directAlignment * Self.directAlignment
                (staging! + staged).initializeMemory(as: UInt8.self, repeating: 0, count: padded - staged)
                try writeStaged(count: padded)
                guard ftruncate(fd, off_t(length)) == 0 else { throw RunError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
                written = length
            } else {
                try writeStaged(count: staged)
            }
            staged = 0
        }
        guard fsync(fd) == 0 else { throw RunError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        closed = true
        Foundation.close(fd)
        staging?.deallocate()
        staging = nil
    }
}
