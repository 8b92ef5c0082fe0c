import DolbomFacility
import DolbomNormalize

extension ReportFigures.Capacity {
    /// Per 읍면동, the open households, what they ask for, and the places of the facilities suggested to them:
    /// where requests outnumber the places nearby. Most households first, then by name.
    init(matches: FacilityMatches, households: [Household], statuses: [HouseholdStatus]) {
        self.init()
        facilitiesConfigured = true
        struct Area {
            var households = 0, with = 0
            var types = [Int](repeating: 0, count: CareType.allCases.count + 1)
            var facilities: Set<Int> = []

            mutating func count(careTypes: [CareType], suggestions: [FacilitySuggestion]) {
                households += 1
                if !suggestions.isEmpty { with += 1 }
                if careTypes.isEmpty { types[CareType.allCases.count] += 1 }
                for t in careTypes { types[t.order] += 1 }
                for s in suggestions { facilities.insert(s.registryIndex) }
            }
        }
        var areas: [String: Area] = [:]
        let several = Set(households.compactMap { $0.address?.sigungu }).count > 1
        for i in households.indices where statuses[i].state == .open {
            let address = households[i].address
            let key =
                address?.eupmyeondong.map { dong in several ? ((address?.sigungu).map { $0 + " " } ?? "") + dong : dong
                }
                ?? "unknown"
            // Counted in place: a copy out of the dictionary would copy its set of facilities for every household.
            areas[key, default: Area()].count(
                careTypes: households[i].careTypes, suggestions: matches.byIndex[i].suggestions)
        }
        let matcher = FacilityMatcher(
            registry: matches.registry, policy: matches.policy, bookedReferrals: matches.bookedReferrals)
        demandByEupmyeondong = areas.map { key, a in
            let left = a.facilities.map { matcher.vacanciesLeft(matches.registry.facilities[$0]) }
            let types = CareType.allCases.map(\.rawValue) + ["상관없음"]
            return Demand(
                key: key, label: key == "unknown" ? "읍면동 모름" : key, households: a.households, withSuggestions: a.with,
                withoutSuggestions: a.households - a.with,
                byType: types.indices.filter { a.types[$0] > 0 }.map {
                    ReportCount(key: types[$0], label: types[$0], count: a.types[$0])
                },
                facilitiesSuggested: a.facilities.count,
                vacanciesSuggested: left.compactMap { $0 }.reduce(0) { $0 + max(0, $1) },
                vacanciesUnknown: left.filter { $0 == nil }.count)
        }
        .sorted { ($1.households, $0.key) < ($0.households, $1.key) }
    }
}
