import Foundation

/// Wall time and peak memory at the end of each stage of a run, for `--verbose` and the benchmarks:
/// an IT officer whose nightly run got slow can see which stage did it. Not part of any output file
/// (outputs must not change between two runs of the same inputs).
public struct StageTimes: Sendable {
    public struct Stage: Sendable {
        public var name: String
        public var seconds: Double
        /// Peak resident memory of the process so far, in MB.
        public var peakMB: Int
    }

    public private(set) var stages: [Stage] = []
    private var last = DispatchTime.now().uptimeNanoseconds

    public init() {}

    /// Closes the stage that ran since the previous mark.
    mutating func mark(_ name: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        stages.append(Stage(name: name, seconds: Double(now - last) / 1e9, peakMB: Int(usage.ru_maxrss / 1024)))
        last = now
    }

    /// One line per stage: `read+normalize 10.81 s  peak 912 MB`.
    public var lines: [String] {
        stages.map { s in
            let name = s.name.padding(toLength: 16, withPad: " ", startingAt: 0)
            return "\(name) \(String(format: "%6.2f", s.seconds)) s  peak \(s.peakMB) MB"
        }
    }
}
