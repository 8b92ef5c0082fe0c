import ArgumentParser
import DolbomCore
import DolbomNormalize
import DolbomSchedule
import Foundation

extension Dolbom {
    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Explain why rows were or were not merged into a household (an applicant id H-… or a row file.csv:12). Writes nothing."
        )

        @OptionGroup var common: CommonOptions

        @Option(name: .long, help: "State database (default: the configuration's `state`).")
        var state: String?

        @Option(name: .customLong("as-of"), help: "The day (YYYY-MM-DD); default: today in Asia/Seoul.")
        var asOf: String?

        @Argument(help: "An applicant id (H-XXXXXXXXXX) or a row (file.csv:12).")
        var target: String

        @Argument(help: "Export files or folders (default: the configuration's inputs).")
        var inputs: [String] = []

        /// Where the household stands in the schedule a run would make now, and what moved before.
        static func appointmentLines(_ id: String, plan: AppointmentPlan, statePath: String?) -> [String] {
            var lines: [String] = []
            let when: (Appointment) -> String = { a in
                let name = plan.counselor(a.counselorID).map { $0.name.isEmpty ? a.counselorID : "\($0.name) (\(a.counselorID))" } ?? a.counselorID
                return "\(a.start.date.iso) \(a.start.iso.dropFirst(11).prefix(5)) \(name)"
            }
            if let a = plan.result.appointments.first(where: { $0.applicantID == id }) {
                let kind = plan.kinds[id].map { ["kept": "유지", "new": "새 약속", "moved": "변경"][$0.rawValue] ?? $0.rawValue } ?? ""
                lines.append("  약속: \(when(a)) (\(kind))")
            } else if let u = plan.result.unscheduled.first(where: { $0.applicantID == id }) {
                lines.append("  약속: 미배정 — \(u.reason.message)")
            } else {
                lines.append("  약속: 계획 대상이 아닙니다(종료되었거나 다시 걸 날이 계획 기간 뒤).")
            }
            if let r = plan.result.rescheduled.first(where: { $0.applicantID == id }) {
                lines.append("  이전 약속 \(when(r.old)): \(r.reason.message)")
            }
            if let statePath, let store = try? StateStore(path: statePath), let history = try? store.appointmentHistory(applicantID: id), !history.isEmpty {
                lines.append("  약속 기록:")
                for c in history {
                    lines.append("    \(c.old.map(when) ?? "-") → \(c.new.map(when) ?? "-") (\(c.reason))")
                }
            }
            return lines
        }

        func run() throws {
            common.bootstrapLogging()
            let config = try common.loadConfiguration()
            let inputs = inputs.isEmpty ? (config.inputs ?? []) : inputs
            guard !inputs.isEmpty else { throw ValidationError("Give the export files (or set `inputs` in the configuration).") }
            var options = RunOptions(inputs: inputs, output: NSTemporaryDirectory() + "dolbom-explain", asOf: asOf.flatMap(LocalDate.init(iso:)) ?? SeoulCalendar.today(),
                                     configuration: config, dryRun: true, statePath: common.statePath(state, config))
            options.recordHistory = false
            options.keepSubmissions = true
            let result: RunResult
            do { result = try DolbomRun(options: options).run(diagnostics: DiagnosticsCollector()) } catch {
                Terminal.err("dolbom: error: \(error)")
                throw ExitCode(DolbomExitCode.of(error))
            }
            guard let explanation = MergeExplanation(target: target, resolution: result.resolution,
                                                     thresholds: config.dedupe?.weights ?? MatchWeights()) else {
                Terminal.err("dolbom: \(target): no such applicant id or row in these inputs")
                throw ExitCode(DolbomExitCode.noInput)
            }
            var lines: [String] = []
            if let h = explanation.household {
                lines.append("\(h.applicantID): 보호자 \(h.guardianName.map { Masking.name($0.name) } ?? "-"), 신청 \(h.sources.count)건, 자녀 \(h.children.count)명")
                lines.append("  행: " + h.sources.map(\.label).joined(separator: ", "))
            }
            if explanation.lines.isEmpty {
                lines.append("  비교한 다른 행이 없습니다(전화, 이름+시군구, 주소+동호수, 자녀+생년월일 중 같은 값을 가진 행이 없음).")
            }
            for line in explanation.lines {
                lines.append(String(format: "  %@ ~ %@  점수 %.1f  → %@", line.left.label, line.right.label, line.score, line.verdict))
                if !line.agreed.isEmpty { lines.append("      일치: \(line.agreed)") }
                if !line.disagreed.isEmpty { lines.append("      다름: \(line.disagreed)") }
            }
            if let h = explanation.household, let plan = result.appointments {
                lines += Self.appointmentLines(h.applicantID, plan: plan, statePath: common.statePath(state, config))
            }
            Terminal.out(lines.joined(separator: "\n"))
        }
    }
}
