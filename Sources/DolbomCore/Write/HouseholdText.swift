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

    static func children(_ h: Household) -> String { h.children.map(OutputWriter.childText).joined(separator: "; ") }

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

    static func bookingLabel(_ kind: BookingKind?) -> String {
        switch kind {
        case .kept?: return "유지"
        case .new?: return "새 약속"
        case .moved?: return "변경"
        case nil: return ""
        }
    }

    /// Why an earlier appointment moved, for the family's phone call: `07-16(화) 09:00 김상담 → 공휴일 …`.
    static func moveNote(_ r: Rescheduled, plan: AppointmentPlan) -> String {
        "이전 약속 \(shortWhen(r.old.start)) \(counselorName(plan, r.old.counselorID)): \(r.reason.message)"
    }
}
