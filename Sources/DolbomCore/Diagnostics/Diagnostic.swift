import Foundation
import Synchronization

/// Something a person should read after a run: where it happened (file, row,
/// column), what value (masked when personal), and what to do.
///
/// Stages never print; they hand diagnostics to a `DiagnosticsCollector`, and
/// the command line decides how and whether to show them.
public struct Diagnostic: Hashable, Sendable, Codable {
    public enum Severity: String, Hashable, Sendable, Codable, Comparable {
        case note, warning, error

        private var rank: Int { self == .note ? 0 : self == .warning ? 1 : 2 }
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }

    public var severity: Severity
    /// snake_case, stable: `csv_unterminated_quote`, `header_unrecognized`, ...
    public var code: String
    public var message: String
    public var file: String?
    public var row: Int?
    public var column: String?
    /// Already masked where it could hold personal data.
    public var value: String?

    public init(
        _ severity: Severity, _ code: String, _ message: String,
        file: String? = nil, row: Int? = nil, column: String? = nil, value: String? = nil
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.file = file
        self.row = row
        self.column = column
        self.value = value
    }

    /// `file:row: warning: [code] message (column "x", value "y")`, the shape compilers use.
    public var rendered: String {
        var location = ""
        if let file { location = file + (row.map { ":\($0)" } ?? "") + ": " }
        var text = "\(location)\(severity.rawValue): [\(code)] \(message)"
        var context: [String] = []
        if let column { context.append("열 \"\(column)\"") }
        if let value { context.append("값 \"\(value)\"") }
        if !context.isEmpty { text += " (" + context.joined(separator: ", ") + ")" }
        return text
    }
}

/// Collects diagnostics from every stage of a run; a mutable sink shared by reference.
public final class DiagnosticsCollector: Sendable {
    private let items = Mutex<[Diagnostic]>([])

    public init() {}

    public func emit(_ diagnostic: Diagnostic) {
        items.withLock { $0.append(diagnostic) }
    }

    public var all: [Diagnostic] { items.withLock { $0 } }

    public var hasErrors: Bool { all.contains { $0.severity == .error } }
}
