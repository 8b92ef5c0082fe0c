import ArgumentParser
import DolbomCore
import Foundation
import Logging

@main
struct Dolbom: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dolbom",
        abstract: "Turns child-care request form exports into a call list for counselors (돌봄 상담 신청 → 상담 전화 목록).",
        discussion: """
        Exit codes:
          0   success
          3   some rows were rejected and --strict was given
          64  usage error (bad flag or argument)
          65  an input file could not be read as CSV, or only in part (the other files were processed and written)
          66  no input files found
          70  internal error: the row-accounting check failed; nothing was written
          73  the output folder could not be written
          78  configuration error (config file, 법정동코드 file)
        """,
        version: DolbomVersion.current,
        subcommands: [Run.self, Inspect.self],
        defaultSubcommand: nil
    )
}

/// Exit codes documented in `--help` and the README (BSD sysexits where one fits).
enum ExitStatus {
    static let rowsRejected: Int32 = 3
    static let usage: Int32 = 64
    static let inputUnreadable: Int32 = 65
    static let noInput: Int32 = 66
    static let internalError: Int32 = 70
    static let cannotWrite: Int32 = 73
    static let config: Int32 = 78
}

struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file (YAML).")
    var config: String?

    @Flag(name: .shortAndLong, help: "Print the effective configuration and per-file details.")
    var verbose = false

    @Flag(name: .shortAndLong, help: "Print nothing on success (for cron).")
    var quiet = false

    func validate() throws {
        if verbose && quiet { throw ValidationError("--verbose and --quiet cannot be used together.") }
    }

    func loadConfiguration() throws -> DolbomConfiguration {
        guard let config else { return DolbomConfiguration() }
        do {
            return try DolbomConfiguration.load(from: URL(fileURLWithPath: config))
        } catch {
            FileHandle.standardError.write(Data("dolbom: \(error)\n".utf8))
            throw ExitCode(ExitStatus.config)
        }
    }

    func bootstrapLogging() {
        let level: Logger.Level = verbose ? .info : (quiet ? .error : .warning)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

enum DolbomVersion {
    static let current = "0.1.0"
}
