import DolbomNormalize

/// Korean public holidays 2024-2030 plus a city's own closed days.
///
/// Counselors at a city hall do not work on public holidays, and no appointment may fall on one, so the
/// scheduler asks this value for every day of the horizon. The table is bundled (see `KoreanHolidayTable.swift`
/// for sources and which dates are provisional) so planning is pure and reproducible; cities add their own
/// closed days (창립기념일, a temporary holiday announced after this release) as `additions`.
public struct KoreanHolidays: Sendable, Hashable {
    /// Years the bundled table covers; outside them only `additions` count, so callers should warn.
    public static let coveredYears: ClosedRange<Int> = 2024...2030

    private let names: [Int: String]  // key: LocalDate.daysSinceEpoch
    private let kinds: [Int: Kind]

    /// `additions` win over the table's name for the same date (a city can relabel, never un-holiday).
    public init(additions: [LocalDate: String] = [:]) {
        var names: [Int: String] = [:]
        var kinds: [Int: Kind] = [:]
        names.reserveCapacity(Self.table.count + additions.count)
        for e in Self.table {
            guard let d = LocalDate(iso: e.iso) else { preconditionFailure("bad holiday table date \(e.iso)") }
            names[d.daysSinceEpoch] = e.name
            kinds[d.daysSinceEpoch] = e.kind
        }
        for (d, name) in additions {
            names[d.daysSinceEpoch] = name
            kinds[d.daysSinceEpoch] = .local
        }
        self.names = names
        self.kinds = kinds
    }

    /// True on a public holiday or a local addition; weekends are not holidays here (rosters decide weekends).
    public func isHoliday(_ date: LocalDate) -> Bool { names[date.daysSinceEpoch] != nil }

    /// The Korean name shown to counselors ("대체공휴일(설날)"), nil on ordinary days.
    public func name(for date: LocalDate) -> String? { names[date.daysSinceEpoch] }

    /// Lets reports mark provisional (election) and local days differently.
    public func kind(for date: LocalDate) -> Kind? { kinds[date.daysSinceEpoch] }

    /// All holidays in `range`, sorted, for a calendar view or a diff against another source.
    public func holidays(in range: ClosedRange<LocalDate>) -> [(date: LocalDate, name: String)] {
        let lo = range.lowerBound.daysSinceEpoch
        let hi = range.upperBound.daysSinceEpoch
        return names.filter { $0.key >= lo && $0.key <= hi }
            .sorted { $0.key < $1.key }
            .map { (LocalDate(daysSinceEpoch: $0.key), $0.value) }
    }

    /// Used by the scheduler's hot path: one dictionary probe per horizon day.
    func isHoliday(daysSinceEpoch day: Int) -> Bool { names[day] != nil }
}
