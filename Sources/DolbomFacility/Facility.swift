import DolbomGeo
import DolbomNormalize

/// A care facility a counselor can guide a family to: one row of a facility list, normalized.
///
/// Every part but `id`, `name` and `type` may be unknown (nil, or empty): a list states what it states, and
/// the matcher treats an unknown as "not known to exclude the family" (see `FacilityMatcher`), never as a yes
/// it can show. What the list wrote is kept where a counselor may want to read it (`typeText`, `bandText`).
public struct Facility: Hashable, Sendable {
    /// Where the facility's point came from.
    public enum LocationSource: String, Hashable, Sendable {
        /// The list's own coordinates (X/Y, WGS84 longitude/latitude).
        case coordinates
        /// The building entrance the official address file (`geo.address_db`) gives for its address.
        case addressFile = "address_file"
        /// The 읍면동 or 시군구 point of its address (`AreaCentroids`): coarse, and shown as such.
        case areaCentroid = "area_centroid"
    }

    /// Special programmes a facility advertises (Sejong's providers publish exactly these), matched to a
    /// household's flags, its children's needs and the memo.
    public enum Programme: String, Hashable, Sendable, CaseIterable, Comparable {
        case 느린학습자
        case 장애통합 = "장애 통합"
        case 다문화 = "다문화/언어"
        case 주말방학 = "주말·방학"
        case 저녁 = "저녁 돌봄"

        public var order: Int {
            switch self {
            case .느린학습자: 0
            case .장애통합: 1
            case .다문화: 2
            case .주말방학: 3
            case .저녁: 4
            }
        }

        public static func < (a: Programme, b: Programme) -> Bool { a.order < b.order }

        /// The programme as one bit of a set (`1 << order`): the matcher reads sets of them per facility.
        public var bit: UInt8 { 1 << UInt8(order) }

        /// The programmes of a set of bits, in order.
        public static func listed(_ bits: UInt8) -> [Programme] { allCases.filter { bits & $0.bit != 0 } }
    }

    /// Opening hours: term-time weekdays (학기), vacation weekdays (방학) and Saturdays; nil = not stated.
    public struct Hours: Hashable, Sendable {
        public var term: MinuteRange?
        public var vacation: MinuteRange?
        /// Whether it opens on Saturdays (`토요일운영여부`); nil = not stated.
        public var saturdayOpen: Bool?
        public var saturday: MinuteRange?

        /// Nothing stated; the list reader fills in what the row says.
        public init() {}

        /// `학기 09:00–20:00 · 방학 08:00–20:00 · 토 08:00–14:00` (what is known, in that order).
        public var text: String {
            var parts: [String] = []
            if let term { parts.append("학기 " + Self.range(term)) }
            if let vacation { parts.append("방학 " + Self.range(vacation)) }
            if let saturday {
                parts.append("토 " + Self.range(saturday))
            } else if saturdayOpen == true {
                parts.append("토 운영")
            } else if saturdayOpen == false {
                parts.append("토 휴무")
            }
            return parts.joined(separator: " · ")
        }

        public static func range(_ r: MinuteRange) -> String { clock(r.start) + "–" + clock(r.end) }
        public static func clock(_ m: Int) -> String {
            let h = m / 60
            let mm = m % 60
            return (h < 10 ? "0" : "") + String(h) + ":" + (mm < 10 ? "0" : "") + String(mm)
        }
    }

    /// Whom a facility serves: full ages (만 나이) and/or school grades (초등 1–6 → 1...6, 중 1 → 7).
    /// A child fits when its grade is in `grades`, or (grade unknown, or the facility states only ages) its
    /// age in `ages`; a band that states neither excludes no one.
    public struct Band: Hashable, Sendable {
        public var ages: ClosedRange<Int>?
        public var grades: ClosedRange<Int>?

        public init(ages: ClosedRange<Int>? = nil, grades: ClosedRange<Int>? = nil) {
            self.ages = ages
            self.grades = grades
        }

        public var isStated: Bool { ages != nil || grades != nil }

        /// Whether a child of this age and grade is served: true / false, or nil when neither side is known
        /// well enough to say (the matcher keeps such a child and says so).
        public func serves(age: Int?, grade: Int?) -> Bool? {
            guard isStated else { return nil }
            if let grade, let grades { return grades.contains(grade) }
            if let age, let ages { return ages.contains(age) }
            // Only one side on each: a school grade g is about 만 g+5…g+6 in the school year.
            if let grade, let ages { return ages.contains(grade + 6) || ages.contains(grade + 5) }
            if let age, let grades {
                // 만 6 → grade 1 (or preschool), 만 12 → grade 6 or 7: fits when either reading does.
                return grades.contains(age - 5) || grades.contains(age - 6)
            }
            return nil
        }

        /// `초등 1–6학년`, `만 6–12세`, `만 0–17세 · 초등 1–3학년`.
        public var text: String {
            var parts: [String] = []
            if let ages {
                parts.append(
                    ages.lowerBound == ages.upperBound
                        ? "만 \(ages.lowerBound)세" : "만 \(ages.lowerBound)–\(ages.upperBound)세")
            }
            if let grades { parts.append(Self.gradeText(grades)) }
            return parts.joined(separator: " · ")
        }

        static func gradeText(_ g: ClosedRange<Int>) -> String {
            func one(_ x: Int) -> String { x <= 6 ? "초\(x)" : x <= 9 ? "중\(x - 6)" : "고\(x - 9)" }
            if g.lowerBound >= 1 && g.upperBound <= 6 {
                return g.lowerBound == g.upperBound ? "초등 \(g.lowerBound)학년" : "초등 \(g.lowerBound)–\(g.upperBound)학년"
            }
            return g.lowerBound == g.upperBound ? one(g.lowerBound) : one(g.lowerBound) + "–" + one(g.upperBound)
        }
    }

    /// What a family pays: `free` when the list says so (`사용료무료여부`), the monthly fee in won, and whether
    /// it is free for low-income households (기초생활수급/차상위, where the list states it).
    public struct Fee: Hashable, Sendable {
        public var free: Bool?
        public var monthlyWon: Int?
        public var freeForLowIncome: Bool?

        /// Nothing stated; the list reader fills in what the row says.
        public init() {}

        public var text: String {
            if free == true { return "무료" }
            var s = monthlyWon.map { $0 == 0 ? "무료" : "월 \(Self.won($0))원" } ?? ""
            if freeForLowIncome == true { s += s.isEmpty ? "수급·차상위 무료" : " (수급·차상위 무료)" }
            return s
        }

        static func won(_ n: Int) -> String {
            var digits = Array(String(n))
            var out: [Character] = []
            while digits.count > 3 {
                out = [","] + digits.suffix(3) + out
                digits.removeLast(3)
            }
            return String(digits + out)
        }
    }

    /// Places: 정원 from the list; 현원/빈자리 and the date they were counted from the vacancy sheet.
    public struct Places: Hashable, Sendable {
        public var capacity: Int?
        public var enrolled: Int?
        /// Free places as the centre reported them (or 정원 − 현원 when only those are given); nil = unknown.
        public var vacancies: Int?
        public var asOf: LocalDate?

        public init(capacity: Int? = nil, enrolled: Int? = nil, vacancies: Int? = nil, asOf: LocalDate? = nil) {
            self.capacity = capacity
            self.enrolled = enrolled
            self.vacancies = vacancies
            self.asOf = asOf
        }
    }

    /// The list's id (`시설ID`), or one made from the file and row when the list has none.
    public var id: String
    public var name: String
    public var type: CareType
    /// The type as the list wrote it (`융합형키움센터`).
    public var typeText: String
    public var address: Address?
    public var location: Location?
    public var locationSource: LocationSource?
    /// Formatted (`02-2672-2572`); the list's text when it is no number.
    public var phone: String?
    public var band: Band
    public var hours: Hours
    public var fee: Fee
    public var places: Places
    public var programmes: [Programme]
    /// Languages besides Korean the staff speak (`베트남어`), as the roster names them.
    public var languages: [String]
    /// `file:row` of the list row.
    public var source: String

    public init(
        id: String, name: String, type: CareType, typeText: String? = nil, address: Address? = nil,
        location: Location? = nil, locationSource: LocationSource? = nil, phone: String? = nil,
        band: Band = Band(), hours: Hours = Hours(), fee: Fee = Fee(), places: Places = Places(),
        programmes: [Programme] = [], languages: [String] = [], source: String = ""
    ) {
        self.id = id
        self.name = name
        self.type = type
        self.typeText = typeText ?? type.rawValue
        self.address = address
        self.location = location
        self.locationSource = locationSource ?? (location == nil ? nil : .coordinates)
        self.phone = phone
        self.band = band
        self.hours = hours
        self.fee = fee
        self.places = places
        self.programmes = programmes.sorted()
        self.languages = languages
        self.source = source
    }

    /// The 시군구 the facility is in (its address's), for families located only that far.
    public var sigungu: String? { address?.sigungu }

    /// A service that comes to the family (아이돌봄) or that the 시군구 runs for all its families (드림스타트):
    /// it serves its whole 시군구, so the matcher asks for the same 시군구 instead of a distance.
    public var servesWholeSigungu: Bool { type == .아이돌봄 || type == .드림스타트 }
}
