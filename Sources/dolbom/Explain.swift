import ArgumentParser
import DolbomCore
import DolbomNormalize
import Foundation

extension Dolbom {
    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Explain why rows were or were not merged into a household (an applicant id H-… or a row file.csv:12). Writes nothing."
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

        func run() throws {
            common.bootstrapLogging()
            let config = try common.loadConfiguration()
            let inputs = inputs.isEmpty ? (config.inputs ?? []) : inputs
            guard !inputs.isEmpty else {
                throw ValidationError("Give the export files (or set `inputs` in the configuration).")
            }
            var options = RunOptions(
                inputs: inputs, output: NSTemporaryDirectory() + "dolbom-explain",
                asOf: asOf.flatMap(LocalDate.init(iso:)) ?? SeoulCalendar.today(),
                configuration: config, dryRun: true, statePath: common.statePath(state, config))
            options.recordHistory = false
            options.keepSubmissions = true
            let result: RunResult
            do { result = try DolbomRun(options: options).run(diagnostics: DiagnosticsCollector()) } catch {
                Terminal.err("dolbom: error: \(error)")
                throw ExitCode(DolbomExitCode.of(error))
            }
            // An id merged away in an earlier run leads to the household that absorbed it.
            var target = target
            if let path = common.statePath(state, config), FileManager.default.fileExists(atPath: path),
                let current = try? StateStore(path: path).currentApplicantID(target), current != target
            {
                Terminal.out("\(target): 병합되어 지금은 \(current)입니다.")
                target = current
            }
            guard
                let explanation = MergeExplanation(
                    target: target, resolution: result.resolution,
                    thresholds: config.dedupe?.weights ?? MatchWeights())
            else {
                // A rejected row is in no household: say why it was left out.
                if let reject = RejectExplanation(target: target, rejects: result.rejects) {
                    Terminal.out(reject.lines.joined(separator: "\n"))
                    return
                }
                Terminal.err("dolbom: \(target): no such applicant id or row in these inputs")
                throw ExitCode(DolbomExitCode.noInput)
            }
            var lines: [String] = []
            if let h = explanation.household {
                lines.append(
                    "\(h.applicantID): 보호자 \(h.guardianName.map { Masking.name($0.name) } ?? "-"), 신청 \(h.sources.count)건, 자녀 \(h.children.count)명"
                )
                lines.append("  행: " + h.sources.map(\.label).joined(separator: ", "))
            }
            if explanation.lines.isEmpty {
                lines.append("  비교한 다른 행이 없습니다(전화, 이름+시군구, 주소+동호수, 자녀+생년월일 중 같은 값을 가진 행이 없음).")
            }
            lines += explanation.decisionLines(
                DolbomRun(options: options).staffDecisions(), resolution: result.resolution)
            for line in explanation.lines {
                lines.append(
                    String(
                        format: "  %@ ~ %@  점수 %.1f  → %@", line.left.label, line.right.label, line.score, line.verdict)
                )
                if !line.agreed.isEmpty { lines.append("      일치: \(line.agreed)") }
                if !line.disagreed.isEmpty { lines.append("      다름: \(line.disagreed)") }
            }
            if let h = explanation.household, let plan = result.appointments {
                let history = common.statePath(state, config).flatMap {
                    try? StateStore(path: $0).appointmentHistory(applicantID: h.applicantID)
                }
                lines += plan.explanation(for: h.applicantID, history: history ?? [])
            }
            if let h = explanation.household, let facilities = result.facilities {
                lines += FacilityExplanation.lines(facilities, applicantID: h.applicantID)
            }
            // The calls so far, with every memo: the counselor's words, shown here and never logged.
            if let h = explanation.household, let path = common.statePath(state, config),
                FileManager.default.fileExists(atPath: path)
            {
                if let calls = try? StateStore(path: path).callHistory(applicantID: h.applicantID) {
                    lines += AppointmentPlan.callHistoryExplanation(calls, plan: result.appointments)
                } else {
                    lines.append("  통화 기록: 없음")
                }
                // The facilities the family was guided to, the visits booked and what came of them.
                if let referrals = try? StateStore(path: path).referrals(applicantID: h.applicantID), !referrals.isEmpty
                {
                    lines += AppointmentPlan.referralExplanation(referrals, asOf: options.asOf)
                }
            }
            Terminal.out(lines.joined(separator: "\n"))
        }
    }
}
