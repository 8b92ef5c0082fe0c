import DolbomNormalize
import Testing

func isoDate(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }

struct AgeCase: Sendable, CustomTestStringConvertible {
    var asOf = "2024-07-01"
    var koreanAge = false
    var served: ClosedRange<Int> = 0...12
    /// Single cell, or the three columns when `columns` is set.
    var input: String = ""
    var columns: [String?]? = nil
    var expected: ChildAge? = nil
    var fatal: String? = nil
    var warnings: [String] = []

    var testDescription: String {
        let what =
            columns.map {
                "birth=\(String(describing: $0[0])) age=\(String(describing: $0[1])) grade=\(String(describing: $0[2]))"
            } ?? input.debugDescription
        return "age \(what) asOf \(asOf)\(koreanAge ? " korean" : "")"
    }
}

private func ok(
    _ input: String, birth: String? = nil, age: Int? = nil, grade: Int? = nil, pre: Int? = nil,
    _ basis: ChildAge.Basis, warn: [String] = [], asOf: String = "2024-07-01", korean: Bool = false,
    served: ClosedRange<Int> = 0...12
) -> AgeCase {
    AgeCase(
        asOf: asOf, koreanAge: korean, served: served, input: input,
        expected: ChildAge(
            birthDate: birth.map(isoDate), age: age, schoolGrade: grade, preschoolYearsToGrade1: pre, basis: basis),
        warnings: warn.sorted())
}

private func bad(_ input: String, _ fatal: String, asOf: String = "2024-07-01") -> AgeCase {
    AgeCase(asOf: asOf, input: input, fatal: fatal)
}

private func cols(
    _ birth: String?, _ age: String?, _ grade: String?, birthDate: String? = nil, ageV: Int? = nil, gradeV: Int? = nil,
    pre: Int? = nil, _ basis: ChildAge.Basis?, warn: [String] = [], fatal: String? = nil
) -> AgeCase {
    AgeCase(
        columns: [birth, age, grade],
        expected: basis.map {
            ChildAge(
                birthDate: birthDate.map(isoDate), age: ageV, schoolGrade: gradeV, preschoolYearsToGrade1: pre,
                basis: $0)
        },
        fatal: fatal, warnings: warn.sorted())
}

let ageCases: [AgeCase] = [
    // Birth dates in every common form (asOf 2024-07-01: born 2017-03-05 → 만 7세, 초1)
    ok("2017-03-05", birth: "2017-03-05", age: 7, grade: 1, .birthDate),
    ok("2017-3-5", birth: "2017-03-05", age: 7, grade: 1, .birthDate),
    ok("2017.3.5", birth: "2017-03-05", age: 7, grade: 1, .birthDate),
    ok("2017. 3. 5.", birth: "2017-03-05", age: 7, grade: 1, .birthDate),
    ok("2017.03.05.", birth: "2017-03-05", age: 7, grade: 1, .birthDate),
    ok("17.03.05", birth: "2017-03-05", age: 7, grade: 1, .birthDate),
    ok("170305", birth: "2017-03-05", age: 7, grade: 1, .birthDate),
    ok("20170305", birth: "2017-03-05", age: 7, grade: 1, .birthDate),
    ok("2017년 3월 5일", birth: "2017-03-05", age: 7, grade: 1, .birthDate),
    ok("2017년3월5일생", birth: "2017-03-05", age: 7, grade: 1, .birthDate),
    ok("2017/3/5", birth: "2017-03-05", age: 7, grade: 1, .birthDate),
    ok("２０１７－０３－０５", birth: "2017-03-05", age: 7, grade: 1, .birthDate),
    ok("3/5/2017", birth: "2017-03-05", age: 7, grade: 1, .birthDate, warn: ["birth_date_order_ambiguous"]),
    ok("3/15/2017", birth: "2017-03-15", age: 7, grade: 1, .birthDate),
    ok("5/5/2017", birth: "2017-05-05", age: 7, grade: 1, .birthDate),
    ok("25/12/2016", birth: "2016-12-25", age: 7, grade: 2, .birthDate),
    ok("2016년 12월 25일", birth: "2016-12-25", age: 7, grade: 2, .birthDate),
    ok("42799", birth: "2017-03-05", age: 7, grade: 1, .birthDate),
    ok("42799.0", birth: "2017-03-05", age: 7, grade: 1, .birthDate),
    ok("2017-07-01", birth: "2017-07-01", age: 7, grade: 1, .birthDate),
    ok("2017-07-02", birth: "2017-07-02", age: 6, grade: 1, .birthDate),
    ok("2017-12-31", birth: "2017-12-31", age: 6, grade: 1, .birthDate),
    ok("2018-01-01", birth: "2018-01-01", age: 6, pre: 1, .birthDate),
    ok("2018-03-01", birth: "2018-03-01", age: 6, pre: 1, .birthDate),
    ok("2018-12-31", birth: "2018-12-31", age: 5, pre: 1, .birthDate),
    ok("2020-02-29", birth: "2020-02-29", age: 4, pre: 3, .birthDate),
    ok("2024-06-01", birth: "2024-06-01", age: 0, pre: 7, .birthDate),
    ok("240101", birth: "2024-01-01", age: 0, pre: 7, .birthDate),
    ok("2012-03-05", birth: "2012-03-05", age: 12, grade: 6, .birthDate),
    ok("2011-03-05", birth: "2011-03-05", age: 13, .birthDate, warn: ["age_out_of_range"]),
    ok("1985-03-05", birth: "1985-03-05", age: 39, .birthDate, warn: ["age_out_of_range"]),
    ok("99.01.01", birth: "1999-01-01", age: 25, .birthDate, warn: ["age_out_of_range"]),
    ok("000101", birth: "2000-01-01", age: 24, .birthDate, warn: ["age_out_of_range"]),
    ok("2017-03-05 (7세)", birth: "2017-03-05", age: 7, grade: 1, .birthDate),
    ok("2017-03-05 (10세)", birth: "2017-03-05", age: 7, grade: 1, .birthDate, warn: ["age_birth_mismatch"]),
    ok("2017-03-05 초3", birth: "2017-03-05", age: 7, grade: 1, .birthDate, warn: ["grade_birth_mismatch"]),
    // Invalid dates
    bad("2017-02-30", "birth_date_invalid"),
    bad("2023-02-29", "birth_date_invalid"),
    bad("2017-13-01", "birth_date_invalid"),
    bad("2025-01-01", "birth_date_invalid"),
    bad("240801", "birth_date_invalid"),
    bad("2017년 2월 30일", "birth_date_invalid"),
    bad("2030년생", "birth_date_invalid"),
    // Full ages
    ok("만 7세", age: 7, .fullAge),
    ok("만7세", age: 7, .fullAge),
    ok("만 7살", age: 7, .fullAge),
    ok("(만)7세", age: 7, .fullAge),
    ok("7세", age: 7, .fullAge),
    ok("7", age: 7, .fullAge),
    ok("0", age: 0, .fullAge),
    ok("12", age: 12, .fullAge),
    ok("13", age: 13, .fullAge, warn: ["age_out_of_range"]),
    ok("15세", age: 15, .fullAge, warn: ["age_out_of_range"]),
    ok("5세", age: 5, .fullAge, warn: ["age_out_of_range"], served: 6...12),
    ok("18개월", age: 1, .fullAge),
    // Not yet in school, no age given: an age band, not an unreadable age
    AgeCase(input: "미취학", expected: ChildAge(preschoolBand: true, basis: .schoolGrade)),
    AgeCase(input: "유치원", expected: ChildAge(preschoolBand: true, basis: .schoolGrade)),
    AgeCase(input: "어린이집", expected: ChildAge(preschoolBand: true, basis: .schoolGrade)),
    AgeCase(input: "어린이집 다녀요", expected: ChildAge(preschoolBand: true, basis: .schoolGrade)),
    ok("유치원 5세", age: 5, .fullAge),
    ok("만 3세 (어린이집)", age: 3, .fullAge),
    cols(nil, "만 3세", "미취학", ageV: 3, .fullAge),
    cols("2019-05-11", nil, "미취학", birthDate: "2019-05-11", ageV: 5, pre: 2, .birthDate),
    AgeCase(columns: [nil, nil, "유치원"], expected: ChildAge(preschoolBand: true, basis: .schoolGrade)),
    ok("７세", age: 7, .fullAge),
    ok("7세 6개월", age: 7, .fullAge),
    ok("만 7세 (한국나이 8살)", age: 7, .fullAge),
    ok("7세, 5세", age: 7, .fullAge, warn: ["age_multiple_values"]),
    ok("2017-03-05, 2019-05-05", birth: "2017-03-05", age: 7, grade: 1, .birthDate, warn: ["age_multiple_values"]),
    ok("8살(초1)", age: 8, grade: 1, .fullAge, warn: ["age_ambiguous_sal"]),
    ok("초1 (2017.3.5)", birth: "2017-03-05", age: 7, grade: 1, .birthDate),
    // 살: ambiguous unless Korean-age wording is configured
    ok("7살", age: 7, .fullAge, warn: ["age_ambiguous_sal"]),
    ok("7살", age: 6, pre: 1, .koreanAge, warn: ["age_korean_age_approximate"], korean: true),
    ok("9살", age: 8, grade: 2, .koreanAge, warn: ["age_korean_age_approximate"], korean: true),
    ok("만 7살", age: 7, .fullAge, korean: true),
    ok("한국나이 8살", age: 7, grade: 1, .koreanAge, warn: ["age_korean_age_approximate"]),
    ok("한국 나이 8살", age: 7, grade: 1, .koreanAge, warn: ["age_korean_age_approximate"]),
    ok("7살", age: 6, pre: 2, .koreanAge, warn: ["age_korean_age_approximate"], asOf: "2025-01-15", korean: true),
    // Birth year only
    ok("2017년생", age: 7, grade: 1, .koreanAge, warn: ["birth_year_only"]),
    ok("17년생", age: 7, grade: 1, .koreanAge, warn: ["birth_year_only"]),
    ok("2017", age: 7, grade: 1, .koreanAge, warn: ["birth_year_only"]),
    ok("2017.03", age: 7, grade: 1, .koreanAge, warn: ["birth_year_only"]),
    ok("2017년 3월", age: 7, grade: 1, .koreanAge, warn: ["birth_year_only"]),
    ok("만 7세 (2017년생)", age: 7, grade: 1, .koreanAge, warn: ["birth_year_only"]),
    // Grades
    ok("초2", grade: 2, .schoolGrade),
    ok("초등 2학년", grade: 2, .schoolGrade),
    ok("초등학교 2학년", grade: 2, .schoolGrade),
    ok("2학년", grade: 2, .schoolGrade),
    ok("초2학년", grade: 2, .schoolGrade),
    ok("초등학생 6학년", grade: 6, .schoolGrade),
    ok("예비초1", pre: 1, .schoolGrade),
    ok("예비 초등", pre: 1, .schoolGrade),
    ok("7세(예비초)", pre: 1, .schoolGrade),
    ok("유치원 7세반", pre: 1, .schoolGrade),
    ok("6세반", pre: 2, .schoolGrade),
    ok("중1", .schoolGrade, warn: ["grade_not_elementary"]),
    ok("중학교 2학년", .schoolGrade, warn: ["grade_not_elementary"]),
    bad("초7", "grade_invalid"),
    bad("8학년", "grade_invalid"),
    // Unreadable
    bad("", "age_missing"),
    bad("   ", "age_missing"),
    bad("모름", "age_unparsed"),
    bad("abc", "age_unparsed"),
    bad("123", "age_unparsed"),
    bad("99999", "age_unparsed"),
    bad("10000", "age_unparsed"),
    // Around 1 March and 29 February
    ok("2017-03-05", birth: "2017-03-05", age: 7, grade: 1, .birthDate, asOf: "2025-02-28"),
    ok("2017-03-05", birth: "2017-03-05", age: 7, grade: 2, .birthDate, asOf: "2025-03-01"),
    ok("2018-01-15", birth: "2018-01-15", age: 7, grade: 1, .birthDate, asOf: "2025-03-01"),
    ok("2018-01-15", birth: "2018-01-15", age: 7, pre: 1, .birthDate, asOf: "2025-02-28"),
    ok("2016-02-29", birth: "2016-02-29", age: 8, grade: 1, .birthDate, asOf: "2024-02-29"),
    ok("2016-02-29", birth: "2016-02-29", age: 7, grade: 1, .birthDate, asOf: "2024-02-28"),
    ok("2016-02-29", birth: "2016-02-29", age: 6, pre: 1, .birthDate, asOf: "2023-02-28"),
    ok("2016-02-29", birth: "2016-02-29", age: 7, grade: 1, .birthDate, asOf: "2023-03-01"),
    ok("2017년생", age: 8, grade: 1, .koreanAge, warn: ["birth_year_only"], asOf: "2025-02-28"),
    ok("2017년생", age: 8, grade: 2, .koreanAge, warn: ["birth_year_only"], asOf: "2025-03-01"),
    bad("2024-03-01", "birth_date_invalid", asOf: "2024-02-29"),
    // Separate columns with consistency checks
    cols("2017-03-05", "7", "1", birthDate: "2017-03-05", ageV: 7, gradeV: 1, .birthDate),
    cols(
        "2017-03-05", "10", nil, birthDate: "2017-03-05", ageV: 7, gradeV: 1, .birthDate, warn: ["age_birth_mismatch"]),
    cols(
        "2017-03-05", nil, "3", birthDate: "2017-03-05", ageV: 7, gradeV: 1, .birthDate, warn: ["grade_birth_mismatch"]),
    cols("2017-03-05", "만 8세", "초1", birthDate: "2017-03-05", ageV: 7, gradeV: 1, .birthDate),
    cols("2017-03-05", "8살", "1학년", birthDate: "2017-03-05", ageV: 7, gradeV: 1, .birthDate),
    cols("42799", "7세", "1학년", birthDate: "2017-03-05", ageV: 7, gradeV: 1, .birthDate),
    cols(nil, "8", "2", ageV: 8, gradeV: 2, .fullAge),
    cols(nil, "11", "2", ageV: 11, gradeV: 2, .fullAge, warn: ["grade_age_mismatch"]),
    cols(nil, nil, "2학년", gradeV: 2, .schoolGrade),
    cols(nil, "7살", nil, ageV: 7, .fullAge, warn: ["age_ambiguous_sal"]),
    cols("2017-02-30", "7", nil, ageV: 7, .fullAge, warn: ["age_column_ignored"]),
    cols("2017-02-30", nil, nil, nil, fatal: "birth_date_invalid"),
    cols("", "", "", nil, fatal: "age_missing"),
    cols(nil, nil, nil, nil, fatal: "age_missing"),
    cols(nil, nil, "9", nil, fatal: "grade_invalid"),
]

@Suite("ChildAgeNormalizer")
struct ChildAgeNormalizerTests {
    @Test(arguments: ageCases)
    func table(_ c: AgeCase) {
        let n = ChildAgeNormalizer(asOf: isoDate(c.asOf), koreanAgeWording: c.koreanAge, servedAges: c.served)
        let r: Normalized<ChildAge>
        if let cols = c.columns {
            r = n.normalize(birth: cols[0], age: cols[1], grade: cols[2])
        } else {
            r = n.normalize(c.input)
        }
        #expect(issuesAreWellFormed(r))
        if let fatal = c.fatal {
            #expect(r.value == nil)
            #expect(codes(r, .fatal) == [fatal])
            return
        }
        #expect(codes(r, .fatal) == [])
        #expect(r.value == c.expected)
        #expect(codes(r) == c.warnings)
    }

    @Test func excelSerialEpoch() {
        let n = ChildAgeNormalizer(asOf: isoDate("2024-07-01"))
        // 43831 = 2020-01-01 in the 1900 date system.
        #expect(n.normalize("43831").value?.birthDate == isoDate("2020-01-01"))
    }
}
