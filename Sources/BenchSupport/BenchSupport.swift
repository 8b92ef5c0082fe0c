/// What the benchmark executables share: a seeded generator, so every run times the same made-up input,
/// and their sizes from the command line.

/// SplitMix64 (Steele, Lea, Flood 2014): small, fast and the same sequence on every platform, unlike
/// `SystemRandomNumberGenerator`.
public struct SplitMix64: RandomNumberGenerator {
    public var state: UInt64

    public init(state: UInt64) { self.state = state }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The benchmark's sizes: the whole-number arguments in order, each missing one taken from `defaults`.
public func benchSizes(_ defaults: Int...) -> [Int] {
    let args = CommandLine.arguments.dropFirst().compactMap { Int($0) }
    return defaults.indices.map { $0 < args.count ? args[$0] : defaults[$0] }
}
