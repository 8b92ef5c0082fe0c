import DolbomNormalize

/// Codes of the issues with the given severity, sorted, for exact comparison.
func codes<V>(_ r: Normalized<V>, _ severity: FieldIssue.Severity = .warning) -> [String] {
    r.issues.filter { $0.severity == severity }.map(\.code).sorted()
}

/// Every issue must have a snake_case code and a Korean message for staff.
func issuesAreWellFormed<V>(_ r: Normalized<V>) -> Bool {
    r.issues.allSatisfy { issue in
        !issue.code.isEmpty
            && issue.code.unicodeScalars.allSatisfy {
                ($0 >= "a" && $0 <= "z") || $0 == "_" || ($0 >= "0" && $0 <= "9")
            }
            && issue.message.unicodeScalars.contains { $0.value >= 0xAC00 && $0.value <= 0xD7A3 }
    }
}
