/// A problem found while normalizing one field of one row.
///
/// Normalizers never print and never guess silently: they return what they
/// could make of a cell together with the issues a counselor or the IT officer
/// should see. `fatal` means the field could not be used at all; whether that
/// rejects the row is the pipeline's decision (a missing memo is fine, a
/// missing phone is not).
public struct FieldIssue: Hashable, Sendable, Codable {
    public enum Severity: String, Hashable, Sendable, Codable {
        /// The value was used, but someone should look at it.
        case warning
        /// No usable value could be made of the cell.
        case fatal
    }

    /// Stable snake_case code, e.g. `phone_invalid_length`; tests and reject files key on it.
    public var code: String
    public var severity: Severity
    /// Korean text for staff saying what is wrong and what to fix.
    public var message: String

    public init(code: String, severity: Severity, message: String) {
        self.code = code
        self.severity = severity
        self.message = message
    }

    public static func warning(_ code: String, _ message: String) -> FieldIssue {
        FieldIssue(code: code, severity: .warning, message: message)
    }

    public static func fatal(_ code: String, _ message: String) -> FieldIssue {
        FieldIssue(code: code, severity: .fatal, message: message)
    }
}

/// The outcome of normalizing one cell: a value (possibly with warnings), or
/// no value and at least one fatal issue.
public struct Normalized<Value> {
    public var value: Value?
    public var issues: [FieldIssue]

    public init(value: Value?, issues: [FieldIssue] = []) {
        self.value = value
        self.issues = issues
    }

    public static func ok(_ value: Value, _ issues: [FieldIssue] = []) -> Normalized<Value> {
        Normalized(value: value, issues: issues)
    }

    public static func failed(_ issue: FieldIssue) -> Normalized<Value> {
        Normalized(value: nil, issues: [issue])
    }

    public var isFatal: Bool { issues.contains { $0.severity == .fatal } }

    public func map<T>(_ transform: (Value) -> T) -> Normalized<T> {
        Normalized<T>(value: value.map(transform), issues: issues)
    }
}

extension Normalized: Sendable where Value: Sendable {}
extension Normalized: Equatable where Value: Equatable {}
