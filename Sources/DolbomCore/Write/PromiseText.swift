import DolbomNormalize
import DolbomSchedule

/// How a promised day reads on schedule.csv, the call sheets and in schedule.jsonl.
extension HouseholdText {
    /// `07-18(목) 재통화 요청`
    static func promiseLabel(_ p: Promise) -> String {
        "\(p.day.iso.dropFirst(5))(\(weekday(p.day))) \(p.kind.korean)"
    }

    /// Why a promised day was not kept and what was done instead, for the person who tells the family.
    static func promiseNote(_ miss: PromiseMiss) -> String {
        let head =
            "\(miss.promise.kind.korean)일 \(miss.promise.day.iso.dropFirst(5))(\(weekday(miss.promise.day)))에 "
            + "잡지 못했습니다(\(miss.reason.message))."
        guard let booked = miss.booked else { return head }
        return head + " 가장 가까운 \(shortWhen(booked.start))에 잡았으니 가족에게 알려 주세요."
    }

    /// The schedule line's reason cell: an earlier appointment that moved, then a promise not kept.
    static func changeNote(_ id: String, plan: AppointmentPlan, moved: Rescheduled?, misses: [String: PromiseMiss])
        -> String
    {
        [moved.map { moveNote($0, plan: plan) }, misses[id].map(promiseNote)].compactMap { $0 }.joined(separator: " ")
    }
}

extension JSONLine {
    /// schedule.jsonl's `promise`: the day, its kind, whether the appointment is on that day and why not.
    static func promise(_ p: Promise?, miss: PromiseMiss?, bookedOn: LocalDate?) -> JSONLine {
        guard let p else { return .null }
        return .object([
            ("day", .string(p.day.iso)), ("kept", .bool(bookedOn == p.day)), ("kind", .string(p.kind.rawValue)),
            ("reason", .optional(miss?.reason.code)),
        ])
    }
}
