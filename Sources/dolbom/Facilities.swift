import ArgumentParser
import DolbomCore
import DolbomGeo
import DolbomNormalize
import Foundation

extension Dolbom {
    struct Facilities: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Facility lists (facilities: in the configuration).",
            subcommands: [Check.self]
        )

        struct Check: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract:
                    "Show what dolbom reads from the configured facility lists and vacancy sheet: counts by type and 시군구, how facilities were located, and every rejected row with its reason. Writes nothing."
            )

            @OptionGroup var common: CommonOptions

            @Option(
                name: .customLong("as-of"),
                help:
                    "The day (YYYY-MM-DD) a vacancy sheet's dates without a year are read against; default: today in Asia/Seoul."
            )
            var asOf: String?

            @Flag(name: .long, help: "Exit with code 3 when any row was rejected.")
            var strict = false

            func run() throws {
                common.bootstrapLogging()
                let config = try common.loadConfiguration()
                guard let facilities = config.facilities else {
                    Terminal.err(
                        "dolbom: no `facilities:` in the configuration (give --config with a facilities section)")
                    throw ExitCode(DolbomExitCode.config)
                }
                var database: AddressDatabase?
                if let path = config.geo?.addressDB {
                    do { database = try AddressDatabase(path: path) } catch {
                        Terminal.err("dolbom: \(error)")
                        throw ExitCode(DolbomExitCode.config)
                    }
                }
                let reader = FacilityListReader(
                    config: facilities, addressDB: database,
                    asOf: asOf.flatMap(LocalDate.init(iso:)) ?? SeoulCalendar.today())
                let load: FacilityLoad
                do { load = try reader.load() } catch {
                    Terminal.err("dolbom: facilities: \(error)")
                    throw ExitCode(DolbomExitCode.config)
                }
                Terminal.out(FacilityCheckReport.text(load, verbose: common.verbose))
                if load.files.contains(where: { $0.error != nil }) || load.vacancySheet?.error != nil {
                    throw ExitCode(DolbomExitCode.inputUnreadable)
                }
                if strict && load.rejectedCount > 0 { throw ExitCode(DolbomExitCode.rowsRejected) }
            }
        }
    }
}
