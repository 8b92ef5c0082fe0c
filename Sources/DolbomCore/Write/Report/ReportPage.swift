import DolbomNormalize

/// report.html: the run on one or two A4 pages for the team lead — intake, waiting, the counselors' days,
/// data quality — with each figure said in plain Korean beside its chart.
///
/// Self-contained: inline CSS and SVG, no script, no link to anything, so it opens offline and prints as
/// shown. Only applicant ids appear, never names, phone numbers or addresses. Equal figures give equal bytes.
struct ReportPage {
    var figures: ReportFigures
    var asOf: LocalDate

    static func escape(_ s: String) -> String { CallSheetHTML.escape(s) }

    static let style = """
        @page { size: A4 portrait; margin: 10mm 11mm 10mm 11mm; }
        * { box-sizing: border-box; }
        body { font-family: "Noto Sans CJK KR", "Noto Sans KR", "Malgun Gothic", "Apple SD Gothic Neo", sans-serif;
               font-size: 9pt; color: #111; margin: 0 auto; max-width: 188mm; line-height: 1.35; }
        header { border-bottom: 2px solid #111; padding-bottom: 2mm; margin-bottom: 2.5mm; }
        h1 { font-size: 15pt; margin: 0; }
        .meta { color: #444; font-size: 8.5pt; margin-top: 0.5mm; }
        .tiles { display: flex; gap: 2mm; margin-bottom: 2mm; }
        .tile { flex: 1; border: 1px solid #bbb; border-radius: 1.5mm; padding: 1.2mm 2mm; }
        .tile b { display: block; font-size: 14pt; }
        .tile span { font-size: 8pt; color: #444; }
        h2 { font-size: 11pt; margin: 2.5mm 0 1mm 0; padding-bottom: 0.5mm; border-bottom: 1px solid #888; }
        h3 { font-size: 9pt; margin: 1.2mm 0 0.6mm 0; }
        .grid { display: grid; grid-template-columns: 1fr 1fr; column-gap: 6mm; }
        .box { break-inside: avoid; page-break-inside: avoid; }
        p.say { margin: 0.4mm 0; font-size: 8.6pt; }
        p.more { margin: 0.4mm 0; font-size: 8pt; color: #444; }
        svg.chart { display: block; margin: 0.8mm 0; }
        table.list { border-collapse: collapse; font-size: 8.3pt; width: 100%; }
        table.list th, table.list td { border-bottom: 1px solid #ddd; padding: 0.4mm 1.5mm; text-align: right; }
        table.list th:first-child, table.list td:first-child { text-align: left; }
        table.list thead th { border-bottom: 1px solid #555; font-weight: 600; }
        table.heat { border-collapse: collapse; font-size: 8pt; margin: 1mm 0; }
        table.heat th, table.heat td { border: 1px solid #ccc; padding: 0.5mm 1.2mm; text-align: center;
                                       min-width: 9mm; }
        table.heat thead th { font-weight: 600; line-height: 1.15; }
        table.heat tbody th { text-align: left; white-space: nowrap; }
        table.heat td.zero { color: #aaa; }
        table.heat td.total { font-weight: 700; }
        .page2 { break-before: page; page-break-before: always; }
        .missing { border: 1px dashed #888; border-radius: 1.5mm; padding: 1.5mm 2.5mm; color: #333; font-size: 8.6pt; }
        footer { margin-top: 3mm; font-size: 7.5pt; color: #555; border-top: 1px solid #aaa; padding-top: 1mm; }
        """

    func render() -> String {
        let f = figures
        let title = "돌봄 상담 현황 — \(asOf.iso) (\(HouseholdText.weekday(asOf))) 기준"
        var html = HTMLPageOpening.text(title: title, style: Self.style)
        html += """
            <div class="meta">이번 실행의 결과 파일(신청 가구, 제외된 행, 상담 일정)로 만든 요약입니다. \
            가구는 신청번호로만 적고 이름·연락처·주소는 싣지 않습니다.</div>
            </header>

            """
        html += tiles()
        html += intake()
        html += waiting()
        if let team = f.team {
            html += section("상담팀의 일정", page2: true, team: team)
        }
        html += quality(page2: f.team == nil)
        html += """
            <h2>수요와 시설</h2>
            \(capacity())\(f.capacity.referrals.map { "\n<p class=\"say\">" + Self.escape(ReportWording.referrals($0)) + "</p>" } ?? "")
            <footer>숫자는 같은 폴더의 summary.json의 report 항목과 같습니다. 같은 입력과 기준일로 다시 실행하면 같은 보고서가 나옵니다.</footer>
            </body>
            </html>

            """
        return html
    }

    private func tiles() -> String {
        let f = figures
        var items: [(key: String, value: Int, label: String)] = [
            ("households", f.intake.households, "가구"),
            ("submissions", f.intake.submissions, "신청"),
        ]
        if f.intake.comparedWithLastRun { items.append(("new_households", f.intake.newHouseholds, "새로 온 가구")) }
        items.append(("open_households", f.waiting.openHouseholds, "상담 대기 가구"))
        if let team = f.team { items.append(("appointments", team.appointments, "잡은 통화")) }
        items.append(("rejected_rows", f.quality.rejectedRows, "제외된 행"))
        return "<div class=\"tiles\">"
            + items.map {
                "<div class=\"tile\"><b data-total=\"\($0.key)\">\(ReportWording.number($0.value))</b>"
                    + "<span>\(Self.escape($0.label))</span></div>"
            }.joined() + "</div>\n"
    }

    private func says(_ lines: [String], _ cls: String = "say") -> String {
        lines.map { "<p class=\"\(cls)\">\(Self.escape($0))</p>" }.joined()
    }

    private func intake() -> String {
        let i = figures.intake
        let shown = 14
        let places = Array(i.byEupmyeondong.prefix(shown))
        let rest = i.byEupmyeondong.dropFirst(shown)
        var left = "<div class=\"box\"><h3>읍면동별 가구</h3>"
        left += ReportChart.counts(places, unit: "가구", title: "읍면동별 가구", highlightNew: i.comparedWithLastRun)
        if !rest.isEmpty {
            left += says(
                ["그 밖의 읍면동 \(rest.count)곳: \(ReportWording.number(rest.reduce(0) { $0 + $1.count }))가구."], "more")
        }
        left += says(ReportWording.places(i)) + "</div>"
        let right =
            "<div class=\"box\"><h3>원하는 서비스</h3>"
            + ReportChart.counts(i.byCareType, unit: "가구", title: "원하는 서비스별 가구") + says(ReportWording.careTypes(i))
            + "</div>"
        let children =
            "<div class=\"box\"><h3>자녀 나이·학년</h3>"
            + ReportChart.counts(i.childrenByAge, unit: "명", title: "자녀 나이·학년") + says(ReportWording.children(i))
            + "</div>"
        let types =
            "<div class=\"box\"><h3>가구 유형</h3>"
            + ReportChart.counts(i.byHouseholdType, unit: "가구", title: "가구 유형별 가구")
            + says(ReportWording.householdTypes(i)) + "</div>"
        return "<h2>신청</h2>\n" + says(ReportWording.intake(i)) + "<div class=\"grid\">" + left + right + "</div>\n"
            + "<div class=\"grid\">" + children + types + "</div>\n"
    }

    private func waiting() -> String {
        let w = figures.waiting
        var html = "<h2>기다림</h2>\n<div class=\"grid\"><div class=\"box\"><h3>첫 신청 후 기다린 날 (상담 대기 가구)</h3>"
        html +=
            ReportChart.counts(w.daysWaiting, unit: "가구", title: "기다린 날별 가구") + says(ReportWording.waiting(w))
            + "</div>"
        html += "<div class=\"box\"><h3>가장 오래 기다린 가구</h3>"
        if w.longest.isEmpty {
            html += says(["기다리는 가구가 없습니다."], "more")
        } else {
            html +=
                "<table class=\"list\"><thead><tr><th>신청번호</th><th>기다린 날</th><th>받지 않은 통화</th><th>잡힌 통화</th></tr>"
                + "</thead><tbody>"
            for l in w.longest {
                let when =
                    l.appointment.flatMap { LocalDateTime(iso: $0) }.map { HouseholdText.shortWhen($0) } ?? "아직 없음"
                html +=
                    "<tr><td>\(Self.escape(l.applicantID))</td><td>\(ReportWording.number(l.days))일</td>"
                    + "<td>\(l.unansweredCalls)번</td><td>\(Self.escape(when))</td></tr>"
            }
            html += "</tbody></table>"
        }
        return html + "</div></div>\n"
    }

    private func section(_ title: String, page2: Bool, team t: ReportFigures.Team) -> String {
        var html = "<h2\(page2 ? " class=\"page2\"" : "")>\(Self.escape(title))</h2>\n" + says(ReportWording.team(t))
        html += "<div class=\"box\"><h3>상담사별 하루 통화 수</h3>" + ReportChart.heatTable(t) + "</div>\n"
        html += "<div class=\"grid\"><div class=\"box\"><h3>상담사별 통화 합계</h3>"
        html += ReportChart.bars(
            t.counselors.map {
                ReportChart.Bar(
                    key: $0.id, label: $0.name, value: Double($0.total), text: "\(ReportWording.number($0.total))건",
                    count: $0.total)
            }, title: "상담사별 통화 합계")
        if !t.unscheduledByReason.isEmpty {
            html +=
                "<h3>일정을 잡지 못한 가구</h3>" + ReportChart.counts(t.unscheduledByReason, unit: "곳", title: "일정을 잡지 못한 사유")
        }
        if !t.movedByReason.isEmpty {
            html += "<h3>옮긴 약속</h3>" + ReportChart.counts(t.movedByReason, unit: "건", title: "약속을 옮긴 사유")
        }
        html += "</div><div class=\"box\"><h3>우선순위별 통화 날짜</h3>"
        let names = ["가장 급한 1/4", "둘째 1/4", "셋째 1/4", "가장 덜 급한 1/4"]
        html += ReportChart.bars(
            t.byPriorityQuarter.map { q in
                ReportChart.Bar(
                    key: "quarter_\(q.quarter)", label: names[q.quarter - 1], value: q.averageWorkingDay ?? 0,
                    text: q.averageWorkingDay.map { "평균 \(ReportWording.tenths($0))번째 날" } ?? "잡힌 통화 없음")
            }, title: "우선순위별 평균 통화 날짜")
        html += says(ReportWording.priority(t)) + "</div></div>\n"
        return html
    }

    /// Without a registry, the note that it is missing; with one, per 읍면동 the open households against the
    /// places of the facilities suggested to them (the ten with most households).
    private func capacity() -> String {
        guard let demand = figures.capacity.demandByEupmyeondong else {
            return "<div class=\"missing box\">\(Self.escape(ReportWording.capacityMissing))</div>"
        }
        var html = says(ReportWording.capacity(demand))
        html +=
            "<div class=\"box\"><table class=\"list\"><thead><tr><th>읍면동</th><th>신청 가구</th><th>안내 기관 있음</th>"
            + "<th>없음</th><th>안내한 기관</th><th>그 빈자리</th><th>많이 찾는 서비스</th></tr></thead><tbody>"
        for d in demand.prefix(10) {
            let top = d.byType.sorted { ($1.count, $0.key) < ($0.count, $1.key) }.prefix(2).map {
                "\($0.label) \($0.count)"
            }
            html +=
                "<tr><td>\(Self.escape(d.label))</td><td>\(d.households)</td><td>\(d.withSuggestions)</td><td>\(d.withoutSuggestions)</td>"
                + "<td>\(d.facilitiesSuggested)</td><td>\(d.vacanciesSuggested)\(d.vacanciesUnknown > 0 ? " (+\(d.vacanciesUnknown)곳 모름)" : "")</td>"
                + "<td>\(Self.escape(top.joined(separator: ", ")))</td></tr>"
        }
        return html + "</tbody></table></div>\n"
    }

    private func quality(page2: Bool) -> String {
        let q = figures.quality
        var html = "<h2\(page2 ? " class=\"page2\"" : "")>자료 품질</h2>\n" + says(ReportWording.quality(q))
        html += "<div class=\"grid\"><div class=\"box\"><h3>제외된 행의 사유</h3>"
        html +=
            q.rejectsByReason.isEmpty
            ? says(["제외된 행이 없습니다."], "more")
            : ReportChart.counts(q.rejectsByReason, unit: "행", title: "제외 사유별 행")
        html += "</div><div class=\"box\"><h3>제외된 행이 많은 파일</h3>"
        if q.filesWithRejects.isEmpty {
            html += says(["없습니다."], "more")
        } else {
            html += "<table class=\"list\"><thead><tr><th>파일</th><th>행</th><th>제외</th></tr></thead><tbody>"
            for file in q.filesWithRejects {
                html +=
                    "<tr><td>\(Self.escape(file.file))</td><td>\(ReportWording.number(file.dataRows))</td>"
                    + "<td>\(ReportWording.number(file.rejected))</td></tr>"
            }
            html += "</tbody></table>"
        }
        return html + "</div></div>\n"
    }
}
