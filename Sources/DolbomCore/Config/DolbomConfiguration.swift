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

        enum CodingKeys: String, CodingKey {
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

        enum CodingKeys: String, CodingKey {
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

        enum CodingKeys: String, CodingKey {
            case flagWeights = "flag_weights"
            case pointsPerWaitingDay = "points_per_waiting_day"
            case pointsPerFailedAttempt = "points_per_failed_attempt"
            case youngChildAge = "young_child_age"
            case youngChildPoints = "young_child_points"
        }

        public init() {}
    }

    /// How counselors' call outcomes move a household on the call list.
    public struct Calls: Codable, Sendable, Equatable {
        public var retryDelayDays: Int?
        public var maxAttempts: Int?

        enum CodingKeys: String, CodingKey {
            case retryDelayDays = "retry_delay_days"
            case maxAttempts = "max_attempts"
        }

        public init() {}
    }

    /// Deduplication: weights, thresholds and the staff's decisions file.
    public struct Dedupe: Codable, Sendable, Equatable {
        public var weights: MatchWeights?
        /// review.csv with its 판정 column filled, honoured by every run.
        public var decisions: String?
        /// Blocks with more members are not compared pairwise (reported).
        public var maxBlockSize: Int?

        enum CodingKeys: String, CodingKey {
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

        enum CodingKeys: String, CodingKey {
            case roster, holidays
            case slotMinutes = "slot_minutes"
            case bufferMinutes = "buffer_minutes"
            case horizonDays = "horizon_days"
            case firstDay = "first_day"
            case allowOutsideWindow = "allow_outside_window"
            case callSheetPhones = "call_sheet_phones"
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

    enum CodingKeys: String, CodingKey {
        case inputs, output, latest, state, archive, group, calls, mappings, normalize, priority, dedupe, schedule, geo
        case processedFiles = "processed_files"
        case retentionDays = "retention_days"
        case idKey = "id_key"
        case callListPhones = "call_list_phones"
    }

    public init() {}

    /// Reads a YAML file; errors name the file and say what is wrong.
    public static func load(from url: URL) throws(ConfigurationError) -> DolbomConfiguration {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw .unreadable(path: url.path, reason: "\(error.localizedDescription)")
        }
        do {
            try checkGeoKeys(text, path: url.path)
            let config = try YAMLDecoder().decode(DolbomConfiguration.self, from: text)
            try config.validate(path: url.path)
            return config
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw .invalid(path: url.path, reason: String(describing: error))
        }
    }

    /// The `geo` section's keys are checked by name: a misspelt `address_db` would otherwise leave every
    /// address unverified without a word.
    static func checkGeoKeys(_ text: String, path: String) throws {
        guard let root = try Yams.compose(yaml: text)?.mapping, let geo = root["geo"] else { return }
        guard let section = geo.mapping else {
            if geo.null != nil { return }
            throw ConfigurationError.invalid(path: "\(path):\(geo.mark.map { "\($0.line)" } ?? "?")",
                                             reason: "geo must be a section with address_db")
        }
        let known = Geo.CodingKeys.allCases.map(\.rawValue)
        for (key, value) in section {
            let line = key.mark.map { "\($0.line)" } ?? "?"
            guard let name = key.string, known.contains(name) else {
                throw ConfigurationError.invalid(path: "\(path):\(line)",
                                                 reason: "unknown key geo.\(key.string ?? "?"); known: \(known.joined(separator: ", "))")
            }
            if name == "address_db", value.null == nil, value.scalar == nil || (value.string ?? "").isEmpty {
                throw ConfigurationError.invalid(path: "\(path):\(line)",
                                                 reason: "geo.address_db must be the path of an entrc_*.txt file or a folder of them")
            }
        }
    }

    func validate(path: String) throws(ConfigurationError) {
        if let ages = normalize?.servedAges, ages.count != 2 || ages[0] > ages[1] || ages[0] < 0 {
            throw .invalid(path: path, reason: "normalize.served_ages must be [youngest, oldest], e.g. [0, 12]")
        }
        for mapping in mappings ?? [] {
            for (header, field) in mapping.columns ?? [:] where ColumnRole(configName: field) == nil {
                throw .invalid(path: path, reason: "mappings[\(mapping.files)].columns[\"\(header)\"]: unknown field \"\(field)\"; use one of \(ColumnRole.configNames)")
            }
        }
        if let processed = processedFiles, !["keep", "move"].contains(processed) {
            throw .invalid(path: path, reason: "processed_files must be \"keep\" or \"move\"")
        }
        if processedFiles == "move" && archive == nil {
            throw .invalid(path: path, reason: "processed_files: move needs an `archive` folder")
        }
        if let days = retentionDays, days < 1 {
            throw .invalid(path: path, reason: "retention_days must be at least 1")
        }
        if let calls, (calls.maxAttempts ?? 1) < 1 || (calls.retryDelayDays ?? 0) < 0 {
            throw .invalid(path: path, reason: "calls.max_attempts must be ≥ 1 and calls.retry_delay_days ≥ 0")
        }
        if let w = dedupe?.weights, w.reviewThreshold > w.mergeThreshold {
            throw .invalid(path: path, reason: "dedupe.weights.review_threshold must not be above merge_threshold")
        }
        if let phones = callListPhones, !["full", "masked"].contains(phones) {
            throw .invalid(path: path, reason: "call_list_phones must be \"full\" or \"masked\"")
        }
        if let schedule {
            if let phones = schedule.callSheetPhones, !["full", "masked"].contains(phones) {
                throw .invalid(path: path, reason: "schedule.call_sheet_phones must be \"full\" or \"masked\"")
            }
            if let first = schedule.firstDay, !["as_of", "next_day"].contains(first) {
                throw .invalid(path: path, reason: "schedule.first_day must be \"as_of\" or \"next_day\"")
            }
            if (schedule.slotMinutes ?? 20) < 5 || (schedule.slotMinutes ?? 20) > 240 {
                throw .invalid(path: path, reason: "schedule.slot_minutes must be between 5 and 240")
            }
            if (schedule.bufferMinutes ?? 10) < 0 || (schedule.bufferMinutes ?? 10) > 240 {
                throw .invalid(path: path, reason: "schedule.buffer_minutes must be between 0 and 240")
            }
            if (schedule.horizonDays ?? 10) < 1 || (schedule.horizonDays ?? 10) > 60 {
                throw .invalid(path: path, reason: "schedule.horizon_days must be between 1 and 60")
            }
            for text in (schedule.holidays ?? [:]).keys.sorted() where LocalDate(iso: text) == nil {
                throw .invalid(path: path, reason: "schedule.holidays: \"\(text)\" is not a date like 2024-10-10")
            }
        }
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

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "\(path): cannot read the configuration: \(reason)"
        case .invalid(let path, let reason): return "\(path): invalid configuration: \(reason)"
        }
    }
}

extension ColumnRole {
    /// Names usable in a configuration file: field names, `child[N].name|birth|age|grade|birth_or_age`, `ignore`.
    public init?(configName: String) {
        let name = configName.trimmingCharacters(in: .whitespaces)
        if name == "ignore" || name == "pass_through" { self = .passThrough; return }
        if let field = CanonicalField(rawValue: name) { self = .field(field); return }
        if name.hasPrefix("child["), let close = name.firstIndex(of: "]"),
           let n = Int(name[name.index(name.startIndex, offsetBy: 6)..<close]), (1...9).contains(n) {
            let rest = name[name.index(after: close)...]
            guard rest.hasPrefix("."), let field = CanonicalField(rawValue: "child_" + rest.dropFirst()), field.isChildField else { return nil }
            self = .child(n, field)
            return
        }
        return nil
    }

    static var configNames: String {
        (CanonicalField.allCases.map(\.rawValue) + ["child[N].name", "child[N].birth", "child[N].age", "child[N].grade", "ignore"])
            .joined(separator: ", ")
    }
}
