import DolbomNormalize
import DolbomSchedule

/// The words of report.html: short Korean labels for codes and the plain sentences next to each chart, so a
/// team lead reads numbers, not internal names.
enum ReportWording {
    /// `1,234`.
    static func number(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return n < 0 ? "-" + out : out
    }

    /// `07-15(월)`.
    static func day(_ iso: String) -> String {
        guard let d = LocalDate(iso: iso) else { return iso }
        return "\(iso.dropFirst(5))(\(HouseholdText.weekday(d)))"
    }

    /// `07-15` and `월`, for a table's two-line column heads.
    static func dayParts(_ iso: String) -> (day: String, weekday: String) {
        guard let d = LocalDate(iso: iso) else { return (iso, "") }
        return (String(iso.dropFirst(5)), HouseholdText.weekday(d))
    }

    /// A reject reason in a few words; an unknown code shows the first sentence of its message.
    static func rejectReason(_ code: String, _ message: String) -> String {
        switch code {
        case "empty_row": return "빈 행"
        case "consent_missing": return "개인정보 동의 없음"
        case "test_submission": return "시험 삼아 넣은 신청"
        case "phone_missing": return "연락처 없음"
        case "phone_invalid_length": return "연락처 자릿수 틀림"
        case "phone_unknown_prefix": return "없는 국번"
        case "phone_not_a_number": return "연락처가 번호가 아님"
        case "phone_too_long": return "연락처 칸이 너무 김"
        case "csv_malformed_row": return "따옴표가 깨진 줄"
        case "csv_unterminated_quote": return "파일이 중간에 끊김"
        case "file_header_unrecognized": return "열 이름을 알 수 없는 파일"
        case "header_repeated": return "머리글이 다시 나온 줄"
        default:
            let first = message.split(separator: ".", maxSplits: 1).first.map(String.init) ?? message
            return first.count > 24 ? String(first.prefix(23)) + "…" : first
        }
    }

    static func unscheduled(_ reason: UnscheduledReason) -> String {
        switch reason {
        case .noCounselorWithLanguage: return "상담 언어가 맞는 상담사 없음"
        case .noSlotInWindow: return "통화 가능 시간에 상담사 없음"
        case .capacityFull: return "계획 기간의 일정이 모두 참"
        case .duplicateRequest: return "같은 신청번호가 두 번 나옴"
        }
    }

    static func moved(_ reason: RescheduleReason) -> String {
        switch reason {
        case .holiday: return "공휴일·휴무일"
        case .counselorLeave: return "상담사 휴가"
        case .counselorNotWorking: return "상담사 근무 요일 아님"
        case .counselorRemoved: return "상담사가 명단에 없음"
        case .outsideHours: return "근무 시간 밖"
        case .languageMismatch: return "상담 언어가 맞지 않음"
        case .overlap: return "다른 약속과 겹침"
        case .capExceeded: return "하루 최대 통화 수 넘음"
        case .inPast: return "지난 약속, 결과 없음"
        case .invalid: return "약속 정보 오류"
        }
    }

    /// `배방읍(51가구), 용화동(22가구), 모종동(20가구)`: the first `limit` bars with a count.
    static func top(_ counts: [ReportCount], unit: String, limit: Int = 3) -> String {
        counts.filter { $0.count > 0 }.prefix(limit).map { "\($0.label)(\(number($0.count))\(unit))" }.joined(
            separator: ", ")
    }

    // MARK: Sentences

    static func intake(_ i: ReportFigures.Intake) -> [String] {
        var lines = ["모두 \(number(i.households))가구, 신청 \(number(i.submissions))건입니다."]
        if i.comparedWithLastRun {
            if i.newHouseholds == 0 && i.newSubmissions == 0 {
                lines.append("지난 실행 이후 새로 들어온 신청이 없습니다.")
            } else {
                var s = "지난 실행보다 \(number(i.newHouseholds))가구 늘었습니다(새 신청 \(number(i.newSubmissions))건"
                if i.reopenedHouseholds > 0 { s += ", 상담을 마쳤다가 다시 신청한 가구 \(number(i.reopenedHouseholds))곳" }
                lines.append(s + ").")
            }
        } else {
            lines.append("이전 실행 기록(상태 파일) 없이 실행해 모든 가구를 이번에 처음 셌습니다.")
        }
        return lines
    }

    static func places(_ i: ReportFigures.Intake) -> [String] {
        var lines: [String] = []
        let named = i.byEupmyeondong.count
        if named > 0 {
            lines.append("신청이 가장 많은 곳은 \(top(i.byEupmyeondong, unit: "가구"))입니다. 모두 \(number(named))개 읍면동에서 신청했습니다.")
        }
        if i.comparedWithLastRun && i.newHouseholds > 0 {
            lines.append("진한 막대는 지난 실행 이후 새로 들어온 가구입니다.")
        }
        if i.eupmyeondongUnknown > 0 {
            lines.append("주소로 읍면동을 알 수 없는 가구 \(number(i.eupmyeondongUnknown))곳은 막대에 없습니다.")
        }
        return lines
    }

    static func careTypes(_ i: ReportFigures.Intake) -> [String] {
        var lines: [String] = []
        let sorted = i.byCareType.sorted { ($1.count, $0.label) < ($0.count, $1.label) }
        if let first = sorted.first, first.count > 0 {
            lines.append("가장 많이 원한 서비스는 \(first.label)(\(number(first.count))가구)입니다. 한 가구가 여러 서비스를 고를 수 있습니다.")
        }
        if i.careTypeUnknown > 0 { lines.append("원하는 서비스를 적지 않은 가구 \(number(i.careTypeUnknown))곳.") }
        return lines
    }

    static func householdTypes(_ i: ReportFigures.Intake) -> [String] {
        var lines: [String] = []
        let sorted = i.byHouseholdType.sorted { ($1.count, $0.label) < ($0.count, $1.label) }
        if !sorted.isEmpty, sorted[0].count > 0 {
            lines.append("가장 많은 가구 유형은 \(top(sorted, unit: "가구", limit: 2))입니다.")
        }
        lines.append("가구 유형을 적지 않은 가구 \(number(i.householdTypeNone))곳.")
        return lines
    }

    static func children(_ i: ReportFigures.Intake) -> [String] {
        let grades = i.childrenByAge.filter { $0.key.hasPrefix("grade_") }.reduce(0) { $0 + $1.count }
        let younger = i.childrenByAge.filter { $0.key == "age_0_2" || $0.key == "preschool" }.reduce(0) {
            $0 + $1.count
        }
        var s = "자녀 \(number(i.children))명 가운데 초등학생 \(number(grades))명, 취학 전 \(number(younger))명입니다."
        if let unknown = i.childrenByAge.first(where: { $0.key == "unknown" }), unknown.count > 0 {
            s += " 나이를 알 수 없는 자녀 \(number(unknown.count))명."
        }
        return [s]
    }

    static func waiting(_ w: ReportFigures.Waiting) -> [String] {
        var lines: [String] = []
        if let median = w.medianDays, let longest = w.longestDays {
            lines.append(
                "상담을 기다리는 \(number(w.openHouseholds))가구는 첫 신청 후 보통 \(number(median))일을 기다렸고(가운데값), "
                    + "가장 오래 기다린 가구는 \(number(longest))일째입니다.")
        } else {
            lines.append("상담을 기다리는 가구는 \(number(w.openHouseholds))곳입니다.")
        }
        if w.unansweredHouseholds > 0 {
            lines.append(
                "전화를 받지 않은 적이 있는 가구 \(number(w.unansweredHouseholds))곳(받지 않은 통화 모두 \(number(w.unansweredCalls))번).")
        } else {
            lines.append("아직 전화를 받지 않은 가구는 없습니다(입력된 통화 결과 기준).")
        }
        if w.unreachable > 0 || w.wrongNumber > 0 {
            lines.append("연락이 닿지 않아 닫은 가구 \(number(w.unreachable))곳, 번호가 틀린 가구 \(number(w.wrongNumber))곳은 새 번호가 필요합니다.")
        }
        return lines
    }

    static func team(_ t: ReportFigures.Team) -> [String] {
        var lines: [String] = []
        let span = t.days.isEmpty ? "" : " (\(day(t.days.first!))~\(day(t.days.last!)))"
        lines.append("앞으로 \(number(t.days.count)) 근무일\(span)에 통화 \(number(t.appointments))건을 잡았습니다.")
        if let busiest = t.counselors.max(by: { ($0.total, $1.id) < ($1.total, $0.id) }),
            let idlest = t.counselors.min(by: { ($0.total, $0.id) < ($1.total, $1.id) }), t.counselors.count > 1
        {
            lines.append(
                "가장 많은 상담사는 \(busiest.name) \(number(busiest.total))건, 가장 적은 상담사는 \(idlest.name) "
                    + "\(number(idlest.total))건으로 \(number(t.loadSpread))건 차이입니다(근무일과 하루 최대 통화 수가 달라 생기는 차이 포함).")
        }
        if t.windowMissed > 0 {
            lines.append("가족이 적은 통화 가능 시간 밖으로 잡은 통화 \(number(t.windowMissed))건.")
        } else {
            lines.append("모든 통화를 가족이 적은 통화 가능 시간 안에 잡았습니다.")
        }
        if t.unscheduled > 0 {
            lines.append("일정을 잡지 못한 가구 \(number(t.unscheduled))곳: \(top(t.unscheduledByReason, unit: "곳", limit: 4)).")
        }
        if t.promisesKept + t.promisesMissed > 0 {
            lines.append(
                "약속한 날(재통화·재시도) \(number(t.promisesKept + t.promisesMissed))건 가운데 \(number(t.promisesKept))건은 그날 잡았고"
                    + (t.promisesMissed > 0
                        ? " \(number(t.promisesMissed))건은 그날 잡지 못했습니다 — schedule.csv의 '약속한 날'을 보고 가족에게 알려 주세요."
                        : ", 못 잡은 약속은 없습니다."))
        }
        if t.earlierKept + t.earlierMoved > 0 {
            var s = "이미 알려 준 약속 \(number(t.earlierKept + t.earlierMoved))건 가운데 \(number(t.earlierKept))건은 그대로"
            s +=
                t.earlierMoved > 0
                ? ", \(number(t.earlierMoved))건은 옮겼습니다(\(top(t.movedByReason, unit: "건", limit: 4))) — 가족에게 알려 주세요."
                : "입니다."
            lines.append(s)
        } else {
            lines.append("이전 실행에서 알려 준 약속은 없습니다. 모두 새 약속입니다.")
        }
        return lines
    }

    static func priority(_ t: ReportFigures.Team) -> [String] {
        guard let first = t.byPriorityQuarter.first?.averageWorkingDay,
            let last = t.byPriorityQuarter.last?.averageWorkingDay
        else { return [] }
        return [
            "우선순위가 가장 높은 1/4 가구는 평균 \(tenths(first))번째 근무일에, 가장 낮은 1/4 가구는 평균 \(tenths(last))번째 "
                + "근무일에 통화합니다. 급한 가구일수록 먼저 통화합니다(통화 가능 시간·상담 언어 때문에 늦어지는 가구도 있습니다)."
        ]
    }

    static func tenths(_ v: Double) -> String {
        let t = Int((v * 10).rounded())
        return "\(t / 10).\(t % 10)"
    }

    static func quality(_ q: ReportFigures.Quality) -> [String] {
        var lines: [String] = []
        if q.rejectedRows > 0 {
            lines.append(
                "입력 \(number(q.dataRows))행 가운데 \(number(q.rejectedRows))행을 쓰지 못했습니다: "
                    + "\(top(q.rejectsByReason, unit: "행", limit: 3)). 고칠 내용은 rejects.csv에 있습니다.")
        } else {
            lines.append("입력 \(number(q.dataRows))행을 모두 썼습니다.")
        }
        lines.append(
            q.reviewPairs > 0
                ? "같은 가구인지 사람이 정해야 할 쌍 \(number(q.reviewPairs))개가 review.csv에서 판정을 기다립니다."
                : "같은 가구인지 사람이 정해야 할 쌍은 없습니다.")
        if q.householdsWithoutAddress + q.addressWithoutEupmyeondong > 0 {
            lines.append(
                "주소가 없는 가구 \(number(q.householdsWithoutAddress))곳, 주소에 읍면동이 없는 가구 "
                    + "\(number(q.addressWithoutEupmyeondong))곳은 통화할 때 주소를 확인해 주세요.")
        }
        if let outside = q.outsideArea {
            lines.append("서비스 지역 밖 주소 \(number(outside))가구.")
        } else {
            lines.append("서비스 지역이 설정되지 않아 지역 밖 가구는 세지 않았습니다.")
        }
        return lines
    }

    /// The referral funnel in one sentence: `기관 방문 예약 12건(방문 예정 5, 결과 확인 필요 2) · 등록 3, 대기 등록 1, 안 함 1.`
    static func referrals(_ counts: [ReportCount]) -> String {
        func n(_ key: String) -> Int { counts.first { $0.key == key }?.count ?? 0 }
        return "기관 방문 예약 \(n("booked"))건(방문 예정 \(n("upcoming")), 결과 확인 필요 \(n("overdue"))) · "
            + "등록 \(n("registered")), 대기 등록 \(n("waitlisted")), 안 함 \(n("declined"))."
    }

    /// The capacity table in words: where requests outnumber the places nearby.
    static func capacity(_ demand: [ReportFigures.Capacity.Demand]) -> [String] {
        let households = demand.reduce(0) { $0 + $1.households }
        let without = demand.reduce(0) { $0 + $1.withoutSuggestions }
        var lines = [
            "대기 중인 \(number(households))가구 가운데 \(number(households - without))가구에 안내할 기관을 찾았고, \(number(without))가구는 조건에 맞는 기관이 없습니다."
        ]
        let short = demand.filter {
            $0.key != "unknown" && $0.facilitiesSuggested > 0 && $0.households > $0.vacanciesSuggested
                && $0.vacanciesUnknown == 0
        }.prefix(3)
        if !short.isEmpty {
            lines.append(
                "안내한 기관의 빈자리보다 신청이 많은 곳: "
                    + short.map { "\($0.label)(\($0.households)가구, 빈자리 \($0.vacanciesSuggested))" }.joined(
                        separator: ", ") + ".")
        }
        return lines
    }

    static let capacityMissing =
        "시설 목록이 설정되지 않았습니다. 읍면동별 신청과 안내할 시설의 빈자리 비교는 시설 목록(facilities)을 "
        + "설정하면 이 자리에 나옵니다."
}
