import DolbomFacility
import DolbomNormalize

/// What `dolbom explain` says about a household's facility suggestions: what was asked, why these (score
/// parts), and why the nearest facility is not among them.
public enum FacilityExplanation {
    public static func lines(_ matches: FacilityMatches, applicantID: String) -> [String] {
        guard let m = matches.match(for: applicantID) else { return [] }
        let p = matches.policy
        var out: [String] = []
        let basis: String
        switch m.basis {
        case .distance:
            let slack =
                m.precision == .eupmyeondong ? " + 동 중심 여유 \(DistanceText.short(p.eupmyeondongSlackMetres))" : ""
            basis =
                "집 위치(\(m.precision.map { DistanceText.basis($0) } ?? "-"))에서 \(DistanceText.short(p.maxDistanceMetres))\(slack) 안"
        case .sigungu: basis = "집 위치를 몰라 같은 시군구"
        case .unknown: basis = "주소로 위치도 시군구도 알 수 없음"
        }
        out.append("  안내할 기관: \(basis), 조건에 맞는 기관 \(m.candidates)곳 중 점수 순 \(m.suggestions.count)곳")
        var asked: [String] = []
        if !m.times.names.isEmpty { asked.append("필요한 때 " + m.times.names.joined(separator: "·")) }
        if !m.programmes.isEmpty { asked.append("프로그램 " + m.programmes.map(\.rawValue).joined(separator: ", ")) }
        if !asked.isEmpty { out.append("    가정의 요청(메모·가구 유형): " + asked.joined(separator: " · ")) }
        for (k, s) in m.suggestions.enumerated() {
            let parts = s.scoreParts.map { "\($0.name) \(String(format: "%.1f", $0.points))" }.joined(separator: " + ")
            out.append(
                "    \(k + 1). \(s.facility.name) (\(s.facility.type.rawValue), \(s.facility.id)) 점수 \(String(format: "%.1f", s.score))"
                    + (parts.isEmpty ? "" : " = " + parts))
            out.append(
                "       " + s.reasons.joined(separator: ", ")
                    + (s.childNames.isEmpty ? "" : " · 자녀 " + s.childNames.joined(separator: ", ")))
        }
        if m.suggestions.isEmpty { out.append("    " + FacilityOutputs.noSuggestionText(m)) }
        if let n = m.nearest {
            let why = n.why.isEmpty ? "조건에는 맞지만 순위 밖" : n.why.joined(separator: ", ")
            out.append(
                "    가장 가까운 기관 \(n.facility.name) (\(n.facility.type.rawValue), \(DistanceText.short(n.metres)))이(가) 빠진 이유: \(why)"
            )
        } else if !m.suggestions.isEmpty, m.basis == .distance {
            out.append("    가장 가까운 기관이 추천에 들어 있습니다.")
        }
        if !m.uncovered.isEmpty {
            out.append("    맞는 기관이 없는 자녀: \(m.uncovered.count)명 (연령·거리 조건을 확인해 주세요)")
        }
        out.append(
            "    가중치: 거리 \(Int(p.weights.distance)), 빈자리 \(Int(p.weights.vacancy)), 형제 \(Int(p.weights.siblings)), 이용료 \(Int(p.weights.fee)), 언어 \(Int(p.weights.language)), 프로그램 \(Int(p.weights.programme)) (facilities.weights)"
        )
        return out
    }
}
