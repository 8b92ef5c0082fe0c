import Testing

@testable import DolbomCore

@Suite("Header mapping: the wordings real forms use")
struct HeaderMappingTests {
    @Test(arguments: [
        ("타임스탬프", ColumnRole.field(.submittedAt)),
        ("Timestamp", .field(.submittedAt)),
        ("제출일시", .field(.submittedAt)),
        ("접수일시", .field(.submittedAt)),
        ("신청일", .field(.submittedAt)),
        ("보호자 성명", .field(.guardianName)),
        ("보호자 이름", .field(.guardianName)),
        ("신청인", .field(.guardianName)),
        ("신청자 성명", .field(.guardianName)),
        ("성명", .field(.guardianName)),
        ("학부모 이름(필수)", .field(.guardianName)),
        ("보호자 연락처(휴대전화)", .field(.guardianPhone)),
        ("휴대폰번호", .field(.guardianPhone)),
        ("연락처", .field(.guardianPhone)),
        ("핸드폰 번호", .field(.guardianPhone)),
        ("보호자 전화번호", .field(.guardianPhone)),
        ("거주지 주소", .field(.address)),
        ("주소(도로명)", .field(.address)),
        ("주소", .field(.address)),
        ("상세주소", .field(.addressDetail)),
        ("우편번호", .field(.postalCode)),
        ("자녀 이름", .field(.childName)),
        ("아동명", .field(.childName)),
        ("아동 성명", .field(.childName)),
        ("자녀 생년월일 또는 나이", .field(.childBirthOrAge)),
        ("자녀 생년월일", .field(.childBirth)),
        ("아동 생년월일", .field(.childBirth)),
        ("아동 나이", .field(.childAge)),
        ("자녀 나이(만)", .field(.childAge)),
        ("학년", .field(.childGrade)),
        ("자녀 학년", .field(.childGrade)),
        ("희망하는 돌봄 서비스", .field(.careType)),
        ("희망 서비스", .field(.careType)),
        ("이용 희망 서비스(복수 선택)", .field(.careType)),
        ("상담 가능한 시간대", .field(.contactWindow)),
        ("통화가능시간", .field(.contactWindow)),
        ("연락 가능 시간", .field(.contactWindow)),
        ("가구 유형(해당 항목 모두 선택)", .field(.householdFlags)),
        ("가구구분", .field(.householdFlags)),
        ("해당사항", .field(.householdFlags)),
        ("개인정보 수집·이용 동의", .field(.consent)),
        ("동의여부", .field(.consent)),
        ("[필수] 개인정보 수집 및 이용에 동의하십니까?", .field(.consent)),
        ("상담 희망 언어", .field(.language)),
        ("상담 가능 언어", .field(.language)),
        ("통역 필요 언어", .field(.language)),
        ("사용 언어(모국어)", .field(.language)),
        ("기타 문의사항", .field(.memo)),
        ("비고", .field(.memo)),
        ("요청사항", .field(.memo)),
        ("자녀 학교명", .passThrough),
        ("자녀 수", .passThrough),
        ("이메일 주소", .passThrough),
        ("E-mail", .passThrough),
        ("점수", .passThrough),
        ("", .passThrough),
    ])
    func singleHeaders(header: String, expected: ColumnRole) {
        #expect(HeaderDetector.detect(header) == expected)
    }

    @Test(arguments: [
        ("첫째 자녀 이름", ColumnRole.child(1, .childName)),
        ("첫째 생년월일", .child(1, .childBirth)),
        ("둘째 자녀 이름", .child(2, .childName)),
        ("둘째 생년월일", .child(2, .childBirth)),
        ("셋째 자녀 나이", .child(3, .childAge)),
        ("자녀1 이름", .child(1, .childName)),
        ("자녀2 생년월일", .child(2, .childBirth)),
        ("자녀 2 학년", .child(2, .childGrade)),
        ("아동1 성명", .child(1, .childName)),
        ("두번째 자녀 생년월일 또는 나이", .child(2, .childBirthOrAge)),
        ("2번 자녀 이름", .child(2, .childName)),
    ])
    func numberedChildHeaders(header: String, expected: ColumnRole) {
        #expect(HeaderDetector.detect(header) == expected)
    }

    @Test func googleFormIsOneRowPerChild() {
        let mapping = HeaderDetector().map(headers: [
            "타임스탬프", "보호자 성명", "보호자 연락처(휴대전화)", "거주지 주소", "자녀 이름",
            "자녀 생년월일 또는 나이", "희망하는 돌봄 서비스", "상담 가능한 시간대",
            "가구 유형(해당 항목 모두 선택)", "개인정보 수집·이용 동의", "기타 문의사항",
        ])
        #expect(mapping.layout == .rowPerChild)
        #expect(mapping.childSlots == [[.childName: 4, .childBirthOrAge: 5]])
        #expect(mapping.passThroughColumns.isEmpty)
        #expect(mapping.column(.consent) == 9)
    }

    @Test func familyFormHasNumberedChildSlots() {
        let mapping = HeaderDetector().map(headers: [
            "제출일시", "보호자 성명", "연락처", "주소", "첫째 자녀 이름", "첫째 생년월일",
            "둘째 자녀 이름", "둘째 생년월일", "셋째 자녀 이름", "셋째 생년월일", "가구 유형", "자녀 수",
        ])
        #expect(mapping.layout == .rowPerFamily)
        #expect(
            mapping.childSlots == [
                [.childName: 4, .childBirth: 5], [.childName: 6, .childBirth: 7], [.childName: 8, .childBirth: 9],
            ])
        #expect(mapping.passThroughColumns == [11])
    }

    @Test func aRepeatedFieldKeepsItsFirstColumnAndPassesTheSecondThrough() {
        let mapping = HeaderDetector().map(headers: ["보호자 성명", "연락처", "비상 연락처"])
        #expect(mapping.roles == [.field(.guardianName), .field(.guardianPhone), .passThrough])
    }

    @Test func configurationOverridesDetection() throws {
        var config = DolbomConfiguration()
        config.mappings = [
            .init(files: "city_*.csv", columns: ["기타": "household_flags", "연락처2": "ignore", "막내 이름": "child[3].name"])
        ]
        let reader = ExportReader(configuration: config)
        let mapping = reader.detector(for: "city_2024.csv").map(headers: ["신청인", "연락처", "기타", "연락처2", "첫째 이름", "막내 이름"])
        #expect(
            mapping.roles == [
                .field(.guardianName), .field(.guardianPhone), .field(.householdFlags), .passThrough,
                .child(1, .childName), .child(3, .childName),
            ])
        #expect(mapping.overridden == [2, 3, 5])
        // Other files do not get the override.
        #expect(reader.detector(for: "google.csv").map(headers: ["기타"]).roles == [.field(.memo)])
    }

    @Test(arguments: ["guardian_phone", "child[2].birth", "child[1].birth_or_age", "ignore", "memo"])
    func configNamesParse(name: String) {
        #expect(ColumnRole(configName: name) != nil)
    }

    @Test(arguments: ["phone", "child[0].name", "child[2].phone", "child[x].name", ""])
    func badConfigNamesAreRefused(name: String) {
        #expect(ColumnRole(configName: name) == nil)
    }
}
