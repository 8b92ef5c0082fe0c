import Foundation

extension DolbomRun {
    /// A night without new exports (an empty inbox, the usual case with `processed_files: move`) still has
    /// work: the families the state holds are planned again, retries fall due and appointments move off
    /// leave days. Only a run with neither exports nor a state file has nothing to do.
    func plansFromStateAlone(diagnostics: DiagnosticsCollector) -> Bool {
        guard let path = options.statePath, FileManager.default.fileExists(atPath: path) else { return false }
        diagnostics.emit(Diagnostic(.note, "no_new_exports", "새 신청 파일이 없어 상태 파일에 있는 가구로만 계획합니다."))
        return true
    }
}
