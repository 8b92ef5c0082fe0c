import DolbomGeo
import DolbomNormalize
import Foundation
import Testing

@testable import DolbomFacility

/// A small seeded generator (SplitMix64): the same seed gives the same registries and households everywhere.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The world the property tests draw from: two 시군구 side by side around Asan.
enum World {
    static let areas: [(address: Address, centre: GeoPoint)] = [
        (AddressNormalizer().normalize("충청남도 아산시 배방읍").value!, GeoPoint(latitude: 36.78, longitude: 127.05)),
        (AddressNormalizer().normalize("충청남도 천안시 서북구 불당동").value!, GeoPoint(latitude: 36.81, longitude: 127.11)),
    ]

    static func point(near p: GeoPoint, within metres: Double, _ rng: inout SeededRandom) -> GeoPoint {
        let dy = Double.random(in: -metres...metres, using: &rng) / 111_195
        let dx = Double.random(in: -metres...metres, using: &rng) / (111_195 * cos(p.latitude * .pi / 180))
        return GeoPoint(latitude: p.latitude + dy, longitude: p.longitude + dx)
    }

    static let bands: [Facility.Band] = [
        Facility.Band(grades: 1...6), Facility.Band(grades: 1...2), Facility.Band(grades: 1...9),
        Facility.Band(ages: 0...5), Facility.Band(ages: 6...12), Facility.Band(ages: 0...12), Facility.Band(),
    ]

    static func registry(_ n: Int, _ rng: inout SeededRandom) -> [Facility] {
        (0..<n).map { i in
            let area = areas.randomElement(using: &rng)!
            let type = CareType.allCases.filter { $0 != .기타 }.randomElement(using: &rng)!
            var f = Facility(
                id: "F\(i)", name: "기관\(i)", type: type, address: area.address,
                location: Bool.random(using: &rng) || i % 7 != 0
                    ? Location(point(near: area.centre, within: 6000, &rng), precision: .building) : nil)
            f.band = bands.randomElement(using: &rng)!
            let start = [720, 780, 840].randomElement(using: &rng)!
            f.hours.term =
                Int.random(in: 0..<4, using: &rng) == 0
                ? nil : MinuteRange(start: start, end: [1080, 1140, 1200].randomElement(using: &rng)!)
            f.hours.saturdayOpen = [true, false, nil].randomElement(using: &rng)!
            f.hours.vacation = Bool.random(using: &rng) ? MinuteRange(start: 540, end: 1080) : nil
            f.places.vacancies = [nil, 0, 0, 1, 3, 8].randomElement(using: &rng)!
            f.fee.free = [true, false, nil].randomElement(using: &rng)!
            f.programmes = Array(Facility.Programme.allCases.filter { _ in Int.random(in: 0..<4, using: &rng) == 0 })
            f.languages =
                Bool.random(using: &rng) ? [] : [["베트남어"], ["중국어"], ["베트남어", "영어"]].randomElement(using: &rng)!
            return f
        }
    }

    static let memos = ["", "주말 돌봄 필요해요", "저녁 8시까지 돌봄", "방학에도", "느린학습자예요", "저녁 7시 이후 통화 가능", "토요일, 저녁 모두 필요"]

    static func household(_ i: Int, _ rng: inout SeededRandom) -> FacilityHousehold {
        let area = areas.randomElement(using: &rng)!
        let precision: Location.Precision? = [.building, .eupmyeondong, .sigungu, nil].randomElement(using: &rng)!
        let location = precision.map { Location(point(near: area.centre, within: 7000, &rng), precision: $0) }
        let children = (0..<Int.random(in: 0...3, using: &rng)).map { k -> FacilityHousehold.Child in
            let age: Int? = Int.random(in: 0..<6, using: &rng) == 0 ? nil : Int.random(in: 0...14, using: &rng)
            let grade: Int? = age.flatMap { $0 >= 7 && Bool.random(using: &rng) ? $0 - 6 : nil }
            return FacilityHousehold.Child(name: "아이\(k)", age: age, grade: grade)
        }
        let types = CareType.allCases.filter { _ in Int.random(in: 0..<4, using: &rng) == 0 }
        let flags = HouseholdFlag.allCases.filter { _ in Int.random(in: 0..<5, using: &rng) == 0 }
        return FacilityHousehold(
            id: "H\(i)", location: location, sido: area.address.sido, sigungu: area.address.sigungu,
            children: children, careTypes: types, flags: flags,
            language: [nil, nil, "베트남어", "중국어"].randomElement(using: &rng)!,
            notes: [memos.randomElement(using: &rng)!])
    }
}

/// The hard filters, written again from the issue's words (not from the matcher's code): what a suggestion must
/// never break.
func violations(_ s: FacilitySuggestion, _ h: FacilityHousehold, _ policy: MatchPolicy, booked: [String: Int])
    -> [String]
{
    var out: [String] = []
    let f = s.facility
    let wanted = Set(h.careTypes.filter { $0 != .기타 })
    if !wanted.isEmpty && !wanted.contains(f.type) { out.append("type \(f.type) not requested \(wanted)") }
    if wanted.isEmpty && f.type == .드림스타트 { out.append("드림스타트 not requested") }
    let children = h.children.isEmpty ? [FacilityHousehold.Child()] : h.children
    if s.children.isEmpty { out.append("no child") }
    for c in s.children {
        let child = children[c]
        if let grade = child.grade, let grades = f.band.grades, !grades.contains(grade) {
            out.append("grade \(grade) outside \(grades)")
        }
        if child.grade == nil || f.band.grades == nil, let age = child.age, let ages = f.band.ages, !ages.contains(age),
            !(child.grade.map { ages.contains($0 + 5) || ages.contains($0 + 6) } ?? false)
        {
            out.append("age \(age) outside \(ages)")
        }
    }
    let times = CareNeeds.read(h.notes).times
    if times.contains(.saturday) && f.hours.saturdayOpen == false { out.append("closed on Saturdays") }
    if times.contains(.evening), let term = f.hours.term, term.end < policy.eveningFrom {
        out.append("closes at \(term.end)")
    }
    let point = h.location?.precision == .sigungu ? nil : h.location?.point
    if f.servesWholeSigungu || point == nil {
        if f.sigungu != h.sigungu { out.append("other 시군구 \(f.sigungu ?? "-")") }
    } else if let point {
        guard let fp = f.location?.point else { return out + ["unlocated facility"] }
        let limit =
            policy.maxDistanceMetres + (h.location?.precision == .eupmyeondong ? policy.eupmyeondongSlackMetres : 0)
        if point.metres(to: fp) > limit { out.append("\(point.metres(to: fp)) m > \(limit)") }
    }
    if let v = f.places.vacancies, v - (booked[f.id] ?? 0) <= 0, !policy.listFullAsWaitlist { out.append("full") }
    if let v = f.places.vacancies, v - (booked[f.id] ?? 0) <= 0, !s.waitlist { out.append("full but not marked 대기") }
    return out
}

@Suite struct FacilityMatcherPropertyTests {
    /// Households asking the same from the same place are matched once per group: the batch gives every
    /// household exactly what matching it alone gives (its own id and children's names included).
    @Test(arguments: [UInt64(11), 12, 13])
    func theBatchIsEachHouseholdMatchedAlone(seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        let registry = FacilityRegistry(World.registry(Int.random(in: 50...300, using: &rng), &rng))
        let matcher = FacilityMatcher(registry: registry)
        var households = (0..<200).map { World.household($0, &rng) }
        // Twins of the first fifty: another id, other names, the same request; and some at a point nearby.
        for (k, h) in households.prefix(50).enumerated() {
            var twin = h
            twin.id = "T\(k)"
            twin.children = h.children.enumerated().map { j, c in
                FacilityHousehold.Child(name: j % 2 == 0 ? "쌍둥이\(k)-\(j)" : nil, age: c.age, grade: c.grade)
            }
            households.append(twin)
            if let l = h.location, k % 5 == 0 {
                var moved = twin
                moved.id = "M\(k)"
                moved.location = Location(
                    GeoPoint(latitude: l.point.latitude + 0.001, longitude: l.point.longitude), precision: l.precision)
                households.append(moved)
            }
        }
        // Households placed at a few shared centres (읍면동 or 시군구, as families without a building's point
        // are), asking different things: what a centre has in reach is found once for all of them.
        let centres = households.prefix(40).compactMap { h in h.location?.precision == .building ? nil : h.location }
        for k in 0..<120 where !centres.isEmpty {
            var h = World.household(1000 + k, &rng)
            h.location = centres[k % min(4, centres.count)]
            households.append(h)
        }
        households.shuffle(using: &rng)
        let batch = matcher.match(households)
        #expect(batch.count == households.count)
        for (h, b) in zip(households, batch) {
            let alone = matcher.match(h)
            #expect(b.householdID == h.id)
            #expect(b.suggestions == alone.suggestions, "\(h.id)")
            #expect(b.suggestions.map(\.childNames) == alone.suggestions.map(\.childNames), "\(h.id)")
            #expect(b.basis == alone.basis && b.candidates == alone.candidates && b.uncovered == alone.uncovered)
            #expect(b.times == alone.times && b.programmes == alone.programmes)
            #expect(b.nearest?.facility.id == alone.nearest?.facility.id && b.nearest?.why == alone.nearest?.why)
        }
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6, 7, 8])
    func nothingBreakingAHardFilterIsEverSuggested(seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        let facilities = World.registry(Int.random(in: 20...400, using: &rng), &rng)
        let registry = FacilityRegistry(facilities, cellMetres: [250, 1000, 4000].randomElement(using: &rng)!)
        var policy = MatchPolicy()
        policy.maxDistanceMetres = [800, 2000, 3000, 8000].randomElement(using: &rng)!
        policy.listFullAsWaitlist = Bool.random(using: &rng)
        var booked: [String: Int] = [:]
        for f in facilities.prefix(30) where Bool.random(using: &rng) {
            booked[f.id] = Int.random(in: 1...3, using: &rng)
        }
        let matcher = FacilityMatcher(registry: registry, policy: policy, bookedReferrals: booked)
        var suggested = 0
        for i in 0..<250 {
            let h = World.household(i, &rng)
            let m = matcher.match(h)
            #expect(m.suggestions.count <= policy.count)
            #expect(Set(m.suggestions.map(\.facility.id)).count == m.suggestions.count, "a facility twice")
            for s in m.suggestions {
                let broken = violations(s, h, policy, booked: booked)
                #expect(broken.isEmpty, "seed \(seed), \(h.id) → \(s.facility.id): \(broken)")
                suggested += 1
            }
            // Nothing that fits was missed by the grid: the candidates are exactly the facilities a scan of all of
            // them finds passing the filters (for at least one child).
            let scan = facilities.filter { f in
                let s = FacilitySuggestion(
                    facility: f, metres: nil, precision: nil,
                    children: Array((h.children.isEmpty ? [FacilityHousehold.Child()] : h.children).indices),
                    childNames: [], reasons: [], score: 0, scoreParts: [],
                    vacanciesLeft: f.places.vacancies.map { $0 - (booked[f.id] ?? 0) },
                    waitlist: (f.places.vacancies.map { $0 - (booked[f.id] ?? 0) } ?? 1) <= 0, sameSigunguOnly: false)
                let children = h.children.isEmpty ? [FacilityHousehold.Child()] : h.children
                let broken = violations(s, h, policy, booked: booked).filter {
                    !$0.hasPrefix("grade") && !$0.hasPrefix("age")
                }
                return broken.isEmpty && children.contains { f.band.serves(age: $0.age, grade: $0.grade) != false }
            }
            #expect(
                m.candidates == scan.count,
                "seed \(seed), \(h.id): \(m.candidates) candidates, a full scan finds \(scan.count)")
        }
        #expect(suggested > 50)
    }

    @Test func theSameWhateverTheRegistryOrderAndTheGrid() {
        var rng = SeededRandom(seed: 42)
        let facilities = World.registry(300, &rng)
        let households = (0..<300).map { World.household($0, &rng) }
        func run(_ fs: [Facility], cell: Double) -> [[String]] {
            let matcher = FacilityMatcher(registry: FacilityRegistry(fs, cellMetres: cell))
            return households.map { h in
                matcher.match(h).suggestions.map { "\($0.facility.id) \($0.score) \($0.reasons)" }
            }
        }
        let first = run(facilities, cell: 1000)
        #expect(first == run(facilities, cell: 1000))
        #expect(first == run(facilities.reversed(), cell: 1000))
        #expect(first == run(facilities.shuffled(using: &rng), cell: 300))
    }
}

@Suite struct FacilityMatcherTests {
    static let asan = World.areas[0]

    func fac(
        _ id: String, _ type: CareType = .지역아동센터, metresEast: Double,
        band: Facility.Band = Facility.Band(grades: 1...6),
        vacancies: Int? = nil, saturday: Bool? = nil, programmes: [Facility.Programme] = [], languages: [String] = [],
        free: Bool? = nil
    ) -> Facility {
        let c = Self.asan.centre
        let p = GeoPoint(
            latitude: c.latitude, longitude: c.longitude + metresEast / (111_195 * cos(c.latitude * .pi / 180)))
        var f = Facility(
            id: id, name: "기관 \(id)", type: type, address: Self.asan.address,
            location: Location(p, precision: .building))
        f.band = band
        f.places.vacancies = vacancies
        f.hours.saturdayOpen = saturday
        f.programmes = programmes
        f.languages = languages
        f.fee.free = free
        return f
    }

    func household(
        children: [FacilityHousehold.Child], types: [CareType] = [], flags: [HouseholdFlag] = [],
        language: String? = nil,
        notes: [String] = [], precision: Location.Precision = .building
    ) -> FacilityHousehold {
        FacilityHousehold(
            id: "H", location: Location(Self.asan.centre, precision: precision), sido: Self.asan.address.sido,
            sigungu: Self.asan.address.sigungu, children: children, careTypes: types, flags: flags, language: language,
            notes: notes)
    }

    @Test func nearestFirstAndReasons() {
        let m = FacilityMatcher(
            registry: FacilityRegistry([
                fac("A", metresEast: 2000), fac("B", metresEast: 300, vacancies: 2), fac("C", metresEast: 900),
            ]))
        let r = m.match(household(children: [.init(name: "하은", age: 8, grade: 2)]))
        #expect(r.suggestions.map(\.facility.id) == ["B", "C", "A"])
        #expect(r.suggestions[0].reasons.prefix(2) == ["약 300 m (주소 기준)", "빈자리 2"])
        #expect(r.suggestions[0].childNames == ["하은"])
        #expect(r.suggestions[0].distanceText == "약 300 m (주소 기준)")
    }

    @Test func fullCentresAreLeftOutOrListedAsWaiting() {
        let facilities = [fac("FULL", metresEast: 100, vacancies: 2), fac("FREE", metresEast: 1500, vacancies: 1)]
        let h = household(children: [.init(age: 8, grade: 2)])
        let strict = FacilityMatcher(registry: FacilityRegistry(facilities), bookedReferrals: ["FULL": 2])
        #expect(strict.match(h).suggestions.map(\.facility.id) == ["FREE"])
        let n = strict.match(h).nearest
        #expect(n?.facility.id == "FULL" && n?.why == ["빈자리 없음"])
        var policy = MatchPolicy()
        policy.listFullAsWaitlist = true
        let waiting = FacilityMatcher(
            registry: FacilityRegistry(facilities), policy: policy, bookedReferrals: ["FULL": 2])
        let s = waiting.match(h).suggestions
        #expect(Set(s.map(\.facility.id)) == ["FULL", "FREE"])
        #expect(s.first { $0.facility.id == "FULL" }?.waitlist == true)
        #expect(s.first { $0.facility.id == "FULL" }?.reasons.contains("대기 가능(빈자리 없음)") == true)
    }

    @Test func eachChildIsCoveredWhenSomeFacilityFitsThem() {
        // Three school-age centres near, one preschool place far: the toddler still gets one of the three.
        let facilities = [
            fac("S1", metresEast: 100), fac("S2", metresEast: 200), fac("S3", metresEast: 300),
            fac("S4", metresEast: 400),
            fac("P", .아이돌봄, metresEast: 2500, band: Facility.Band(ages: 0...12)),
        ]
        let r = FacilityMatcher(registry: FacilityRegistry(facilities)).match(
            household(children: [.init(name: "형", age: 9, grade: 3), .init(name: "동생", age: 3)], types: []))
        #expect(r.suggestions.map(\.facility.id).contains("P"))
        #expect(r.uncovered.isEmpty)
        // The nearest centre first; then, before the other near ones, the place that also takes the toddler.
        #expect(r.suggestions.map(\.facility.id) == ["S1", "P", "S2"])
        #expect(r.suggestions[1].reasons.contains("형제 2명 함께"))
        #expect(r.suggestions[1].distanceText == "방문·시군구 서비스 (아산시 전체)")
    }

    @Test func typeHoursAndProgrammes() {
        let facilities = [
            fac("LC", metresEast: 200, saturday: false), fac("DH", .다함께돌봄센터, metresEast: 400, saturday: true),
            fac("ML", metresEast: 900, saturday: true, programmes: [.다문화], languages: ["베트남어"]),
        ]
        let matcher = FacilityMatcher(registry: FacilityRegistry(facilities))
        let child = FacilityHousehold.Child(age: 8, grade: 2)
        #expect(matcher.match(household(children: [child], types: [.다함께돌봄센터])).suggestions.map(\.facility.id) == ["DH"])
        #expect(
            matcher.match(household(children: [child], notes: ["토요일에도 돌봄이 필요해요"])).suggestions.map(\.facility.id) == [
                "DH", "ML",
            ])
        // A Vietnamese-speaking 다문화 family: language and programme outweigh 700 m.
        let r = matcher.match(household(children: [child], flags: [.다문화], language: "베트남어"))
        #expect(r.suggestions.first?.facility.id == "ML")
        #expect(r.suggestions.first?.reasons.contains("베트남어 가능") == true)
        #expect(r.suggestions.first?.reasons.contains("다문화/언어 프로그램") == true)
    }

    @Test func withoutAPointTheSigunguAndSaidSo() {
        var h = household(children: [.init(age: 8, grade: 2)])
        h.location = nil
        let other = Facility(
            id: "X", name: "천안 기관", type: .지역아동센터, address: World.areas[1].address,
            location: Location(World.areas[1].centre, precision: .building))
        let r = FacilityMatcher(registry: FacilityRegistry([fac("A", metresEast: 9000), other])).match(h)
        #expect(r.basis == .sigungu)
        #expect(r.suggestions.map(\.facility.id) == ["A"])
        #expect(r.suggestions[0].sameSigunguOnly)
        #expect(r.suggestions[0].distanceText == "같은 시군구 (집 위치 모름)")
        h.sigungu = nil
        h.sido = nil
        #expect(FacilityMatcher(registry: FacilityRegistry([fac("A", metresEast: 9000)])).match(h).basis == .unknown)
    }

    @Test func aDongCentreGetsTheSlack() {
        let facilities = [fac("NEAR", metresEast: 2900), fac("EDGE", metresEast: 3600)]
        let matcher = FacilityMatcher(registry: FacilityRegistry(facilities))
        #expect(matcher.match(household(children: [.init(age: 8)])).suggestions.map(\.facility.id) == ["NEAR"])
        let dong = matcher.match(household(children: [.init(age: 8)], precision: .eupmyeondong))
        #expect(dong.suggestions.map(\.facility.id) == ["NEAR", "EDGE"])
        #expect(dong.suggestions[1].distanceText == "약 3.6 km (동 중심 기준)")
    }
}
