import Testing

@testable import DolbomNormalize

/// The byte-level fast paths (`plainName`, `plainFacts`, `plainMobile`) must give exactly what the
/// general rules give, and must keep taking the common shapes (or the speed-up silently goes away).
/// Inputs: the common shapes, the near misses that have to fall back, and deterministic mutations.
@Suite("Fast paths agree with the general rules")
struct FastPathTests {
    static let names = [
        "김민준", "김 민준", "남궁 민", "김 민 준", "윤준호님", "김민님", "김님", "김민준님님", "김민준님 님", "박현정 님", "박현정 씨",
        "송미정(엄마)", "최광수 (아빠)", "황선영 (母)", "김민준님 (모)", "김 민준(부)", "김민준 (보호자)", "김민준 [모]", "김민준(모",
        "민준맘", "민준이엄마", "민준 엄마", "엄마 김민", "김민준 어머니", "김민준어머님", "할머님", "엄마", "보호자", "님", "씨", "김",
        "홍길동", "홍길동님", "홍 길동", "테스트", "테스트 님", "이름", "성명", "김아무개", "김민준 이서연", "남궁승현 님", "남궁승현님",
        "\u{1100}\u{1175}\u{11B7}\u{1106}\u{1175}\u{11AB}\u{110C}\u{116E}\u{11AB}",
        "\u{1100}\u{1175}\u{11B7} \u{1106}\u{1175}\u{11AB}",
        "\u{1100}\u{1175}\u{11B7}\u{11B7}민", "ㄱ\u{1175}민", "김ㅇㅇ", "김*준", "김민준1", " 김민준", "김민준 ", "김민준\u{3000}",
        "Nguyen Thi Lan", "NGUYEN THI LAN", "Maria Santos (엄마)", "Te St", "TEST", "test 1", "Sam Ple", "Anna",
        "rlaalswns",
        "Anna Mom", "DAD Anna", "Jean-Pierre Dupont", "O'Brien Mary", "Le  Thi", "Nguyễn Thị Lan",
    ]
    static let ages = [
        "2017-03-05", "2017.3.5", "2017. 3. 5.", "2017/03/05", "20170305", "170305", "17.03.05", "17.3.5.", "99.01.01",
        "000101",
        "240801", "2017년 3월 5일", "2017년3월5일생", "2017년 3월 5", "2017년 2월 30일", "2017년 3월", "2017년생", "42799", "42799.0",
        "12345", "99999", "2017-02-30", "2025-01-01", "1899-12-31", "3/5/2017", "2017-03", "2017",
        "7", "07", "0", "12", "13", "123", "7세", "15세", "만 7세", "만7세", "만 7살", "만 7", "7살", "7 세", "7세반", "18개월",
        "초2", "초 2", "초등 2학년", "초등학교 2학년", "초등학생 2학년", "초등학2", "초7", "2학년", "7학년", "예비초1", "중2", "만세",
    ]
    static let phones = [
        "010-1234-5678", "01012345678", "010 1234 5678", "010.1234.5678", "010-1234-5678 (엄마)", "010-1234-5678(아빠)",
        "010-1234-5678 (mom)", "010-1234-5678 (엄마", "+82 10-1234-5678", "+82-10-1234-5678", "+821012345678",
        "+82 010-1234-5678", "+82 0010-1234-5678", "+83 10-1234-5678", "82 10-1234-5678", "0082 10-1234-5678",
        "010-1111-1111", "010-0000-0000", "011-123-4567", "02-123-4567", "1012345678", "1012345678.0", "0101234567.0",
        "0101234567.8", "010.0000.0000", "010-1234-5678 ", " 010-1234-5678", "010-1234-5678, 010-9876-5432",
        "010-1234-567",
    ]

    /// A few deterministic edits of each input (insert, delete, duplicate, swap).
    static func variants(_ s: String) -> [String] {
        let pool: [Unicode.Scalar] = [
            " ", "(", ")", "님", "모", "맘", "1", "0", "-", ".", "a", "ㅇ", "\u{1161}", "\u{3000}", "년", "세",
        ]
        let scalars = Array(s.unicodeScalars)
        var out = [s]
        for k in 0...scalars.count {
            var inserted = scalars
            inserted.insert(pool[(k * 7 + scalars.count) % pool.count], at: k)
            out.append(String(String.UnicodeScalarView(inserted)))
            if k < scalars.count {
                var removed = scalars
                removed.remove(at: k)
                out.append(String(String.UnicodeScalarView(removed)))
                var doubled = scalars
                doubled.insert(scalars[k], at: k)
                out.append(String(String.UnicodeScalarView(doubled)))
            }
            if k + 1 < scalars.count {
                var swapped = scalars
                swapped.swapAt(k, k + 1)
                out.append(String(String.UnicodeScalarView(swapped)))
            }
        }
        return out
    }

    @Test func names() {
        var fast = 0
        for input in Self.names.flatMap(Self.variants) {
            guard let plain = NameNormalizer.plainName(input) else { continue }
            fast += 1
            #expect(plain == NameNormalizer.generalNormalize(input), "\(input.debugDescription)")
        }
        for common in [
            "김민준", "김 민준", "윤준호님", "박현정 님", "송미정(엄마)", "최광수 (아빠)", "Nguyen Thi Lan",
            "\u{1100}\u{1175}\u{11B7}\u{1106}\u{1175}\u{11AB}\u{110C}\u{116E}\u{11AB}",
        ] {
            #expect(NameNormalizer.plainName(common) != nil, "\(common.debugDescription) takes the fast path")
        }
        #expect(fast > 100)
    }

    @Test func ages() {
        let normalizers = [
            ChildAgeNormalizer(asOf: LocalDate(year: 2024, month: 7, day: 1)!),
            ChildAgeNormalizer(
                asOf: LocalDate(year: 2025, month: 1, day: 15)!, koreanAgeWording: true, servedAges: 6...12),
        ]
        func normalized(_ n: ChildAgeNormalizer, _ parsed: ChildAgeNormalizer.Parsed) -> Normalized<ChildAge>? {
            if case .facts(let f) = parsed { return n.merge(f) }
            return nil
        }
        var fast = 0
        for n in normalizers {
            for input in Self.ages.flatMap(Self.variants) {
                for bareIsGrade in [false, true] {
                    guard let plain = n.plainFacts(input, bareNumberIsGrade: bareIsGrade) else { continue }
                    fast += 1
                    #expect(
                        n.merge(plain) == normalized(n, n.generalParse(input, bareNumberIsGrade: bareIsGrade)),
                        "\(input.debugDescription) bareIsGrade: \(bareIsGrade)")
                }
            }
            for common in ["2017-03-05", "170305", "17.03.05", "2017년 3월 5일", "42799", "만 7세", "7살", "초2", "초등 2학년"] {
                #expect(n.plainFacts(common, bareNumberIsGrade: false) != nil, "\(common) takes the fast path")
            }
        }
        #expect(fast > 100)
    }

    @Test func phones() {
        var fast = 0
        for input in Self.phones.flatMap(Self.variants) {
            guard let plain = PhoneNormalizer.plainMobile(input) else { continue }
            fast += 1
            #expect(plain == PhoneNormalizer.generalNormalize(input), "\(input.debugDescription)")
        }
        for common in ["010-1234-5678", "01012345678", "010 1234 5678", "010-1234-5678 (엄마)", "+82 10-1234-5678"] {
            #expect(PhoneNormalizer.plainMobile(common) != nil, "\(common) takes the fast path")
        }
        #expect(fast > 100)
    }
}
