// Korean public holidays (관공서의 공휴일에 관한 규정) 2024-2030, bundled so planning needs no network or files.
//
// Sources: the regulation as amended (substitute holidays 대체공휴일 for 설날/추석/어린이날 since 2014,
// for 삼일절/광복절/개천절/한글날 since 2021, for 부처님오신날/기독탄신일 since 2023), announced temporary
// holidays (2024-10-01 국군의 날, 2025-01-27), election days under 공직선거법 §34, and for 2026 on the
// 2025 amendments that made 제헌절 (07-17) and 노동절 (05-01, with substitute) public holidays again/anew.
// Lunar dates (설날, 추석, 부처님오신날) are from the KASI lunar calendar.
//
// Provisional: election days after 2026 (2028-04-12 총선, 2030-03-27 대선, 2030-06-12 지방선거 — moved a week
// because 06-06 현충일 follows 06-05) follow the statutory formula; a by-election or law change would need a
// local addition (additions cannot remove a date: a cancelled holiday needs a table fix). Future temporary
// holidays (임시공휴일) are announced weeks ahead: add them as local additions until the table is updated.

extension KoreanHolidays {
    /// What kind of day it is, so a reviewer can tell the fixed-by-law days from provisional ones.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case national  // 국경일/fixed-date holiday
        case lunar  // 설날, 추석, 부처님오신날
        case substitute  // 대체공휴일
        case temporary  // 임시공휴일 (announced by the government)
        case election  // 선거일 (after 2026: provisional)
        case local  // added at init by the city
    }

    struct Entry: Sendable {
        let iso: String
        let name: String
        let kind: Kind
        init(_ iso: String, _ name: String, _ kind: Kind) {
            self.iso = iso
            self.name = name
            self.kind = kind
        }
    }

    static let table: [Entry] = [
        // 2024
        Entry("2024-01-01", "1월 1일", .national),
        Entry("2024-02-09", "설날 전날", .lunar),
        Entry("2024-02-10", "설날", .lunar),
        Entry("2024-02-11", "설날 다음날", .lunar),
        Entry("2024-02-12", "대체공휴일(설날)", .substitute),
        Entry("2024-03-01", "삼일절", .national),
        Entry("2024-04-10", "제22대 국회의원선거일", .election),
        Entry("2024-05-05", "어린이날", .national),
        Entry("2024-05-06", "대체공휴일(어린이날)", .substitute),
        Entry("2024-05-15", "부처님오신날", .lunar),
        Entry("2024-06-06", "현충일", .national),
        Entry("2024-08-15", "광복절", .national),
        Entry("2024-09-16", "추석 전날", .lunar),
        Entry("2024-09-17", "추석", .lunar),
        Entry("2024-09-18", "추석 다음날", .lunar),
        Entry("2024-10-01", "국군의 날(임시공휴일)", .temporary),
        Entry("2024-10-03", "개천절", .national),
        Entry("2024-10-09", "한글날", .national),
        Entry("2024-12-25", "기독탄신일", .national),
        // 2025
        Entry("2025-01-01", "1월 1일", .national),
        Entry("2025-01-27", "임시공휴일", .temporary),
        Entry("2025-01-28", "설날 전날", .lunar),
        Entry("2025-01-29", "설날", .lunar),
        Entry("2025-01-30", "설날 다음날", .lunar),
        Entry("2025-03-01", "삼일절", .national),
        Entry("2025-03-03", "대체공휴일(삼일절)", .substitute),
        Entry("2025-05-05", "어린이날·부처님오신날", .national),
        Entry("2025-05-06", "대체공휴일(어린이날·부처님오신날)", .substitute),
        Entry("2025-06-03", "제21대 대통령선거일", .election),
        Entry("2025-06-06", "현충일", .national),
        Entry("2025-08-15", "광복절", .national),
        Entry("2025-10-03", "개천절", .national),
        Entry("2025-10-05", "추석 전날", .lunar),
        Entry("2025-10-06", "추석", .lunar),
        Entry("2025-10-07", "추석 다음날", .lunar),
        Entry("2025-10-08", "대체공휴일(추석)", .substitute),
        Entry("2025-10-09", "한글날", .national),
        Entry("2025-12-25", "기독탄신일", .national),
        // 2026
        Entry("2026-01-01", "1월 1일", .national),
        Entry("2026-02-16", "설날 전날", .lunar),
        Entry("2026-02-17", "설날", .lunar),
        Entry("2026-02-18", "설날 다음날", .lunar),
        Entry("2026-03-01", "삼일절", .national),
        Entry("2026-03-02", "대체공휴일(삼일절)", .substitute),
        Entry("2026-05-01", "노동절", .national),
        Entry("2026-05-05", "어린이날", .national),
        Entry("2026-05-24", "부처님오신날", .lunar),
        Entry("2026-05-25", "대체공휴일(부처님오신날)", .substitute),
        Entry("2026-06-03", "제9회 전국동시지방선거일", .election),
        Entry("2026-06-06", "현충일", .national),
        Entry("2026-07-17", "제헌절", .national),
        Entry("2026-08-15", "광복절", .national),
        Entry("2026-08-17", "대체공휴일(광복절)", .substitute),
        Entry("2026-09-24", "추석 전날", .lunar),
        Entry("2026-09-25", "추석", .lunar),
        Entry("2026-09-26", "추석 다음날", .lunar),
        Entry("2026-10-03", "개천절", .national),
        Entry("2026-10-05", "대체공휴일(개천절)", .substitute),
        Entry("2026-10-09", "한글날", .national),
        Entry("2026-12-25", "기독탄신일", .national),
        // 2027
        Entry("2027-01-01", "1월 1일", .national),
        Entry("2027-02-06", "설날 전날", .lunar),
        Entry("2027-02-07", "설날", .lunar),
        Entry("2027-02-08", "설날 다음날", .lunar),
        Entry("2027-02-09", "대체공휴일(설날)", .substitute),
        Entry("2027-03-01", "삼일절", .national),
        Entry("2027-05-01", "노동절", .national),
        Entry("2027-05-03", "대체공휴일(노동절)", .substitute),
        Entry("2027-05-05", "어린이날", .national),
        Entry("2027-05-13", "부처님오신날", .lunar),
        Entry("2027-06-06", "현충일", .national),
        Entry("2027-07-17", "제헌절", .national),
        Entry("2027-07-19", "대체공휴일(제헌절)", .substitute),
        Entry("2027-08-15", "광복절", .national),
        Entry("2027-08-16", "대체공휴일(광복절)", .substitute),
        Entry("2027-09-14", "추석 전날", .lunar),
        Entry("2027-09-15", "추석", .lunar),
        Entry("2027-09-16", "추석 다음날", .lunar),
        Entry("2027-10-03", "개천절", .national),
        Entry("2027-10-04", "대체공휴일(개천절)", .substitute),
        Entry("2027-10-09", "한글날", .national),
        Entry("2027-10-11", "대체공휴일(한글날)", .substitute),
        Entry("2027-12-25", "기독탄신일", .national),
        Entry("2027-12-27", "대체공휴일(기독탄신일)", .substitute),
        // 2028
        Entry("2028-01-01", "1월 1일", .national),
        Entry("2028-01-26", "설날 전날", .lunar),
        Entry("2028-01-27", "설날", .lunar),
        Entry("2028-01-28", "설날 다음날", .lunar),
        Entry("2028-03-01", "삼일절", .national),
        Entry("2028-04-12", "제23대 국회의원선거일", .election),
        Entry("2028-05-01", "노동절", .national),
        Entry("2028-05-02", "부처님오신날", .lunar),
        Entry("2028-05-05", "어린이날", .national),
        Entry("2028-06-06", "현충일", .national),
        Entry("2028-07-17", "제헌절", .national),
        Entry("2028-08-15", "광복절", .national),
        Entry("2028-10-02", "추석 전날", .lunar),
        Entry("2028-10-03", "개천절·추석", .national),
        Entry("2028-10-04", "추석 다음날", .lunar),
        Entry("2028-10-05", "대체공휴일(추석)", .substitute),
        Entry("2028-10-09", "한글날", .national),
        Entry("2028-12-25", "기독탄신일", .national),
        // 2029
        Entry("2029-01-01", "1월 1일", .national),
        Entry("2029-02-12", "설날 전날", .lunar),
        Entry("2029-02-13", "설날", .lunar),
        Entry("2029-02-14", "설날 다음날", .lunar),
        Entry("2029-03-01", "삼일절", .national),
        Entry("2029-05-01", "노동절", .national),
        Entry("2029-05-05", "어린이날", .national),
        Entry("2029-05-07", "대체공휴일(어린이날)", .substitute),
        Entry("2029-05-20", "부처님오신날", .lunar),
        Entry("2029-05-21", "대체공휴일(부처님오신날)", .substitute),
        Entry("2029-06-06", "현충일", .national),
        Entry("2029-07-17", "제헌절", .national),
        Entry("2029-08-15", "광복절", .national),
        Entry("2029-09-21", "추석 전날", .lunar),
        Entry("2029-09-22", "추석", .lunar),
        Entry("2029-09-23", "추석 다음날", .lunar),
        Entry("2029-09-24", "대체공휴일(추석)", .substitute),
        Entry("2029-10-03", "개천절", .national),
        Entry("2029-10-09", "한글날", .national),
        Entry("2029-12-25", "기독탄신일", .national),
        // 2030
        Entry("2030-01-01", "1월 1일", .national),
        Entry("2030-02-02", "설날 전날", .lunar),
        Entry("2030-02-03", "설날", .lunar),
        Entry("2030-02-04", "설날 다음날", .lunar),
        Entry("2030-02-05", "대체공휴일(설날)", .substitute),
        Entry("2030-03-01", "삼일절", .national),
        Entry("2030-03-27", "제22대 대통령선거일", .election),
        Entry("2030-05-01", "노동절", .national),
        Entry("2030-05-05", "어린이날", .national),
        Entry("2030-05-06", "대체공휴일(어린이날)", .substitute),
        Entry("2030-05-09", "부처님오신날", .lunar),
        Entry("2030-06-06", "현충일", .national),
        Entry("2030-06-12", "제10회 전국동시지방선거일", .election),
        Entry("2030-07-17", "제헌절", .national),
        Entry("2030-08-15", "광복절", .national),
        Entry("2030-09-11", "추석 전날", .lunar),
        Entry("2030-09-12", "추석", .lunar),
        Entry("2030-09-13", "추석 다음날", .lunar),
        Entry("2030-10-03", "개천절", .national),
        Entry("2030-10-09", "한글날", .national),
        Entry("2030-12-25", "기독탄신일", .national),
    ]
}
