import DolbomNormalize
import DolbomSchedule

/// How a household's earlier calls read on the call list, the call sheets and in `dolbom explain`. Memos are
/// the counselors' own words: shown as written (the CSV and HTML writers escape them), never logged.
enum CallHistoryText {
    /// `재통화요청 (재통화일 2024-07-18)`, `부재중`.
    static func result(_ call: CallHistory.Call) -> String {
        call.outcome + (call.callbackOn.map { " (재통화일 \($0.iso))" } ?? "")
    }

    /// `2024-07-16 10:30`
    static func when(_ call: CallHistory.Call) -> String {
        StringSink.build { HouseholdText.dayAndClock(call.at, into: &$0) }
    }

    /// The counselor by name when the roster knows the id, otherwise as the sheet wrote it.
    static func counselor(_ call: CallHistory.Call, plan: AppointmentPlan?) -> String {
        guard let id = call.counselor else { return "" }
        return plan.map { HouseholdText.counselorName($0, id) } ?? id
    }

    /// Every memo, oldest first, each after its call's day: `07-16 퇴근 후 다시 전화 / 07-18 아이 하원 후`.
    static func memos(_ history: CallHistory) -> String {
        history.memos.map { "\($0.at.date.iso.dropFirst(5)) \($0.note ?? "")" }.joined(separator: " / ")
    }

    /// The call sheet's line: `07-16(화) 10:30 김하늘 · 재통화요청 (재통화일 2024-07-18) · 이번이 3번째 통화`.
    static func summary(_ history: CallHistory, plan: AppointmentPlan?) -> String? {
        guard let last = history.last else { return nil }
        var parts = ["\(HouseholdText.shortWhen(last.at))"]
        let who = counselor(last, plan: plan)
        if !who.isEmpty { parts[0] += " \(who)" }
        parts.append(result(last))
        parts.append("이번이 \(history.attempts + 1)번째 통화" + (history.noAnswers > 0 ? " (부재중 \(history.noAnswers)번)" : ""))
        return parts.joined(separator: " · ")
    }

    /// For `dolbom explain`: every call, oldest first, with its memo.
    static func explanation(_ history: CallHistory, plan: AppointmentPlan?) -> [String] {
        var lines = ["  통화 기록: \(history.attempts)번" + (history.noAnswers > 0 ? " (부재중 \(history.noAnswers)번)" : "")]
        for call in history.calls {
            let who = counselor(call, plan: plan)
            let memo = (call.note ?? "").isEmpty ? "" : " — 메모: \(call.note!)"
            lines.append("    \(when(call)) \(who.isEmpty ? "-" : who) \(result(call))" + memo)
        }
        return lines
    }
}

extension AppointmentPlan {
    /// `dolbom explain`'s lines for a household's calls (nil plan: names as the sheets wrote them).
    public static func callHistoryExplanation(_ history: CallHistory, plan: AppointmentPlan?) -> [String] {
        CallHistoryText.explanation(history, plan: plan)
    }
}

/// call-list.csv's last columns: the household's earlier calls (empty for a family never called).
struct CallListHistoryColumns: Sendable {
    static let header = ["지난 통화 결과", "지난 통화일", "지난 상담사", "통화 시도", "통화 메모"]

    let history: [String: CallHistory]
    let plan: AppointmentPlan?

    func write(_ applicantID: String, into csv: inout SpreadsheetCSV) {
        // A first run has no history: no id is hashed for it (the call list can have a million rows).
        guard !history.isEmpty, let h = history[applicantID], let last = h.last else {
            for _ in Self.header { csv.emptyCell() }
            return
        }
        csv.cell(CallHistoryText.result(last))
        csv.cell(CallHistoryText.when(last))
        csv.cell(CallHistoryText.counselor(last, plan: plan))
        csv.cell(h.attempts)
        csv.cell(CallHistoryText.memos(h))
    }
}
