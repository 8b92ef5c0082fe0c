import DolbomFacility
import DolbomGeo
import DolbomNormalize
import DolbomRuntime
import Foundation

/// The plan step that suggests facilities to each household (issue 19): the registry read once per run
/// (`facilities:` in the configuration), then every household matched (`FacilityMatcher`) before the
/// applicants file is written. Absent when no facilities are configured: nothing changes in the outputs.
public struct FacilityPlan: Sendable {
    public var load: FacilityLoad
    public var policy: MatchPolicy

    public var registry: FacilityRegistry { load.registry }

    /// Reads the configured lists (nil when `facilities:` is not configured). A list that cannot be found stops
    /// the run before any export is read; bad rows are rejects (`facility-rejects.csv`), never the run's end.
    static func read(
        _ config: DolbomConfiguration, addressDB: AddressDatabase?, addresses: AddressNormalizer,
        asOf: LocalDate, diagnostics: DiagnosticsCollector
    ) throws(RunError) -> FacilityPlan? {
        guard let f = config.facilities else { return nil }
        let reader = FacilityListReader(config: f, addresses: addresses, addressDB: addressDB, asOf: asOf)
        let plan: FacilityPlan
        do { plan = FacilityPlan(load: try reader.load(), policy: policy(f)) } catch {
            throw .facilities(error.description)
        }
        // One line for cron mail; the rows and reasons are in facility-rejects.csv.
        let rejected = plan.load.rejectedCount
        let warned = plan.load.rejects.count - rejected
        if rejected > 0 || warned > 0 {
            diagnostics.emit(
                Diagnostic(
                    .warning, "facility_rows_rejected",
                    "기관 목록에서 \(rejected)행을 뺐고 \(warned)건은 경고와 함께 읽었습니다. 사유는 facility-rejects.csv에 있습니다(dolbom facilities check로도 볼 수 있습니다)."
                ))
        }
        return plan
    }

    /// The matcher's settings from the configuration (defaults: `MatchPolicy()`).
    public static func policy(_ f: DolbomConfiguration.Facilities) -> MatchPolicy {
        var p = MatchPolicy()
        if let v = f.maxDistanceM { p.maxDistanceMetres = v }
        if let v = f.eupmyeondongSlackM { p.eupmyeondongSlackMetres = v }
        if let v = f.listFullAsWaitlist { p.listFullAsWaitlist = v }
        if let v = f.eveningFrom.flatMap(FacilityText.clock) { p.eveningFrom = v }
        if let v = f.suggestions { p.count = v }
        if let w = f.weights {
            if let v = w.distance { p.weights.distance = v }
            if let v = w.vacancy { p.weights.vacancy = v }
            if let v = w.siblings { p.weights.siblings = v }
            if let v = w.fee { p.weights.fee = v }
            if let v = w.language { p.weights.language = v }
            if let v = w.programme { p.weights.programme = v }
        }
        return p
    }

    /// Every household's suggestions, by household index. `bookedReferrals` (facility id → visits booked) are
    /// taken off the centres' 빈자리 first.
    public func match(_ households: [Household], bookedReferrals: [String: Int] = [:]) -> FacilityMatches {
        let matcher = FacilityMatcher(registry: load.registry, policy: policy, bookedReferrals: bookedReferrals)
        // The unmapped columns that say when care is needed, decided once per column name (not per household).
        var columns: Set<String> = []
        for h in households { for cell in h.extra { columns.insert(cell.column) } }
        let careTimeColumns = columns.filter(Self.isCareTimeColumn)
        let requests = ParallelMap.map(count: households.count, chunk: 256) { i in
            Self.request(households[i], careTimeColumns: careTimeColumns)
        }
        let results = matcher.match(requests)
        return FacilityMatches(
            byIndex: results, registry: load.registry, policy: policy, bookedReferrals: bookedReferrals)
    }

    /// The household as the matcher sees it. Notes: the memos, and any unmapped column about when care is
    /// needed (`돌봄 필요 시간`, `이용 희망 시간`).
    static func request(_ h: Household, careTimeColumns: Set<String>) -> FacilityHousehold {
        var notes = h.memos
        if !careTimeColumns.isEmpty {
            for cell in h.extra where careTimeColumns.contains(cell.column) { notes.append(cell.value) }
        }
        return FacilityHousehold(
            id: h.applicantID, location: h.location, sido: h.address?.sido, sigungu: h.address?.sigungu,
            children: h.children.map { FacilityHousehold.Child(name: $0.name, age: $0.age, grade: $0.schoolGrade) },
            careTypes: h.careTypes, flags: h.flags, language: h.language, notes: notes)
    }
}

extension FacilityPlan {
    /// `돌봄 필요 시간`, `이용 희망 시간`, `돌봄 필요 요일`: a column (not mapped to a form field) about when care is needed.
    static func isCareTimeColumn(_ column: String) -> Bool {
        let header = HeaderDetector.fold(column)
        return ["돌봄", "이용", "필요", "희망"].contains(where: { header.contains($0) })
            && (header.contains("시간") || header.contains("요일"))
            && !header.contains("통화") && !header.contains("상담") && !header.contains("연락")
    }
}

/// The run's suggestions, for the writers and `dolbom explain`.
public struct FacilityMatches: Sendable {
    /// Aligned with the run's households.
    public var byIndex: [HouseholdFacilityMatch]
    public var registry: FacilityRegistry
    public var policy: MatchPolicy
    public var bookedReferrals: [String: Int]

    public func match(for applicantID: String) -> HouseholdFacilityMatch? {
        byIndex.firstIndex { $0.householdID == applicantID }.map { byIndex[$0] }
    }

    /// Applicant id → position in `byIndex`, built once by a writer that asks per household.
    public func positions() -> [String: Int] {
        var out: [String: Int] = [:]
        out.reserveCapacity(byIndex.count)
        for (i, m) in byIndex.enumerated() where out[m.householdID] == nil { out[m.householdID] = i }
        return out
    }
}
