import DolbomSchedule

extension AppointmentPlan {
    /// One warning when promised days were missed (cron mails it: someone must tell the families), and a note
    /// per household (shown with `--verbose`). Applicant ids and days only: no names or numbers.
    func reportMissedPromises(to diagnostics: DiagnosticsCollector) {
        let misses = result.promiseMisses
        guard !misses.isEmpty else { return }
        let byKind = Promise.Kind.allCases.compactMap { kind -> String? in
            let n = misses.filter { $0.promise.kind == kind }.count
            return n == 0 ? nil : "\(kind.korean) \(n)"
        }
        diagnostics.emit(
            Diagnostic(
                .warning, "promise_missed",
                "약속한 날에 잡지 못한 통화가 \(misses.count)건 있습니다(\(byKind.joined(separator: ", "))). "
                    + "schedule.csv의 '약속한 날'과 '변경·미배정 사유'를 보고 가족에게 바뀐 날을 알려 주세요."))
        for miss in misses {
            diagnostics.emit(
                Diagnostic(.note, "promise_missed", "\(miss.applicantID): " + HouseholdText.promiseNote(miss)))
        }
    }
}
