import DolbomNormalize
import DolbomRuntime
import DolbomSchedule
import Foundation

/// The appointment files: `schedule.csv` for supervisors in Excel, `schedule.jsonl` for machines,
/// one printable call sheet per counselor per day, one calendar per counselor.
struct ScheduleOutputs {
    let plan: AppointmentPlan
    /// Phones on `schedule.csv` (like the call list).
    let maskPhonesInSchedule: Bool
    /// Phones on the printed call sheets.
    let maskPhonesOnSheets: Bool
    let asOf: LocalDate
    /// Appointments in the order people read them: day, time, counselor.
    let appointmentsByTime: [Appointment]
    /// Earlier appointments that moved, by applicant id.
    let movedByID: [String: Rescheduled]
    /// Promised days not kept, by applicant id.
    let promiseMisses: [String: PromiseMiss]
    /// Earlier calls by applicant id, for the call sheets.
    let callHistory: [String: CallHistory]
    /// Referrals by applicant id, for the call sheets.
    let referrals: [String: [Referral]]
    /// Facility suggestions for the call sheets (only when facilities are configured).
    var facilities: FacilityOutputs?

    init(
        plan: AppointmentPlan, maskPhonesInSchedule: Bool, maskPhonesOnSheets: Bool, asOf: LocalDate,
        callHistory: [String: CallHistory] = [:], referrals: [String: [Referral]] = [:]
    ) {
        self.plan = plan
        self.callHistory = callHistory
        self.referrals = referrals
        self.maskPhonesInSchedule = maskPhonesInSchedule
        self.maskPhonesOnSheets = maskPhonesOnSheets
        self.asOf = asOf
        appointmentsByTime = plan.result.appointments.sorted {
            ($0.start, $0.counselorID, $0.applicantID) < ($1.start, $1.counselorID, $1.applicantID)
        }
        movedByID = Dictionary(plan.result.rescheduled.map { ($0.applicantID, $0) }, uniquingKeysWith: { a, _ in a })
        promiseMisses = plan.promiseMisses
    }

    // MARK: schedule.csv

    func writeCSV(to file: OutputFile) throws {
        var csv = SpreadsheetCSV()
        csv.appendRow([
            "날짜", "요일", "시작", "끝", "상담사", "상담사 id", "순위", "신청번호", "보호자", "연락처", "자녀",
            "희망 서비스", "통화 가능 시간", "상담 언어", "우선순위 사유", "약속 상태", "변경·미배정 사유", "약속한 날",
        ])
        for a in appointmentsByTime {
            guard let e = plan.entries[a.applicantID] else { continue }
            let h = e.household
            csv.appendRow([
                a.start.date.iso, HouseholdText.weekday(a.start.date), HouseholdText.clock(a.start),
                HouseholdText.clock(a.end),
                HouseholdText.counselorName(plan, a.counselorID), a.counselorID, String(e.rank), h.applicantID,
                HouseholdText.guardian(h), HouseholdText.phone(h.primaryPhone, masked: maskPhonesInSchedule),
                HouseholdText.children(h), HouseholdText.careTypes(h), HouseholdText.window(h), h.language ?? "",
                e.reason,
                plan.kinds[a.applicantID]?.korean ?? "",
                HouseholdText.changeNote(
                    a.applicantID, plan: plan, moved: movedByID[a.applicantID], misses: promiseMisses),
                plan.promises[a.applicantID].map(HouseholdText.promiseLabel) ?? "",
            ])
            try file.take(csv.buffer)
        }
        for u in plan.result.unscheduled {
            guard let e = plan.entries[u.applicantID] else { continue }
            let h = e.household
            let earlier = HouseholdText.changeNote(
                u.applicantID, plan: plan, moved: movedByID[u.applicantID], misses: promiseMisses)
            let why = earlier.isEmpty ? u.reason.message : earlier + " " + u.reason.message
            csv.appendRow([
                "", "", "", "", "", "", String(e.rank), h.applicantID, HouseholdText.guardian(h),
                HouseholdText.phone(h.primaryPhone, masked: maskPhonesInSchedule), HouseholdText.children(h),
                HouseholdText.careTypes(h), HouseholdText.window(h), h.language ?? "", e.reason, "미배정", why,
                plan.promises[u.applicantID].map(HouseholdText.promiseLabel) ?? "",
            ])
            try file.take(csv.buffer)
        }
        try file.take(csv.buffer)
        try file.close()
    }

    // MARK: call-results.csv

    /// The sheet staff type the call results into, one line per appointment with the id, counselor and booked
    /// time filled in; `dolbom outcomes import` reads it back and skips the lines whose 결과 is still empty.
    /// The columns to fill (`결과` … `방문 결과`), then two to read by.
    static let resultsSheetHeader = ["신청번호", "상담원", "통화일시", "결과", "메모", "재통화일", "안내 기관", "방문 예약", "방문 결과", "보호자", "약속"]

    func writeResultsSheet(to file: OutputFile) throws {
        var csv = SpreadsheetCSV()
        csv.appendRow(Self.resultsSheetHeader)
        for a in appointmentsByTime {
            guard let e = plan.entries[a.applicantID] else { continue }
            let when = "\(a.start.date.iso) \(HouseholdText.clock(a.start))"
            csv.appendRow([
                a.applicantID, a.counselorID, when, "", "", "", "", "", "", HouseholdText.guardian(e.household),
                "\(HouseholdText.counselorName(plan, a.counselorID)) \(HouseholdText.shortWhen(a.start))",
            ])
            try file.take(csv.buffer)
        }
        try file.take(csv.buffer)
        try file.close()
    }

    // MARK: schedule.jsonl

    func writeJSONL(to file: OutputFile) throws {
        func previous(_ id: String) -> JSONLine {
            guard let r = movedByID[id] else { return .null }
            return .object([
                ("counselor_id", .string(r.old.counselorID)), ("start", .string(r.old.start.iso)),
                ("end", .string(r.old.end.iso)), ("reason", .string(r.reason.code)),
            ])
        }
        for a in appointmentsByTime {
            let line = JSONLine.object([
                ("applicant_id", .string(a.applicantID)), ("counselor_id", .string(a.counselorID)),
                ("start", .string(a.start.iso)), ("end", .string(a.end.iso)),
                ("rank", .optional(plan.entries[a.applicantID]?.rank)),
                ("status", .string(plan.kinds[a.applicantID]?.rawValue ?? BookingKind.new.rawValue)),
                ("reason", .null), ("previous", previous(a.applicantID)),
                (
                    "promise",
                    .promise(plan.promises[a.applicantID], miss: promiseMisses[a.applicantID], bookedOn: a.start.date)
                ),
            ])
            line.write(into: &file.buffer)
            file.buffer.append(0x0A)
            try file.flushIfFull()
        }
        for u in plan.result.unscheduled {
            let line = JSONLine.object([
                ("applicant_id", .string(u.applicantID)), ("counselor_id", .null), ("start", .null), ("end", .null),
                ("rank", .optional(plan.entries[u.applicantID]?.rank)), ("status", .string("unscheduled")),
                ("reason", .string(u.reason.code)), ("previous", previous(u.applicantID)),
                ("promise", .promise(plan.promises[u.applicantID], miss: promiseMisses[u.applicantID], bookedOn: nil)),
            ])
            line.write(into: &file.buffer)
            file.buffer.append(0x0A)
            try file.flushIfFull()
        }
        try file.close()
    }

    // MARK: call sheets and calendars

    /// A file-name-safe form of a counselor id (ids are staff-typed).
    static func fileSafe(_ id: String) -> String {
        String(
            id.unicodeScalars.map { u -> Character in
                let ok =
                    (u.properties.isAlphabetic || u.properties.numericType != nil || u == "-" || u == "_") && u != "/"
                return ok ? Character(u) : "_"
            })
    }

    /// Writes `call-sheets/<date>_<counselor>.html` for every counselor-day with calls, and `call-sheets/index.html`.
    func writeCallSheets(into folder: URL, fileMode: mode_t) throws -> Int {
        var byCell: [String: [String: [Appointment]]] = [:]  // date → counselor → appointments
        for a in plan.result.appointments {
            byCell[a.start.date.iso, default: [:]][a.counselorID, default: []].append(a)
        }
        var index: [(date: LocalDate, counselor: String, file: String, calls: Int)] = []
        for date in byCell.keys.sorted() {
            for counselor in byCell[date]!.keys.sorted() {
                let calls = byCell[date]![counselor]!.sorted { ($0.start, $0.applicantID) < ($1.start, $1.applicantID) }
                let name = "\(date)_\(Self.fileSafe(counselor)).html"
                let sheet = CallSheetHTML(
                    plan: plan, counselorID: counselor, date: LocalDate(iso: date)!, appointments: calls,
                    maskPhones: maskPhonesOnSheets, asOf: asOf, moved: movedByID,
                    history: callHistory, promiseMisses: promiseMisses, referrals: referrals, facilities: facilities)
                let sink = try OutputFile(path: folder.appendingPathComponent(name).path, mode: fileMode)
                sink.buffer.append(contentsOf: sheet.render().utf8)
                try sink.close()
                index.append((LocalDate(iso: date)!, counselor, name, calls.count))
            }
        }
        let sink = try OutputFile(path: folder.appendingPathComponent("index.html").path, mode: fileMode)
        sink.buffer.append(
            contentsOf: CallSheetHTML.index(
                index.map {
                    ($0.date, HouseholdText.counselorName(plan, $0.counselor), $0.counselor, $0.file, $0.calls)
                },
                asOf: asOf, unscheduled: plan.result.unscheduled.count
            ).utf8)
        try sink.close()
        return index.count
    }

    /// Writes `calendars/<counselor>.ics` for every counselor on the roster (empty calendars too, so a
    /// subscription never breaks when someone has no calls).
    func writeCalendars(into folder: URL, fileMode: mode_t) throws {
        var byCounselor: [String: [Appointment]] = [:]
        for a in plan.result.appointments { byCounselor[a.counselorID, default: []].append(a) }
        for c in plan.roster.counselors.sorted(by: { $0.id < $1.id }) {
            let calendar = CounselorCalendar(
                counselor: c, appointments: byCounselor[c.id] ?? [], plan: plan, asOf: asOf)
            let sink = try OutputFile(
                path: folder.appendingPathComponent("\(Self.fileSafe(c.id)).ics").path, mode: fileMode)
            sink.buffer.append(contentsOf: calendar.render().utf8)
            try sink.close()
        }
    }
}
