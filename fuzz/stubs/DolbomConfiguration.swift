// The reader's view of the configuration, for the fuzz builds only (scripts/fuzz.sh): the real
// `DolbomConfiguration` reads YAML (Yams), which the CSV reader does not need. No mappings: every header is
// detected from its words.
import DolbomNormalize
import Foundation

public struct DolbomConfiguration: Sendable {
    public struct Mapping: Sendable {
        public var files = "*"
        public var columns: [String: String]?
        public var koreanAgeWording: Bool?
    }

    public init() {}

    public func mappings(for fileName: String) -> [Mapping] { [] }
}

extension ColumnRole {
    public init?(configName: String) { return nil }
}
