import DolbomNormalize
import DolbomSchedule
import Foundation
import GRDB

/// An appointment as the state remembers it: what the family was told, and when
/// it was booked, so a later call result can be recognized as having used it.
public struct StoredAppointment: Sendable, Hashable {
    public var appointment: Appointment
    /// The as-of day of the run that booked (or last moved) it.
    public var bookedOn: LocalDate
    public var bookedRun: Int64
    /// Bumped on every move, for the calendars' SEQUENCE (RFC 5545 §3.8.7.4) so phones update the event.
    public var sequence: Int
}

/// A line of the appointment history: a booking moved or dropped, and why.
public struct AppointmentChange: Sendable, Hashable {
    public var applicantID: String
    public var old: Appointment?
    public var new: Appointment?
    /// `RescheduleReason` code, or `closed` (the household no longer needs a call),
    /// `unscheduled` (no slot was left for it), `outcome_recorded` (a call result used it).
    public var reason: String
}

/// The schedule a run leaves in the state: the whole current plan replaces the previous one.
public struct ScheduleWrite: Sendable {
    public var appointments: [StoredAppointment]
    public var changes: [AppointmentChange]
}

extension StateStore {
    /// `v2-appointments`: the calls booked (what reruns keep) and the history of moved or dropped ones.
    static let appointmentMigration = """
        CREATE TABLE appointment (
            applicant_id TEXT PRIMARY KEY,
            counselor_id TEXT NOT NULL,
            start TEXT NOT NULL,
            end TEXT NOT NULL,
            booked_on TEXT NOT NULL,
            booked_run INTEGER NOT NULL,
            sequence INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE appointment_change (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id INTEGER NOT NULL REFERENCES run(id),
            applicant_id TEXT NOT NULL,
            old_counselor TEXT,
            old_start TEXT,
            new_counselor TEXT,
            new_start TEXT,
            reason TEXT NOT NULL
        );
        CREATE INDEX appointment_change_applicant ON appointment_change(applicant_id);
        """

    static func loadAppointments(_ db: Database) throws -> [String: StoredAppointment] {
        var out: [String: StoredAppointment] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT * FROM appointment") {
            let id: String = row["applicant_id"]
            guard let start = LocalDateTime(iso: row["start"]), let end = LocalDateTime(iso: row["end"]),
                let bookedOn = LocalDate(iso: row["booked_on"])
            else { continue }
            out[id] = StoredAppointment(
                appointment: Appointment(applicantID: id, counselorID: row["counselor_id"], start: start, end: end),
                bookedOn: bookedOn, bookedRun: row["booked_run"], sequence: row["sequence"])
        }
        return out
    }

    static func writeSchedule(_ schedule: ScheduleWrite, run: Int64, db: Database) throws {
        try db.execute(sql: "DELETE FROM appointment")
        for s in schedule.appointments {
            try db.execute(
                sql: """
                    INSERT INTO appointment (applicant_id, counselor_id, start, end, booked_on, booked_run, sequence)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    s.appointment.applicantID, s.appointment.counselorID, s.appointment.start.iso,
                    s.appointment.end.iso,
                    s.bookedOn.iso, s.bookedRun, s.sequence,
                ])
        }
        for c in schedule.changes {
            try db.execute(
                sql: """
                    INSERT INTO appointment_change (run_id, applicant_id, old_counselor, old_start, new_counselor, new_start, reason)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    run, c.applicantID, c.old?.counselorID, c.old?.start.iso, c.new?.counselorID, c.new?.start.iso,
                    c.reason,
                ])
        }
    }

    /// The current appointments, for `dolbom status` and tests.
    public func appointments() throws(StateError) -> [StoredAppointment] {
        do {
            return try queue.read { db in
                try Self.loadAppointments(db).values.sorted { $0.appointment.applicantID < $1.appointment.applicantID }
            }
        } catch { throw .failed(path: path, reason: "\(error)") }
    }

    /// Moves and drops of one applicant's appointments, oldest first.
    public func appointmentHistory(applicantID: String) throws(StateError) -> [AppointmentChange] {
        do {
            return try queue.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT * FROM appointment_change WHERE applicant_id = ? ORDER BY id",
                    arguments: [applicantID]
                ).map { row in
                    func appt(_ c: String, _ s: String) -> Appointment? {
                        guard let cid: String = row[c],
                            let start = (row[s] as String?).flatMap(LocalDateTime.init(iso:))
                        else { return nil }
                        return Appointment(applicantID: applicantID, counselorID: cid, start: start, end: start)
                    }
                    return AppointmentChange(
                        applicantID: applicantID, old: appt("old_counselor", "old_start"),
                        new: appt("new_counselor", "new_start"), reason: row["reason"])
                }
            }
        } catch { throw .failed(path: path, reason: "\(error)") }
    }
}
