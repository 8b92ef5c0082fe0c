// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "dolbom",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "dolbom", targets: ["dolbom"]),
        .library(name: "DolbomCore", targets: ["DolbomCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    ],
    targets: [
        // The C CSV parser (Debian/Ubuntu: libcsv-dev). We stream bytes through it; no CSV parsing of our own.
        .systemLibrary(
            name: "CLibCSV",
            path: "Sources/CLibCSV",
            providers: [.apt(["libcsv-dev"])]
        ),
        // PROJ (Debian/Ubuntu: libproj-dev): the coordinate conversion of the official address file's UTM-K points.
        .systemLibrary(
            name: "CProj",
            path: "Sources/CProj",
            providers: [.apt(["libproj-dev"])]
        ),
        // What Foundation lacks: swapping two folders atomically (renameat2), for crash-safe outputs, a rename
        // that never replaces (for lock files), and glibc's mallopt for the batch run's heap. Used by DolbomRuntime only.
        .target(name: "CDolbomSystem"),
        // The machinery in one room: byte buffer, output file, hash table, mapped tables, parallel map, radix sort,
        // prefetch, libcsv and the system calls, behind safe APIs. The only module that imports the C shims.
        .target(name: "DolbomRuntime", dependencies: ["CLibCSV", "CDolbomSystem"]),
        // Pure Korean normalizers (address, phone, name, age, time, consent, ...): no I/O.
        .target(name: "DolbomNormalize", dependencies: ["DolbomRuntime"]),
        // Plan: Korean public holidays, counselor rosters and the deterministic call scheduler (pure).
        .target(name: "DolbomSchedule", dependencies: ["DolbomNormalize"]),
        // The official road-name address file (위치정보요약DB): its index (the file mapped through DolbomRuntime),
        // road-address validation, building coordinates through PROJ (imported here only), and the 시군구/읍면동
        // centroid table.
        .target(name: "DolbomGeo", dependencies: ["CProj", "DolbomNormalize", "DolbomRuntime"]),
        // Care facilities (registry, lookup by id or name, grid index) and the fit-then-rank matcher (pure).
        .target(name: "DolbomFacility", dependencies: ["DolbomNormalize", "DolbomGeo", "DolbomRuntime"]),
        // What the benchmarks share: a seeded random generator and their sizes from the command line.
        .target(name: "BenchSupport"),
        // Times the facility matcher on 10,000 households × 2,000 facilities (scripts/bench-facilities.sh).
        .executableTarget(
            name: "facility-bench", dependencies: ["BenchSupport", "DolbomFacility", "DolbomGeo", "DolbomNormalize"]),
        // Times the scheduler on 10,000 households × 20 counselors × 10 working days (scripts/bench-schedule.sh).
        .executableTarget(name: "schedule-bench", dependencies: ["BenchSupport", "DolbomSchedule", "DolbomNormalize"]),
        // The pipeline: Read -> Normalize -> Resolve -> Plan -> Write, state (SQLite via GRDB), configuration, diagnostics.
        .target(
            name: "DolbomCore",
            dependencies: [
                "DolbomRuntime",
                "DolbomNormalize",
                "DolbomSchedule",
                "DolbomGeo",
                "DolbomFacility",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // The thin command line: arguments, logging bootstrap, exit codes.
        .executableTarget(
            name: "dolbom",
            dependencies: [
                "DolbomRuntime",
                "DolbomCore",
                "DolbomSchedule",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Holidays, rosters, and property tests of the scheduler's hard constraints.
        .testTarget(name: "DolbomScheduleTests", dependencies: ["DolbomSchedule", "DolbomNormalize"]),
        // The address file index, validation, PROJ conversion and the fixture of real Seoul addresses.
        .testTarget(name: "DolbomGeoTests", dependencies: ["DolbomGeo", "DolbomNormalize"], exclude: ["Fixtures"]),
        // The runtime's safe APIs: buffer, output file, hash table, parallel map, radix sort, CSV parser.
        .testTarget(name: "DolbomRuntimeTests", dependencies: ["DolbomRuntime"]),
        // The facility lookup, the matcher's hard filters (property test) and the Seoul lists as real input.
        .testTarget(name: "DolbomFacilityTests", dependencies: ["DolbomFacility", "DolbomGeo", "DolbomNormalize"]),
        // Table-driven tests of every normalizer.
        .testTarget(name: "DolbomNormalizeTests", dependencies: ["DolbomNormalize"], exclude: ["Corpus"]),
        // Reader, mapping, pipeline and golden-file tests, and end-to-end runs of the built binary.
        .testTarget(
            name: "DolbomCoreTests",
            dependencies: ["DolbomCore", "dolbom"],
            exclude: ["Golden"]
        ),
    ]
)

for target in package.targets where target.type != .system && target.name != "CDolbomSystem" {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    // Release builds skip the run-time exclusivity checks (about 2% of a run's instructions, most of it on
    // the per-row paths); debug builds, which every test runs, keep them, so an overlapping access still
    // traps there. No source turns them off by attribute. Memory safety otherwise is unchanged.
    if ["DolbomRuntime", "DolbomCore", "DolbomNormalize", "DolbomSchedule"].contains(target.name) {
        settings.append(.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)))
    }
    // The runtime declares borrowed views (`Span`s of its byte text, `OutputSpan` writers) whose lifetime the
    // compiler checks; declaring them needs the lifetime annotations (`@_lifetime`). Modules that use the
    // views need nothing.
    if target.name == "DolbomRuntime" {
        settings.append(.enableExperimentalFeature("Lifetimes"))
    }
    target.swiftSettings = settings
}
