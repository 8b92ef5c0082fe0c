import DolbomFacility
import DolbomNormalize

/// `summary.json`'s `facilities` (only when facilities are configured): what the registry read and how the
/// households were matched. Deterministic: counts only.
public struct FacilitySummary: Sendable, Codable, Equatable {
    public struct File: Sendable, Codable, Equatable {
        public var file: String
        public var dataRows: Int
        public var accepted: Int
        public var error: String?

        enum CodingKeys: String, CodingKey {
            case file, accepted, error
            case dataRows = "data_rows"
        }
    }

    public var files: [File]
    public var facilities: Int
    public var byType: [String: Int]
    /// `coordinates` (the list's X/Y), `address_file` (the official address file), `area_centroid` (읍면동/시군구 point).
    public var locatedBy: [String: Int]
    public var rejectedRows: Int
    public var rejectsByReason: [String: Int]
    public var warningsByCode: [String: Int]
    public var vacancySheet: File?
    public var vacanciesKnown: Int
    public var householdsWithSuggestions: Int
    public var householdsWithoutSuggestions: Int
    /// `distance` (from the household's point), `sigungu` (no point: facilities of its 시군구), `unknown`.
    public var householdsByBasis: [String: Int]
    public var suggestions: Int
    /// Children no suggestion fits.
    public var childrenUncovered: Int

    enum CodingKeys: String, CodingKey {
        case files, facilities, suggestions
        case byType = "by_type"
        case locatedBy = "located_by"
        case rejectedRows = "rejected_rows"
        case rejectsByReason = "rejects_by_reason"
        case warningsByCode = "warnings_by_code"
        case vacancySheet = "vacancy_sheet"
        case vacanciesKnown = "vacancies_known"
        case householdsWithSuggestions = "households_with_suggestions"
        case householdsWithoutSuggestions = "households_without_suggestions"
        case householdsByBasis = "households_by_basis"
        case childrenUncovered = "children_uncovered"
    }

    public init(_ plan: FacilityPlan, matches: FacilityMatches, households: [Household]) {
        let load = plan.load
        files = load.files.map { File(file: $0.file, dataRows: $0.dataRows, accepted: $0.accepted, error: $0.error) }
        facilities = load.registry.count
        var byType: [String: Int] = [:]
        var locatedBy: [String: Int] = [:]
        for f in load.registry.facilities {
            byType[f.type.rawValue, default: 0] += 1
            locatedBy[f.locationSource?.rawValue ?? "none", default: 0] += 1
        }
        self.byType = byType
        self.locatedBy = locatedBy
        var rejects: [String: Int] = [:]
        var warnings: [String: Int] = [:]
        for r in load.rejects {
            if r.kept { warnings[r.code, default: 0] += 1 } else { rejects[r.code, default: 0] += 1 }
        }
        rejectsByReason = rejects
        warningsByCode = warnings
        rejectedRows = load.rejectedCount
        vacancySheet = load.vacancySheet.map {
            File(file: $0.file, dataRows: $0.dataRows, accepted: $0.accepted, error: $0.error)
        }
        vacanciesKnown = load.registry.facilities.filter { $0.places.vacancies != nil }.count
        var with = 0
        var basis: [String: Int] = [:]
        var count = 0
        var uncovered = 0
        for m in matches.byIndex {
            if !m.suggestions.isEmpty { with += 1 }
            basis[m.basis.rawValue, default: 0] += 1
            count += m.suggestions.count
            uncovered += m.uncovered.count
        }
        householdsWithSuggestions = with
        householdsWithoutSuggestions = matches.byIndex.count - with
        householdsByBasis = basis
        suggestions = count
        childrenUncovered = uncovered
        _ = households
    }
}
