import Foundation

/// Wall time and peak memory at the end of each stage of a run, for `--verbose` and the benchmarks:
/// an IT officer whose nightly run got slow can see which stage did it. Not part of any output file
/// (outputs must not change between two runs of the same inputs).
public struct StageTimes: Sendable {
    public struct Stage: Sendable {
        public var name: String
        public var seconds: Double
        /// User plus system CPU time of the whole process during the stage: near twice `seconds` on two
        /// cores when the stage keeps both busy, near `seconds` when it runs on one.
        public var cpuSeconds: Double
        /// Peak resident memory of the process so far, in MB.
        public var peakMB: Int
    }

    public private(set) var stages: [Stage] = []
    private var last = DispatchTime.now().uptimeNanoseconds
    private var lastCPU = StageTimes.cpuSeconds(StageTimes.usage())

    public init() {}

    /// Closes the stage that ran since the previous mark.
    mutating func mark(_ name: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        let usage = StageTimes.usage()
        let cpu = StageTimes.cpuSeconds(usage)
        stages.append(
            Stage(
                name: name, seconds: Double(now - last) / 1e9, cpuSeconds: cpu - lastCPU,
                peakMB: Int(usage.ru_maxrss / 1024)))
        last = now
        lastCPU = cpu
    }

    private static func usage() -> rusage {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage
    }

    private static func cpuSeconds(_ u: rusage) -> Double {
        Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
    }

    /// One line per stage: `read+normalize 10.81 s  cpu 19.20 s  peak 912 MB`.
    public var lines: [String] {
        stages.map { s in
            let name = s.name.padding(toLength: 16, withPad: " ", startingAt: 0)
            return
                "\(name) \(String(format: "%6.2f", s.seconds)) s  cpu \(String(format: "%6.2f", s.cpuSeconds)) s  peak \(s.peakMB) MB"
        }
    }
}
