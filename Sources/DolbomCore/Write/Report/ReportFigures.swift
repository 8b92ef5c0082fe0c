/// The figures of `report.html`, also written under `report` in summary.json so a city can chart them elsewhere.
///
/// A pure value computed from the run's households, statuses, rejects and plan (`ReportFigures.init(_:)`), then
/// rendered (`ReportPage`). Keys are stable; lists come in a fixed order (counts descending, then name, or the
/// order the buckets name), so equal runs give equal bytes.
public struct ReportFigures: Sendable, Codable, Equatable {
    public var intake: Intake
    public var waiting: Waiting
    /// Present when a roster is configured (the appointments exist).
    @NullWhenAbsent public var team: Team?
    public var quality: Quality
    public var capacity: Capacity

    enum CodingKeys: String, CodingKey { case intake, waiting, team, quality, capacity }
}

/// An optional figure whose key summary.json always writes, `null` when absent (`Codable` leaves an absent
/// optional's key out): a chart reading the file finds every key the contract lists.
@propertyWrapper
public struct NullWhenAbsent<Value: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    public var wrappedValue: Value?

    public init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        wrappedValue = c.decodeNil() ? nil : try c.decode(Value.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        if let wrappedValue { try c.encode(wrappedValue) } else { try c.encodeNil() }
    }
}

/// One bar of a chart: a stable `key` for machines, the Korean `label` people read, and the count.
public struct ReportCount: Sendable, Codable, Equatable {
    public var key: String
    public var label: String
    public var count: Int
    /// For households by 읍면동: how many of them are new since the last run (compared with the state).
    public var new: Int?

    public init(key: String, label: String, count: Int, new: Int? = nil) {
        self.key = key
        self.label = label
        self.count = count
        self.new = new
    }
}

extension ReportFigures {
    /// Who asked, for what, from where.
    public struct Intake: Sendable, Codable, Equatable {
        public var households = 0
        public var submissions = 0
        /// Whether "new" means new since the last run (a state file) or simply everything (no state).
        public var comparedWithLastRun = false
        public var newHouseholds = 0
        public var newSubmissions = 0
        public var reopenedHouseholds = 0
        /// Every 읍면동 with households, most first (`new` filled when compared with the last run).
        public var byEupmyeondong: [ReportCount] = []
        /// Households whose address names no 읍면동 (missing, or only a road name).
        public var eupmyeondongUnknown = 0
        /// Households asking for each service (one household may ask for several), in the form's order.
        public var byCareType: [ReportCount] = []
        public var careTypeUnknown = 0
        public var byHouseholdType: [ReportCount] = []
        public var householdTypeNone = 0
        public var children = 0
        /// Children by age or school grade, youngest first; every bucket always listed.
        public var childrenByAge: [ReportCount] = []

        enum CodingKeys: String, CodingKey {
            case households, submissions, children
            case comparedWithLastRun = "compared_with_last_run"
            case newHouseholds = "new_households"
            case newSubmissions = "new_submissions"
            case reopenedHouseholds = "reopened_households"
            case byEupmyeondong = "by_eupmyeondong"
            case eupmyeondongUnknown = "eupmyeondong_unknown"
            case byCareType = "by_care_type"
            case careTypeUnknown = "care_type_unknown"
            case byHouseholdType = "by_household_type"
            case householdTypeNone = "household_type_none"
            case childrenByAge = "children_by_age"
        }
    }

    /// How long open households have waited since their first submission, and calls that went unanswered.
    public struct Waiting: Sendable, Codable, Equatable {
        public var openHouseholds = 0
        /// Open households by days since the first submission; every bucket always listed.
        public var daysWaiting: [ReportCount] = []
        @NullWhenAbsent public var medianDays: Int? = nil
        @NullWhenAbsent public var longestDays: Int? = nil
        /// The open households waiting longest (by applicant id only: no names, numbers or addresses).
        public var longest: [LongWait] = []
        /// Open households that did not answer at least one call.
        public var unansweredHouseholds = 0
        /// Unanswered calls to open households, summed.
        public var unansweredCalls = 0
        /// Households closed after too many unanswered calls.
        public var unreachable = 0
        public var wrongNumber = 0

        enum CodingKeys: String, CodingKey {
            case longest, unreachable
            case openHouseholds = "open_households"
            case daysWaiting = "days_waiting"
            case medianDays = "median_days"
            case longestDays = "longest_days"
            case unansweredHouseholds = "unanswered_households"
            case unansweredCalls = "unanswered_calls"
            case wrongNumber = "wrong_number"
        }
    }

    public struct LongWait: Sendable, Codable, Equatable {
        public var applicantID: String
        public var days: Int
        public var unansweredCalls: Int
        /// The booked call's start (ISO 8601, +09:00), or nil when none is booked.
        @NullWhenAbsent public var appointment: String?

        enum CodingKeys: String, CodingKey {
            case days, appointment
            case applicantID = "applicant_id"
            case unansweredCalls = "unanswered_calls"
        }
    }

    /// The counselors' planned days.
    public struct Team: Sendable, Codable, Equatable {
        /// The working days planned, ISO dates.
        public var days: [String] = []
        /// In roster order; `per_day` follows `days`.
        public var counselors: [CounselorLoad] = []
        public var appointments = 0
        /// Busiest minus idlest counselor over the plan.
        public var loadSpread = 0
        public var placedInWindow = 0
        /// Calls booked outside the hours the family gave (only with `allow_outside_window`).
        public var windowMissed = 0
        public var unscheduled = 0
        public var unscheduledByReason: [ReportCount] = []
        /// Appointments given in an earlier run: still where they were, or moved (the family must be told).
        public var earlierKept = 0
        public var earlierMoved = 0
        public var movedByReason: [ReportCount] = []
        /// The planned households cut into four equal groups by priority, the most urgent first, with the
        /// average working day of their call: how well the plan follows the call order.
        public var byPriorityQuarter: [PriorityQuarter] = []
        /// Callbacks and retries promised for a day: booked on that day, or not (the family must be told).
        public var promisesKept = 0
        public var promisesMissed = 0

        enum CodingKeys: String, CodingKey {
            case days, counselors, appointments, unscheduled
            case promisesKept = "promises_kept"
            case promisesMissed = "promises_missed"
            case loadSpread = "load_spread"
            case placedInWindow = "placed_in_window"
            case windowMissed = "window_missed"
            case unscheduledByReason = "unscheduled_by_reason"
            case earlierKept = "earlier_kept"
            case earlierMoved = "earlier_moved"
            case movedByReason = "moved_by_reason"
            case byPriorityQuarter = "by_priority_quarter"
        }
    }

    public struct CounselorLoad: Sendable, Codable, Equatable {
        public var id: String
        public var name: String
        public var perDay: [Int]
        public var total: Int

        enum CodingKeys: String, CodingKey {
            case id, name, total
            case perDay = "per_day"
        }
    }

    public struct PriorityQuarter: Sendable, Codable, Equatable {
        /// 1 = the most urgent quarter of the planned households.
        public var quarter: Int
        public var households: Int
        public var booked: Int
        /// Average position of the booked calls' day among the planned working days (1 = the first), one decimal.
        @NullWhenAbsent public var averageWorkingDay: Double?

        enum CodingKeys: String, CodingKey {
            case quarter, households, booked
            case averageWorkingDay = "average_working_day"
        }
    }

    /// Rows that could not be used, pairs left to a person, addresses short of a 읍면동.
    public struct Quality: Sendable, Codable, Equatable {
        public var dataRows = 0
        public var rejectedRows = 0
        public var rejectsByReason: [ReportCount] = []
        /// Files with rejected rows, most first (at most five).
        public var filesWithRejects: [FileRejects] = []
        /// Pairs of households in review.csv waiting for a person's decision.
        public var reviewPairs = 0
        public var householdsWithoutAddress = 0
        /// Households with an address that names no 읍면동.
        public var addressWithoutEupmyeondong = 0
        /// Households outside the service area; nil while no service area is configured.
        @NullWhenAbsent public var outsideArea: Int? = nil

        enum CodingKeys: String, CodingKey {
            case dataRows = "data_rows"
            case rejectedRows = "rejected_rows"
            case rejectsByReason = "rejects_by_reason"
            case filesWithRejects = "files_with_rejects"
            case reviewPairs = "review_pairs"
            case householdsWithoutAddress = "households_without_address"
            case addressWithoutEupmyeondong = "address_without_eupmyeondong"
            case outsideArea = "outside_area"
        }
    }

    public struct FileRejects: Sendable, Codable, Equatable {
        public var file: String
        public var dataRows: Int
        public var rejected: Int

        enum CodingKeys: String, CodingKey {
            case file, rejected
            case dataRows = "data_rows"
        }
    }

    /// Demand against nearby places (with a facility registry: `facilities:`) and the referral funnel (with
    /// booked visits). Without a registry the page says so and the keys stay null.
    public struct Capacity: Sendable, Codable, Equatable {
        public var facilitiesConfigured = false
        @NullWhenAbsent public var demandByEupmyeondong: [Demand]? = nil
        @NullWhenAbsent public var referrals: [ReportCount]? = nil

        /// One 읍면동's open households against the places of the facilities suggested to them.
        public struct Demand: Sendable, Codable, Equatable {
            /// The 읍면동 as written (`시군구 읍면동` when the run has several 시군구), or `unknown`.
            public var key: String
            public var label: String
            /// Open households living there.
            public var households: Int
            public var withSuggestions: Int
            public var withoutSuggestions: Int
            /// Requests by service (a household may ask for several), in the forms' order; `상관없음` when none.
            public var byType: [ReportCount]
            /// Distinct facilities suggested to these households, and their 빈자리 (known ones, after booked visits).
            public var facilitiesSuggested: Int
            public var vacanciesSuggested: Int
            /// Of those facilities, how many sent no vacancy count.
            public var vacanciesUnknown: Int

            enum CodingKeys: String, CodingKey {
                case key, label, households
                case withSuggestions = "with_suggestions"
                case withoutSuggestions = "without_suggestions"
                case byType = "by_type"
                case facilitiesSuggested = "facilities_suggested"
                case vacanciesSuggested = "vacancies_suggested"
                case vacanciesUnknown = "vacancies_unknown"
            }
        }

        enum CodingKeys: String, CodingKey {
            case facilitiesConfigured = "facilities_configured"
            case demandByEupmyeondong = "demand_by_eupmyeondong"
            case referrals
        }
    }
}
