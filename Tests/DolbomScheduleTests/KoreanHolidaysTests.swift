import DolbomNormalize
import Foundation
import Testing

@testable import DolbomSchedule

struct HolidayCase: Sendable, CustomTestStringConvertible {
    let date: String
    let name: String?
    var testDescription: String { "\(date) → \(name ?? "working day")" }
    init(_ date: String, _ name: String?) {
        self.date = date
        self.name = name
    }
}

@Suite("KoreanHolidays")
struct KoreanHolidaysTests {
    static let cases: [HolidayCase] = [
        HolidayCase("2024-01-01", "1월 1일"),
        HolidayCase("2024-02-12", "대체공휴일(설날)"),
        HolidayCase("2024-04-10", "제22대 국회의원선거일"),
        HolidayCase("2024-10-01", "국군의 날(임시공휴일)"),
        HolidayCase("2024-10-02", nil),
        HolidayCase("2025-01-27", "임시공휴일"),
        HolidayCase("2025-01-31", nil),
        HolidayCase("2025-03-03", "대체공휴일(삼일절)"),
        HolidayCase("2025-05-06", "대체공휴일(어린이날·부처님오신날)"),
        HolidayCase("2025-06-03", "제21대 대통령선거일"),
        HolidayCase("2025-10-08", "대체공휴일(추석)"),
        HolidayCase("2025-10-10", nil),
        HolidayCase("2026-06-03", "제9회 전국동시지방선거일"),
        HolidayCase("2026-07-17", "제헌절"),
        HolidayCase("2025-07-17", nil),  // 제헌절 was not a day off 2008-2025
        HolidayCase("2026-05-01", "노동절"),
        HolidayCase("2025-05-01", nil),  // 근로자의 날: not a public-office holiday before 2026
        HolidayCase("2027-12-27", "대체공휴일(기독탄신일)"),
        HolidayCase("2028-10-05", "대체공휴일(추석)"),
        HolidayCase("2030-06-12", "제10회 전국동시지방선거일"),
        HolidayCase("2030-06-05", nil),
        HolidayCase("2026-11-24", nil),
    ]

    @Test(arguments: cases)
    func knownDates(_ c: HolidayCase) {
        let h = KoreanHolidays()
        #expect(h.isHoliday(d(c.date)) == (c.name != nil))
        #expect(h.name(for: d(c.date)) == c.name)
    }

    @Test func localAdditionsAndKinds() {
        let h = KoreanHolidays(additions: [d("2025-07-01"): "시 개청 기념일", d("2025-10-03"): "개천절(시 표기)"])
        #expect(h.isHoliday(d("2025-07-01")))
        #expect(h.name(for: d("2025-07-01")) == "시 개청 기념일")
        #expect(h.kind(for: d("2025-07-01")) == .local)
        #expect(h.name(for: d("2025-10-03")) == "개천절(시 표기)")
        #expect(h.kind(for: d("2024-10-01")) == .temporary)
        #expect(h.kind(for: d("2028-04-12")) == .election)
        #expect(!KoreanHolidays().isHoliday(d("2025-07-01")))
    }

    @Test func tableIsWellFormed() {
        var seen: Set<String> = []
        for e in KoreanHolidays.table {
            let date = LocalDate(iso: e.iso)
            #expect(date != nil, "\(e.iso)")
            #expect(seen.insert(e.iso).inserted, "duplicate \(e.iso)")
            if let date {
                #expect(KoreanHolidays.coveredYears.contains(date.year))
                // Substitute holidays are always weekdays (they replace a weekend/overlap).
                if e.kind == .substitute { #expect(date.isoWeekday <= 5, "\(e.iso) \(e.name)") }
                if e.kind == .election { #expect(date.isoWeekday == 2 || date.isoWeekday == 3, "\(e.iso)") }
            }
        }
        for year in KoreanHolidays.coveredYears {
            let n = KoreanHolidays.table.filter { $0.iso.hasPrefix("\(year)-") }.count
            #expect((15...25).contains(n), "\(year): \(n) holidays")
        }
        #expect(zip(KoreanHolidays.table, KoreanHolidays.table.dropFirst()).allSatisfy { $0.iso < $1.iso })
    }

    /// Cross-check against the shared reference file (generated with the `holidays` package 0.109).
    /// Both directions must agree on dates; names are our own official wording and are not compared.
    @Test func matchesSharedReference() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let url = root.appendingPathComponent("../shared/reference/kr_public_holidays_2024_2030.csv")
            .standardizedFileURL
        guard FileManager.default.fileExists(atPath: url.path) else { return }  // absent: nothing to cross-check
        let text = try String(contentsOf: url, encoding: .utf8)
        var fileDates: Set<LocalDate> = []
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            let iso = String(line.prefix { $0 != "," }).trimmedWhitespace
            guard let date = LocalDate(iso: iso) else {
                Issue.record("unreadable line \(line)")
                continue
            }
            fileDates.insert(date)
        }
        #expect(fileDates.count > 100)
        let h = KoreanHolidays()
        let missing = fileDates.filter { !h.isHoliday($0) }.sorted()
        #expect(missing.isEmpty, "in the reference but not in our table: \(missing)")
        let ours = Set(h.holidays(in: d("2024-01-01")...d("2030-12-31")).map(\.date))
        let extra = ours.subtracting(fileDates).sorted()
        #expect(extra.isEmpty, "in our table but not in the reference: \(extra)")
    }
}
