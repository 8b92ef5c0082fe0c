import DolbomFacility
import DolbomGeo
import DolbomNormalize
import Foundation

/// The fields of a facility list, whatever a city's file calls them (`facilities.mappings:` names them).
public enum FacilityField: String, CaseIterable, Sendable, Hashable {
    case id, name, type, sido, sigungu, address
    case addressDetail = "address_detail"
    case postalCode = "postal_code"
    /// Longitude (WGS84 degrees): Seoul's `X좌표값`.
    case lon
    /// Latitude (WGS84 degrees): Seoul's `Y좌표값`.
    case lat
    case phone
    /// Whom it serves: `초등학생`, `만 6~12세`, `초1~3학년`.
    case ages
    case termStart = "term_start"
    case termEnd = "term_end"
    case termHours = "term_hours"
    case vacationStart = "vacation_start"
    case vacationEnd = "vacation_end"
    case vacationHours = "vacation_hours"
    case saturdayOpen = "saturday_open"
    case saturdayStart = "saturday_start"
    case saturdayEnd = "saturday_end"
    case saturdayHours = "saturday_hours"
    /// `Y` when free for everyone (`사용료무료여부`).
    case feeFree = "fee_free"
    case monthlyFee = "monthly_fee"
    /// `Y` when free for 기초생활수급/차상위 households.
    case freeForLowIncome = "free_for_low_income"
    case capacity, enrolled, vacancies
    case vacanciesAsOf = "vacancies_as_of"
    /// Special programmes in words (`느린학습자 지원, 저녁 돌봄`).
    case programmes
    /// Languages the staff speak besides Korean.
    case languages
    /// A column to leave unread.
    case ignore

    public init?(configName: String) {
        self.init(rawValue: configName.trimmingCharacters(in: .whitespaces))
    }

    static var configNames: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// Header wordings recognised without configuration (folded as `HeaderDetector.fold` folds them: lower
    /// case, no spaces or punctuation). Seoul's open-data lists and the usual Korean wordings.
    static let detected: [String: FacilityField] = {
        var out: [String: FacilityField] = [:]
        func add(_ field: FacilityField, _ words: [String]) { for w in words { out[HeaderDetector.fold(w)] = field } }
        add(.id, ["시설ID", "기관ID", "시설코드", "기관코드", "시설번호", "기관번호", "센터ID", "facility_id", "id"])
        add(.name, ["시설명", "기관명", "센터명", "시설이름", "기관이름", "시설 명칭", "name", "facility_name"])
        add(.type, ["서비스분류", "서비스분류명", "시설유형", "기관유형", "시설종류", "기관종류", "돌봄유형", "유형", "type"])
        add(.sido, ["시도", "시도명", "광역시도"])
        add(.sigungu, ["자치구명", "자치구", "시군구", "시군구명"])
        add(.address, ["기본주소", "주소", "도로명주소", "소재지", "소재지도로명주소", "소재지주소", "address"])
        add(.addressDetail, ["상세주소", "address_detail"])
        add(.postalCode, ["우편번호"])
        add(.lon, ["X좌표값", "X좌표", "경도", "lon", "lng", "longitude", "x"])
        add(.lat, ["Y좌표값", "Y좌표", "위도", "lat", "latitude", "y"])
        add(.phone, ["연락처", "전화번호", "전화", "대표전화", "phone"])
        add(.ages, ["연령구분", "대상연령", "이용대상", "이용연령", "대상", "대상학년", "ages"])
        add(.termStart, ["학기시작시간", "학기중시작시간", "평일시작시간"])
        add(.termEnd, ["학기종료시간", "학기중종료시간", "평일종료시간"])
        add(.termHours, ["학기운영시간", "학기중운영시간", "운영시간", "평일운영시간"])
        add(.vacationStart, ["방학시작시간"])
        add(.vacationEnd, ["방학종료시간"])
        add(.vacationHours, ["방학운영시간", "방학중운영시간"])
        add(.saturdayOpen, ["토요일운영여부", "토요운영여부", "토요일운영"])
        add(.saturdayStart, ["토요일운영시작시간", "토요일시작시간"])
        add(.saturdayEnd, ["토요일운영종료시간", "토요일종료시간"])
        add(.saturdayHours, ["토요일운영시간", "토요운영시간"])
        add(.feeFree, ["사용료무료여부", "월사용료무료여부", "무료여부", "이용료무료여부"])
        add(.monthlyFee, ["사용료", "월사용료", "이용료", "월이용료"])
        add(.freeForLowIncome, ["저소득무료", "수급자무료", "감면대상무료", "저소득층무료여부"])
        add(.capacity, ["정원", "상시돌봄정원수", "정원수", "이용정원"])
        add(.enrolled, ["현원", "현재인원", "이용인원", "이용아동수"])
        add(.vacancies, ["빈자리", "여석", "잔여정원", "잔여석", "대기없이이용가능"])
        add(.vacanciesAsOf, ["기준일", "기준일자", "기준일시", "작성일"])
        add(.programmes, ["특화프로그램", "특성화프로그램", "운영프로그램", "프로그램", "특기사항", "programmes"])
        add(.languages, ["지원언어", "사용가능언어", "가능언어", "언어", "languages"])
        return out
    }()
}

/// A facility row set aside (`kept == false`) or read with a warning (`kept == true`): `facility-rejects.csv`.
public struct FacilityReject: Hashable, Sendable {
    public var file: String
    public var row: Int
    public var column: String?
    public var value: String?
    public var code: String
    public var message: String
    /// The row was read all the same (a warning about one cell).
    public var kept: Bool
}

/// What was read from one facility list or vacancy sheet.
public struct FacilityFileReport: Hashable, Sendable {
    public var file: String
    public var dataRows = 0
    public var accepted = 0
    /// Header → field, for the columns understood.
    public var mapped: [(header: String, field: String)] = []
    public var unmapped: [String] = []
    /// The file could not be read at all.
    public var error: String?

    public static func == (a: FacilityFileReport, b: FacilityFileReport) -> Bool {
        a.file == b.file && a.dataRows == b.dataRows && a.accepted == b.accepted && a.unmapped == b.unmapped
            && a.mapped.map(\.header) == b.mapped.map(\.header) && a.mapped.map(\.field) == b.mapped.map(\.field)
            && a.error == b.error
    }
    public func hash(into h: inout Hasher) {
        h.combine(file)
        h.combine(dataRows)
    }
}

/// The registry a run matches against, and everything `dolbom facilities check` shows about how it was read.
public struct FacilityLoad: Sendable {
    public var registry: FacilityRegistry
    public var rejects: [FacilityReject]
    public var files: [FacilityFileReport]
    public var vacancySheet: FacilityFileReport?
    /// Facilities given 빈자리 by the vacancy sheet.
    public var vacanciesApplied = 0

    public var rejectedCount: Int { rejects.filter { !$0.kept }.count }
}

/// Reads the facility lists (`facilities.files`) and the vacancy sheet through the same reader as the
/// exports (libcsv, UTF-8/CP949 detection: `StaffSheet`), maps their headers (built-in wordings, then
/// `facilities.mappings`), and normalizes each row into a `Facility` or a reject with its reason.
public struct FacilityListReader {
    public var config: DolbomConfiguration.Facilities
    public var addresses: AddressNormalizer
    public var addressDB: AddressDatabase?
    public var asOf: LocalDate
    let centroids = AreaCentroids.kma

    public init(
        config: DolbomConfiguration.Facilities, addresses: AddressNormalizer = AddressNormalizer(),
        addressDB: AddressDatabase? = nil, asOf: LocalDate
    ) {
        self.config = config
        self.addresses = addresses
        self.addressDB = addressDB
        self.asOf = asOf
    }

    public enum LoadError: Error, CustomStringConvertible, Equatable {
        case missing(String)
        case projection(String)
        public var description: String {
            switch self {
            case .missing(let path): "\(path): facility list not found"
            case .projection(let reason): reason
            }
        }
    }

    /// The list files: each path, or the `*.csv`/`*.tsv`/`*.txt` files of a folder (sorted by name).
    public func listFiles() throws(LoadError) -> [URL] {
        var out: [URL] = []
        let fm = FileManager.default
        for path in config.files ?? [] {
            var isFolder: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isFolder) else { throw .missing(path) }
            if isFolder.boolValue {
                let names = ((try? fm.contentsOfDirectory(atPath: path)) ?? []).sorted()
                out += names.map { URL(fileURLWithPath: path).appendingPathComponent($0) }.filter(InputSet.isExport)
            } else {
                out.append(URL(fileURLWithPath: path))
            }
        }
        return out
    }

    /// A list row's cells by field (the first column of a field wins; for `fee_free`, the first not empty).
    struct Row {
        var file: String
        var row: Int
        var cells: [FacilityField: (column: String, value: String)]

        func value(_ f: FacilityField) -> String? {
            guard let v = cells[f]?.value, !v.isEmpty else { return nil }
            return v
        }
        func column(_ f: FacilityField) -> String? { cells[f]?.column }

        /// A reject of this row at `field`'s column, showing `value`; `kept`: only a warning, the row is read.
        func reject(
            _ field: FacilityField?, value: String?, _ code: String, _ message: String, kept: Bool = false
        ) -> FacilityReject {
            FacilityReject(
                file: file, row: row, column: field.flatMap(column), value: value, code: code, message: message,
                kept: kept)
        }
    }

    public func load() throws(LoadError) -> FacilityLoad {
        var facilities: [Facility] = []
        var rejects: [FacilityReject] = []
        var reports: [FacilityFileReport] = []
        var entrances: [(index: Int, point: UTMKPoint)] = []
        var seenIDs: [String: String] = [:]  // id → file:row
        var seenPlaces: [String: String] = [:]  // name key + place → file:row
        for url in try listFiles() {
            let name = url.lastPathComponent
            var report = FacilityFileReport(file: name)
            let rows: [Row]
            do {
                (rows, report) = try readRows(url, fileName: name, rejects: &rejects)
            } catch {
                report.error = "\(error)"
                rejects.append(
                    FacilityReject(
                        file: name, row: 0, column: nil, value: nil, code: "facility_file_unreadable",
                        message: "기관 목록 파일을 읽을 수 없습니다: \(error)", kept: false))
                reports.append(report)
                continue
            }
            for row in rows {
                guard var f = facility(row, rejects: &rejects) else { continue }
                let here = "\(name):\(row.row)"
                if let first = seenIDs[f.id] {
                    let message = "시설ID '\(f.id)'가 앞의 행(\(first))과 같아 이 행은 뺐습니다(먼저 나온 행을 씁니다)."
                    rejects.append(row.reject(.id, value: f.id, "facility_duplicate_id", message))
                    continue
                }
                let place = FacilityRegistry.bareNameKey(f.name) + "|" + placeKey(f)
                if let first = seenPlaces[place] {
                    let message = "앞의 행(\(first))과 이름·위치가 같은 기관이라 이 행은 뺐습니다."
                    rejects.append(row.reject(.name, value: f.name, "facility_duplicate", message))
                    continue
                }
                seenIDs[f.id] = here
                seenPlaces[place] = here
                // Without coordinates: the official address file's entrance, converted below in one PROJ call.
                if f.location == nil, let a = f.address, let db = addressDB, case .found(let m) = db.verdict(for: a),
                    let e = m.entrance
                {
                    entrances.append((facilities.count, e))
                }
                if f.location == nil, let a = f.address, let l = centroids.location(of: a) {
                    f.location = l
                    f.locationSource = .areaCentroid
                }
                facilities.append(f)
                report.accepted += 1
            }
            reports.append(report)
        }
        if !entrances.isEmpty {
            let projection: UTMKProjection
            do { projection = try UTMKProjection() } catch { throw .projection(error.description) }
            for (k, point) in projection.wgs84(entrances.map(\.point)).enumerated() {
                guard let point else { continue }
                facilities[entrances[k].index].location = Location(point, precision: .building)
                facilities[entrances[k].index].locationSource = .addressFile
            }
        }
        // Rows that name no place at all cannot be matched to anyone: set aside (after the address file had its say).
        var kept: [Facility] = []
        for f in facilities {
            if f.location == nil && f.sigungu == nil {
                let (file, row) = Self.fileRow(f.source)
                rejects.append(
                    FacilityReject(
                        file: file, row: row, column: nil, value: f.address?.text, code: "facility_unlocated",
                        message: "주소로 위치나 시군구를 알 수 없어 뺐습니다. 주소나 좌표(X/Y)를 확인해 주세요.", kept: false))
                if let i = reports.firstIndex(where: { $0.file == file }) { reports[i].accepted -= 1 }
                continue
            }
            kept.append(f)
        }
        var load = FacilityLoad(registry: FacilityRegistry(kept), rejects: rejects, files: reports)
        if let sheet = config.vacancies { applyVacancies(URL(fileURLWithPath: sheet), to: &load, facilities: kept) }
        load.rejects.sort { ($0.file, $0.row, $0.kept ? 1 : 0, $0.code) < ($1.file, $1.row, $1.kept ? 1 : 0, $1.code) }
        return load
    }

    static func fileRow(_ source: String) -> (String, Int) {
        guard let colon = source.lastIndex(of: ":"), let row = Int(source[source.index(after: colon)...]) else {
            return (source, 0)
        }
        return (String(source[..<colon]), row)
    }

    /// Where a facility is, for spotting a row repeated: its road address (or 지번), else its point to ~10 m.
    private func placeKey(_ f: Facility) -> String {
        if let a = f.address, let road = a.road, let n = a.buildingNumber { return (a.sigungu ?? "") + road + n }
        if let a = f.address, let j = a.jibun { return (a.sigungu ?? "") + (a.eupmyeondong ?? "") + j }
        if let l = f.location { return "\(l.latitudeE7 / 1000),\(l.longitudeE7 / 1000)" }
        return "row:" + f.source
    }

    // MARK: - Reading a file

    /// The header (the first of the first 20 lines naming a facility's name and one more field), and the rows
    /// under it as cells by field.
    func readRows(_ url: URL, fileName: String, rejects: inout [FacilityReject]) throws -> ([Row], FacilityFileReport) {
        var report = FacilityFileReport(file: fileName)
        let (lines, problems) = try StaffSheet.read(url)
        for p in problems {
            rejects.append(
                FacilityReject(
                    file: fileName, row: p.row, column: nil, value: nil, code: "facility_row_malformed",
                    message: p.message, kept: false))
            report.dataRows += 1
        }
        let overrides = config.mappings(for: fileName).reduce(into: [String: FacilityField]()) { out, m in
            for (header, field) in m.columns ?? [:] {
                out[header.trimmingCharacters(in: .whitespaces)] = FacilityField(configName: field)
            }
        }
        var fields: [FacilityField?]?
        var headers: [String] = []
        var out: [Row] = []
        for line in lines {
            guard let fields else {
                let mapped = line.cells.map { overrides[$0] ?? FacilityField.detected[HeaderDetector.fold($0)] }
                if mapped.contains(.name) && Set(mapped.compactMap { $0 }).count >= 2 {
                    fields = mapped
                    headers = line.cells
                    for (i, f) in mapped.enumerated() {
                        if let f, f != .ignore {
                            report.mapped.append((line.cells[i], f.rawValue))
                        } else if f == nil, !line.cells[i].isEmpty {
                            report.unmapped.append(line.cells[i])
                        }
                    }
                } else if line.row >= 20 {
                    rejects.append(
                        FacilityReject(
                            file: fileName, row: 1, column: nil, value: nil, code: "facility_header_missing",
                            message: "첫 20줄에서 기관 이름 열(시설명·기관명)이 있는 머리글을 찾지 못했습니다. facilities.mappings로 열을 알려 주세요.",
                            kept: false))
                    report.error = "no header"
                    return ([], report)
                }
                continue
            }
            if line.cells.allSatisfy(\.isEmpty) { continue }
            report.dataRows += 1
            var row = Row(file: fileName, row: line.row, cells: [:])
            for (i, f) in fields.enumerated() {
                guard let f, f != .ignore, i < line.cells.count else { continue }
                let v = line.cells[i]
                if let existing = row.cells[f], !(existing.value.isEmpty && !v.isEmpty) { continue }
                row.cells[f] = (headers[i], v)
            }
            out.append(row)
        }
        if fields == nil {
            rejects.append(
                FacilityReject(
                    file: fileName, row: 1, column: nil, value: nil, code: "facility_header_missing",
                    message: "기관 이름 열(시설명·기관명)이 있는 머리글을 찾지 못했습니다. facilities.mappings로 열을 알려 주세요.", kept: false))
            report.error = "no header"
        }
        return (out, report)
    }

    // MARK: - One row

    func facility(_ row: Row, rejects: inout [FacilityReject]) -> Facility? {
        func reject(_ field: FacilityField?, _ code: String, _ message: String) -> Facility? {
            rejects.append(row.reject(field, value: field.flatMap { row.value($0) }, code, message))
            return nil
        }
        func warn(_ field: FacilityField, _ code: String, _ message: String) {
            rejects.append(row.reject(field, value: row.value(field), code, message, kept: true))
        }
        guard let name = row.value(.name)?.trimmedWhitespace, !name.isEmpty else {
            return reject(nil, "facility_no_name", "기관 이름이 비어 있어 뺐습니다.")
        }
        let folded = HeaderDetector.fold(name)
        if ["테스트", "test", "시험용", "샘플", "sample", "dummy"].contains(where: { folded.contains($0) }) {
            return reject(.name, "facility_test_row", "시험용 행으로 보여('\(name)') 뺐습니다. 실제 기관이면 이름을 확인해 주세요.")
        }
        // Place: coordinates, an address, or both; neither → nothing to measure a distance from.
        var point: GeoPoint?
        if let lonText = row.value(.lon), let latText = row.value(.lat) {
            if var lon = Double(lonText.trimmedWhitespace), var lat = Double(latText.trimmedWhitespace), lon.isFinite,
                lat.isFinite
            {
                if Self.inKorea(lat: lon, lon: lat) && !Self.inKorea(lat: lat, lon: lon) {
                    swap(&lat, &lon)
                    warn(.lon, "facility_coordinates_swapped", "X/Y 좌표가 바뀌어 있어(X가 위도) 바꿔 읽었습니다.")
                }
                if Self.inKorea(lat: lat, lon: lon) {
                    point = GeoPoint(latitude: lat, longitude: lon)
                } else {
                    warn(
                        .lon, "facility_coordinates_outside",
                        "좌표(\(lonText), \(latText))가 우리나라 밖이라 쓰지 않았습니다(WGS84 경도·위도여야 합니다).")
                }
            } else {
                warn(.lon, "facility_coordinates_unreadable", "좌표(\(lonText), \(latText))를 숫자로 읽을 수 없어 쓰지 않았습니다.")
            }
        }
        var address: Address?
        let addressText = [row.value(.address), row.value(.addressDetail)].compactMap { $0?.trimmedWhitespace }.filter {
            !$0.isEmpty
        }
        if let main = row.value(.address)?.trimmedWhitespace, !main.isEmpty {
            var text = addressText.joined(separator: " ")
            if let sido = row.value(.sido), !main.hasPrefix(String(sido.prefix(2))) { text = sido + " " + text }
            if let sigungu = row.value(.sigungu), !main.contains(sigungu) { text = sigungu + " " + text }
            let n = addresses.normalize(text)
            address = n.value
            if address == nil || address?.sigungu == nil && address?.sido != "세종특별자치시" {
                warn(.address, "facility_address_unclear", "주소에서 시군구를 알 수 없습니다. 주소를 확인해 주세요.")
            }
        } else if point == nil {
            return reject(.address, "facility_no_location", "좌표(X/Y)와 주소가 모두 없어 거리를 잴 수 없습니다. 주소나 좌표를 채워 주세요.")
        } else if let sigungu = row.value(.sigungu) {
            // Coordinates only: the 시군구 column still places it for families without a location.
            address = addresses.normalize([row.value(.sido), sigungu].compactMap { $0 }.joined(separator: " ")).value
        }
        // Type: the column, else the name (`햇살지역아동센터`).
        var type: CareType?
        let typeText = row.value(.type)?.trimmedWhitespace
        for text in [typeText, name].compactMap({ $0 }) {
            if let t = CareTypeNormalizer.normalize(text).value?.first(where: { $0 != .기타 }) {
                type = t
                break
            }
        }
        if type == nil {
            warn(
                .type, "facility_type_unknown", "기관 유형('\(typeText ?? name)')을 알 수 없어 기타로 두었습니다. '상관없음'을 고른 가정에만 안내됩니다."
            )
        }
        let id = row.value(.id)?.trimmedWhitespace ?? Self.madeID(name: name, address: address, point: point)
        var f = Facility(
            id: id, name: name, type: type ?? .기타, typeText: typeText ?? type?.rawValue,
            address: address, location: point.map { Location($0, precision: .building) },
            locationSource: point == nil ? nil : .coordinates, source: "\(row.file):\(row.row)")
        // A point far from the address's own 시군구 is one of them wrong: said, the point kept.
        if let p = point, let a = address, a.sigungu != nil, let c = centroids.location(of: a),
            c.precision == .sigungu || c.precision == .eupmyeondong,
            p.metres(to: c.point) > 30_000
        {
            warn(
                .lon, "facility_coordinates_far",
                "좌표가 주소의 시군구(\(a.sigungu ?? ""))에서 30 km 넘게 떨어져 있습니다. 좌표와 주소를 확인해 주세요.")
        }
        if let raw = row.value(.phone) {
            if let p = PhoneNormalizer.normalize(raw).value {
                f.phone = p.primary.formatted
            } else {
                f.phone = raw.trimmedWhitespace
            }
        }
        if let text = row.value(.ages) {
            if let band = FacilityText.band(text) {
                f.band = band
            } else {
                warn(.ages, "facility_ages_unreadable", "대상 연령('\(text)')을 읽을 수 없어 연령으로 거르지 않습니다.")
            }
        }
        f.hours.term = hours(row, .termStart, .termEnd, .termHours, "학기", warn)
        f.hours.vacation = hours(row, .vacationStart, .vacationEnd, .vacationHours, "방학", warn)
        f.hours.saturday = hours(row, .saturdayStart, .saturdayEnd, .saturdayHours, "토요일", warn)
        if let text = row.value(.saturdayOpen) {
            f.hours.saturdayOpen = FacilityText.yesNo(text)
            if f.hours.saturdayOpen == nil {
                warn(.saturdayOpen, "facility_value_unreadable", "토요일 운영 여부('\(text)')를 읽을 수 없습니다(Y/N).")
            }
        }
        if f.hours.saturdayOpen == nil && f.hours.saturday != nil { f.hours.saturdayOpen = true }
        if f.hours.saturdayOpen == false { f.hours.saturday = nil }
        if let text = row.value(.feeFree) { f.fee.free = FacilityText.yesNo(text) }
        if let text = row.value(.monthlyFee) {
            f.fee.monthlyWon = FacilityText.won(text)
            if f.fee.monthlyWon == nil { warn(.monthlyFee, "facility_value_unreadable", "이용료('\(text)')를 읽을 수 없습니다.") }
        }
        if let text = row.value(.freeForLowIncome) { f.fee.freeForLowIncome = FacilityText.yesNo(text) }
        for (field, keyPath) in [
            (FacilityField.capacity, \Facility.Places.capacity), (.enrolled, \.enrolled), (.vacancies, \.vacancies),
        ] {
            guard let text = row.value(field) else { continue }
            if let n = FacilityText.count(text) {
                f.places[keyPath: keyPath] = n
            } else {
                warn(field, "facility_value_unreadable", "'\(text)'을(를) 인원 수로 읽을 수 없습니다.")
            }
        }
        if f.places.vacancies == nil, let c = f.places.capacity, let e = f.places.enrolled, c > 0 {
            f.places.vacancies = max(0, c - e)
        }
        if let text = row.value(.vacanciesAsOf) { f.places.asOf = date(text) }
        var programmes = Set(FacilityText.programmes(row.value(.programmes) ?? ""))
        // The type can say it too: 다문화 센터, 장애아 통합 …, in the name.
        for p in FacilityText.programmes(name) where p == .다문화 || p == .장애통합 || p == .느린학습자 { programmes.insert(p) }
        f.programmes = programmes.sorted()
        f.languages = FacilityText.languages(row.value(.languages) ?? "")
        return f
    }

    private func hours(
        _ row: Row, _ start: FacilityField, _ end: FacilityField, _ both: FacilityField, _ label: String,
        _ warn: (FacilityField, String, String) -> Void
    ) -> MinuteRange? {
        if let s = row.value(start), let e = row.value(end) {
            if let r = FacilityText.range(s, e) { return r }
            // `1030`–`0730`: an end before the start is an afternoon written on a 12-hour clock.
            if let a = FacilityText.clock(s), let b = FacilityText.clock(e), b < a, b < 12 * 60, b + 12 * 60 > a {
                warn(
                    start, "facility_hours_pm_assumed",
                    "\(label) 운영시간('\(s)'–'\(e)')의 끝이 시작보다 일러 오후(\(Facility.Hours.range(MinuteRange(start: a, end: b + 720))))로 읽었습니다. 확인해 주세요."
                )
                return MinuteRange(start: a, end: b + 12 * 60)
            }
            warn(start, "facility_hours_unreadable", "\(label) 운영시간('\(s)'–'\(e)')을 읽을 수 없습니다.")
            return nil
        }
        if let text = row.value(both) {
            if let r = FacilityText.range(text) { return r }
            warn(both, "facility_hours_unreadable", "\(label) 운영시간('\(text)')을 읽을 수 없습니다(예: 13:00~19:00).")
        }
        return nil
    }

    /// `2024-07-15`, `7월 15일`, `7/15` (the year completed to the latest not after the as-of day).
    func date(_ text: String) -> LocalDate? {
        guard case .success(let w) = ResultSheetDate.read(text), let m = w.month, let d = w.day else { return nil }
        if let y = w.year { return LocalDate(year: y, month: m, day: d) }
        if let this = LocalDate(year: asOf.year, month: m, day: d), this <= asOf { return this }
        return LocalDate(year: asOf.year - 1, month: m, day: d)
    }

    static func inKorea(lat: Double, lon: Double) -> Bool {
        (32.5...39.0).contains(lat) && (124.0...132.5).contains(lon)
    }

    /// An id for a list without one: `F-` and 8 hex digits of the name and the place (stable when rows move).
    static func madeID(name: String, address: Address?, point: GeoPoint?) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        let key =
            FacilityRegistry.nameKey(name) + "|"
            + (address.map { ($0.sigungu ?? "") + ($0.road ?? "") + ($0.buildingNumber ?? "") + ($0.jibun ?? "") } ?? "")
            + (address == nil ? point.map { "\(Int($0.latitude * 10_000)),\(Int($0.longitude * 10_000))" } ?? "" : "")
        for b in key.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        let hex = String(h >> 32, radix: 16, uppercase: true)
        return "F-" + String(repeating: "0", count: 8 - hex.count) + hex
    }

    // MARK: - The vacancy sheet

    /// Applies the centres' sheet: per row a facility (id or name, `FacilityRegistry.facility(matching:)`) and its
    /// 현원/빈자리/정원 and 기준일. A row naming no facility, or several, is a reject; a facility twice keeps the
    /// latest 기준일 (the later row on a tie), with a warning.
    func applyVacancies(_ url: URL, to load: inout FacilityLoad, facilities: [Facility]) {
        let name = url.lastPathComponent
        var report = FacilityFileReport(file: name)
        var byID = Dictionary(uniqueKeysWithValues: facilities.enumerated().map { ($1.id, $0) })
        var updated = facilities
        var setBy: [String: (row: Int, asOf: LocalDate?)] = [:]
        func reject(
            _ row: Int, _ column: String?, _ value: String?, _ code: String, _ message: String, kept: Bool = false
        ) {
            load.rejects.append(
                FacilityReject(
                    file: name, row: row, column: column, value: value, code: code, message: message, kept: kept))
        }
        let lines: [StaffSheet.Line]
        do {
            let (read, problems) = try StaffSheet.read(url)
            lines = read
            for p in problems { reject(p.row, nil, nil, "vacancy_row_malformed", p.message) }
        } catch {
            report.error = "\(error)"
            reject(0, nil, nil, "vacancy_file_unreadable", "빈자리 표를 읽을 수 없습니다: \(error)")
            load.vacancySheet = report
            return
        }
        var columns: [FacilityField: Int]?
        var headers: [String] = []
        for line in lines {
            guard let c = columns else {
                var found: [FacilityField: Int] = [:]
                for (i, cell) in line.cells.enumerated() {
                    if let f = FacilityField.detected[HeaderDetector.fold(cell)], found[f] == nil { found[f] = i }
                }
                if found[.id] != nil || found[.name] != nil, found[.vacancies] != nil || found[.enrolled] != nil {
                    columns = found
                    headers = line.cells
                    report.mapped = found.sorted { $0.value < $1.value }.map { (line.cells[$0.value], $0.key.rawValue) }
                } else if line.row >= 20 {
                    break
                }
                continue
            }
            if line.cells.allSatisfy(\.isEmpty) { continue }
            report.dataRows += 1
            func cell(_ f: FacilityField) -> String? {
                guard let i = c[f], i < line.cells.count, !line.cells[i].isEmpty else { return nil }
                return line.cells[i]
            }
            func header(_ f: FacilityField) -> String? { c[f].map { headers[$0] } }
            let text = [cell(.id), cell(.name)].compactMap { $0 }
            var match = FacilityMatch.notFound
            for t in text {
                match = load.registry.facility(matching: t)
                if case .notFound = match { continue }
                break
            }
            let index: Int
            switch match {
            case .found(let f):
                index = byID[f.id]!
            case .ambiguous(let fs):
                reject(
                    line.row, header(.name), cell(.name), "vacancy_facility_ambiguous",
                    "같은 이름의 기관이 \(fs.count)곳입니다(\(fs.prefix(3).map(\.id).joined(separator: ", "))). 시설ID를 적어 주세요.")
                continue
            case .notFound:
                reject(
                    line.row, header(cell(.id) != nil ? .id : .name), text.first, "vacancy_facility_unknown",
                    "기관 목록에 없는 기관입니다('\(text.joined(separator: " / "))'). 시설ID나 이름을 확인해 주세요.")
                continue
            }
            var places = updated[index].places
            var readable = true
            for (field, keyPath) in [
                (FacilityField.capacity, \Facility.Places.capacity), (.enrolled, \.enrolled), (.vacancies, \.vacancies),
            ] {
                guard let t = cell(field) else { continue }
                if let n = FacilityText.count(t) {
                    places[keyPath: keyPath] = n
                } else {
                    reject(line.row, header(field), t, "vacancy_unreadable", "'\(t)'을(를) 인원 수로 읽을 수 없습니다.")
                    readable = false
                }
            }
            guard readable else { continue }
            if cell(.vacancies) == nil {
                guard let cap = places.capacity, let enrolled = places.enrolled else {
                    reject(
                        line.row, header(.enrolled), cell(.enrolled), "vacancy_unreadable",
                        "빈자리를 알 수 없습니다(빈자리, 또는 정원과 현원을 적어 주세요).")
                    continue
                }
                places.vacancies = max(0, cap - enrolled)
            }
            places.asOf = nil
            if let t = cell(.vacanciesAsOf) {
                places.asOf = date(t)
                if places.asOf == nil {
                    reject(
                        line.row, header(.vacanciesAsOf), t, "vacancy_date_unreadable", "기준일('\(t)')을 읽을 수 없습니다.",
                        kept: true)
                }
            }
            let id = updated[index].id
            if let earlier = setBy[id] {
                if let a = earlier.asOf, let b = places.asOf, b < a {
                    reject(
                        line.row, nil, id, "vacancy_repeated", "\(earlier.row)행에 더 최근(\(a.iso)) 빈자리가 있어 이 행은 쓰지 않았습니다.",
                        kept: true)
                    continue
                }
                reject(line.row, nil, id, "vacancy_repeated", "\(earlier.row)행과 같은 기관이라 이 행(더 최근)으로 바꿨습니다.", kept: true)
            }
            setBy[id] = (line.row, places.asOf)
            updated[index].places = places
            report.accepted += 1
        }
        if columns == nil {
            reject(1, nil, nil, "vacancy_header_missing", "빈자리 표에서 기관(시설ID 또는 시설명)과 빈자리(또는 현원) 열이 있는 머리글을 찾지 못했습니다.")
            report.error = "no header"
        }
        byID.removeAll()
        load.vacanciesApplied = setBy.count
        load.registry = FacilityRegistry(updated)
        load.vacancySheet = report
    }
}
