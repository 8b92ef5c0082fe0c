import DolbomNormalize
import DolbomSchedule

/// How an appointment in this run's plan relates to what the family was told before.
public enum BookingKind: String, Sendable, Hashable, Codable {
    /// Given in an earlier run and still possible: unchanged.
    case kept
    /// First appointment for this call.
    case new
    /// An earlier appointment became impossible (holiday, leave, ...) and was moved; tell the family.
    case moved

    /// The word counselors read in schedule.csv and on the call sheets.
    public var korean: String {
        switch self {
        case .kept: return "유지"
        case .new: return "새 약속"
        case .moved: return "변경"
        }
    }
}

/// The Plan stage's second part: turns the ranked households into counselors' appointments.
///
/// Pure: everything it needs (ranked entries, statuses, appointments from the state, roster, holidays)
/// comes in as values, and equal inputs give an equal plan.
public struct AppointmentPlanner: Sendable {
    public var policy: SchedulePolicy
    public var roster: Roster
    public var holidays: KoreanHolidays
    /// The run's as-of day, recorded as the booking day of new and moved appointments.
    public var asOf: LocalDate
    /// The run that books new appointments (0 without a state file); part of each calendar event's id.
    public var runID: Int64

    public init(policy: SchedulePolicy, roster: Roster, holidays: KoreanHolidays, asOf: LocalDate, runID: Int64) {
        self.policy = policy
        self.roster = roster
        self.holidays = holidays
        self.asOf = asOf
        self.runID = runID
    }

    /// The working days the plan covers; households waiting for a later retry day are left for a later run.
    public func horizon() -> [LocalDate] { Scheduler(policy: policy).horizon(roster: roster, holidays: holidays) }

    /// `ranked` are the open households whose next call falls in the horizon, in call-list order.
    /// `mergedInto` maps household ids that Resolve merged away to the survivor, so their appointments follow.
    public func plan(
        ranked: [CallListEntry], statuses: [String: HouseholdStatus], known: [String: StoredAppointment],
        mergedInto: [String: String] = [:]
    ) throws(RunError) -> AppointmentPlan {
        var byID: [String: CallListEntry] = [:]
        for e in ranked { byID[e.household.applicantID] = e }

        // Earlier appointments by the household they now belong to: when Resolve merged two households that both
        // had one, the earlier appointment stands and the other is dropped (reported as `merged`).
        var changes: [AppointmentChange] = []
        var earlier: [String: StoredAppointment] = [:]
        for (id, stored) in known.sorted(by: { $0.key < $1.key }) {
            let owner = mergedInto[id] ?? id
            var s = stored
            s.appointment.applicantID = owner
            if let other = earlier[owner] {
                let (keep, drop) =
                    (other.appointment.start, other.appointment.counselorID) <= (
                        s.appointment.start, s.appointment.counselorID
                    )
                    ? (other, s) : (s, other)
                earlier[owner] = keep
                changes.append(AppointmentChange(applicantID: owner, old: drop.appointment, new: nil, reason: "merged"))
                continue
            }
            earlier[owner] = s
        }

        var pins: [String: StoredAppointment] = [:]
        for (id, stored) in earlier.sorted(by: { $0.key < $1.key }) {
            let status = statuses[id]
            if let at = status?.lastOutcomeAt, let day = LocalDate(iso: String(at.prefix(10))), day >= stored.bookedOn {
                // A call result came in after it was booked: the appointment has been used.
                changes.append(
                    AppointmentChange(applicantID: id, old: stored.appointment, new: nil, reason: "outcome_recorded"))
            } else if byID[id] == nil {
                let reason = status == nil ? "removed" : (status!.state.isClosed ? "closed" : "waiting")
                changes.append(AppointmentChange(applicantID: id, old: stored.appointment, new: nil, reason: reason))
            } else {
                pins[id] = stored
            }
        }

        let names = Dictionary(
            roster.counselors.map { ($0.name.trimmedWhitespace, $0.id) }, uniquingKeysWith: { a, _ in a })
        let ids = Set(roster.counselors.map(\.id))
        let requests = ranked.enumerated().map { index, entry -> ScheduleRequest in
            let h = entry.household
            let status = statuses[h.applicantID]
            // The counselor who last spoke with the family (outcome sheets may give an id or a name).
            let lastCounselor = status?.counselor.map(\.trimmedWhitespace).flatMap { ids.contains($0) ? $0 : names[$0] }
            let notBefore = status?.nextCallOn.flatMap { $0 > policy.horizonStart ? $0 : nil }
            return ScheduleRequest(
                applicantID: h.applicantID, rank: index + 1, window: h.contactWindow, language: h.language,
                preferredCounselor: lastCounselor ?? pins[h.applicantID]?.appointment.counselorID,
                pinned: pins[h.applicantID]?.appointment, notBefore: notBefore,
                promise: status.flatMap { promise($0, booked: pins[h.applicantID] != nil) })
        }
        let result: ScheduleResult
        do { result = try Scheduler(policy: policy).plan(requests: requests, roster: roster, holidays: holidays) } catch
        {
            throw .roster(path: "roster", reason: error.description)
        }

        var moved: [String: Rescheduled] = [:]
        for r in result.rescheduled {
            moved[r.applicantID] = r
            changes.append(AppointmentChange(applicantID: r.applicantID, old: r.old, new: r.new, reason: r.reason.code))
        }
        let unscheduled = Set(result.unscheduled.map(\.applicantID))
        for (id, stored) in pins.sorted(by: { $0.key < $1.key }) where unscheduled.contains(id) && moved[id] == nil {
            changes.append(AppointmentChange(applicantID: id, old: stored.appointment, new: nil, reason: "unscheduled"))
        }

        var kinds: [String: BookingKind] = [:]
        var stored: [StoredAppointment] = []
        for a in result.appointments {
            let id = a.applicantID
            if let pin = pins[id], moved[id] == nil {
                kinds[id] = .kept
                stored.append(pin)
            } else if let pin = pins[id] {
                kinds[id] = .moved
                stored.append(
                    StoredAppointment(
                        appointment: a, bookedOn: asOf, bookedRun: pin.bookedRun, sequence: pin.sequence + 1))
            } else {
                kinds[id] = .new
                stored.append(StoredAppointment(appointment: a, bookedOn: asOf, bookedRun: runID, sequence: 0))
            }
        }
        changes.sort { ($0.applicantID, $0.reason) < ($1.applicantID, $1.reason) }
        var bookings: [String: StoredAppointment] = [:]
        for s in stored { bookings[s.appointment.applicantID] = s }
        var promises: [String: Promise] = [:]
        for r in requests { if let p = r.promise { promises[r.applicantID] = p } }
        return AppointmentPlan(
            result: result, roster: roster, holidays: holidays, entries: byID, kinds: kinds,
            bookings: bookings, changes: changes, promises: promises)
    }
}

extension AppointmentPlanner {
    /// The day a household was promised (a dated callback, a retry's due day). A day before the plan's first day
    /// counts only when no appointment was booked since the result came in: a booking that used it up or
    /// moved it is reported as such, not as a missed promise.
    func promise(_ status: HouseholdStatus, booked: Bool) -> Promise? {
        guard status.state == .open, let day = status.nextCallOn, let reason = status.nextCallReason,
            reason != .visitCheck
        else { return nil }
        if day < policy.horizonStart && booked { return nil }
        return Promise(day: day, kind: reason == .callback ? .callback : .retry)
    }
}

/// A run's appointments with everything the writers need to show them to people.
public struct AppointmentPlan: Sendable {
    public var result: ScheduleResult
    public var roster: Roster
    public var holidays: KoreanHolidays
    /// Every household that was planned, by applicant id (rank among the planned, reason, household).
    public var entries: [String: CallListEntry]
    public var kinds: [String: BookingKind]
    /// Every appointment of the plan as the state remembers it (booking day, calendar id, sequence), by applicant id.
    public var bookings: [String: StoredAppointment]
    /// Earlier appointments moved, used or dropped in this run.
    public var changes: [AppointmentChange]
    /// The promised day of each household that has one (kept or missed: `result.promiseMisses`).
    public var promises: [String: Promise] = [:]
    /// Promised days not kept, by applicant id.
    public var promiseMisses: [String: PromiseMiss] {
        Dictionary(result.promiseMisses.map { ($0.applicantID, $0) }, uniquingKeysWith: { a, _ in a })
    }

    public func counselor(_ id: String) -> Counselor? { roster.counselors.first { $0.id == id } }

    /// What the state remembers for the next run, in applicant-id order.
    public var stored: [StoredAppointment] {
        bookings.values.sorted { $0.appointment.applicantID < $1.appointment.applicantID }
    }
}
