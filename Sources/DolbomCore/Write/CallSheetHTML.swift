import DolbomNormalize
import DolbomSchedule

/// One counselor's calls for one day as a printable A4 page: who to call when, what the family
/// asked for, and boxes to tick the result, in the words `dolbom outcomes import` reads back.
struct CallSheetHTML {
    var plan: AppointmentPlan
    var counselorID: String
    var date: LocalDate
    var appointments: [Appointment]
    var maskPhones: Bool
    var asOf: LocalDate
    var moved: [String: Rescheduled]
    /// Earlier calls by applicant id: what the counselor should know before dialling.
    var history: [String: CallHistory] = [:]
    var promiseMisses: [String: PromiseMiss] = [:]
    /// Facilities each family was guided to and their visits, by applicant id.
    var referrals: [String: [Referral]] = [:]
    /// Facility suggestions: a block under each call's facts (only when facilities are configured).
    var facilities: FacilityOutputs?

    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    static let style = """
        @page { size: A4 portrait; margin: 12mm 12mm 14mm 12mm; }
        * { box-sizing: border-box; }
        body { font-family: "Noto Sans CJK KR", "Noto Sans KR", "Malgun Gothic", "Apple SD Gothic Neo", sans-serif;
               font-size: 9.5pt; color: #111; margin: 0; line-height: 1.3; }
        header { border-bottom: 2px solid #111; padding-bottom: 3mm; margin-bottom: 3mm; }
        h1 { font-size: 15pt; margin: 0 0 1mm 0; }
        .meta { color: #333; font-size: 9pt; }
        .notice { font-size: 8pt; color: #444; margin-top: 1mm; }
        .call { border: 1px solid #555; border-radius: 2mm; padding: 2.2mm 3mm; margin-bottom: 2.5mm;
                break-inside: avoid; page-break-inside: avoid; }
        .top { display: flex; align-items: baseline; gap: 4mm; border-bottom: 1px dashed #999; padding-bottom: 1mm; margin-bottom: 1mm; }
        .time { font-size: 13pt; font-weight: 700; min-width: 34mm; }
        .who { font-size: 12pt; font-weight: 700; }
        .phone { font-size: 12pt; font-weight: 700; letter-spacing: 0.3px; }
        .tag { font-size: 8pt; border: 1px solid #333; border-radius: 1mm; padding: 0 1.2mm; margin-left: auto; white-space: nowrap; }
        .tag.moved { background: #ffe9a8; }
        .tag.new { background: #e3f1ff; }
        table.facts { width: 100%; border-collapse: collapse; }
        table.facts th { text-align: left; font-weight: 600; color: #333; width: 20mm; vertical-align: top; padding: 0.2mm 2mm 0.2mm 0; white-space: nowrap; }
        table.facts td { padding: 0.2mm 0; vertical-align: top; }
        table.facts tr.check th, table.facts tr.check td { background: #fff3c4; color: #000; }
        .move { color: #8a4b00; font-weight: 600; }
        .outcome { margin-top: 1.5mm; border-top: 1px solid #bbb; padding-top: 1.2mm; font-size: 9.5pt; }
        .box { display: inline-block; width: 3.6mm; height: 3.6mm; border: 1.2px solid #111; vertical-align: -0.6mm; margin: 0 1mm 0 3mm; }
        .box:first-child { margin-left: 2mm; }
        .line { display: inline-block; border-bottom: 1px solid #111; min-width: 14mm; }
        .line.wide { min-width: 45mm; }
        .memo { margin-top: 1mm; height: 7mm; border-bottom: 1px solid #bbb; color: #555; }
        footer { margin-top: 4mm; font-size: 8pt; color: #444; border-top: 1px solid #999; padding-top: 2mm; }
        """

    func render() -> String {
        let counselor = plan.counselor(counselorID)
        let title =
            "\(date.iso) (\(HouseholdText.weekday(date))) 상담 전화 — \(HouseholdText.counselorName(plan, counselorID))"
        var html = HTMLPageOpening.text(
            title: title, style: facilities == nil ? Self.style : Self.style + FacilityOutputs.callSheetStyle)
        html += """
            <div class="meta">상담사 \(Self.escape(counselorID))\(counselor.map { " · 근무 \(Self.escape($0.hours))" + ($0.lunch.map { " · 점심 \(Self.escape($0))" } ?? "") } ?? "") · 통화 \(appointments.count)건 · \(asOf.iso) 기준 작성</div>
            <div class="notice">결과 칸에 표시한 뒤 같은 폴더의 call-results.csv(결과 입력표)의 '결과' 칸에 옮겨 적고 <code>dolbom outcomes import call-results.csv</code>로 가져오세요.</div>
            </header>

            """
        for a in appointments {
            guard let e = plan.entries[a.applicantID] else { continue }
            html += call(a, entry: e)
        }
        html += """
            <footer>개인정보가 담긴 문서입니다. 통화 결과를 옮겨 적은 뒤 파쇄하세요. · 1:1 맞춤형 돌봄상담 · dolbom</footer>
            </body>
            </html>

            """
        return html
    }

    func call(_ a: Appointment, entry e: CallListEntry) -> String {
        let h = e.household
        let kind = plan.kinds[a.applicantID]
        let tagClass = kind == .moved ? "tag moved" : (kind == .new ? "tag new" : "tag")
        var rows: [(String, String)] = []
        if let address = h.address?.text, !address.isEmpty { rows.append(("주소", Self.escape(address))) }
        let children = HouseholdText.children(h)
        rows.append(("자녀", children.isEmpty ? "(없음)" : Self.escape(children)))
        let care = HouseholdText.careTypes(h)
        if !care.isEmpty { rows.append(("희망 서비스", Self.escape(care))) }
        let window = HouseholdText.window(h)
        rows.append(("통화 가능", window.isEmpty ? "언제든 (적지 않음)" : Self.escape(window)))
        let flags = HouseholdText.flags(h)
        if !flags.isEmpty { rows.append(("가구 유형", Self.escape(flags))) }
        rows.append(("우선순위", "\(e.rank)순위 · " + Self.escape(e.reason)))
        if let language = h.language { rows.append(("상담 언어", Self.escape(language))) }
        let others = HouseholdText.otherPhones(h, masked: maskPhones)
        if !others.isEmpty { rows.append(("다른 연락처", Self.escape(others))) }
        if !h.memos.isEmpty { rows.append(("메모", Self.escape(h.memos.joined(separator: " / ")))) }
        let checks = HouseholdText.checks(h)
        // The one row the counselor must not miss: bold, and marked so the style sets it apart.
        if !checks.isEmpty {
            rows.append(("확인할 점", "<strong>" + Self.escape(checks.joined(separator: " / ")) + "</strong>"))
        }
        if let p = plan.promises[a.applicantID] {
            let note = promiseMisses[a.applicantID].map { " — " + HouseholdText.promiseNote($0) } ?? ""
            rows.append(("약속한 날", "<span class=\"move\">\(Self.escape(HouseholdText.promiseLabel(p) + note))</span>"))
        }
        if let past = history[a.applicantID], let line = CallHistoryText.summary(past, plan: plan) {
            rows.append(("지난 통화", Self.escape(line)))
            let memos = past.memos.map { Self.escape("\($0.at.date.iso.dropFirst(5)) \($0.note ?? "")") }
            if !memos.isEmpty { rows.append(("통화 메모", memos.joined(separator: "<br>"))) }
        }
        if let list = referrals[a.applicantID], !list.isEmpty {
            rows.append(
                ("기관 안내", list.map { Self.escape(ReferralText.line($0, asOf: asOf)) }.joined(separator: "<br>")))
            if let overdue = list.last(where: { $0.stage(asOf: asOf) == .overdue }) {
                // Why the family is on the sheet again: as marked as `확인할 점`.
                rows.append(
                    (
                        "방문 결과 확인",
                        "<strong>"
                            + Self.escape(
                                "\(overdue.visit.map(ReferralText.when) ?? "") \(overdue.facility.name)에 다녀오셨는지, "
                                    + "등록했는지 여쭤 주세요. 결과 입력표의 '방문 결과'에 등록, 대기 등록, 안 함 중 하나를 적어 주세요.") + "</strong>"
                    ))
            }
        }
        if let r = moved[a.applicantID] {
            rows.append(
                (
                    "약속 변경",
                    "<span class=\"move\">\(Self.escape(HouseholdText.moveNote(r, plan: plan))) 가족에게 바뀐 시간을 알려 주세요.</span>"
                ))
        }
        let facts = rows.map {
            "<tr\($0.0 == "확인할 점" || $0.0 == "방문 결과 확인" ? " class=\"check\"" : "")><th>\($0.0)</th><td>\($0.1)</td></tr>"
        }
        .joined(separator: "\n")
        return """
            <section class="call">
            <div class="top"><span class="time">\(HouseholdText.clock(a.start))–\(HouseholdText.clock(a.end))</span><span class="who">\(Self.escape(HouseholdText.guardian(h).isEmpty ? "(이름 없음)" : HouseholdText.guardian(h)))</span><span class="phone">\(Self.escape(HouseholdText.phone(h.primaryPhone, masked: maskPhones)))</span><span class="\(tagClass)">\(Self.escape(kind?.korean ?? "")) · \(Self.escape(h.applicantID))</span></div>
            <table class="facts">
            \(facts)
            </table>
            \(facilities?.callSheetBlock(a.applicantID, childCount: h.children.count) ?? "")<div class="outcome">결과 <span class="box"></span>통화완료<span class="box"></span>부재중<span class="box"></span>번호오류<span class="box"></span>상담거부<span class="box"></span>재통화요청 <span class="line"></span>월 <span class="line"></span>일 · 통화 시각 <span class="line"></span></div>
            <div class="outcome">안내 기관 <span class="line wide"></span> 방문 예약 <span class="line"></span>월 <span class="line"></span>일 <span class="line"></span>시</div>\(referrals[a.applicantID]?.isEmpty == false ? "\n<div class=\"outcome\">방문 결과 <span class=\"box\"></span>등록<span class=\"box\"></span>대기 등록<span class=\"box\"></span>안 함 · 기관 <span class=\"line wide\"></span></div>" : "")
            <div class="memo">메모</div>
            </section>

            """
    }

    /// The folder's table of contents: one link per counselor-day.
    static func index(
        _ sheets: [(date: LocalDate, name: String, id: String, file: String, calls: Int)], asOf: LocalDate,
        unscheduled: Int
    ) -> String {
        var rows = ""
        for s in sheets {
            rows +=
                "<tr><td>\(s.date.iso) (\(HouseholdText.weekday(s.date)))</td><td>\(escape(s.name)) (\(escape(s.id)))</td><td>\(s.calls)건</td><td><a href=\"\(escape(s.file))\">\(escape(s.file))</a></td></tr>\n"
        }
        return HTMLPageOpening.index(title: "상담 전화 목록 (\(asOf.iso) 기준)")
            + """
            <p>상담사별 하루 한 장입니다. 일정을 잡지 못한 가구 \(unscheduled)곳은 schedule.csv의 '미배정' 줄에 있습니다.</p>
            <table>
            <tr><th>날짜</th><th>상담사</th><th>통화</th><th>파일</th></tr>
            \(rows)</table>
            </body>
            </html>

            """
    }
}
