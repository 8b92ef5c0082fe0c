import DolbomFacility
import DolbomNormalize
import DolbomRuntime
import DolbomSchedule
import Foundation

/// The visit files (with a state file): `visits.csv`, every visit booked so far for staff in Excel, and
/// `visits/`, one printable page per facility per day of visits to come: who comes when, which children, what they
/// need. Facilities and counselors read them; personal data, so written like the call sheets (owner-only, escaped).
struct VisitOutputs {
    /// Every referral, in any order.
    let referrals: [Referral]
    /// The households that have referrals, by applicant id.
    let households: [String: Household]
    /// Counselor names (nil without a roster: ids as the sheets gave them).
    let plan: AppointmentPlan?
    let maskPhonesInCSV: Bool
    let maskPhonesOnPages: Bool
    let asOf: LocalDate
    /// The configured facility lists: each page names the facility's address and phone.
    var registry: FacilityRegistry? = nil

    static let header = [
        "방문일", "요일", "시각", "기관 id", "기관", "신청번호", "보호자", "연락처", "자녀", "희망 서비스", "가구 유형",
        "안내한 상담사", "안내한 통화", "상태", "방문 결과", "결과 확인 통화", "통화 메모",
    ]

    /// Referrals with a visit, by day, time, facility, applicant id and booking call: the same order on every run.
    var booked: [Referral] {
        referrals.filter { $0.visit != nil }.sorted {
            ($0.visit!, $0.facility.key, $0.applicantID, $0.callAt, $0.id) < (
                $1.visit!, $1.facility.key, $1.applicantID, $1.callAt, $1.id
            )
        }
    }

    static func dayAndClock(_ t: LocalDateTime) -> String {
        StringSink.build { HouseholdText.dayAndClock(t, into: &$0) }
    }

    func counselor(_ r: Referral) -> String {
        guard let id = r.counselor else { return "" }
        return plan.map { HouseholdText.counselorName($0, id) } ?? id
    }

    // MARK: visits.csv

    func writeCSV(to file: OutputFile) throws {
        var csv = SpreadsheetCSV()
        csv.appendRow(Self.header)
        for r in booked {
            let visit = r.visit!
            let h = households[r.applicantID]
            let guardian: String = h.map(HouseholdText.guardian) ?? ""
            let phone: String = h.map { HouseholdText.phone($0.primaryPhone, masked: maskPhonesInCSV) } ?? ""
            let children: String = h.map(HouseholdText.children) ?? ""
            let care: String = h.map(HouseholdText.careTypes) ?? ""
            let flags: String = h.map(HouseholdText.flags) ?? ""
            let called: String = Self.dayAndClock(r.callAt)
            let result: String = r.result.map { $0.rawValue + (r.resultNote.map { " (\($0))" } ?? "") } ?? ""
            let resultCall: String = r.resultAt.map(Self.dayAndClock) ?? ""
            var row: [String] = [
                visit.date.iso, HouseholdText.weekday(visit.date), visit.clock, r.facility.id ?? "", r.facility.name,
                r.applicantID,
            ]
            row += [
                guardian, phone, children, care, flags, counselor(r), called, r.stage(asOf: asOf).korean, result,
                resultCall, r.memo ?? "",
            ]
            csv.appendRow(row)
            try file.take(csv.buffer)
        }
        try file.take(csv.buffer)
        try file.close()
    }

    // MARK: visits/

    /// Visits from the as-of day on, except those the family already said it will not make (`안 함`).
    var pagesToWrite: [(date: LocalDate, facility: FacilityRef, visits: [Referral])] {
        var out: [(date: LocalDate, facility: FacilityRef, visits: [Referral])] = []
        for r in booked where r.visit!.date >= asOf && r.result != .declined {
            if let last = out.last, last.date == r.visit!.date, last.facility.key == r.facility.key {
                out[out.count - 1].visits.append(r)
            } else {
                out.append((r.visit!.date, r.facility, [r]))
            }
        }
        return out
    }

    static func fileName(date: LocalDate, facility: FacilityRef) -> String {
        "\(date.iso)_\(ScheduleOutputs.fileSafe(facility.id ?? FacilityRef.fold(facility.text))).html"
    }

    /// Writes `visits/<date>_<facility>.html` for every facility-day with visits to come, and `visits/index.html`.
    func writePages(into folder: URL, fileMode: mode_t) throws {
        var index: [(date: LocalDate, facility: FacilityRef, file: String, visits: Int)] = []
        for page in pagesToWrite {
            let name = Self.fileName(date: page.date, facility: page.facility)
            let sink = try OutputFile(path: folder.appendingPathComponent(name).path, mode: fileMode)
            sink.buffer.append(contentsOf: render(date: page.date, facility: page.facility, visits: page.visits).utf8)
            try sink.close()
            index.append((page.date, page.facility, name, page.visits.count))
        }
        let sink = try OutputFile(path: folder.appendingPathComponent("index.html").path, mode: fileMode)
        sink.buffer.append(contentsOf: renderIndex(index).utf8)
        try sink.close()
    }

    static let style =
        CallSheetHTML.style + """

            .need th { width: 24mm; }
            """

    func render(date: LocalDate, facility: FacilityRef, visits: [Referral]) -> String {
        let e = CallSheetHTML.escape
        let title = "\(date.iso) (\(HouseholdText.weekday(date))) 방문 예정 — \(facility.name)"
        var html = HTMLPageOpening.text(title: title, style: Self.style)
        html += """
            <div class="meta">\(facility.id.map { "기관 id \(e($0)) · " } ?? "기관 목록에 없는 기관(적힌 대로) · ")\(contact(facility))방문 \(visits.count)가족 · \(asOf.iso) 기준 작성</div>
            <div class="notice">돌봄 상담에서 이 기관을 안내하고 방문을 예약한 가족입니다. 방문한 뒤의 결과(등록, 대기 등록, 안 함)를 상담 창구에 알려 주세요.</div>
            </header>

            """
        for r in visits {
            let h = households[r.applicantID]
            var rows: [(String, String)] = []
            if let h {
                let children = HouseholdText.children(h)
                rows.append(("자녀", children.isEmpty ? "(적지 않음)" : e(children)))
                let care = HouseholdText.careTypes(h)
                if !care.isEmpty { rows.append(("희망 서비스", e(care))) }
                let flags = HouseholdText.flags(h)
                if !flags.isEmpty { rows.append(("가구 유형", e(flags))) }
                if let language = h.language { rows.append(("상담 언어", e(language))) }
                if !h.memos.isEmpty { rows.append(("신청 메모", e(h.memos.joined(separator: " / ")))) }
            }
            if let memo = r.memo, !memo.isEmpty { rows.append(("상담 메모", e(memo))) }
            let who = counselor(r)
            rows.append(("안내", e("\(HouseholdText.shortWhen(r.callAt)) 통화" + (who.isEmpty ? "" : " · 상담사 \(who)"))))
            if let result = r.result {
                rows.append(("결과", e(result.rawValue + (r.resultNote.map { " (\($0))" } ?? ""))))
            }
            let facts = rows.map { "<tr><th>\($0.0)</th><td>\($0.1)</td></tr>" }.joined(separator: "\n")
            let guardian = h.map(HouseholdText.guardian) ?? ""
            let phone = h.map { HouseholdText.phone($0.primaryPhone, masked: maskPhonesOnPages) } ?? ""
            html += """
                <section class="call">
                <div class="top"><span class="time">\(r.visit!.minutes == nil ? "시간 미정" : r.visit!.clock)</span><span class="who">\(e(guardian.isEmpty ? "(이름 없음)" : guardian))</span><span class="phone">\(e(phone))</span><span class="tag">\(e(r.applicantID))</span></div>
                <table class="facts need">
                \(facts)
                </table>
                <div class="outcome">방문 <span class="box"></span>왔음<span class="box"></span>오지 않음 · 결과 <span class="box"></span>등록<span class="box"></span>대기 등록<span class="box"></span>안 함</div>
                </section>

                """
        }
        html += """
            <footer>개인정보가 담긴 문서입니다. 방문이 끝나면 파쇄하세요. · 1:1 맞춤형 돌봄상담 · dolbom</footer>
            </body>
            </html>

            """
        return html
    }

    /// `충청남도 아산시 … · 041-123-4567 · ` from the registry, or nothing.
    func contact(_ facility: FacilityRef) -> String {
        guard let id = facility.id, let f = registry?[id: id] else { return "" }
        return [f.address?.text, f.phone].compactMap { $0 }.filter { !$0.isEmpty }.map {
            CallSheetHTML.escape($0) + " · "
        }.joined()
    }

    func renderIndex(_ pages: [(date: LocalDate, facility: FacilityRef, file: String, visits: Int)]) -> String {
        let e = CallSheetHTML.escape
        var rows = ""
        for p in pages {
            rows +=
                "<tr><td>\(p.date.iso) (\(HouseholdText.weekday(p.date)))</td><td>\(e(p.facility.name))\(p.facility.id.map { " (\(e($0)))" } ?? "")</td><td>\(p.visits)가족</td><td><a href=\"\(e(p.file))\">\(e(p.file))</a></td></tr>\n"
        }
        let overdue = referrals.filter { $0.stage(asOf: asOf) == .overdue }.count
        return HTMLPageOpening.index(title: "기관 방문 예정 (\(asOf.iso) 기준)")
            + """
            <p>기관별 하루 한 장입니다. 지난 방문 중 결과를 아직 모르는 \(overdue)가족은 전화 목록에 '방문 결과 확인'으로 올라 있습니다. 모든 방문 예약은 visits.csv에 있습니다.</p>
            <table>
            <tr><th>날짜</th><th>기관</th><th>방문</th><th>파일</th></tr>
            \(rows)</table>
            </body>
            </html>

            """
    }
}

/// call-list.csv's referral columns: the facilities the family was guided to, the visits booked and what came of them
/// (empty for a family never guided). One entry per referral, oldest first, joined with ` / `.
struct CallListReferralColumns: Sendable {
    static let header = ["안내 기관", "방문 예약", "방문 결과"]

    let referrals: [String: [Referral]]
    let asOf: LocalDate

    func write(_ applicantID: String, into csv: inout SpreadsheetCSV) {
        guard !referrals.isEmpty, let list = referrals[applicantID], !list.isEmpty else {
            for _ in Self.header { csv.emptyCell() }
            return
        }
        csv.cell(list.map(\.facility.name).joined(separator: " / "))
        csv.cell(list.map { $0.visit.map(ReferralText.when) ?? "방문 예약 없음" }.joined(separator: " / "))
        csv.cell(list.map { ReferralText.stage($0, asOf: asOf) }.joined(separator: " / "))
    }
}

/// How a referral reads on the call list, call sheets and in `dolbom explain`.
enum ReferralText {
    /// `07-20(토) 14:00`, or `07-20(토)` without a time.
    static func when(_ v: VisitTime) -> String {
        "\(v.date.iso.dropFirst(5))(\(HouseholdText.weekday(v.date)))" + (v.minutes == nil ? "" : " \(v.clock)")
    }

    /// `등록 (07-22 통화)`, `방문 결과 확인`, `방문 예정`.
    static func stage(_ r: Referral, asOf: LocalDate) -> String {
        let stage = r.stage(asOf: asOf)
        switch stage {
        case .registered, .waitlisted, .declined:
            return stage.korean + (r.resultNote.map { " (\($0))" } ?? "")
        default:
            return stage.korean
        }
    }

    /// The call sheet's line: `행복지역아동센터 · 07-20(토) 14:00 방문 · 방문 결과 확인`.
    static func line(_ r: Referral, asOf: LocalDate) -> String {
        [r.facility.name, r.visit.map { when($0) + " 방문" } ?? "방문 예약 없음", stage(r, asOf: asOf)].joined(separator: " · ")
    }

    /// For `dolbom explain`: every referral with its call and result.
    static func explanation(_ referrals: [Referral], asOf: LocalDate) -> [String] {
        guard !referrals.isEmpty else { return ["  기관 안내: 없음"] }
        var lines = ["  기관 안내: \(referrals.count)건"]
        for r in referrals {
            let facility = r.facility.name + (r.facility.id.map { " (\($0))" } ?? " (기관 목록 밖: 적힌 대로)")
            var line =
                "    \(r.callAt.iso.prefix(16).replacingOccurrences(of: "T", with: " ")) \(r.counselor ?? "-") → \(facility)"
            line += r.visit.map { ", 방문 \($0.text)" } ?? ", 방문 예약 없음"
            line += " — \(r.stage(asOf: asOf).korean)"
            if let note = r.resultNote { line += " (\(note))" }
            if let at = r.resultAt { line += ", \(at.iso.prefix(10)) 통화에서 확인" }
            if r.stage(asOf: asOf) == .overdue { line += "; 방문일이 지나 전화 목록에 다시 올림" }
            lines.append(line)
        }
        return lines
    }
}

extension AppointmentPlan {
    /// `dolbom explain`'s lines for a household's referrals.
    public static func referralExplanation(_ referrals: [Referral], asOf: LocalDate) -> [String] {
        ReferralText.explanation(referrals, asOf: asOf)
    }
}

extension RunSummary {
    /// summary.json `referrals` (with a state file): families guided to facilities and how their visits went.
    public struct Referrals: Sendable, Codable, Equatable {
        /// Every referral kept (a facility named on a results sheet).
        public var referrals = 0
        /// With a visit booked.
        public var booked = 0
        /// Named without a visit.
        public var guided = 0
        /// Visits today or later without a result yet.
        public var upcoming = 0
        /// Visits passed without a result: these families are back on the call list ("방문 결과 확인").
        public var overdue = 0
        /// Results by kind: `registered`, `waitlisted`, `declined` (every key, zeros too).
        public var results: [String: Int] = Dictionary(uniqueKeysWithValues: VisitResult.allCases.map { ($0.code, 0) })

        public init() {}

        public init(_ referrals: some Sequence<Referral>, asOf: LocalDate) {
            for r in referrals {
                self.referrals += 1
                if r.visit != nil { booked += 1 } else { guided += 1 }
                if let result = r.result { results[result.code, default: 0] += 1 }
                switch r.stage(asOf: asOf) {
                case .upcoming: upcoming += 1
                case .overdue: overdue += 1
                default: break
                }
            }
        }

        /// report.html's referral funnel (`report.capacity.referrals`).
        public var reportCounts: [ReportCount] {
            [
                ReportCount(key: "booked", label: "방문 예약", count: booked),
                ReportCount(key: "upcoming", label: "방문 예정", count: upcoming),
                ReportCount(key: "overdue", label: "방문 결과 확인", count: overdue),
            ]
                + VisitResult.allCases.map {
                    ReportCount(key: $0.code, label: $0.rawValue, count: results[$0.code] ?? 0)
                }
        }
    }
}
