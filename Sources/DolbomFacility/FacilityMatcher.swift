import DolbomGeo
import DolbomNormalize
import DolbomRuntime
import Foundation

/// When a family needs care beyond an ordinary after-school afternoon (which every facility is for), as the
/// form or the memo says it (`CareNeeds.read`).
public struct CareTimes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// Until `MatchPolicy.eveningFrom` or later on school days.
    public static let evening = CareTimes(rawValue: 1)
    public static let saturday = CareTimes(rawValue: 2)
    public static let vacation = CareTimes(rawValue: 4)

    public var names: [String] {
        var out: [String] = []
        if contains(.evening) { out.append("저녁") }
        if contains(.saturday) { out.append("토요일") }
        if contains(.vacation) { out.append("방학") }
        return out
    }
}

/// What a household's own words ask of a facility: the times and the programmes.
public enum CareNeeds {
    /// Reads free text (the memo, a "돌봄 필요 시간" column): `주말`/`토요일` → Saturday, `저녁`/`야간`/`늦게`/
    /// `19시`–`22시` → evening, `방학` → vacation; programmes as `FacilityText.programmes` reads them, except
    /// that a time word alone asks for the time, not for the 주말·방학/저녁 programme (a facility open then is
    /// what such a family needs; the hours filter sees to it). A clause about calls (통화/연락/전화/문자/상담)
    /// is skipped: `저녁 7시 이후 통화 가능` is a time to call. A time the family says it does not
    /// need (`주말은 필요 없고`, `방학 제외`, `저녁 말고`) is not a need: a time word is taken back
    /// by a negation that follows it before the next time word. A question (`주말 돌봄도 가능한지`)
    /// is read as a need: the counselor confirms on the call.
    public static func read(_ texts: [String]) -> (times: CareTimes, programmes: [Facility.Programme]) {
        var times: CareTimes = []
        var programmes: UInt8 = 0
        // Clause by clause, on UTF-8 bytes with the spaces dropped (the key words are Korean and digits: byte
        // search is exact for them, and a memo is read once per household).
        for text in texts where mayAsk(text) {
            var bytes = Array(text.utf8)
            bytes.removeAll { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
            for clause in bytes.split(whereSeparator: { clauseBreaks.contains($0) }) {
                let c = Array(clause)
                guard !callWords.contains(where: { ByteSearch.contains(c, $0) }) else { continue }
                times.formUnion(timesNeeded(in: c))
                for p in FacilityText.programmes(bytes: c) where p != .주말방학 && p != .저녁 {
                    programmes |= p.bit
                }
            }
        }
        return (times, Facility.Programme.listed(programmes))
    }

    /// The times a clause asks for: each time word's, unless a negation comes after it and before the next
    /// time word (`주말은필요없고저녁돌봄필요` → evening only).
    static func timesNeeded(in clause: [UInt8]) -> CareTimes {
        var found: [(at: Int, time: CareTimes)] = []
        for (words, time) in timeWords {
            for word in words { for at in ByteSearch.positions(of: word, in: clause) { found.append((at, time)) } }
        }
        guard !found.isEmpty else { return [] }
        found.sort { $0.at < $1.at }
        let negations = negationWords.flatMap { ByteSearch.positions(of: $0, in: clause) }
        var times: CareTimes = []
        for (k, word) in found.enumerated() {
            let end = k + 1 < found.count ? found[k + 1].at : clause.count
            if !negations.contains(where: { $0 > word.at && $0 < end }) { times.formUnion(word.time) }
        }
        return times
    }

    /// Whether the text may hold a time or programme word: whether two neighbouring characters of it (spaces
    /// dropped, as `read` drops them) begin one. Most memos (`아이가 낯을 많이 가려요`) hold none and
    /// are done with in this one pass, not searched for each word.
    static func mayAsk(_ text: String) -> Bool {
        var previous: UInt32 = 0
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v == 0x20 || v == 0x09 || v == 0x0D { continue }
            if wordStarts.contains(UInt64(previous) << 32 | UInt64(v)) { return true }
            previous = v
        }
        return false
    }

    /// The first two characters of each time and programme word (every one has two or more).
    private static let wordStarts: Set<UInt64> = Set(
        (timeWordTexts.flatMap(\.0) + FacilityText.programmeWords.flatMap(\.0)).map { word in
            let s = Array(word.unicodeScalars)
            return UInt64(s[0].value) << 32 | UInt64(s[1].value)
        })

    private static let clauseBreaks: Set<UInt8> = Set(".,\n!?;/".utf8)
    private static let callWords = ["통화", "연락", "전화", "문자", "상담"].map { Array($0.utf8) }
    private static let timeWordTexts: [([String], CareTimes)] = [
        (["주말", "토요"], .saturday),
        (["방학"], .vacation),
        (
            [
                "저녁", "야간", "늦게", "늦은시간", "퇴근후",
                "19시", "20시", "21시", "22시", "7시이후", "8시까지", "9시까지",
            ], .evening
        ),
    ]
    private static let timeWords = timeWordTexts.map { words, time in (words.map { Array($0.utf8) }, time) }
    /// What takes a time back (spaces already dropped): `필요 없어요`, `불필요`, `안 해도`, `없어도`,
    /// `제외`, `빼고`, `말고`. Not `괜찮`: `주말도 괜찮으시면` asks for it.
    private static let negationWords = [
        "필요없", "필요하지않", "불필요", "안해도", "없어도", "제외", "빼고", "말고",
    ]
    .map { Array($0.utf8) }
}

/// A household as the matcher sees it (DolbomCore builds it from a `Household`).
public struct FacilityHousehold: Sendable {
    public struct Child: Hashable, Sendable {
        public var name: String?
        public var age: Int?
        public var grade: Int?

        public init(name: String? = nil, age: Int? = nil, grade: Int? = nil) {
            self.name = name
            self.age = age
            self.grade = grade
        }
    }

    public var id: String
    public var location: Location?
    public var sido: String?
    public var sigungu: String?
    public var children: [Child]
    /// Requested services; empty (or only 기타) = any (`상관없음`).
    public var careTypes: [CareType]
    public var flags: [HouseholdFlag]
    /// A language besides Korean the family speaks (`베트남어`).
    public var language: String?
    /// Free text that may ask for times or programmes: memos, a care-time column.
    public var notes: [String]

    public init(
        id: String, location: Location?, sido: String? = nil, sigungu: String? = nil, children: [Child],
        careTypes: [CareType] = [], flags: [HouseholdFlag] = [], language: String? = nil, notes: [String] = []
    ) {
        self.id = id
        self.location = location
        self.sido = sido
        self.sigungu = sigungu
        self.children = children
        self.careTypes = careTypes
        self.flags = flags
        self.language = language
        self.notes = notes
    }

    /// 기초생활수급 or 차상위: the fee weight counts for them.
    public var lowIncome: Bool { flags.contains(.기초생활수급) || flags.contains(.차상위) }

    /// The services asked for, without 기타; empty = any.
    public var requestedTypes: Set<CareType> { Set(careTypes.filter { $0 != .기타 }) }
}

/// The score that ranks the facilities that pass every hard filter (`facilities.weights`). Each part is its
/// weight times a fraction in 0…1, so a weight is the most that part can add:
/// - `distance`: 1 − distance / max distance (0 when no distance is known);
/// - `vacancy`: min(빈자리, 5) / 5 after booked visits; 0.3 when the centre sent no count; 0 for a waiting list;
/// - `siblings`: (children served − 1) / (children − 1), for households with two or more children;
/// - `fee`: 1 for a 기초생활수급/차상위 household at a facility that is free (for them or for all), else 0;
/// - `language`: 1 when the facility's staff speak the family's language;
/// - `programme`: 1 per programme the household asks for that the facility runs (느린학습자, 장애 통합, 다문화/언어).
public struct ScoreWeights: Hashable, Sendable {
    public var distance: Double = 40
    public var vacancy: Double = 15
    public var siblings: Double = 15
    public var fee: Double = 10
    public var language: Double = 15
    public var programme: Double = 10

    /// The defaults; the configuration changes the weights it names.
    public init() {}
}

/// The hard filters' settings and the score (`facilities:` in the configuration).
public struct MatchPolicy: Hashable, Sendable {
    /// The farthest a facility may be, in metres (great-circle, from the household's point).
    public var maxDistanceMetres: Double = 3000
    /// Added to the maximum when the household's point is its 읍면동's centre (it may live that much nearer
    /// or farther than the centre is).
    public var eupmyeondongSlackMetres: Double = 1000
    /// Full facilities (no 빈자리 left after booked visits) are suggested as `대기 가능` instead of left out.
    public var listFullAsWaitlist = false
    /// A facility serves an evening need when its term hours end at or after this minute (19:00).
    public var eveningFrom = 19 * 60
    /// Suggestions per household.
    public var count = 3
    public var weights = ScoreWeights()

    /// The defaults; the configuration changes the settings it names.
    public init() {}
}

/// One suggested facility for a household.
public struct FacilitySuggestion: Hashable, Sendable {
    /// The registry's box (one reference to copy, however large the facility).
    @usableFromInline let shared: Shared<Facility>
    /// Where the facility stands in the registry (`FacilityRegistry.facilities`): counting by facility needs no
    /// lookup by id.
    public var registryIndex: Int
    @inlinable public var facility: Facility { _read { yield shared.value } }
    /// Great-circle metres from the household's point; nil when the household has no point.
    public var metres: Double?
    /// How exact that distance is: the coarser of the two points' precisions.
    public var precision: Location.Precision?
    /// The suggestion's lists in one box: suggestions are copied by every writer that shows them, and one
    /// reference copies faster than four arrays.
    @usableFromInline var lists: SharedBox<Lists>
    public var score: Double
    /// 빈자리 after the visits already booked; nil when the centre sent no count.
    public var vacanciesLeft: Int?
    /// Full, suggested only because `listFullAsWaitlist` is on.
    public var waitlist: Bool
    /// The household had no point, so this is one of the fitting facilities of its 시군구.
    public var sameSigunguOnly: Bool

    @usableFromInline struct Lists: Hashable, Sendable {
        @usableFromInline var children: [Int]
        @usableFromInline var childNames: [String]
        @usableFromInline var reasons: [String]
        @usableFromInline var scoreParts: [ScorePart]
        @usableFromInline var distanceText: String
    }

    /// Indices into the household's children the facility fits (every hard filter passed for them).
    @inlinable public var children: [Int] { lists.value.children }
    @inlinable public var childNames: [String] {
        get { lists.value.childNames }
        set { lists.value.childNames = newValue }
    }
    /// Why, in staff's words: distance, 빈자리, siblings, fee, language, programmes, hours, caveats.
    @inlinable public var reasons: [String] { lists.value.reasons }
    /// The score's parts (`거리`, `빈자리`, `형제`, `이용료`, `언어`, `프로그램`) with their points,
    /// for `dolbom explain`.
    @inlinable public var scoreParts: [ScorePart] { lists.value.scoreParts }

    public init(
        facility: Facility, registryIndex: Int = -1, metres: Double?, precision: Location.Precision?,
        children: [Int], childNames: [String], reasons: [String], score: Double, scoreParts: [ScorePart],
        vacanciesLeft: Int?, waitlist: Bool, sameSigunguOnly: Bool
    ) {
        self.init(
            shared: Shared(facility), registryIndex: registryIndex, metres: metres, precision: precision,
            children: children, childNames: childNames, reasons: reasons, score: score, scoreParts: scoreParts,
            vacanciesLeft: vacanciesLeft, waitlist: waitlist, sameSigunguOnly: sameSigunguOnly)
    }

    init(
        shared: Shared<Facility>, registryIndex: Int, metres: Double?, precision: Location.Precision?,
        children: [Int], childNames: [String], reasons: [String], score: Double, scoreParts: [ScorePart],
        vacanciesLeft: Int?, waitlist: Bool, sameSigunguOnly: Bool, distanceText: String? = nil
    ) {
        self.shared = shared
        self.registryIndex = registryIndex
        self.metres = metres
        self.precision = precision
        lists = SharedBox(
            Lists(
                children: children, childNames: childNames, reasons: reasons, scoreParts: scoreParts,
                distanceText: distanceText ?? Self.distanceText(shared.value, metres: metres, precision: precision)))
        self.score = score
        self.vacanciesLeft = vacanciesLeft
        self.waitlist = waitlist
        self.sameSigunguOnly = sameSigunguOnly
    }

    /// `약 1.2 km (동 중심 기준)`, `방문 돌봄 (아산시 전체)`, or `같은 시군구 (집 위치 모름)`:
    /// put in words once, shown by every writer.
    @inlinable public var distanceText: String { lists.value.distanceText }

    static func distanceText(_ f: Facility, metres: Double?, precision: Location.Precision?) -> String {
        if f.servesWholeSigungu { return "방문·시군구 서비스 (\(f.sigungu ?? "시군구") 전체)" }
        guard let metres else { return "같은 시군구 (집 위치 모름)" }
        return DistanceText.text(metres, precision: precision ?? .building)
    }
}

/// One part of a suggestion's score.
public struct ScorePart: Hashable, Sendable {
    public var name: String
    public var points: Double
}

/// A household's result, with what `dolbom explain` says about it.
public struct HouseholdFacilityMatch: Sendable {
    public enum Basis: String, Hashable, Sendable {
        /// From the household's point (building, 읍면동 or 시군구 centre).
        case distance
        /// No point: the fitting facilities of its 시군구.
        case sigungu
        /// Neither a point nor a 시군구: nothing can be suggested.
        case unknown
    }

    public var householdID: String
    public var suggestions: [FacilitySuggestion]
    public var basis: Basis
    public var precision: Location.Precision?
    public var times: CareTimes
    public var programmes: [Facility.Programme]
    /// Facilities that passed every hard filter for at least one child.
    public var candidates: Int
    /// Children no suggestion fits (by index).
    public var uncovered: [Int]
    /// The nearest facility of any kind when it is not among the suggestions: why not.
    public var nearest: NearestFacility?
}

/// The nearest facility (any type) when the matcher did not suggest it, and why: the counselor's first question.
public struct NearestFacility: Sendable {
    @usableFromInline let shared: Shared<Facility>
    @inlinable public var facility: Facility { _read { yield shared.value } }
    public var metres: Double
    public var why: [String]
}

/// Fit, then rank: per child the hard filters (type, age band, hours when needed, distance, vacancies), then
/// the score (`ScoreWeights`) over the facilities that fit at least one child, then the top `count` chosen so
/// each child is covered where some facility fits them (siblings together count in the score).
///
/// Deterministic: ties in score go to the nearer facility, then to registry order.
///
/// A class: the registry and the tables below are read by every household's match, whose closures (the sort,
/// the suggestions) capture the matcher; a struct would be copied into each, a dozen references at a time.
public final class FacilityMatcher: Sendable {
    public let registry: FacilityRegistry
    public let policy: MatchPolicy
    /// Facility id → visits already booked (referrals): subtracted from the 빈자리 the centre reported.
    public let bookedReferrals: [String: Int]

    /// What the hot loop reads of each facility, as plain values (a facility's strings and arrays are not
    /// touched, nor retained, for the candidates that are not chosen): aligned with `registry.facilities`.
    let traits: [Traits]
    /// Languages the facilities speak, numbered for `Traits.languages`.
    let languageBits: [String: UInt64]
    /// 시군구 names (`sido|sigungu`), numbered for `Traits.area`.
    let areaNumbers: [String: Int32]
    /// The same numbers by 시군구 name, with their 시도 (`""` when the list gave none).
    let areasBySigungu: [String: [(sido: String, number: Int32)]]

    struct Traits {
        var type: UInt8
        var wholeSigungu: Bool
        /// `areaNumbers` of the facility's `sido|sigungu`, -1 when its 시군구 is unknown.
        var area: Int32
        var sigunguKnown: Bool
        var saturdayClosed: Bool
        /// Term hours' end, -1 when not stated.
        var termEnd: Int32
        /// 빈자리 after booked visits; nil when unknown.
        var vacanciesLeft: Int?
        var freeForLowIncome: Bool
        var programmes: UInt8
        var languages: UInt64
        var band: Facility.Band
    }

    public init(registry: FacilityRegistry, policy: MatchPolicy = MatchPolicy(), bookedReferrals: [String: Int] = [:]) {
        self.registry = registry
        self.policy = policy
        self.bookedReferrals = bookedReferrals
        var languages: [String: UInt64] = [:]
        var areas: [String: Int32] = [:]
        var areasBySigungu: [String: [(sido: String, number: Int32)]] = [:]
        var traits: [Traits] = []
        traits.reserveCapacity(registry.count)
        for f in registry.facilities {
            var spoken: UInt64 = 0
            for l in f.languages {
                if languages[l] == nil && languages.count < 64 { languages[l] = 1 << UInt64(languages.count) }
                spoken |= languages[l] ?? 0
            }
            var area: Int32 = -1
            if let sigungu = f.sigungu {
                let key = (f.address?.sido ?? "") + "|" + sigungu
                if areas[key] == nil {
                    areas[key] = Int32(areas.count)
                    areasBySigungu[sigungu, default: []].append((f.address?.sido ?? "", Int32(areas.count - 1)))
                }
                area = areas[key]!
            }
            var programmes: UInt8 = 0
            for p in f.programmes { programmes |= p.bit }
            traits.append(
                Traits(
                    type: UInt8(f.type.order), wholeSigungu: f.servesWholeSigungu, area: area,
                    sigunguKnown: f.sigungu != nil,
                    saturdayClosed: f.hours.saturdayOpen == false, termEnd: f.hours.term.map { Int32($0.end) } ?? -1,
                    vacanciesLeft: f.places.vacancies.map { $0 - (bookedReferrals[f.id] ?? 0) },
                    freeForLowIncome: f.fee.free == true || f.fee.freeForLowIncome == true || f.fee.monthlyWon == 0,
                    programmes: programmes, languages: spoken, band: f.band))
        }
        self.traits = traits
        languageBits = languages
        areaNumbers = areas
        self.areasBySigungu = areasBySigungu
    }

    /// The numbers of the areas a household counts as its own 시군구 (`sameSigungu`, numbered).
    func areas(of h: FacilityHousehold) -> Set<Int32> {
        guard let sigungu = h.sigungu, let areas = areasBySigungu[sigungu] else { return [] }
        var out: Set<Int32> = []
        for (sido, n) in areas where h.sido == nil || sido.isEmpty || sido == h.sido { out.insert(n) }
        return out
    }

    /// `householdFailures(...).isEmpty`, on the traits: the hot loop's filter (the property test holds both to
    /// the issue's words).
    @inline(__always)
    func passes(
        _ t: Traits, metres: Double?, basis: HouseholdFacilityMatch.Basis, wanted: UInt8, times: CareTimes,
        maxDistance: Double, areas: Set<Int32>
    ) -> Bool {
        if wanted != 0 ? wanted & (1 << t.type) == 0 : t.type == UInt8(CareType.드림스타트.order) { return false }
        if times.rawValue & CareTimes.saturday.rawValue != 0 && t.saturdayClosed { return false }
        if times.rawValue & CareTimes.evening.rawValue != 0 && t.termEnd >= 0 && t.termEnd < Int32(policy.eveningFrom) {
            return false
        }
        if basis == .distance && !t.wholeSigungu {
            guard let metres, metres <= maxDistance else { return false }
        } else if !areas.contains(t.area) {
            return false
        }
        if let left = t.vacanciesLeft, left <= 0, !policy.listFullAsWaitlist { return false }
        return true
    }

    /// The score `suggestion` gives, from the traits, adding its parts in the same order (so the
    /// same bits come out).
    @inline(__always)
    func score(
        _ t: Traits, metres: Double?, childCount: Int, fits: Int, lowIncome: Bool, language: UInt64,
        programmes: UInt8, maxDistance: Double
    ) -> Double {
        let w = policy.weights
        var total = 0.0
        if t.wholeSigungu {
            total += w.distance * 0.5
        } else if let metres {
            total += w.distance * max(0, 1 - metres / max(1, maxDistance))
        }
        if let left = t.vacanciesLeft {
            if left > 0 { total += w.vacancy * Double(min(left, 5)) / 5 }
        } else {
            total += w.vacancy * 0.3
        }
        if childCount > 1 { total += w.siblings * Double(fits - 1) / Double(childCount - 1) }
        if lowIncome && t.freeForLowIncome { total += w.fee }
        if language != 0 && t.languages & language != 0 { total += w.language }
        let matched = t.programmes & programmes
        if matched != 0 { for bit in 0..<8 where matched & (1 << bit) != 0 { total += w.programme } }
        return (total * 1000).rounded() / 1000
    }

    /// Why a facility fails a child: one of the hard filters, in staff's words.
    public enum Failure: Hashable, Sendable {
        case type(CareType)
        case band(String)
        case closed(CareTimes)
        case tooFar(Double)
        case otherSigungu(String?)
        case full
        case unlocated

        public var text: String {
            switch self {
            case .type(let t): "요청한 유형이 아님(\(t.rawValue))"
            case .band(let b): "연령 대상 아님(\(b))"
            case .closed(let t): t.names.joined(separator: "·") + " 운영 안 함"
            case .tooFar(let m): "최대 거리 밖(" + DistanceText.short(m) + ")"
            case .otherSigungu(let s): "다른 시군구(\(s ?? "주소 없음"))"
            case .full: "빈자리 없음"
            case .unlocated: "기관 위치 모름"
            }
        }
    }

    /// 빈자리 after booked visits; nil when unknown.
    public func vacanciesLeft(_ f: Facility) -> Int? {
        f.places.vacancies.map { $0 - (bookedReferrals[f.id] ?? 0) }
    }

    /// The hard filters that are not about the child (type, hours, distance, vacancies), for one facility.
    func householdFailures(
        _ f: Facility, _ h: FacilityHousehold, times: CareTimes, metres: Double?, basis: HouseholdFacilityMatch.Basis,
        wanted: Set<CareType>? = nil
    ) -> [Failure] {
        var out: [Failure] = []
        let wanted = wanted ?? h.requestedTypes
        // 드림스타트 is a case-management programme with its own eligibility: suggested only when asked for.
        if !wanted.isEmpty ? !wanted.contains(f.type) : f.type == .드림스타트 { out.append(.type(f.type)) }
        let closed = closedTimes(f, times)
        if !closed.isEmpty { out.append(.closed(closed)) }
        switch basis {
        case .distance where f.servesWholeSigungu:
            if !sameSigungu(f, h) { out.append(.otherSigungu(f.sigungu)) }
        case .distance:
            if let metres {
                if metres > maxDistance(for: h) { out.append(.tooFar(metres)) }
            } else {
                out.append(.unlocated)
            }
        case .sigungu, .unknown:
            if !sameSigungu(f, h) { out.append(.otherSigungu(f.sigungu)) }
        }
        if let left = vacanciesLeft(f), left <= 0, !policy.listFullAsWaitlist { out.append(.full) }
        return out
    }

    /// Times needed that the facility is known not to cover (unknown hours exclude nothing; the suggestion
    /// then says to check them).
    func closedTimes(_ f: Facility, _ times: CareTimes) -> CareTimes {
        guard times.rawValue != 0 else { return [] }
        var closed: UInt8 = 0
        if times.rawValue & CareTimes.saturday.rawValue != 0, f.hours.saturdayOpen == false {
            closed |= CareTimes.saturday.rawValue
        }
        if times.rawValue & CareTimes.evening.rawValue != 0, let term = f.hours.term, term.end < policy.eveningFrom {
            closed |= CareTimes.evening.rawValue
        }
        // A list that gives term hours and no vacation hours does not open in the vacation only if it says so:
        // no vacation hours is "not stated", which excludes nothing.
        return CareTimes(rawValue: closed)
    }

    func maxDistance(for h: FacilityHousehold) -> Double { maxDistance(at: h.location) }

    func maxDistance(at location: Location?) -> Double {
        policy.maxDistanceMetres + (location?.precision == .eupmyeondong ? policy.eupmyeondongSlackMetres : 0)
    }

    func sameSigungu(_ f: Facility, _ h: FacilityHousehold) -> Bool {
        guard let hs = h.sigungu, let fs = f.sigungu, hs == fs else { return false }
        if let a = h.sido, let b = f.address?.sido, a != b { return false }
        return true
    }

    func basis(of h: FacilityHousehold) -> HouseholdFacilityMatch.Basis { basis(of: Place(h)) }

    func basis(of place: Place) -> HouseholdFacilityMatch.Basis {
        if let p = place.location?.precision, p != .sigungu { return .distance }
        return place.sigungu != nil ? .sigungu : (place.location != nil ? .distance : .unknown)
    }

    /// The household's suggestions.
    public func match(_ h: FacilityHousehold) -> HouseholdFacilityMatch { match(h, needs: Request(h)) }

    /// Every household's suggestions, in order. Households that ask the same thing from the same place get
    /// the same facilities with the same words (only the household id and the children's names differ), so
    /// each such group is matched once: families located at one 읍면동 centre, or only to their 시군구, are
    /// many. The same result as `households.map(match)`.
    public func match(_ households: [FacilityHousehold]) -> [HouseholdFacilityMatch] {
        let requests = ParallelMap.map(count: households.count, chunk: 256) { Request(households[$0]) }
        var first: [Request: Int] = [:]
        first.reserveCapacity(households.count)
        var representative: [Int] = []
        representative.reserveCapacity(households.count)
        for (i, r) in requests.enumerated() {
            if let k = first[r] {
                representative.append(k)
            } else {
                first[r] = i
                representative.append(i)
            }
        }
        let of = representative
        // What a centre (읍면동 or 시군구) has in reach is found once for all the households placed there; a
        // building's point is a household's own.
        var places: [Place: Int] = [:]
        var placeOf = [Int](repeating: -1, count: households.count)
        for i in households.indices where of[i] == i && households[i].location?.precision != .building {
            let place = requests[i].place
            if let k = places[place] {
                placeOf[i] = k
            } else {
                placeOf[i] = places.count
                places[place] = places.count
            }
        }
        let shared = Array(places.sorted { $0.value < $1.value }.map(\.key))
        let reaches = ParallelMap.map(count: shared.count, chunk: 1) { reach(shared[$0]) }
        let at = placeOf
        let own = ParallelMap.map(count: households.count, chunk: 64) { i in
            of[i] == i ? match(households[i], needs: requests[i], reach: at[i] >= 0 ? reaches[at[i]] : nil) : nil
        }
        return ParallelMap.map(count: households.count, chunk: 256) { i in
            own[i] ?? Self.adopted(own[of[i]]!, by: households[i])
        }
    }

    /// What the match depends on, besides the household's id and children's names: where it is, who its
    /// children are (ages and grades), what it asks for (types, the flags that count, language) and the times
    /// and programmes its words ask for.
    struct Request: Hashable, Sendable {
        var place: Place
        var sido: String?
        /// Each child's age and grade (-1 when unknown).
        var children: [Int]
        var types: UInt16
        /// 다문화, 장애, low income (기초생활수급 or 차상위).
        var flags: UInt8
        var language: String?
        var times: CareTimes
        var programmes: [Facility.Programme]

        init(_ h: FacilityHousehold) {
            place = Place(h)
            sido = h.sido
            children = h.children.flatMap { [$0.age ?? -1, $0.grade ?? -1] }
            types = h.careTypes.reduce(0) { $0 | 1 << UInt16($1.order) }
            flags =
                (h.flags.contains(.다문화) ? 1 : 0) | (h.flags.contains(.장애) ? 2 : 0) | (h.lowIncome ? 4 : 0)
            language = h.language
            (times, programmes) = CareNeeds.read(h.notes)
        }
    }

    /// A group's match as one of its other households gets it: its id, its children's names.
    static func adopted(_ m: HouseholdFacilityMatch, by h: FacilityHousehold) -> HouseholdFacilityMatch {
        var m = m
        m.householdID = h.id
        let children = h.children.isEmpty ? [FacilityHousehold.Child()] : h.children
        for k in m.suggestions.indices {
            m.suggestions[k].childNames = m.suggestions[k].children.compactMap { children[$0].name }
        }
        return m
    }

    /// Where a household is, as far as the facilities to look at go: its point and how exact it is, and its
    /// 시군구. A 읍면동 or 시군구 centre is the place of many households.
    struct Place: Hashable, Sendable {
        var location: Location?
        var sigungu: String?

        init(_ h: FacilityHousehold) {
            location = h.location
            sigungu = h.sigungu
        }
    }

    /// What a place has in reach: the facilities to look at with their distances (within the maximum distance
    /// of the point, or in the 시군구, and the services for the whole 시군구), and the nearest facility of any
    /// kind (the nearest in reach, else the nearest within `nearestNoteMetres`), for the note when it is not
    /// suggested.
    struct Reach: Sendable {
        var pool: [(index: Int, metres: Double?)] = []
        var nearest: (index: Int, metres: Double)?
    }

    /// How far the note on the nearest facility looks.
    static let nearestNoteMetres = 20_000.0

    func reach(_ place: Place) -> Reach {
        var reach = Reach()
        switch basis(of: place) {
        case .distance:
            let point = place.location!.point
            let within = registry.within(maxDistance(at: place.location), of: point, sorted: false)
            reach.nearest = within.min { $0.metres != $1.metres ? $0.metres < $1.metres : $0.index < $1.index }
            reach.pool = within.map { ($0.index, $0.metres) }
            // Services for the whole 시군구 (아이돌봄, 드림스타트) whatever their office's distance.
            if let sigungu = place.sigungu {
                let services = registry.servingWholeSigungu(sigungu)
                if !services.isEmpty {
                    let near = Set(reach.pool.map(\.index))
                    for i in services where !near.contains(i) {
                        reach.pool.append((i, registry.point(i).map { point.metres(to: $0) }))
                    }
                }
            }
        case .sigungu:
            let point = place.location?.point
            reach.pool = registry.inSigungu(place.sigungu!).map { i in
                (i, point.flatMap { p in registry.point(i).map { p.metres(to: $0) } })
            }
        case .unknown:
            return reach
        }
        if reach.nearest == nil, let point = place.location?.point {
            reach.nearest = registry.nearest(to: point, within: Self.nearestNoteMetres)
        }
        return reach
    }

    func match(_ h: FacilityHousehold, needs: Request, reach: Reach? = nil) -> HouseholdFacilityMatch {
        let (times, programmes) = (needs.times, needs.programmes)
        // As bits (`Programme.bit`): read for every facility in reach.
        var wantedProgrammes: UInt8 = 0
        for p in programmes { wantedProgrammes |= p.bit }
        if h.flags.contains(.다문화) || h.language != nil { wantedProgrammes |= Facility.Programme.다문화.bit }
        if h.flags.contains(.장애) { wantedProgrammes |= Facility.Programme.장애통합.bit }
        let basis = basis(of: h)
        var result = HouseholdFacilityMatch(
            householdID: h.id, suggestions: [], basis: basis, precision: h.location?.precision,
            times: times, programmes: Facility.Programme.listed(wantedProgrammes), candidates: 0,
            uncovered: Array(h.children.indices), nearest: nil)
        guard basis != .unknown else { return result }
        let reach = reach ?? self.reach(Place(h))
        let pool = reach.pool
        // Children with nothing to go on (no name, age or grade) still count as one child to place.
        let children = h.children.isEmpty ? [FacilityHousehold.Child()] : h.children
        // Filtered and scored on the traits first (most candidates are not chosen); the chosen ones are put in
        // words after.
        var scored: [Candidate] = []
        var wanted: UInt8 = 0
        for t in h.careTypes where t != .기타 { wanted |= 1 << UInt8(t.order) }
        // The 주말·방학 and 저녁 programmes are times, which the hours filter sees to: not scored.
        let programmeBits = wantedProgrammes & ~(Facility.Programme.주말방학.bit | Facility.Programme.저녁.bit)
        let language = h.language.flatMap { languageBits[$0] } ?? 0
        let areas = basis == .distance && !traits.contains(where: \.wholeSigungu) ? [] : areas(of: h)
        let limit = maxDistance(for: h)
        let lowIncome = h.lowIncome
        for (i, metres) in pool {
            let t = traits[i]
            guard
                passes(t, metres: metres, basis: basis, wanted: wanted, times: times, maxDistance: limit, areas: areas)
            else { continue }
            let fits = children.indices.filter {
                t.band.serves(age: children[$0].age, grade: children[$0].grade) != false
            }
            guard !fits.isEmpty else { continue }
            let shownMetres = t.wholeSigungu ? nil : metres
            scored.append(
                Candidate(
                    index: i, metres: shownMetres, children: fits,
                    score: score(
                        t, metres: shownMetres, childCount: children.count, fits: fits.count,
                        lowIncome: lowIncome, language: language, programmes: programmeBits, maxDistance: limit)))
        }
        result.candidates = scored.count
        scored.sort { a, b in
            if a.score != b.score { return a.score > b.score }
            let da = a.metres ?? .infinity
            let db = b.metres ?? .infinity
            if da != db { return da < db }
            return registry.facilities[a.index].id < registry.facilities[b.index].id
        }
        // Greedy: the best first; then, while a child is not yet covered and some candidate covers one, the best such.
        var chosen: [Candidate] = []
        var covered = Set<Int>()
        var rest = scored[...]
        while chosen.count < policy.count, !rest.isEmpty {
            let uncovered = Set(children.indices).subtracting(covered)
            let pick =
                uncovered.isEmpty
                ? rest.startIndex
                : rest.firstIndex { !uncovered.isDisjoint(with: $0.children) } ?? rest.startIndex
            let c = rest[pick]
            chosen.append(c)
            covered.formUnion(c.children)
            rest.remove(at: pick)
        }
        result.suggestions = chosen.map { c in
            let s = suggestion(
                c.index, h, metres: c.metres, basis: basis, children: c.children, of: children,
                times: times, programmes: programmeBits)
            assert(s.score == c.score, "the worded score differs from the traits' score")
            return s
        }
        result.uncovered = h.children.indices.filter { !covered.contains($0) }
        result.nearest = nearestNote(
            h, chosen: chosen, times: times, basis: basis, children: children, scored: scored,
            nearest: reach.nearest)
        return result
    }

    /// A facility that passed the filters, before it is put in words.
    struct Candidate {
        var index: Int
        var metres: Double?
        var children: [Int]
        var score: Double
    }

    private func suggestion(
        _ index: Int, _ h: FacilityHousehold, metres: Double?, basis: HouseholdFacilityMatch.Basis,
        children fits: [Int], of children: [FacilityHousehold.Child], times: CareTimes,
        programmes: UInt8
    ) -> FacilitySuggestion {
        let shared = registry.shared[index]
        let f = shared.value
        let w = policy.weights
        var parts: [ScorePart] = []
        var total = 0.0
        func add(_ name: String, _ points: Double) {
            total += points
            if points != 0 { parts.append(ScorePart(name: name, points: points)) }
        }
        var reasons: [String] = []
        func say(_ text: String) { reasons.append(text) }
        let metres = f.servesWholeSigungu ? nil : metres
        let precision = metres == nil ? nil : coarser(h.location?.precision, f.location?.precision)
        let distance = FacilitySuggestion.distanceText(f, metres: metres, precision: precision)
        if f.servesWholeSigungu {
            // Comes to the family (or serves the whole 시군구): half the distance points, wherever the office is.
            add("거리", w.distance * 0.5)
            say("방문·시군구 서비스")
        } else if let metres {
            add("거리", w.distance * max(0, 1 - metres / max(1, maxDistance(for: h))))
            say(distance)
        }
        if basis == .sigungu && !f.servesWholeSigungu {
            say(metres == nil ? "같은 시군구(집 위치 모름)" : "같은 시군구(시군구 중심 기준)")
        }
        let left = vacanciesLeft(f)
        var waitlist = false
        if let left {
            if left > 0 {
                add("빈자리", w.vacancy * Double(min(left, 5)) / 5)
                say("빈자리 \(left)" + (f.places.asOf.map { " (\($0.month)/\($0.day) 기준)" } ?? ""))
            } else {
                waitlist = true
                say("대기 가능(빈자리 없음)")
            }
        } else {
            add("빈자리", w.vacancy * 0.3)
            say("빈자리 확인 필요")
        }
        if children.count > 1 {
            add("형제", w.siblings * Double(fits.count - 1) / Double(children.count - 1))
            if fits.count == children.count { say("형제 \(fits.count)명 함께") }
        }
        if h.lowIncome && (f.fee.free == true || f.fee.freeForLowIncome == true || f.fee.monthlyWon == 0) {
            add("이용료", w.fee)
            say("수급·차상위 무료")
        }
        if let language = h.language, f.languages.contains(language) {
            add("언어", w.language)
            say("\(language) 가능")
        }
        // `programmes` holds no time programmes (주말·방학, 저녁): those are the hours filter's.
        for p in f.programmes where programmes & p.bit != 0 {
            add("프로그램", w.programme)
            say("\(p.rawValue) 프로그램")
        }
        if times.contains(.saturday) { say(f.hours.saturdayOpen == true ? "토요일 운영" : "토요일 운영 확인 필요") }
        if times.contains(.evening) {
            say(f.hours.term.map { "저녁 운영(\(Facility.Hours.clock($0.end))까지)" } ?? "저녁 운영 확인 필요")
        }
        if times.contains(.vacation) { say(f.hours.vacation == nil ? "방학 운영 확인 필요" : "방학 운영") }
        if fits.contains(where: { f.band.serves(age: children[$0].age, grade: children[$0].grade) == nil }) {
            say("연령 확인 필요")
        }
        let score = total
        return FacilitySuggestion(
            shared: shared, registryIndex: index, metres: metres, precision: precision, children: fits,
            childNames: fits.compactMap { children[$0].name }, reasons: reasons,
            score: (score * 1000).rounded() / 1000, scoreParts: parts, vacanciesLeft: left, waitlist: waitlist,
            sameSigunguOnly: basis == .sigungu && metres == nil && !f.servesWholeSigungu, distanceText: distance)
    }

    private func coarser(_ a: Location.Precision?, _ b: Location.Precision?) -> Location.Precision? {
        func rank(_ p: Location.Precision?) -> Int {
            switch p {
            case .building: 0
            case .eupmyeondong: 1
            case .sigungu: 2
            case nil: 3
            }
        }
        return rank(a) >= rank(b) ? a : b
    }

    /// The nearest facility (any type, within `nearestNoteMetres`; `Reach.nearest`) when it is not suggested,
    /// and why.
    private func nearestNote(
        _ h: FacilityHousehold, chosen: [Candidate], times: CareTimes,
        basis: HouseholdFacilityMatch.Basis, children: [FacilityHousehold.Child],
        scored: [Candidate], nearest: (index: Int, metres: Double)?
    ) -> NearestFacility? {
        guard h.location != nil, let (i, metres) = nearest, metres <= Self.nearestNoteMetres else { return nil }
        if chosen.contains(where: { $0.index == i }) { return nil }
        let f = registry.shared[i].value
        var why = householdFailures(f, h, times: times, metres: metres, basis: basis).map(\.text)
        if !children.contains(where: { f.band.serves(age: $0.age, grade: $0.grade) != false }) {
            why.append(Failure.band(f.band.text).text)
        }
        if why.isEmpty, let s = scored.first(where: { $0.index == i }), let last = chosen.last {
            why.append("점수가 낮음(\(DistanceText.score(s.score)) < \(DistanceText.score(last.score)))")
        }
        return NearestFacility(shared: registry.shared[i], metres: metres, why: why)
    }
}

/// Distances as staff read them: rounded, with how exact they are.
public enum DistanceText {
    /// `약 350 m (주소 기준)`, `약 1.2 km (동 중심 기준)`, `약 12 km (시군구 중심 기준)`.
    /// Two 읍면동 centres (or a centre and a point) under 500 m apart say only "in or next to the same 동".
    public static func text(_ metres: Double, precision: Location.Precision) -> String {
        if precision != .building && metres < 500 { return "0.5 km 이내 (" + basis(precision) + ")" }
        if metres < 50 { return "50 m 이내 (" + basis(precision) + ")" }
        return "약 " + short(metres) + " (" + basis(precision) + ")"
    }

    /// `350 m`, `1.2 km`, `12 km`: to 50 m under a kilometre, to 100 m under ten.
    public static func short(_ metres: Double) -> String {
        if metres < 950 { return String(max(50, Int((metres / 50).rounded()) * 50)) + " m" }
        if metres < 9_950 {
            let tenths = Int((metres / 100).rounded())
            return String(tenths / 10) + "." + String(tenths % 10) + " km"
        }
        return String(Int((metres / 1000).rounded())) + " km"
    }

    public static func basis(_ p: Location.Precision) -> String {
        switch p {
        case .building: "주소 기준"
        case .eupmyeondong: "동 중심 기준"
        case .sigungu: "시군구 중심 기준"
        }
    }

    static func score(_ s: Double) -> String {
        let t = Int((s * 10).rounded())
        return String(t / 10) + "." + String(abs(t % 10))
    }
}
