import DolbomNormalize
import DolbomSchedule

/// How a household reads to a counselor, shared by the call list, the schedule and the call sheets
/// so the same family looks the same on every page.
enum HouseholdText {
    static func guardian(_ h: Household) -> String {
        [h.guardianName?.name, h.guardianName?.role.map { "(\($0))" }].compactMap { $0 }.joined(separator: " ")
    }

    static func phone(_ p: PhoneNumber?, masked: Bool) -> String {
        p.map { masked ? $0.masked : $0.formatted } ?? ""
    }

    static func otherPhones(_ h: Household, masked: Bool) -> String {
        h.phones.dropFirst().map { masked ? $0.masked : $0.formatted }.joined(separator: ", ")
    }

    static func children(_ h: Household) -> String { h.children.map(child).joined(separator: "; ") }

    /// `김하은 (만 7세, 초2)`, `김하은 (2017-03-05생, 만 7세, 초2)`, or what the parent wrote.
    static func child(_ c: Household.Child) -> String {
        var facts: [String] = []
        if let birth = c.birthDate { facts.append("\(birth.iso)생") }
        if let age = c.age { facts.append("만 \(age)세") }
        if let grade = c.schoolGrade { facts.append("초\(grade)") }
        if facts.isEmpty, let text = c.ageText { facts.append("\"\(text)\"") }
        let name = c.name ?? "(이름 없음)"
        return facts.isEmpty ? name : "\(name) (\(facts.joined(separator: ", ")))"
    }

    static func window(_ h: Household) -> String {
        h.contactWindow.map { w in
            let structured = ContactWindowText.korean(w)
            return w.text.isEmpty || w.text == structured ? structured : "\(structured) (\(w.text))"
        } ?? ""
    }

    static func careTypes(_ h: Household) -> String { h.careTypes.map(\.rawValue).joined(separator: ", ") }

    static func flags(_ h: Household) -> String { h.flags.map(\.rawValue).joined(separator: ", ") }

    /// Warnings a counselor should check on the phone, each once.
    static func checks(_ h: Household) -> [String] {
        var seen: Set<String> = []
        return h.issues.filter { $0.severity == .warning || $0.severity == .fatal }.map(\.message).filter { seen.insert($0).inserted }
    }

    static let weekdayNames = ["", "월", "화", "수", "목", "금", "토", "일"]

    static func weekday(_ d: LocalDate) -> String { weekdayNames[d.isoWeekday] }

    static func clock(_ t: LocalDateTime) -> String { ContactWindowText.clock(t.hour * 60 + t.minute) }

    /// `07-16(화) 09:00`
    static func shortWhen(_ t: LocalDateTime) -> String {
        "\(t.date.iso.dropFirst(5))(\(weekday(t.date))) \(clock(t))"
    }

    static func counselorName(_ plan: AppointmentPlan, _ id: String) -> String {
        guard let c = plan.counselor(id) else { return id }
        return c.name.isEmpty ? id : c.name
    }

    /// Why an earlier appointment moved, for the family's phone call: `07-16(화) 09:00 김상담 → 공휴일 …`.
    static func moveNote(_ r: Rescheduled, plan: AppointmentPlan) -> String {
        "이전 약속 \(shortWhen(r.old.start)) \(counselorName(plan, r.old.counselorID)): \(r.reason.message)"
    }
}

extension AppointmentPlan {
    /// For `dolbom explain`: where the household stands in this plan, an earlier appointment that moved, and the
    /// moves and drops the state recorded (`history`, oldest first).
    public func explanation(for applicantID: String, history: [AppointmentChange]) -> [String] {
        func when(_ a: Appointment) -> String {
            let name = HouseholdText.counselorName(self, a.counselorID)
            return "\(a.start.date.iso) \(HouseholdText.clock(a.start)) \(name == a.counselorID ? name : "\(name) (\(a.counselorID))")"
        }
        var lines: [String] = []
        if let a = result.appointments.first(where: { $0.applicantID == applicantID }) {
            lines.append("  약속: \(when(a)) (\(kinds[applicantID]?.korean ?? ""))")
        } else if let u = result.unscheduled.first(where: { $0.applicantID == applicantID }) {
            lines.append("  약속: 미배정 — \(u.reason.message)")
        } else {
            lines.append("  약속: 계획 대상이 아닙니다(종료되었거나 다시 걸 날이 계획 기간 뒤).")
        }
        if let r = result.rescheduled.first(where: { $0.applicantID == applicantID }) {
            lines.append("  이전 약속 \(when(r.old)): \(r.reason.message)")
        }
        if !history.isEmpty {
            lines.append("  약속 기록:")
            for c in history { lines.append("    \(c.old.map(when) ?? "-") → \(c.new.map(when) ?? "-") (\(c.reason))") }
        }
        return lines
    }
}
