import DolbomNormalize

/// One household to call, as the call list ranks it.
public struct ScheduleRequest: Sendable, Hashable, Codable {
    public var applicantID: String
    /// 1 = call first. The greedy places households in (rank, applicantID) order, so the most vulnerable
    /// families take the earliest slots before anyone else can.
    public var rank: Int
    /// When the family said they can talk; nil = any time. Calls must lie wholly inside one range.
    public var window: ContactWindow?
    /// A language the counselor must speak (다문화 family: `베트남어`); nil = Korean, any counselor.
    public var language: String?
    /// Same counselor as last time for a returning family: preferred, never forced.
    public var preferredCounselor: String?
    /// An appointment already told to the family in an earlier run; kept exactly while still possible.
    public var pinned: Appointment?
    /// No new appointment before this day (a retry after no answer, a callback the family asked for).
    /// A kept pin is not affected: the family was already told its time.
    public var notBefore: LocalDate?
    /// A day the family was promised (a callback they asked for, a retry after no answer): booked on that day
    /// before any unpromised household is placed, or, when that cannot be, on the nearest later day and reported.
    public var promise: Promise?

    public init(
        applicantID: String, rank: Int, window: ContactWindow? = nil, language: String? = nil,
        preferredCounselor: String? = nil, pinned: Appointment? = nil, notBefore: LocalDate? = nil,
        promise: Promise? = nil
    ) {
        self.applicantID = applicantID
        self.rank = rank
        self.window = window
        self.language = language
        self.preferredCounselor = preferredCounselor
        self.pinned = pinned
        self.notBefore = notBefore
        self.promise = promise
    }

    enum CodingKeys: String, CodingKey {
        case rank, window, language, pinned, promise
        case applicantID = "applicant_id"
        case preferredCounselor = "preferred_counselor"
        case notBefore = "not_before"
    }
}

/// A day a household must be called on, because someone said so.
public struct Promise: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// The family asked to be called back on that day (`재통화요청` with a date).
        case callback
        /// The day a call after no answer (`부재중`) is due.
        case retry

        /// `재통화 요청` / `부재중 재시도`, as counselors read it.
        public var korean: String {
            switch self {
            case .callback: return "재통화 요청"
            case .retry: return "부재중 재시도"
            }
        }
    }

    public var day: LocalDate
    public var kind: Kind

    public init(day: LocalDate, kind: Kind) {
        self.day = day
        self.kind = kind
    }
}

/// Why a promised day could not be kept.
public enum PromiseMissReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// The day lies before the first planned day (the result came in after the day had passed).
    case dayPassed = "day_passed"
    /// Nobody who can take the call works that day (holiday, leave, day off, or no one speaks the language).
    case noCounselorThatDay = "no_counselor_that_day"
    /// Counselors work that day, but not within the family's window.
    case noSlotInWindowThatDay = "no_slot_in_window_that_day"
    /// Every matching slot that day is taken by appointments already told or by higher-priority promises.
    case dayFull = "day_full"

    public var code: String { rawValue }

    /// Korean, for schedule.csv and the call sheets: why the day could not be kept.
    public var message: String {
        switch self {
        case .dayPassed: return "약속한 날이 이미 지났습니다"
        case .noCounselorThatDay: return "그날 통화할 수 있는 상담사가 근무하지 않습니다"
        case .noSlotInWindowThatDay: return "그날 상담사 근무 시간이 가족의 통화 가능 시간과 맞지 않습니다"
        case .dayFull: return "그날 통화 가능 시간의 일정이 모두 찼습니다"
        }
    }
}

/// A promised day the plan could not keep: the household got the nearest later slot (`booked`), or none.
public struct PromiseMiss: Sendable, Hashable {
    public let applicantID: String
    public let promise: Promise
    public let reason: PromiseMissReason
    public let booked: Appointment?
}

/// A call booked for a household; what the family is told and what reruns must not move.
public struct Appointment: Sendable, Hashable, Codable, CustomStringConvertible {
    public var applicantID: String
    public var counselorID: String
    /// Korean wall-clock time; encodes as `2024-07-01T09:00:00+09:00`.
    public var start: LocalDateTime
    public var end: LocalDateTime

    public init(applicantID: String, counselorID: String, start: LocalDateTime, end: LocalDateTime) {
        self.applicantID = applicantID
        self.counselorID = counselorID
        self.start = start
        self.end = end
    }

    enum CodingKeys: String, CodingKey {
        case start, end
        case applicantID = "applicant_id"
        case counselorID = "counselor_id"
    }

    public var description: String { "\(applicantID)@\(counselorID) \(start.iso)–\(end.iso)" }
}

/// Knobs a city may tune; the defaults match a 20-minute intake call with 10 minutes to write notes.
public struct SchedulePolicy: Sendable, Hashable, Codable {
    /// Length of one call.
    public var slotMinutes: Int
    /// Gap after every call (notes, a missed call retried) before the same counselor's next call.
    /// It may run past the end of the working day or into lunch; the call itself may not.
    public var bufferMinutes: Int
    /// First day that may get new appointments ("tomorrow" for a nightly run).
    public var horizonStart: LocalDate
    /// Number of *working days*: days from `horizonStart` that are not holidays and on which at least one
    /// counselor works by weekday (leave ignored). Working days rather than calendar days so that a
    /// 추석 week does not silently shrink the plan.
    public var horizonDays: Int
    /// Off by default: a household whose window has no free slot is left unscheduled (`no_slot_in_window`)
    /// rather than called when the family said they cannot talk. When on, such a household gets the earliest
    /// free slot outside its window, counted in `ScheduleScores.windowMissed`.
    public var allowOutsideWindow: Bool

    public init(
        slotMinutes: Int = 20, bufferMinutes: Int = 10, horizonStart: LocalDate, horizonDays: Int = 10,
        allowOutsideWindow: Bool = false
    ) {
        self.slotMinutes = slotMinutes
        self.bufferMinutes = bufferMinutes
        self.horizonStart = horizonStart
        self.horizonDays = horizonDays
        self.allowOutsideWindow = allowOutsideWindow
    }
}

/// Why a household has no appointment; `code` for machines, `message` (Korean) for counselors.
public enum UnscheduledReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// Nobody on the roster speaks the required language.
    case noCounselorWithLanguage = "no_counselor_with_language"
    /// The window never meets an eligible counselor's working time in the horizon (e.g. 20-22시 only,
    /// or weekends only with a weekday roster), so more capacity would not help.
    case noSlotInWindow = "no_slot_in_window"
    /// Slots matching the window and language exist but higher-ranked households took them or caps are reached.
    case capacityFull = "capacity_full"
    /// The same applicant id appeared again; only the first (by rank) is planned.
    case duplicateRequest = "duplicate_request"

    public var code: String { rawValue }

    public var message: String {
        switch self {
        case .noCounselorWithLanguage: return "필요한 언어로 상담할 수 있는 상담사가 없습니다."
        case .noSlotInWindow: return "연락 가능 시간에 근무하는 상담사가 없어 일정을 잡지 못했습니다."
        case .capacityFull: return "계획 기간의 상담 일정이 모두 차서 일정을 잡지 못했습니다."
        case .duplicateRequest: return "같은 신청 번호가 중복되어 한 번만 배정했습니다."
        }
    }
}

/// Why an appointment already told to a family could not be kept.
public enum RescheduleReason: String, Sendable, Hashable, Codable, CaseIterable {
    case holiday = "holiday"
    case counselorLeave = "counselor_leave"
    case counselorNotWorking = "counselor_not_working"  // weekday no longer in the counselor's week
    case counselorRemoved = "counselor_removed"
    case outsideHours = "outside_hours"  // hours/lunch changed
    case languageMismatch = "language_mismatch"
    case overlap = "overlap"  // clashes with a higher-ranked pinned appointment
    case capExceeded = "cap_exceeded"
    case inPast = "in_past"  // before horizonStart
    case invalid = "invalid"  // end ≤ start, spans days, other applicant id

    public var code: String { rawValue }

    public var message: String {
        switch self {
        case .holiday: return "약속일이 공휴일(또는 휴무일)이 되어 일정을 다시 잡았습니다."
        case .counselorLeave: return "담당 상담사의 휴가일이라 일정을 다시 잡았습니다."
        case .counselorNotWorking: return "담당 상담사의 근무 요일이 아니라 일정을 다시 잡았습니다."
        case .counselorRemoved: return "담당 상담사가 명단에 없어 일정을 다시 잡았습니다."
        case .outsideHours: return "약속 시간이 상담사의 근무 시간 밖(또는 점심 시간)이라 일정을 다시 잡았습니다."
        case .languageMismatch: return "담당 상담사가 필요한 언어로 상담할 수 없어 일정을 다시 잡았습니다."
        case .overlap: return "같은 상담사의 다른 약속과 겹쳐 일정을 다시 잡았습니다."
        case .capExceeded: return "담당 상담사의 하루 최대 통화 수를 넘어 일정을 다시 잡았습니다."
        case .inPast: return "약속일이 지났는데 통화 결과가 입력되지 않아 일정을 다시 잡았습니다. 이미 통화했다면 결과를 가져오세요(dolbom outcomes import)."
        case .invalid: return "기존 약속 정보가 올바르지 않아 일정을 다시 잡았습니다."
        }
    }
}

public struct Unscheduled: Sendable, Hashable {
    public let applicantID: String
    public let reason: UnscheduledReason
}

/// A pinned appointment that became impossible; `new` is nil when it could not be re-placed (then the
/// household is also in `unscheduled`).
public struct Rescheduled: Sendable, Hashable {
    public let applicantID: String
    public let old: Appointment
    public let new: Appointment?
    public let reason: RescheduleReason
}

/// Per-constraint counts so a supervisor can see what the plan traded off; hard constraints are never
/// broken, so only soft ones are counted.
public struct ScheduleScores: Sendable, Hashable {
    /// Appointments lying wholly in the family's window (nil/anytime windows count as in).
    public var placedInWindow = 0
    /// Appointments outside the window: kept pinned ones whose window changed, or placed with `allowOutsideWindow`.
    public var windowMissed = 0
    /// Pairs of appointments where the higher-priority household (lower rank, then id) starts strictly later.
    /// Different windows, languages or pins make some inversions unavoidable; identical households never invert.
    public var priorityInversions = 0
    /// Number of pairs compared for `priorityInversions` (n·(n−1)/2), to read it as a rate.
    public var priorityPairs = 0
    /// Calls per counselor id over the whole plan (counselors with none are listed with 0).
    public var callsPerCounselor: [String: Int] = [:]
    /// Calls per counselor id and day.
    public var callsPerCounselorDay: [String: [LocalDate: Int]] = [:]
    /// Households with a preferred counselor that got that counselor / another one.
    public var sameCounselorKept = 0
    public var sameCounselorMissed = 0
    /// Pinned appointments kept unchanged.
    public var pinnedKept = 0

    /// Busiest minus idlest counselor; the "no counselor gets all the calls" figure.
    public var loadSpread: Int {
        guard let hi = callsPerCounselor.values.max(), let lo = callsPerCounselor.values.min() else { return 0 }
        return hi - lo
    }
}

/// The plan; equal inputs give an equal (`==`) result.
public struct ScheduleResult: Sendable, Hashable {
    /// Sorted by counselor id, then start.
    public var appointments: [Appointment]
    /// In call-list order (rank, applicant id).
    public var unscheduled: [Unscheduled]
    /// In call-list order.
    public var rescheduled: [Rescheduled]
    public var scores: ScheduleScores
    /// The working days planned, for headers and for checking the holiday calendar was applied.
    public var horizon: [LocalDate]
    /// Households with a promised day whose appointment is on that day.
    public var promisesKept: Int
    /// Promised days not kept, in call-list order (a kept earlier appointment on another day is no miss).
    public var promiseMisses: [PromiseMiss]
}
