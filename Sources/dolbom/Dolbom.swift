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
              66  no input files found and no state file to plan from
              70  internal error: the row-accounting check failed; nothing was written
              73  the output folder could not be written (or a lock path holds a link or anything but a regular file)
              75  another dolbom run is using the same state file (or output folder); nothing was done
              78  configuration error (config file, roster, 법정동코드 file, merge decisions file), by file, line and key
            """,
        version: DolbomVersion.current,
        subcommands: [
            Run.self, Inspect.self, Explain.self, Status.self, History.self, Outcomes.self, Purge.self, Facilities.self,
        ],
        defaultSubcommand: nil
    )
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
            throw ExitCode(DolbomExitCode.config)
        }
    }

    /// The state file: the flag, else the configuration's `state`.
    func statePath(_ flag: String?, _ config: DolbomConfiguration) -> String? {
        flag ?? config.state
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
