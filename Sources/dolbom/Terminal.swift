import DolbomCore
import Foundation

/// Where the command line writes for people. Progress goes to a terminal
/// only, never into cron mail.
enum Terminal {
    static let stderrIsTerminal = isatty(STDERR_FILENO) == 1

    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func err(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func progress(_ text: String) {
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
    }

    static func clearProgress() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    /// Errors and warnings always; notes with --verbose. File-level only: row-level problems are in the reject files.
    static func printDiagnostics(_ diagnostics: [Diagnostic], verbose: Bool) {
        for d in diagnostics where d.severity != .note || verbose {
            err(d.rendered)
        }
    }
}
