import Dispatch
import DolbomNormalize
import DolbomSchedule
import Foundation

extension TextSink {
    /// `SourceRef.label`: `file.csv:12`, with ` (이전 실행)` for a row from an earlier run.
    mutating func sourceLabel(_ s: SourceRef) {
        text(s.file)
        literal(":")
        number(s.row)
        if s.fromState == true { literal(" (이전 실행)") }
    }
}
