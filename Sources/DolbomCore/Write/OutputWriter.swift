import Dispatch
import DolbomNormalize
import DolbomRuntime
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
    public func start(
        into folder: URL, fileMode: mode_t, households: [Household], statuses: [HouseholdStatus],
        rejects: [Reject], resolution: Resolution
    ) throws -> PendingFiles {
        @Sendable func sink(_ name: String) throws -> OutputFile {
            try OutputFile(path: folder.appendingPathComponent(name).path, mode: fileMode)
        }

        // applicants.jsonl is most of the bytes: the first task works on it from the start, and every task
        // that ends (here and in `finish`) joins in, so neither core waits for the other.
        let facilities = self.facilities
        let applicants = try OrderedChunks(file: sink("applicants.jsonl"), count: households.count, chunkSize: 2048) {
            range, out in
            for i in range {
                ApplicantJSON.write(
                    households[i], status: statuses[i], suggestions: facilities?.matches.byIndex[i], into: out)
                out.write(0x0A)
            }
        }
        // facility-matches.csv has a few rows per household: rendered in chunks the same way.
        let matches = try facilities.map { try $0.matchesChunks(households, to: try sink("facility-matches.csv")) }
        let facilityTasks: [@Sendable () throws -> Void] =
            facilities.map { f in
                [
                    {
                        try FacilityOutputs.writeRejectsCSV(f.load.rejects, to: try sink("facility-rejects.csv"))
                        try matches?.help()
                    }
                ]
            } ?? []
        let tasks: [@Sendable () throws -> Void] =
            facilityTasks + [
                { try applicants.help() },
                {
                    // Both files name the household of a row; review.csv is small and follows.
                    let owners = RowOwners(households)
                    try writeDuplicatesCSV(
                        resolution, households: households, owners: owners, to: try sink("duplicates.csv"))
                    try writeReviewCSV(resolution, households: households, owners: owners, to: try sink("review.csv"))
                },
                {
                    let rejectLines = try sink("rejects.jsonl")
                    let lines = ByteBuffer(capacity: 1 << 16)
                    for reject in rejects {
                        ApplicantJSON.writeReject(reject, into: lines)
                        lines.write(0x0A)
                        try rejectLines.drain(lines)
                    }
                    try rejectLines.take(lines)
                    try rejectLines.close()
                    try writeRejectsCSV(rejects, to: try sink("rejects.csv"))
                },
                {
                    try applicants.help()
                    try matches?.help()
                },
            ]
        return PendingFiles(applicants: applicants, tasks: tasks)
    }

    /// Writes the files that need the plan and the summary (call-list.csv, summary.json, the schedule files)
    /// into the folder `pending` writes to, helps with applicants.jsonl, and waits for `pending`.
    /// Returns the names of every file written.
    public func finish(
        _ pending: PendingFiles, into folder: URL, fileMode: mode_t, callList: [CallListEntry],
        summary: RunSummary, appointments: AppointmentPlan? = nil
    ) throws -> [String] {
        @Sendable func sink(_ name: String) throws -> OutputFile {
            try OutputFile(path: folder.appendingPathComponent(name).path, mode: fileMode)
        }
        let applicants = pending.applicants
        // The call list is the second largest file: rendered in chunks like applicants.jsonl, by the first
        // task and by every task that ends.
        let callListFile = try callListChunks(callList, appointments: appointments, to: try sink("call-list.csv"))
        let tasks: [@Sendable () throws -> Void] =
            [
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
        var names = [
            "applicants.jsonl", "call-list.csv", "duplicates.csv", "rejects.csv", "rejects.jsonl", "review.csv",
            "summary.json",
        ]
        if summary.report != nil { names.append("report.html") }
        if facilities != nil { names += ["facility-matches.csv", "facility-rejects.csv"] }
        if appointments != nil {
            names += ["calendars", "call-results.csv", "call-sheets", "schedule.csv", "schedule.jsonl"]
        }
        if writesVisits { names += ["visits", "visits.csv"] }
        return names.sorted()
    }

    /// The appointment files (with a roster): two more tasks beside the others.
    func scheduleTasks(
        _ appointments: AppointmentPlan?, folder: URL, fileMode: mode_t,
        sink: @escaping @Sendable (String) throws -> OutputFile
    ) -> [@Sendable () throws -> Void] {
        guard let appointments else { return [] }
        var made = ScheduleOutputs(
            plan: appointments, maskPhonesInSchedule: maskPhonesOnCallList,
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
                        throw RunError.cannotWrite(
                            path: folder.appendingPathComponent(sub).path, reason: String(cString: strerror(errno)))
                    }
                }
                _ = try outputs.writeCallSheets(into: folder.appendingPathComponent("call-sheets"), fileMode: fileMode)
                try outputs.writeCalendars(into: folder.appendingPathComponent("calendars"), fileMode: fileMode)
            },
        ]
    }

    /// visits.csv and visits/ (with a state file): one more task beside the others.
    func visitTasks(
        _ appointments: AppointmentPlan?, folder: URL, fileMode: mode_t,
        sink: @escaping @Sendable (String) throws -> OutputFile
    ) -> [@Sendable () throws -> Void] {
        guard writesVisits else { return [] }
        let outputs = VisitOutputs(
            referrals: Array(referrals.values.joined()), households: referralHouseholds, plan: appointments,
            maskPhonesInCSV: maskPhonesOnCallList, maskPhonesOnPages: maskPhonesOnCallSheets, asOf: asOf,
            registry: facilities?.load.registry)
        return [
            {
                try outputs.writeCSV(to: try sink("visits.csv"))
                let pages = folder.appendingPathComponent("visits")
                guard mkdir(pages.path, fileMode & 0o040 != 0 ? 0o750 : 0o700) == 0 else {
                    throw RunError.cannotWrite(path: pages.path, reason: String(cString: strerror(errno)))
                }
                try outputs.writePages(into: pages, fileMode: fileMode)
            }
        ]
    }

    /// One line per merge: which rows became one household, with what score and which fields agreed.
    func writeDuplicatesCSV(_ r: Resolution, households: [Household], owners: RowOwners, to file: OutputFile) throws {
        var csv = SpreadsheetCSV()
        csv.appendRow(["신청번호", "행 1", "행 2", "점수", "일치한 항목", "다른 항목"])
        // Ordered by applicant id through the households' id ranks: integers to compare, not strings.
        let ranks = Self.idRanks(households)
        var lines: [(rank: Int32, household: Int32, edge: PairEvidence)] = []
        lines.reserveCapacity(r.merged.count)
        for e in r.merged {
            if let h = owners.household(of: r.source(e.a)), h.multiSource {
                lines.append((ranks[h.index], Int32(h.index), e))
            }
        }
        lines.sort { ($0.rank, $0.edge.a, $0.edge.b) < ($1.rank, $1.edge.a, $1.edge.b) }
        var wording = AgreementWording()
        for line in lines {
            let e = line.edge
            let k = wording.korean(e)
            // Cells opened and closed around the writers: a closure reading `r` copied the resolution.
            let a = r.source(e.a)
            let b = r.source(e.b)
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
        let order = idOrder(ids)
        var ranks = [Int32](repeating: 0, count: ids.count)
        var rank: Int32 = 0
        for (n, i) in order.enumerated() {
            if n > 0, ids[order[n - 1]] < ids[i] { rank += 1 }
            ranks[i] = rank
        }
        return ranks
    }

    /// The households' indices in applicant-id order (stable for equal ids); households come sorted from
    /// Resolve, so this is usually one pass.
    static func idOrder(_ households: [Household]) -> [Int] { idOrder(households.map(\.applicantID)) }

    static func idOrder(_ ids: [String]) -> [Int] {
        var order = Array(ids.indices)
        if !ids.indices.dropFirst().allSatisfy({ !(ids[$0] < ids[$0 - 1]) }) { order.sort { ids[$0] < ids[$1] } }
        return order
    }

    /// Pairs for a person to decide. Fill 판정 with same/같음 or different/다름 and save the file as
    /// the configuration's `dedupe.decisions`: every later run honours it.
    func writeReviewCSV(_ r: Resolution, households: [Household], owners: RowOwners, to file: OutputFile) throws {
        var csv = SpreadsheetCSV()
        csv.appendRow([
            "키 1", "키 2", "판정", "점수", "일치한 항목", "다른 항목", "행 1", "행 2", "신청번호 1", "신청번호 2",
            "보호자 1", "보호자 2", "연락처 1", "연락처 2", "주소 1", "주소 2", "자녀 1", "자녀 2",
        ])
        func householdID(_ s: SourceRef) -> String {
            owners.household(of: s).map { households[$0.index].applicantID } ?? ""
        }
        for e in r.review {
            let x = r.submission(e.a)
            let y = r.submission(e.b)
            let k = e.korean
            func children(_ s: Submission) -> String { s.children.compactMap { $0.name?.name }.joined(separator: ", ") }
            csv.appendRow([
                SubmissionKey.of(x), SubmissionKey.of(y), "", ScoreText.oneDecimal(e.score), k.agreed, k.disagreed,
                x.source.label, y.source.label, householdID(x.source), householdID(y.source),
                x.guardianName?.name ?? "", y.guardianName?.name ?? "", x.phones.primary.formatted,
                y.phones.primary.formatted,
                x.address?.text ?? "", y.address?.text ?? "", children(x), children(y),
            ])
            try file.drain(csv.buffer)
        }
        try file.take(csv.buffer)
        try file.close()
    }

    func writeRejectsCSV(_ rejects: [Reject], to file: OutputFile) throws {
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

    static let callListHeader =
        [
            "순위", "신청번호", "우선순위 사유", "보호자", "연락처", "다른 연락처", "주소", "자녀", "희망 서비스",
            "통화 가능 시간", "가구 유형", "최초 신청", "대기일", "신청 건수", "메모", "확인할 점", "상담사", "약속 시간", "상담 언어",
        ]
        + CallListHistoryColumns.header + CallListReferralColumns.header

    /// call-list.csv: one row per household to call, in rank order, rendered in chunks by whoever helps
    /// (`OrderedChunks`). Cells are written in pieces straight into the CSV (`HouseholdText`'s writers),
    /// not joined into strings first: this is the second largest file.
    func callListChunks(_ entries: [CallListEntry], appointments: AppointmentPlan?, to file: OutputFile) throws
        -> OrderedChunks
    {
        var header = SpreadsheetCSV()
        header.appendRow(Self.callListHeader + (facilities == nil ? [] : FacilityOutputs.callListHeader))
        try file.take(header.buffer)
        var booked: [String: Appointment] = [:]
        for a in appointments?.result.appointments ?? [] { booked[a.applicantID] = a }
        var unscheduled: [String: UnscheduledReason] = [:]
        for u in appointments?.result.unscheduled ?? [] { unscheduled[u.applicantID] = u.reason }
        let history = CallListHistoryColumns(history: callHistory, plan: appointments)
        let referrals = CallListReferralColumns(referrals: referrals, asOf: asOf)
        let masked = maskPhonesOnCallList
        let facilities = self.facilities
        return OrderedChunks(file: file, count: entries.count, chunkSize: 2048) { [booked, unscheduled] range, out in
            Self.callListRows(
                entries, range, masked: masked, appointments: appointments, booked: booked,
                unscheduled: unscheduled, history: history, referrals: referrals, facilities: facilities, into: out)
        }
    }

    /// The call-list rows of `entries[range]`.
    private static func callListRows(
        _ entries: [CallListEntry], _ range: Range<Int>, masked: Bool, appointments: AppointmentPlan?,
        booked: [String: Appointment], unscheduled: [String: UnscheduledReason],
        history: CallListHistoryColumns, referrals: CallListReferralColumns, facilities: FacilityOutputs?,
        into out: ByteBuffer
    ) {
        var csv = SpreadsheetCSV(continuing: out)
        // Cells opened and closed around the writers (closures capturing the entry copied it for each).
        for i in range {
            // The fields read one by one: a copy of the entry (made for each use of it) retained its household.
            let h = entries[i].household
            let why = entries[i].why
            let waitingDays = entries[i].waitingDays
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
                csv.cell(
                    appointment.map { HouseholdText.shortWhen($0.start) }
                        ?? (unscheduled[h.applicantID].map { "미배정: \($0.message)" } ?? ""))
            } else {
                csv.emptyCell()
                csv.emptyCell()
            }
            csv.cell(h.language ?? "")
            history.write(h.applicantID, into: &csv)
            referrals.write(h.applicantID, into: &csv)
            facilities?.writeCallListColumns(h.applicantID, into: &csv)
            csv.endRow()
        }
    }
}
