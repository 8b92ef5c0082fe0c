import DolbomNormalize
import DolbomSchedule

extension ReportFigures {
    /// The figures of one run, in one pass over the households (plus the plan's appointments).
    ///
    /// `statuses[i]` is the status of `households[i]`; `earlier` holds the households the state knew before the
    /// run (a household not in it is new), and `comparedWithLastRun` says whether a state file was used at all.
    public init(
        households: [Household], statuses: [HouseholdStatus], earlier: [String: HouseholdStatus],
        comparedWithLastRun: Bool, delta: RunDelta, rejects: [Reject], perFile: [RunSummary.FileCounts],
        reviewPairs: Int, plan: AppointmentPlan?, asOf: LocalDate, serviceAreaSet: Bool = false
    ) {
        let booked = Dictionary(
            plan?.result.appointments.map { ($0.applicantID, $0) } ?? [], uniquingKeysWith: { a, _ in a })
        var intake = Intake()
        intake.households = households.count
        intake.submissions = households.reduce(0) { $0 + $1.sources.count }
        intake.comparedWithLastRun = comparedWithLastRun
        intake.newHouseholds = delta.newHouseholds
        intake.newSubmissions = delta.newSubmissions
        intake.reopenedHouseholds = delta.reopenedHouseholds

        var waiting = Waiting()
        var quality = Quality()
        var places: [String: [String: (count: Int, new: Int)]] = [:]
        var careTypes = [Int](repeating: 0, count: CareType.allCases.count)
        var flags = [Int](repeating: 0, count: HouseholdFlag.allCases.count)
        var ages = [Int](repeating: 0, count: ChildBucket.allCases.count)
        var waits = [Int](repeating: 0, count: WaitBucket.allCases.count)
        var daysOpen: [Int: Int] = [:]
        var longest = LongestWaits(limit: 10)
        let everyoneNew = earlier.isEmpty
        for i in households.indices {
            let h = households[i]
            let status = statuses[i]
            let isNew = everyoneNew || earlier[h.applicantID] == nil
            if let address = h.address {
                if let dong = address.eupmyeondong {
                    let area = address.sigungu ?? address.sido ?? ""
                    places[area, default: [:]][dong, default: (0, 0)].count += 1
                    if isNew { places[area]![dong]!.new += 1 }
                } else {
                    intake.eupmyeondongUnknown += 1
                    quality.addressWithoutEupmyeondong += 1
                }
            } else {
                intake.eupmyeondongUnknown += 1
                quality.householdsWithoutAddress += 1
            }
            // Each service and type once per household, by bit (no set made per household).
            var asked: UInt32 = 0
            for t in h.careTypes { asked |= 1 << t.order }
            if asked == 0 { intake.careTypeUnknown += 1 }
            for t in careTypes.indices where asked & (1 << t) != 0 { careTypes[t] += 1 }
            var types: UInt32 = 0
            for f in h.flags { types |= 1 << f.order }
            if types == 0 { intake.householdTypeNone += 1 }
            for f in flags.indices where types & (1 << f) != 0 { flags[f] += 1 }
            for child in h.children { ages[ChildBucket(child).rawValue] += 1 }
            intake.children += h.children.count

            switch status.state {
            case .open:
                waiting.openHouseholds += 1
                if status.attempts > 0 {
                    waiting.unansweredHouseholds += 1
                    waiting.unansweredCalls += status.attempts
                }
                if let first = h.firstSubmittedAt?.date {
                    let days = max(0, asOf.daysSinceEpoch - first.daysSinceEpoch)
                    waits[WaitBucket(days: days).rawValue] += 1
                    daysOpen[days, default: 0] += 1
                    if longest.admits(days: days, applicantID: h.applicantID) {
                        longest.insert(
                            LongWait(
                                applicantID: h.applicantID, days: days, unansweredCalls: status.attempts,
                                appointment: booked[h.applicantID]?.start.iso))
                    }
                } else {
                    waits[WaitBucket.unknown.rawValue] += 1
                }
            case .unreachable: waiting.unreachable += 1
            case .wrongNumber: waiting.wrongNumber += 1
            case .done, .refused: break
            }
        }

        // A 읍면동 name alone when every household is in one 시군구; with several, the 시군구 goes in front
        // (중앙동 exists in many cities).
        let oneArea = places.count <= 1
        intake.byEupmyeondong = places.flatMap { area, dongs in
            dongs.map { dong, n in
                let label = oneArea || area.isEmpty ? dong : "\(area) \(dong)"
                return ReportCount(key: label, label: label, count: n.count, new: comparedWithLastRun ? n.new : nil)
            }
        }.sorted { ($1.count, $0.label) < ($0.count, $1.label) }
        intake.byCareType = CareType.allCases.map {
            ReportCount(key: $0.rawValue, label: $0.rawValue, count: careTypes[$0.order])
        }
        intake.byHouseholdType = HouseholdFlag.allCases.map {
            ReportCount(key: $0.rawValue, label: $0.rawValue, count: flags[$0.order])
        }
        intake.childrenByAge = ChildBucket.bars(ages)

        waiting.daysWaiting = WaitBucket.bars(waits)
        let known = daysOpen.values.reduce(0, +)
        if known > 0 {
            // The lower middle value: half of the households waited this long or less.
            var seen = 0
            for (days, n) in daysOpen.sorted(by: { $0.key < $1.key }) {
                seen += n
                if seen * 2 >= known {
                    waiting.medianDays = days
                    break
                }
            }
            waiting.longestDays = daysOpen.keys.max()
        }
        waiting.longest = longest.sorted

        quality.dataRows = perFile.reduce(0) { $0 + $1.dataRows }
        quality.rejectedRows = rejects.count
        var reasons: [String: (count: Int, message: String)] = [:]
        for r in rejects { reasons[r.reason, default: (0, r.message)].count += 1 }
        quality.rejectsByReason = reasons.map {
            ReportCount(
                key: $0.key, label: ReportWording.rejectReason($0.key, $0.value.message),
                count: $0.value.count)
        }
        .sorted { ($1.count, $0.key) < ($0.count, $1.key) }
        quality.filesWithRejects = perFile.filter { $0.rejected > 0 }
            .sorted { ($1.rejected, $0.file) < ($0.rejected, $1.file) }
            .prefix(5).map { FileRejects(file: $0.file, dataRows: $0.dataRows, rejected: $0.rejected) }
        quality.reviewPairs = reviewPairs
        quality.outsideArea = serviceAreaSet ? households.filter(ServiceArea.isOutside).count : nil

        self.init(intake: intake, waiting: waiting, team: plan.map { Team($0) }, quality: quality, capacity: Capacity())
    }
}

extension ReportFigures.Team {
    init(_ plan: AppointmentPlan) {
        let r = plan.result
        days = r.horizon.map(\.iso)
        counselors = plan.roster.counselors.map { c in
            let perDay = r.horizon.map { r.scores.callsPerCounselorDay[c.id]?[$0] ?? 0 }
            return ReportFigures.CounselorLoad(
                id: c.id, name: c.name.isEmpty ? c.id : c.name, perDay: perDay,
                total: r.scores.callsPerCounselor[c.id] ?? 0)
        }
        appointments = r.appointments.count
        loadSpread = r.scores.loadSpread
        placedInWindow = r.scores.placedInWindow
        windowMissed = r.scores.windowMissed
        unscheduled = r.unscheduled.count
        var unscheduledCounts: [UnscheduledReason: Int] = [:]
        for u in r.unscheduled { unscheduledCounts[u.reason, default: 0] += 1 }
        unscheduledByReason = UnscheduledReason.allCases.compactMap { reason in
            unscheduledCounts[reason].map {
                ReportCount(key: reason.code, label: ReportWording.unscheduled(reason), count: $0)
            }
        }
        earlierKept = plan.kinds.values.filter { $0 == .kept }.count
        earlierMoved = plan.kinds.values.filter { $0 == .moved }.count
        promisesKept = plan.result.promisesKept
        promisesMissed = plan.result.promiseMisses.count
        var movedCounts: [RescheduleReason: Int] = [:]
        for m in r.rescheduled { movedCounts[m.reason, default: 0] += 1 }
        movedByReason = RescheduleReason.allCases.compactMap { reason in
            movedCounts[reason].map { ReportCount(key: reason.code, label: ReportWording.moved(reason), count: $0) }
        }

        // Planned households in call order, cut into four groups; each booked call's day as its place in the plan.
        var dayIndex: [LocalDate: Int] = [:]
        for (n, d) in r.horizon.enumerated() { dayIndex[d] = n + 1 }
        var bookedDay: [String: Int] = [:]
        for a in r.appointments { bookedDay[a.applicantID] = dayIndex[a.start.date] }
        let ranked = plan.entries.values.map { ($0.rank, $0.household.applicantID) }.sorted { $0 < $1 }
        byPriorityQuarter = (1...4).map { q in
            let slice = ranked[ranked.count * (q - 1) / 4..<ranked.count * q / 4]
            let days = slice.compactMap { bookedDay[$0.1] }
            let tenths = days.isEmpty ? nil : (days.reduce(0, +) * 10 * 2 + days.count) / (days.count * 2)
            return ReportFigures.PriorityQuarter(
                quarter: q, households: slice.count, booked: days.count,
                averageWorkingDay: tenths.map { Double($0) / 10 })
        }
    }
}

/// A chart's fixed buckets, every one always listed in case order: each names its bar's key and label together.
protocol ReportBucket: CaseIterable, RawRepresentable where RawValue == Int, AllCases == [Self] {
    /// The bar's stable key (for machines) and its Korean label.
    var name: (key: String, label: String) { get }
}

extension ReportBucket {
    var key: String { name.key }
    var label: String { name.label }

    /// Every bucket's bar, with its count at its raw value in `counts`.
    static func bars(_ counts: [Int]) -> [ReportCount] {
        allCases.map { ReportCount(key: $0.key, label: $0.label, count: counts[$0.rawValue]) }
    }
}

/// Children's age groups as the programmes see them (preschool, each elementary grade, older).
enum ChildBucket: Int, ReportBucket {
    case infant, preschool, grade1, grade2, grade3, grade4, grade5, grade6, schoolAgeGradeUnknown, older, unknown

    init(_ c: Household.Child) {
        if let grade = c.schoolGrade, (1...6).contains(grade) {
            self = ChildBucket(rawValue: ChildBucket.grade1.rawValue + grade - 1)!
        } else if let age = c.age {
            switch age {
            case ..<3: self = .infant
            case ..<8: self = .preschool
            case ..<12: self = .schoolAgeGradeUnknown
            default: self = .older
            }
        } else {
            self = .unknown
        }
    }

    var name: (key: String, label: String) {
        switch self {
        case .infant: return ("age_0_2", "만 0–2세")
        case .preschool: return ("preschool", "취학 전 (만 3세 이상)")
        case .grade1, .grade2, .grade3, .grade4, .grade5, .grade6:
            let grade = rawValue - ChildBucket.grade1.rawValue + 1
            return ("grade_\(grade)", "초등 \(grade)학년")
        case .schoolAgeGradeUnknown: return ("age_8_11_grade_unknown", "만 8–11세 (학년 모름)")
        case .older: return ("age_12_plus", "만 12세 이상")
        case .unknown: return ("unknown", "나이 모름")
        }
    }
}

/// Days since the first submission, in steps a team lead thinks in (days, weeks, months).
enum WaitBucket: Int, ReportBucket {
    case upTo2, upTo6, upTo13, upTo29, upTo59, longer, unknown

    init(days: Int) {
        switch days {
        case ..<3: self = .upTo2
        case ..<7: self = .upTo6
        case ..<14: self = .upTo13
        case ..<30: self = .upTo29
        case ..<60: self = .upTo59
        default: self = .longer
        }
    }

    var name: (key: String, label: String) {
        switch self {
        case .upTo2: return ("days_0_2", "2일 이하")
        case .upTo6: return ("days_3_6", "3–6일")
        case .upTo13: return ("days_7_13", "7–13일")
        case .upTo29: return ("days_14_29", "14–29일")
        case .upTo59: return ("days_30_59", "30–59일")
        case .longer: return ("days_60_plus", "60일 이상")
        case .unknown: return ("unknown", "신청일 모름")
        }
    }
}

/// The `limit` longest waits seen, longest first, then by applicant id: a short list kept in order as households
/// pass, so a million households are never sorted for ten lines.
struct LongestWaits {
    let limit: Int
    private(set) var sorted: [ReportFigures.LongWait] = []

    init(limit: Int) { self.limit = limit }

    private static func before(_ a: ReportFigures.LongWait, _ b: ReportFigures.LongWait) -> Bool {
        (b.days, a.applicantID) < (a.days, b.applicantID)
    }

    /// Whether a wait of `days` would make the list (checked before the entry is made).
    func admits(days: Int, applicantID: String) -> Bool {
        guard sorted.count == limit, let last = sorted.last else { return true }
        return (last.days, applicantID) < (days, last.applicantID)
    }

    mutating func insert(_ w: ReportFigures.LongWait) {
        guard admits(days: w.days, applicantID: w.applicantID) else { return }
        let at = sorted.firstIndex { Self.before(w, $0) } ?? sorted.count
        sorted.insert(w, at: at)
        if sorted.count > limit { sorted.removeLast() }
    }
}
