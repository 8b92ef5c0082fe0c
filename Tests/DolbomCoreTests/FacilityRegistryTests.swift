import DolbomFacility
import DolbomGeo
import DolbomNormalize
import Foundation
import Testing

@testable import DolbomCore

/// The facility lists as cities get them: Seoul's open-data files (real input), odd files of our own, the
/// vacancy sheet, and the `facilities:` configuration.
@Suite("Facility registry")
struct FacilityRegistryTests {
    static let seoul = packageRoot.deletingLastPathComponent().appendingPathComponent(
        "shared/reference/seoul-open-data")
    static var seoulPresent: Bool {
        FileManager.default.fileExists(atPath: seoul.appendingPathComponent("지역아동센터.csv").path)
    }

    static func read(
        _ files: [String], vacancies: String? = nil, mappings: [DolbomConfiguration.Facilities.Mapping]? = nil
    ) throws -> FacilityLoad {
        var config = DolbomConfiguration.Facilities(files: files)
        config.vacancies = vacancies
        config.mappings = mappings
        return try FacilityListReader(config: config, asOf: LocalDate(iso: "2024-07-15")!).load()
    }

    @Test(.enabled(if: seoulPresent, "needs ../shared/reference/seoul-open-data"))
    func seoulListsAreReadWithEveryRejectAndItsReason() throws {
        let load = try Self.read([Self.seoul.path])  // the folder: both lists
        #expect(load.files.map(\.file) == ["우리동네키움센터.csv", "지역아동센터.csv"])
        #expect(load.files.map(\.dataRows) == [230, 430])
        #expect(load.files.map(\.accepted) == [229, 426])
        #expect(load.registry.count == 655)
        let types = Dictionary(grouping: load.registry.facilities, by: \.type).mapValues(\.count)
        #expect(types == [.지역아동센터: 426, .다함께돌봄센터: 229])
        // Every facility located by its own coordinates, in Seoul.
        #expect(
            load.registry.facilities.allSatisfy {
                $0.locationSource == .coordinates && $0.location?.precision == .building
            })
        #expect(load.registry.facilities.allSatisfy { $0.address?.sido == "서울특별시" && $0.sigungu != nil })
        let rejects = load.rejects.filter { !$0.kept }
        #expect(
            rejects.map { "\($0.file):\($0.row) \($0.code)" } == [
                "우리동네키움센터.csv:231 facility_test_row",
                "지역아동센터.csv:2 facility_no_location", "지역아동센터.csv:3 facility_no_location",
                "지역아동센터.csv:4 facility_no_location", "지역아동센터.csv:25 facility_no_location",
            ])
        #expect(rejects[0].value == "테스트시설" && rejects[0].column == "시설명")
        #expect(rejects.allSatisfy { !$0.message.isEmpty })
        // `1030`–`0730`: read as the afternoon, with a warning.
        let warnings = load.rejects.filter(\.kept)
        #expect(warnings.map(\.code) == ["facility_hours_pm_assumed", "facility_hours_pm_assumed"])
        let kium = try #require(load.registry[id: "GR221001"])
        #expect(kium.name == "구로19호점 우리동네키움센터(항동융합형)")
        #expect(kium.typeText == "융합형키움센터" && kium.type == .다함께돌봄센터)
        #expect(kium.hours.text == "학기 09:00–20:00 · 방학 08:00–20:00 · 토 08:00–14:00")
        #expect(kium.places.capacity == 30)
        #expect(kium.fee.free == false && kium.fee.monthlyWon == 50000)
        #expect(kium.band == Facility.Band(grades: 1...6))
        #expect(kium.address?.road == "연동로" && kium.address?.buildingNumber == "191-19")
        let centre = try #require(load.registry[id: "KC220201"])
        #expect(centre.phone == "02-805-7283")
        #expect(centre.fee.monthlyWon == 0)
        // The lookup the results sheet uses: by id, by name; a name several centres share is ambiguous.
        #expect(load.registry.facility(matching: "구로19호점 우리동네키움센터") == .found(kium))
        if case .ambiguous(let fs) = load.registry.facility(matching: "행복한지역아동센터") {
            #expect(fs.count == 4)
        } else {
            Issue.record("행복한지역아동센터 should be ambiguous")
        }
        // `dolbom facilities check` shows it all.
        let text = FacilityCheckReport.text(load)
        #expect(text.contains("기관 655곳, 뺀 행 5개, 경고 2건"))
        #expect(text.contains("유형별: 지역아동센터 426, 다함께돌봄센터 229"))
        #expect(text.contains("목록에 적힌 유형: 지역아동센터 426, 우리동네키움센터 201, 융합형키움센터 24, 거점형키움센터 4"))
        #expect(text.contains("위치: 목록의 좌표(건물) 655"))
        #expect(text.contains("우리동네키움센터.csv:231: [facility_test_row]"))
    }

    static let header = "기관ID,기관명,시설유형,주소,상세주소,경도,위도,전화번호,이용대상,학기 운영시간,방학 운영시간,토요일 운영,이용료(월),정원,특화 프로그램,지원 언어"

    @Test func aCP949ListWithItsOwnWordingAndEveryKindOfBadRow() throws {
        let folder = TempFolder()
        let rows = [
            "제목: 아산시 돌봄기관 현황 (2024.7.)",
            "",
            Self.header,
            "A1,햇살지역아동센터,지역아동센터,충청남도 아산시 배방읍 배방로 47,2층 (장재리),127.0773,36.7776,041-545-4048,초등학생,13:00~19:00,09:00~18:00,Y,0,29,\"느린학습자 지원, 저녁 돌봄\",베트남어",
            "A2,꿈나무 다함께돌봄센터,다함께,충청남도 아산시 배방읍 희망로46번길 12,,,,041-541-1234,초등 1~3학년,13:00~19:00,,N,\"50,000\",25,,",
            "A3,새싹지역아동센터,,,,,,,초등학생,,,,,,,",
            "A1,중복지역아동센터,지역아동센터,충청남도 아산시 모종동 모산로 109,,127.01,36.78,,초등학생,,,,,,,",
            "A4,테스트 기관,지역아동센터,충청남도 아산시 배방읍 배방로 47,,127.0773,36.7776,,,,,,,,,",
            "A5,거꾸로지역아동센터,지역아동센터,충청남도 아산시 배방읍 배방로 112,,36.7790,127.0700,,만 6~12세,1400~1900,,,,19,,",
            ",이름만센터,모름,충청남도 아산시 탕정면 탕정면로 120,,127.05,36.79,,뭐든,오후,,가끔,비쌈,많음,,",
            ",,지역아동센터,,,,,,,,,,,,,",
            "A6,햇살지역아동센터,지역아동센터,충청남도 아산시 배방읍 배방로 47,3층,127.0773,36.7776,,,,,,,,,",
        ]
        folder.write("asan.csv", cp949: rows.joined(separator: "\r\n") + "\r\n")
        let load = try Self.read(
            [folder.url.appendingPathComponent("asan.csv").path],
            mappings: [.init(files: "asan*.csv", columns: ["이용료(월)": "monthly_fee"])])
        #expect(load.files.first?.dataRows == 9)
        #expect(load.files.first?.unmapped == [])
        let a1 = try #require(load.registry[id: "A1"])
        #expect(a1.programmes == [.느린학습자, .저녁] && a1.languages == ["베트남어"])
        #expect(a1.hours.saturdayOpen == true && a1.hours.term == MinuteRange(start: 780, end: 1140))
        #expect(a1.address?.eupmyeondong == "배방읍" && a1.location?.precision == .building)
        let a2 = try #require(load.registry[id: "A2"])
        #expect(a2.type == .다함께돌봄센터 && a2.fee.monthlyWon == 50000 && a2.band == Facility.Band(grades: 1...3))
        #expect(a2.locationSource == .areaCentroid && a2.location?.precision == .eupmyeondong)  // an address, no X/Y
        let a5 = try #require(load.registry[id: "A5"])
        #expect(a5.location!.point.latitude < 37 && a5.location!.point.longitude > 127)  // swapped back
        let noID = try #require(load.registry.facilities.first { $0.name == "이름만센터" })
        #expect(noID.id.hasPrefix("F-") && noID.id.count == 10 && noID.type == .기타)
        #expect(
            noID
                == (try Self.read([folder.url.appendingPathComponent("asan.csv").path])).registry.facilities.first {
                    $0.name == "이름만센터"
                })
        let rejected = load.rejects.filter { !$0.kept }.map { "\($0.row) \($0.code)" }
        #expect(
            rejected == [
                "6 facility_no_location", "7 facility_duplicate_id", "8 facility_test_row", "11 facility_no_name",
                "12 facility_duplicate",
            ])
        let warned = Set(load.rejects.filter(\.kept).map { "\($0.row) \($0.code)" })
        #expect(
            warned == [
                "9 facility_coordinates_swapped", "10 facility_type_unknown", "10 facility_ages_unreadable",
                "10 facility_hours_unreadable", "10 facility_value_unreadable",
            ])
        #expect(load.registry.count == 4)
    }

    @Test func theVacancySheetByIDOrNameWithEveryProblemSaid() throws {
        let folder = TempFolder()
        let list = [
            Self.header,
            "A1,햇살지역아동센터,지역아동센터,충청남도 아산시 배방읍 배방로 47,,127.0773,36.7776,,초등학생,,,,,29,,",
            "A2,꿈나무지역아동센터 (배방),지역아동센터,충청남도 아산시 배방읍 배방로 112,,127.0700,36.7790,,초등학생,,,,,24,,",
            "A3,꿈나무지역아동센터 (탕정),지역아동센터,충청남도 아산시 탕정면 탕정면로 120,,127.05,36.79,,초등학생,,,,,19,,",
        ]
        folder.write("list.csv", utf8: list.joined(separator: "\n") + "\n")
        let sheet = [
            "기관 현황 회신 (7월)",
            "기관ID,기관명,정원,현원,빈자리,기준일",
            "A1,,29,25,,2024-07-10",
            ",꿈나무 지역아동센터(배방),24,24,0,7/12",
            ",꿈나무지역아동센터,19,10,9,7/12",
            ",없는센터,10,5,5,7/12",
            "A1,,29,27,2,2024-07-12",
            "A3,,19,,많음,7/12",
            "A3,,19,,,",
        ]
        folder.write("vac.csv", utf8: sheet.joined(separator: "\n") + "\n", bom: true)
        let load = try Self.read(
            [folder.url.appendingPathComponent("list.csv").path],
            vacancies: folder.url.appendingPathComponent("vac.csv").path)
        #expect(
            load.registry[id: "A1"]?.places
                == Facility.Places(capacity: 29, enrolled: 27, vacancies: 2, asOf: LocalDate(iso: "2024-07-12")))
        #expect(load.registry[id: "A2"]?.places.vacancies == 0)
        #expect(load.registry[id: "A3"]?.places.vacancies == nil)
        #expect(load.vacanciesApplied == 2)
        let problems = load.rejects.map { "\($0.row) \($0.code) \($0.kept)" }
        #expect(
            problems == [
                "5 vacancy_facility_ambiguous false", "6 vacancy_facility_unknown false", "7 vacancy_repeated true",
                "8 vacancy_unreadable false", "9 vacancy_unreadable false",
            ])
    }

    @Test func configurationIsStrictAboutFacilities() throws {
        let folder = TempFolder()
        folder.write("list.csv", utf8: Self.header + "\n")
        func problems(_ yaml: String) throws -> [String] {
            let url = folder.write("dolbom.yaml", utf8: yaml)
            do {
                _ = try DolbomConfiguration.load(from: url)
                return []
            } catch {
                guard case .problems(let p) = error else { return ["\(error)"] }
                return p.map { "\($0.line) \($0.key): \($0.message)" }
            }
        }
        #expect(
            try problems("facilities:\n  files: [list.csv]\n  max_distance: 3000\n")
                == ["3 facilities.max_distance: unknown key; did you mean 'max_distance_m'?"])
        #expect(
            try problems("facilities:\n  files: [list.csv]\n  weights:\n    distanse: 3\n")
                == ["4 facilities.weights.distanse: unknown key; did you mean 'distance'?"])
        let bad = try problems(
            "facilities:\n  files: [nope.csv]\n  mappings:\n    - files: \"*.csv\"\n      columns:\n        \"경도\": longitude\n  max_distance_m: 0\n  evening_from: \"7시쯤\"\n"
        )
        #expect(bad.count == 4)
        #expect(bad.contains { $0.contains("facilities.files[1]") && $0.contains("does not exist") })
        #expect(bad.contains { $0.contains("unknown facility field 'longitude'") })
        #expect(bad.contains { $0.contains("max_distance_m: must be between") })
        #expect(bad.contains { $0.contains("evening_from") })
        let url = folder.write(
            "dolbom.yaml",
            utf8:
                "facilities:\n  files: [list.csv]\n  max_distance_m: 2500\n  list_full_as_waitlist: true\n  weights:\n    distance: 50\n"
        )
        let config = try DolbomConfiguration.load(from: url)
        #expect(config.facilities?.files == [folder.url.appendingPathComponent("list.csv").standardizedFileURL.path])
        let policy = FacilityPlan.policy(config.facilities!)
        #expect(
            policy.maxDistanceMetres == 2500 && policy.listFullAsWaitlist && policy.weights.distance == 50
                && policy.weights.vacancy == 15)
    }
}
