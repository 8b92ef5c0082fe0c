import DolbomFacility
import DolbomNormalize
import Foundation
import Yams

/// The configuration file an IT officer edits (YAML), with the defaults that
/// apply when a key is missing. Flags given on the command line override it.
public struct DolbomConfiguration: Codable, Sendable, Equatable {
    /// Header wording → field choices for exports whose file name matches `files` (a shell glob).
    public struct Mapping: Codable, Sendable, Equatable {
        public var files: String
        /// Exact header text → field name (`guardian_phone`, `child_name`, `child[2].birth`, `ignore`).
        public var columns: [String: String]?
        /// The form asks for Korean age ("나이(한국나이)"), so `7살` means Korean age 7.
        public var koreanAgeWording: Bool?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case files, columns
            case koreanAgeWording = "korean_age_wording"
        }

        public init(files: String, columns: [String: String]? = nil, koreanAgeWording: Bool? = nil) {
            self.files = files
            self.columns = columns
            self.koreanAgeWording = koreanAgeWording
        }
    }

    public struct Normalization: Codable, Sendable, Equatable {
        /// Ages the programmes serve; children outside are kept but flagged.
        public var servedAges: [Int]?
        /// The official 법정동코드 file (CP949, tab-separated) to validate 읍면동/리 and supply codes.
        public var legalDongCodes: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case servedAges = "served_ages"
            case legalDongCodes = "legal_dong_codes"
        }

        public init(servedAges: [Int]? = nil, legalDongCodes: String? = nil) {
            self.servedAges = servedAges
            self.legalDongCodes = legalDongCodes
        }
    }

    public struct Priority: Codable, Sendable, Equatable {
        /// Points per household flag (기초생활수급, 차상위, 한부모, 조손, 다문화, 장애, 맞벌이, 다자녀).
        public var flagWeights: [String: Int]?
        /// Points per day waited since the first submission.
        public var pointsPerWaitingDay: Int?
        /// Points per unanswered call so far (default -5: a family that has not answered yields to one not yet tried;
        /// the retry delay already spaces the attempts).
        public var pointsPerFailedAttempt: Int?
        /// Points when the youngest child is under this age ...
        public var youngChildAge: Int?
        /// ... this many.
        public var youngChildPoints: Int?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case flagWeights = "flag_weights"
            case pointsPerWaitingDay = "points_per_waiting_day"
            case pointsPerFailedAttempt = "points_per_failed_attempt"
            case youngChildAge = "young_child_age"
            case youngChildPoints = "young_child_points"
        }
    }

    /// How counselors' call outcomes move a household on the call list.
    public struct Calls: Codable, Sendable, Equatable {
        public var retryDelayDays: Int?
        public var maxAttempts: Int?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case retryDelayDays = "retry_delay_days"
            case maxAttempts = "max_attempts"
        }
    }

    /// Deduplication: weights, thresholds and the staff's decisions file.
    public struct Dedupe: Codable, Sendable, Equatable {
        public var weights: MatchWeights?
        /// review.csv with its 판정 column filled, honoured by every run.
        public var decisions: String?
        /// Blocks with more members are not compared pairwise (reported).
        public var maxBlockSize: Int?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case weights, decisions
            case maxBlockSize = "max_block_size"
        }

        public init(weights: MatchWeights? = nil, decisions: String? = nil, maxBlockSize: Int? = nil) {
            self.weights = weights
            self.decisions = decisions
            self.maxBlockSize = maxBlockSize
        }
    }

    public var dedupe: Dedupe?

    /// Appointments: the counselors' roster and how calls are laid out on their days.
    /// Without a roster the run writes the call list only.
    public struct Schedule: Codable, Sendable, Equatable {
        /// The roster file (YAML): counselors with working days, hours, lunch, daily cap, languages, leave.
        public var roster: String?
        /// Length of one call in minutes (default 20).
        public var slotMinutes: Int?
        /// Minutes after each call for notes before the same counselor's next call (default 10).
        public var bufferMinutes: Int?
        /// Working days planned ahead (default 10).
        public var horizonDays: Int?
        /// First day with appointments: `as_of` (default; the run is for the day's work) or `next_day`
        /// (an evening run plans from tomorrow).
        public var firstDay: String?
        /// Call a family outside the hours they gave when nothing inside is free (default false: leave unscheduled).
        public var allowOutsideWindow: Bool?
        /// The city's own closed days besides the bundled public holidays: `"2024-10-10": 시 개청기념일`.
        public var holidays: [String: String]?
        /// Phone numbers on the printed call sheets: `full` (default; counselors dial them) or `masked`.
        public var callSheetPhones: String?
        /// Book appointments for families outside `service_area` too (default false: listed apart, not booked).
        public var bookOutOfArea: Bool?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case roster, holidays
            case slotMinutes = "slot_minutes"
            case bufferMinutes = "buffer_minutes"
            case horizonDays = "horizon_days"
            case firstDay = "first_day"
            case allowOutsideWindow = "allow_outside_window"
            case callSheetPhones = "call_sheet_phones"
            case bookOutOfArea = "book_out_of_area"
        }

        public init(roster: String? = nil) { self.roster = roster }

        /// The local closed days, parsed (validated when the configuration is loaded).
        public var holidayAdditions: [LocalDate: String] {
            var out: [LocalDate: String] = [:]
            for (text, name) in holidays ?? [:] { if let d = LocalDate(iso: text) { out[d] = name } }
            return out
        }
    }

    public var schedule: Schedule?

    /// Locations: the official road-name address file (위치정보요약DB) that road addresses are checked against.
    public struct Geo: Codable, Sendable, Equatable {
        /// An `entrc_*.txt` file, or a folder of them (CP949, `|`-separated), as the 도로명주소 개발자센터 gives them.
        public var addressDB: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case addressDB = "address_db"
        }

        public init(addressDB: String? = nil) { self.addressDB = addressDB }
    }

    public var geo: Geo?

    /// Care facilities to suggest to families (issue 19): the lists, how their columns map, the vacancy sheet
    /// and the matcher's settings. Unset: no suggestions, and every output is as before.
    public struct Facilities: Codable, Sendable, Equatable {
        /// Header wording → facility field for lists whose file name matches `files` (a shell glob).
        public struct Mapping: Codable, Sendable, Equatable {
            public var files: String
            /// Exact header text → field (`name`, `lon`, `term_hours`, `ignore`, …: `FacilityField`).
            public var columns: [String: String]?

            enum CodingKeys: String, CodingKey, CaseIterable { case files, columns }

            public init(files: String, columns: [String: String]? = nil) {
                self.files = files
                self.columns = columns
            }
        }

        /// The score's weights (`ScoreWeights`); a missing one keeps its default.
        public struct Weights: Codable, Sendable, Equatable {
            public var distance: Double?
            public var vacancy: Double?
            public var siblings: Double?
            public var fee: Double?
            public var language: Double?
            public var programme: Double?

            enum CodingKeys: String, CodingKey, CaseIterable {
                case distance, vacancy, siblings, fee, language, programme
            }
        }

        /// Facility list files (CSV, UTF-8 or CP949) or folders of them.
        public var files: [String]?
        public var mappings: [Mapping]?
        /// The centres' vacancy sheet (facility id or name, 현원/빈자리/정원, 기준일).
        public var vacancies: String?
        /// Farthest suggestion from a family's home, metres (default 3000).
        public var maxDistanceM: Double?
        /// Added to the maximum when the home is known only to its 읍면동's centre (default 1000).
        public var eupmyeondongSlackM: Double?
        /// Suggest full facilities as `대기 가능` instead of leaving them out (default false).
        public var listFullAsWaitlist: Bool?
        /// An evening need asks for term hours ending at or after this time (default "19:00").
        public var eveningFrom: String?
        /// Suggestions per household (default 3).
        public var suggestions: Int?
        public var weights: Weights?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case files, mappings, vacancies, suggestions, weights
            case maxDistanceM = "max_distance_m"
            case eupmyeondongSlackM = "eupmyeondong_slack_m"
            case listFullAsWaitlist = "list_full_as_waitlist"
            case eveningFrom = "evening_from"
        }

        public init(files: [String]? = nil) { self.files = files }

        /// The column choices for a list file, in file order (later ones win).
        public func mappings(for fileName: String) -> [Mapping] {
            (mappings ?? []).filter { fnmatch($0.files, fileName, 0) == 0 }
        }
    }

    public var facilities: Facilities?

    /// Export files or folders (the inbox) read when `run` gets no inputs.
    public var inputs: [String]?
    /// Output folder; may contain `{as_of}` and `{run}` for a folder per run.
    public var output: String?
    /// A symlink updated to the newest output folder after each run.
    public var latest: String?
    /// The SQLite state file; without it every run starts from nothing.
    public var state: String?
    /// What to do with exports after a successful run: `keep` (default) or `move` into `archive`.
    public var processedFiles: String?
    /// Where `processed_files: move` puts exports, in a folder per as-of date.
    public var archive: String?
    /// Unix group allowed to read outputs and state (files 0640); owner-only (0600) when unset.
    public var group: String?
    /// Days after a household is closed before its personal data is purged automatically at the next run.
    public var retentionDays: Int?
    public var calls: Calls?
    public var mappings: [Mapping]?
    public var normalize: Normalization?
    public var priority: Priority?
    /// A secret of the installation mixed into applicant ids, so an id cannot be traced back to a phone number.
    public var idKey: String?
    /// Phone numbers on the call list: `full` (counselors dial them) or `masked`.
    public var callListPhones: String?
    /// The 시군구 the city serves (`아산시`, `충청남도 천안시`); families living elsewhere are listed apart.
    /// Unset: no family is out of the area.
    public var serviceArea: [String]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case inputs, output, latest, state, archive, group, calls, mappings, normalize, priority, dedupe, schedule, geo,
            facilities
        case processedFiles = "processed_files"
        case retentionDays = "retention_days"
        case idKey = "id_key"
        case callListPhones = "call_list_phones"
        case serviceArea = "service_area"
    }

    public init() {}

    /// Reads a YAML file. Every problem names the file, the line and the key: an unknown key (with the
    /// known key nearest to it), a YAML syntax error, a value of the wrong kind or out of range, a path or
    /// Unix group that does not exist. Relative paths are taken from the file's folder, so the same file
    /// works from cron and from any folder.
    public static func load(from url: URL) throws(ConfigurationError) -> DolbomConfiguration {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw .unreadable(path: url.path, reason: "\(error.localizedDescription)")
        }
        let document = try ConfigDocument(path: url.path, text: text)
        let unknown = document.unknownKeys(keySchema)
        guard unknown.isEmpty else { throw .problems(unknown) }
        var config: DolbomConfiguration
        do {
            config =
                try document.root.map { _ in try YAMLDecoder().decode(DolbomConfiguration.self, from: text) }
                ?? DolbomConfiguration()
        } catch {
            throw .problems([document.problem(decoding: error)])
        }
        config.resolvePaths(from: url.deletingLastPathComponent())
        let problems = config.problems(in: document)
        guard problems.isEmpty else { throw .problems(problems) }
        return config
    }

    /// The keys the file may hold, from the coding keys themselves (a new key is known once it is decoded).
    static var keySchema: KeySchema {
        func fields<K: CaseIterable & RawRepresentable>(_: K.Type, _ nested: [String: KeySchema] = [:]) -> KeySchema
        where K.RawValue == String {
            var out: [String: KeySchema] = [:]
            for key in K.allCases { out[key.rawValue] = nested[key.rawValue] ?? .value }
            return .fields(out)
        }
        return fields(
            CodingKeys.self,
            [
                "calls": fields(Calls.CodingKeys.self),
                "mappings": .list(fields(Mapping.CodingKeys.self, ["columns": .entries(.value)])),
                "normalize": fields(Normalization.CodingKeys.self),
                "priority": fields(Priority.CodingKeys.self, ["flag_weights": .entries(.value)]),
                "dedupe": fields(Dedupe.CodingKeys.self, ["weights": fields(MatchWeights.CodingKeys.self)]),
                "schedule": fields(Schedule.CodingKeys.self, ["holidays": .entries(.value)]),
                "geo": fields(Geo.CodingKeys.self),
                "facilities": fields(
                    Facilities.CodingKeys.self,
                    [
                        "mappings": .list(fields(Facilities.Mapping.CodingKeys.self, ["columns": .entries(.value)])),
                        "weights": fields(Facilities.Weights.CodingKeys.self),
                    ]),
            ])
    }

    /// Relative paths in the file are relative to the file's folder.
    mutating func resolvePaths(from folder: URL) {
        func resolve(_ path: String?) -> String? {
            guard let path, !path.isEmpty, !path.hasPrefix("/") else { return path }
            let home = path == "~" || path.hasPrefix("~/")
            if home { return (path as NSString).expandingTildeInPath }
            return folder.appendingPathComponent(path).standardizedFileURL.path
        }
        inputs = inputs?.map { resolve($0)! }
        output = resolve(output)
        latest = resolve(latest)
        state = resolve(state)
        archive = resolve(archive)
        let decisions = resolve(dedupe?.decisions)
        let legalDongCodes = resolve(normalize?.legalDongCodes)
        let roster = resolve(schedule?.roster)
        let addressDB = resolve(geo?.addressDB)
        geo?.addressDB = addressDB
        let facilityFiles = facilities?.files?.map { resolve($0)! }
        let vacancySheet = resolve(facilities?.vacancies)
        facilities?.files = facilityFiles
        facilities?.vacancies = vacancySheet
        dedupe?.decisions = decisions
        normalize?.legalDongCodes = legalDongCodes
        schedule?.roster = roster
    }

    /// Values out of range, unknown choices, and paths and groups that do not exist, each at its line.
    func problems(in document: ConfigDocument) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        func problem(_ keys: [String], _ message: String) {
            problems.append(document.problem(at: keys.map { .key($0) }, message))
        }
        func oneOf(_ value: String?, _ choices: [String], _ keys: [String]) {
            if let value, !choices.contains(value) {
                problem(keys, "'\(value)' is not one of " + choices.map { "'\($0)'" }.joined(separator: ", "))
            }
        }
        func between(_ value: Int?, _ range: ClosedRange<Int>, _ keys: [String]) {
            if let value, !range.contains(value) {
                problem(keys, "must be between \(range.lowerBound) and \(range.upperBound)")
            }
        }
        if let ages = normalize?.servedAges, ages.count != 2 || ages[0] > ages[1] || ages[0] < 0 {
            problem(["normalize", "served_ages"], "must be [youngest, oldest], e.g. [0, 12]")
        }
        for (i, mapping) in (mappings ?? []).enumerated() {
            for (header, field) in (mapping.columns ?? [:]).sorted(by: { $0.key < $1.key })
            where ColumnRole(configName: field) == nil {
                problems.append(
                    document.problem(
                        at: [.key("mappings"), .index(i), .key("columns"), .key(header)],
                        "unknown field '\(field)'; use one of \(ColumnRole.configNames)"))
            }
        }
        oneOf(processedFiles, ["keep", "move"], ["processed_files"])
        if processedFiles == "move" && archive == nil {
            problem(["processed_files"], "'move' needs an `archive` folder")
        }
        if let days = retentionDays, days < 1 { problem(["retention_days"], "must be at least 1") }
        if let max = calls?.maxAttempts, max < 1 { problem(["calls", "max_attempts"], "must be at least 1") }
        if let delay = calls?.retryDelayDays, delay < 0 { problem(["calls", "retry_delay_days"], "must be 0 or more") }
        if let w = dedupe?.weights, w.reviewThreshold > w.mergeThreshold {
            problem(["dedupe", "weights", "review_threshold"], "must not be above merge_threshold")
        }
        oneOf(callListPhones, ["full", "masked"], ["call_list_phones"])
        for (i, area) in (serviceArea ?? []).enumerated() where ServiceArea.district(area) == nil {
            problems.append(
                document.problem(
                    at: [.key("service_area"), .index(i)], key: "service_area[\(i + 1)]",
                    "'\(area)' is not a 시군구 dolbom knows (write it like 아산시 or 충청남도 아산시)"))
        }
        if let schedule {
            oneOf(schedule.callSheetPhones, ["full", "masked"], ["schedule", "call_sheet_phones"])
            oneOf(schedule.firstDay, ["as_of", "next_day"], ["schedule", "first_day"])
            between(schedule.slotMinutes, 5...240, ["schedule", "slot_minutes"])
            between(schedule.bufferMinutes, 0...240, ["schedule", "buffer_minutes"])
            between(schedule.horizonDays, 1...60, ["schedule", "horizon_days"])
            for text in (schedule.holidays ?? [:]).keys.sorted() where LocalDate(iso: text) == nil {
                problem(["schedule", "holidays", text], "'\(text)' is not a date (YYYY-MM-DD, e.g. 2024-10-10)")
            }
        }
        // Before any input is read: a missing file or group found after an hour's run is found too late.
        let fm = FileManager.default
        func mustRead(_ path: String?, _ keys: [String], what: String) {
            guard let path else { return }
            var isFolder: ObjCBool = false
            if !fm.fileExists(atPath: path, isDirectory: &isFolder) {
                problem(keys, "\(what) '\(path)' does not exist (relative paths start from the configuration's folder)")
            } else if isFolder.boolValue || !fm.isReadableFile(atPath: path) {
                problem(keys, "\(what) '\(path)' is not a readable file")
            }
        }
        func mustExist(_ paths: [String]?, _ keys: [String]) {
            for (i, path) in (paths ?? []).enumerated() where !fm.fileExists(atPath: path) {
                problems.append(
                    document.problem(
                        at: keys.map { .key($0) } + [.index(i)], key: keys.joined(separator: ".") + "[\(i + 1)]",
                        "'\(path)' does not exist (relative paths start from the configuration's folder)"))
            }
        }
        func folderMustExist(_ path: String?, _ keys: [String], what: String) {
            guard let path else { return }
            let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
            var isFolder: ObjCBool = false
            if !fm.fileExists(atPath: parent, isDirectory: &isFolder) || !isFolder.boolValue {
                problem(
                    keys,
                    "the folder '\(parent)' for \(what) does not exist (relative paths start from the configuration's folder)"
                )
            }
        }
        mustRead(schedule?.roster, ["schedule", "roster"], what: "the roster")
        mustRead(normalize?.legalDongCodes, ["normalize", "legal_dong_codes"], what: "the 법정동코드 file")
        if let db = geo?.addressDB, !fm.fileExists(atPath: db) {
            problem(
                ["geo", "address_db"],
                "the official address file '\(db)' does not exist (an entrc_*.txt file "
                    + "or a folder of them; relative paths start from the configuration's folder)")
        }
        if let f = facilities {
            mustExist(f.files, ["facilities", "files"])
            if f.files?.isEmpty ?? true {
                problem(["facilities"], "needs `files:` (the facility lists: files or folders)")
            }
            mustRead(f.vacancies, ["facilities", "vacancies"], what: "the vacancy sheet")
            for (i, mapping) in (f.mappings ?? []).enumerated() {
                for (header, field) in (mapping.columns ?? [:]).sorted(by: { $0.key < $1.key })
                where FacilityField(configName: field) == nil {
                    problems.append(
                        document.problem(
                            at: [.key("facilities"), .key("mappings"), .index(i), .key("columns"), .key(header)],
                            "unknown facility field '\(field)'; use one of \(FacilityField.configNames)"))
                }
            }
            if let v = f.maxDistanceM, !(v > 0 && v <= 100_000) {
                problem(["facilities", "max_distance_m"], "must be between 1 and 100000 (metres)")
            }
            if let v = f.eupmyeondongSlackM, !(v >= 0 && v <= 20_000) {
                problem(["facilities", "eupmyeondong_slack_m"], "must be between 0 and 20000 (metres)")
            }
            between(f.suggestions, 1...10, ["facilities", "suggestions"])
            if let t = f.eveningFrom, FacilityText.clock(t) == nil {
                problem(["facilities", "evening_from"], "'\(t)' is not a time (e.g. \"19:00\")")
            }
            if let w = f.weights {
                for (key, value) in [
                    ("distance", w.distance), ("vacancy", w.vacancy), ("siblings", w.siblings), ("fee", w.fee),
                    ("language", w.language), ("programme", w.programme),
                ] {
                    if let value, !(value >= 0 && value <= 1000) {
                        problem(["facilities", "weights", key], "must be between 0 and 1000")
                    }
                }
            }
        }
        folderMustExist(dedupe?.decisions, ["dedupe", "decisions"], what: "the decisions file")
        folderMustExist(state, ["state"], what: "the state file")
        mustExist(inputs, ["inputs"])
        if let group, getgrnam(group) == nil {
            problem(
                ["group"],
                "no Unix group '\(group)' on this machine (create it, or remove the key for owner-only files)")
        }
        return problems.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
    }

    public var callPolicy: CallPolicy {
        CallPolicy(retryDelayDays: calls?.retryDelayDays ?? 2, maxAttempts: calls?.maxAttempts ?? 3)
    }

    public var servedAges: ClosedRange<Int> {
        guard let ages = normalize?.servedAges, ages.count == 2 else { return 0...12 }
        return ages[0]...ages[1]
    }

    /// The mappings that apply to a file, in file order (later ones win).
    public func mappings(for fileName: String) -> [Mapping] {
        (mappings ?? []).filter { fnmatch($0.files, fileName, 0) == 0 }
    }
}

public enum ConfigurationError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case invalid(path: String, reason: String)
    /// Each at its file, line and key, in file order.
    case problems([ConfigProblem])

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "\(path): cannot read the configuration: \(reason)"
        case .invalid(let path, let reason): return "\(path): invalid configuration: \(reason)"
        case .problems(let problems): return problems.map(\.description).joined(separator: "\n")
        }
    }
}

extension ColumnRole {
    /// Names usable in a configuration file: field names, `child[N].name|birth|age|grade|birth_or_age`, `ignore`.
    public init?(configName: String) {
        let name = configName.trimmingCharacters(in: .whitespaces)
        if name == "ignore" || name == "pass_through" {
            self = .passThrough
            return
        }
        if let field = CanonicalField(rawValue: name) {
            self = .field(field)
            return
        }
        if name.hasPrefix("child["), let close = name.firstIndex(of: "]"),
            let n = Int(name[name.index(name.startIndex, offsetBy: 6)..<close]), (1...9).contains(n)
        {
            let rest = name[name.index(after: close)...]
            guard rest.hasPrefix("."), let field = CanonicalField(rawValue: "child_" + rest.dropFirst()),
                field.isChildField
            else { return nil }
            self = .child(n, field)
            return
        }
        return nil
    }

    static var configNames: String {
        (CanonicalField.allCases.map(\.rawValue) + [
            "child[N].name", "child[N].birth", "child[N].age", "child[N].grade", "ignore",
        ])
        .joined(separator: ", ")
    }
}
