import DolbomNormalize

/// What one submission brings to a comparison, computed once (the hot path
/// compares these, never the raw strings).
struct MatchFeatures: Sendable {
    struct Child: Sendable {
        var given: String
        var birth: LocalDate?
        var age: Int?
        var grade: Int?
    }

    var phones: [String]
    var last8: [Substring]
    var name: String?
    var nameJamo: [UInt16]
    var sigungu: String?
    /// Road + number (`r|…`), or 지번 within its 읍면동/리 (`j|…`): the building.
    var building: String?
    var unit: String?
    var children: [Child]

    init(_ s: Submission) {
        phones = ([s.phones.primary] + s.phones.others).map(\.digits)
        last8 = phones.map { $0.suffix(8) }
        name = s.guardianName?.name
        nameJamo = name.map(NameSimilarity.jamo) ?? []
        sigungu = s.address?.sigunguCode ?? s.address?.sigungu
        if let a = s.address {
            if let road = a.road, let number = a.buildingNumber {
                building = "r|\(sigungu ?? "")|\(road)|\(number)"
            } else if let jibun = a.jibun {
                building = "j|\(sigungu ?? "")|\(a.eupmyeondong ?? "")|\(a.ri ?? "")|\(jibun)"
            }
            unit = a.detail
        }
        children = s.children.compactMap { c in
            guard let name = c.name?.name else { return nil }
            return Child(given: NameSimilarity.givenName(name), birth: c.age?.birthDate, age: c.age?.age, grade: c.age?.schoolGrade)
        }
    }
}

/// Scores a pair of submissions with `MatchWeights`.
struct PairScorer: Sendable {
    var weights: MatchWeights

    func compare(_ i: Int, _ j: Int, _ x: MatchFeatures, _ y: MatchFeatures) -> PairEvidence {
        var score = 0.0
        var fields: [(PairEvidence.Field, PairEvidence.Agreement)] = []

        // The primary number in common is the strongest evidence; a shared second number
        // (a grandparent's or a home landline given by two families) counts as similar only.
        if x.phones[0] == y.phones[0] || y.phones.contains(x.phones[0]) || x.phones.contains(y.phones[0]) {
            score += weights.phoneSame
            fields.append((.phone, .same))
        } else if x.phones.contains(where: y.phones.contains) || x.last8.contains(where: y.last8.contains) {
            score += weights.phoneSimilar
            fields.append((.phone, .similar))
        } else {
            score += weights.phoneDifferent
            fields.append((.phone, .different))
        }

        if !x.nameJamo.isEmpty && !y.nameJamo.isEmpty {
            let similarity = NameSimilarity.score(x.nameJamo, y.nameJamo)
            if similarity >= 0.999 {
                score += weights.nameSame
                fields.append((.guardianName, .same))
            } else if similarity >= 0.8 {
                score += weights.nameSimilar
                fields.append((.guardianName, .similar))
            } else {
                score += weights.nameDifferent
                fields.append((.guardianName, .different))
            }
        }

        if let a = x.sigungu, let b = y.sigungu, a != b {
            score += weights.sigunguDifferent
            fields.append((.sigungu, .different))
        }
        if let a = x.building, let b = y.building, a.first != b.first {
            // A road address and a 지번 address cannot be compared without a road-name database:
            // only the unit (동/호) speaks.
            if let u = x.unit, let v = y.unit, u == v {
                score += weights.addressSimilar
                fields.append((.address, .similar))
            }
        } else if let a = x.building, let b = y.building {
            if a == b {
                if let u = x.unit, let v = y.unit, u != v {
                    score += weights.addressSimilar
                    fields.append((.address, .similar))
                } else if x.unit != nil && y.unit != nil {
                    score += weights.addressSame
                    fields.append((.address, .same))
                } else {
                    score += weights.addressSimilar
                    fields.append((.address, .similar))
                }
            } else {
                score += weights.addressDifferent
                fields.append((.address, .different))
            }
        }

        switch Self.sharedChild(x.children, y.children) {
        case .same?:
            score += weights.childSame
            fields.append((.child, .same))
        case .similar?:
            score += weights.childSimilar
            fields.append((.child, .similar))
        default:
            break
        }
        return PairEvidence(a: i, b: j, score: score, fields: fields)
    }

    /// A child in both: `.same` when the given name (with or without surname) and the birth date match,
    /// `.similar` when the name matches and what is known of age and grade agrees.
    static func sharedChild(_ a: [MatchFeatures.Child], _ b: [MatchFeatures.Child]) -> PairEvidence.Agreement? {
        var best: PairEvidence.Agreement?
        for c in a {
            for d in b where c.given == d.given {
                if let x = c.birth, let y = d.birth {
                    if x == y { return .same }
                    continue
                }
                if let x = c.age, let y = d.age, abs(x - y) > 1 { continue }
                if let x = c.grade, let y = d.grade, x != y { continue }
                best = .similar
            }
        }
        return best
    }
}
