/// 시도/시군구 names and codes (plus, optionally, the 법정동 list) with the
/// lookup dictionaries the address normalizer needs, built once.
///
/// `builtIn` is compiled in (generated from the official 법정동코드 file) so the
/// tool works offline; loading the full 법정동 list adds 읍면동/리 validation,
/// `legalDongCode` and disambiguation of repeated 구/군 names.
public struct Gazetteer: Sendable {
    /// One 시군구 (or 일반구) in force.
    public struct Sigungu: Hashable, Sendable {
        /// 5-digit code, e.g. `44133`.
        public let code: String
        /// 2-digit 시도 code, e.g. `44`.
        public let sidoCode: String
        /// Name below the 시도: `아산시`, `천안시 서북구`, `강남구`.
        public let name: String
        /// For an 일반구, the 시 it belongs to (`천안시`).
        public let city: String?
        /// For an 일반구, the 구 alone (`서북구`).
        public let gu: String?
    }

    /// A name or boundary change old addresses still use.
    public struct Rename: Hashable, Sendable {
        public enum Kind: String, Hashable, Sendable {
            /// 강원도 → 강원특별자치도: old spelling accepted silently.
            case sidoRenamed
            /// 인천 남구 → 미추홀구, 청원군 → 청주시: normalized with a warning.
            case sigunguRenamed
            /// 경북 군위군 → 대구 군위군: normalized with a warning.
            case sigunguMoved
            /// 부천시 → 원미구/소사구/오정구 (informational; `부천시` alone stays valid).
            case guCreated
        }
        public let kind: Kind
        /// The old name (`강원도`, `남구`, `군위군`, `청원군`).
        public let oldName: String
        /// The 시도 the old name belonged to, when it was a 시군구.
        public let oldSidoCode: String?
        /// Code of the current 시도 (2 digits) or 시군구 (5 digits).
        public let newCode: String
        public let effective: LocalDate
    }

    public enum LoadError: Error, Hashable, Sendable {
        /// The first line is not `법정동코드\t법정동명\t폐지여부`.
        case missingHeader
        /// No row in force could be read.
        case noRows
    }

    /// The lookup tables, in one shared box: the gazetteer is copied with every
    /// `AddressNormalizer` (e.g. each time `normalize` is passed as a function), and a copy
    /// is then one reference count instead of one per table.
    private final class Tables: Sendable {
        /// 2-digit code → official 시도 name.
        let sidoNames: [String: String]
        /// Every accepted spelling of a 시도 (full, short, old) → 2-digit code.
        let sidoAliases: AddressNameMap<String>
        let sigungus: [String: Sigungu]
        /// Lookup key (`천안시 서북구`, `천안시서북구`, `서북구`, `천안시`, `천안`) → codes.
        let sigunguKeys: AddressNameMap<[String]>
        /// City code (`44130`) → its 일반구 codes.
        let guChildren: [String: [String]]
        /// Old name → renames/moves (checked when the current names do not fit).
        let renames: AddressNameMap<[Rename]>
        /// All renames, for reference.
        let renameList: [Rename]
        let legal: LegalDongIndex?

        init(
            sidoNames: [String: String], sidoAliases: AddressNameMap<String>, sigungus: [String: Sigungu],
            sigunguKeys: AddressNameMap<[String]>, guChildren: [String: [String]], renames: AddressNameMap<[Rename]>,
            renameList: [Rename], legal: LegalDongIndex?
        ) {
            self.sidoNames = sidoNames
            self.sidoAliases = sidoAliases
            self.sigungus = sigungus
            self.sigunguKeys = sigunguKeys
            self.guChildren = guChildren
            self.renames = renames
            self.renameList = renameList
            self.legal = legal
        }
    }

    private let tables: Tables

    /// 2-digit code → official 시도 name.
    var sidoNames: [String: String] { _read { yield tables.sidoNames } }
    /// Every accepted spelling of a 시도 (full, short, old) → 2-digit code.
    var sidoAliases: AddressNameMap<String> { _read { yield tables.sidoAliases } }
    var sigungus: [String: Sigungu] { _read { yield tables.sigungus } }
    /// Lookup key (`천안시 서북구`, `천안시서북구`, `서북구`, `천안시`, `천안`) → codes.
    var sigunguKeys: AddressNameMap<[String]> { _read { yield tables.sigunguKeys } }
    /// City code (`44130`) → its 일반구 codes.
    var guChildren: [String: [String]] { _read { yield tables.guChildren } }
    /// Old name → renames/moves (checked when the current names do not fit).
    var renames: AddressNameMap<[Rename]> { _read { yield tables.renames } }
    /// All renames, for reference.
    public var renameList: [Rename] { tables.renameList }
    var legal: LegalDongIndex? { _read { yield tables.legal } }

    /// Whether a 법정동 list was loaded.
    public var hasLegalDongs: Bool { legal != nil }

    /// Every 시군구 in force.
    public var allSigungu: [Sigungu] { sigungus.values.sorted { $0.code < $1.code } }

    /// The compiled-in 시도 + 시군구 table.
    public static let builtIn = Gazetteer(sido: GazetteerData.sido, sigungu: GazetteerData.sigungu, legal: nil)

    /// Builds the gazetteer from the text of the official 법정동코드 file
    /// (already decoded from CP949). Pure: the caller does the I/O.
    public init(legalDongCodeText: String) throws {
        var sido: [(String, String)] = []
        var sgg: [(String, String)] = []
        var rows: [(code: String, comps: [Substring])] = []
        var sawHeader = false
        // Byte-level splitting: the file has ~50k lines and only ASCII separators.
        for rawLine in legalDongCodeText.utf8.split(separator: 0x0A) {
            var line = rawLine[...]
            if line.last == 0x0D { line = line.dropLast() }
            let fields = line.split(separator: 0x09, omittingEmptySubsequences: false)
            if !sawHeader {
                var first = fields.first ?? line
                if first.starts(with: [0xEF, 0xBB, 0xBF]) { first = first.dropFirst(3) }
                guard first.starts(with: "법정동코드".utf8) else { throw LoadError.missingHeader }
                sawHeader = true
                continue
            }
            guard fields.count >= 3, fields[2].starts(with: "존재".utf8) else { continue }
            let code = String(decoding: fields[0].filter { $0 != 0x20 }, as: UTF8.self)
            guard code.utf8.count == 10 else { continue }
            let comps = String(decoding: fields[1], as: UTF8.self).split(separator: " ")
            guard !comps.isEmpty else { continue }
            if code.hasSuffix("00000") {
                if comps.count == 1 {
                    sido.append((String(code.prefix(2)), String(comps[0])))
                } else {
                    sgg.append((String(code.prefix(5)), comps.dropFirst().joined(separator: " ")))
                }
            } else {
                rows.append((code, comps))
            }
        }
        guard sawHeader else { throw LoadError.missingHeader }
        guard !sido.isEmpty, !rows.isEmpty else { throw LoadError.noRows }
        // Keep compiled-in entries the file may lack (older file), prefer the file's.
        let fileSido = Set(sido.map { $0.0 })
        for s in GazetteerData.sido where !fileSido.contains(s.0) { sido.append(s) }
        let fileSgg = Set(sgg.map { $0.0 })
        for s in GazetteerData.sigungu where !fileSgg.contains(s.0) { sgg.append(s) }
        var depth: [String: Int] = [:]
        for (code, name) in sgg { depth[code] = 1 + name.split(separator: " ").count }
        for (code, _) in sido { depth[code + "000"] = 1 }
        var index = LegalDongIndex()
        for row in rows {
            let code5 = String(row.code.prefix(5))
            let d = depth[code5] ?? depth[String(row.code.prefix(2)) + "000"] ?? 2
            guard row.comps.count > d else { continue }
            let emd = String(row.comps[d])
            let isRi = !row.code.hasSuffix("00")
            if isRi, row.comps.count > d + 1 {
                index.addRi(code5: code5, emd: emd, ri: String(row.comps[d + 1]), code: row.code)
            } else if !isRi {
                index.addEmd(code5: code5, emd: emd, code: row.code)
            }
        }
        self.init(sido: sido, sigungu: sgg, legal: index)
    }

    init(sido: [(String, String)], sigungu: [(String, String)], legal: LegalDongIndex?) {
        var names: [String: String] = [:]
        var aliases = AddressNameMap<String>()
        for (code, name) in sido {
            names[code] = name
            aliases[name] = code
        }
        for (alias, code) in Gazetteer.sidoAliasTable where names[code] != nil {
            aliases[alias] = code
        }
        var sgg: [String: Sigungu] = [:]
        var keys = AddressNameMap<[String]>()
        var children: [String: [String]] = [:]
        func addKey(_ k: String, _ code: String) {
            if keys[k]?.contains(code) == true { return }
            keys[k, default: []].append(code)
        }
        /// `동대문` for 동대문구, `분당` for 분당구, as people shorten them (`서울 동대문 고미술로 9`); not
        /// for one-syllable stems (`중`, `남`) nor for stems that read as a 읍면동, road or 시도.
        func addGuStem(_ gu: String, _ code: String) {
            let scalars = Array(gu.unicodeScalars)
            guard scalars.count >= 3, scalars.last == "구" else { return }
            let stemScalars = scalars.dropLast()
            let readsAsPlace: Set<Unicode.Scalar> = ["동", "읍", "면", "리", "가", "로", "길", "시", "군"]
            guard let end = stemScalars.last, !readsAsPlace.contains(end) else { return }
            let stem = String(String.UnicodeScalarView(stemScalars))
            if aliases[stem] == nil { addKey(stem, code) }
        }
        // Parent cities first so 일반구 can find them.
        var cityCodeByName: [String: [String]] = [:]
        for (code, rawName) in sigungu {
            let name = rawName.split(separator: " ").joined(separator: " ")
            let parts = name.split(separator: " ")
            let sidoCode = String(code.prefix(2))
            let entry = Sigungu(
                code: code, sidoCode: sidoCode, name: name,
                city: parts.count > 1 ? String(parts[0]) : nil,
                gu: parts.count > 1 ? String(parts[parts.count - 1]) : nil)
            sgg[code] = entry
            if parts.count == 1 { cityCodeByName[name, default: []].append(code) }
        }
        for entry in sgg.values.sorted(by: { $0.code < $1.code }) {
            if let city = entry.city, let gu = entry.gu {
                addKey(entry.name, entry.code)
                addKey(city + gu, entry.code)
                addKey(gu, entry.code)
                addGuStem(gu, entry.code)
                if let parent = cityCodeByName[city]?.first(where: { $0.prefix(2) == entry.sidoCode }) {
                    children[parent, default: []].append(entry.code)
                }
            } else {
                addKey(entry.name, entry.code)
                // `아산` for 아산시, `양평` for 양평군 (not for 구: `중` means nothing).
                let scalars = Array(entry.name.unicodeScalars)
                if scalars.count >= 3, let last = scalars.last, last == "시" || last == "군" {
                    let stem = String(String.UnicodeScalarView(scalars.dropLast()))
                    if aliases[stem] == nil { addKey(stem, entry.code) }
                }
                addGuStem(entry.name, entry.code)
            }
        }
        var renameIndex = AddressNameMap<[Rename]>()
        for r in Gazetteer.renameTable {
            renameIndex[r.oldName, default: []].append(r)
        }
        self.tables = Tables(
            sidoNames: names, sidoAliases: aliases, sigungus: sgg, sigunguKeys: keys, guChildren: children,
            renames: renameIndex, renameList: Gazetteer.renameTable, legal: legal)
    }

    /// The official name of a 시도 code.
    public func sidoName(code: String) -> String? { sidoNames[code] }

    /// The 시도 code for any accepted spelling (`충남`, `강원도`, `서울 특별시` without the space).
    public func sidoCode(alias: String) -> String? { sidoAliases[alias] }

    /// Candidate 시군구 codes for a name as written (`중구` gives several).
    public func sigunguCodes(named name: String) -> [String] { sigunguKeys[name] ?? [] }

    public func sigungu(code: String) -> Sigungu? { sigungus[code] }

    /// The 시도 a postal code (국가기초구역번호) belongs to, from its first two digits.
    public func sidoCode(postalCode: String) -> String? {
        let u = Array(postalCode.utf8)
        guard u.count == 5, u.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        let p = Int(u[0] - 48) * 10 + Int(u[1] - 48)
        switch p {
        case 1...9: return "11"
        case 10...18: return "41"
        case 21...23: return "28"
        case 24...26: return "51"
        case 27...29: return "43"
        case 30: return "36"
        case 31...33: return "44"
        case 34...35: return "30"
        case 36...40: return "47"
        case 41...43: return "27"
        case 44...45: return "31"
        case 46...49: return "26"
        case 50...53: return "48"
        case 54...56: return "52"
        case 57...60: return "46"
        case 61...62: return "29"
        case 63: return "50"
        default: return nil
        }
    }

    /// Short and old 시도 spellings. `광주`/`광주시` are left out on purpose:
    /// they are 광주광역시 or 경기도 광주시 depending on what follows.
    static let sidoAliasTable: [(String, String)] = [
        ("서울", "11"), ("서울시", "11"), ("서울특별시", "11"),
        ("부산", "26"), ("부산시", "26"), ("부산광역시", "26"),
        ("대구", "27"), ("대구시", "27"), ("대구광역시", "27"),
        ("인천", "28"), ("인천시", "28"), ("인천광역시", "28"),
        ("광주광역시", "29"),
        ("대전", "30"), ("대전시", "30"), ("대전광역시", "30"),
        ("울산", "31"), ("울산시", "31"), ("울산광역시", "31"),
        ("세종", "36"), ("세종시", "36"), ("세종특별자치시", "36"), ("세종특별시", "36"),
        ("경기", "41"), ("경기도", "41"),
        ("강원", "51"), ("강원도", "51"), ("강원특별자치도", "51"),
        ("충북", "43"), ("충청북도", "43"),
        ("충남", "44"), ("충청남도", "44"),
        ("전북", "52"), ("전라북도", "52"), ("전북특별자치도", "52"), ("전북도", "52"),
        ("전남", "46"), ("전라남도", "46"),
        ("경북", "47"), ("경상북도", "47"),
        ("경남", "48"), ("경상남도", "48"),
        ("제주", "50"), ("제주도", "50"), ("제주특별자치도", "50"),
    ]

    static func date(_ y: Int, _ m: Int, _ d: Int) -> LocalDate { LocalDate(year: y, month: m, day: d)! }

    /// Renames and moves since the 2000s that old records still carry.
    static let renameTable: [Rename] = [
        Rename(kind: .sidoRenamed, oldName: "강원도", oldSidoCode: "42", newCode: "51", effective: date(2023, 6, 11)),
        Rename(kind: .sidoRenamed, oldName: "전라북도", oldSidoCode: "45", newCode: "52", effective: date(2024, 1, 18)),
        Rename(kind: .sidoRenamed, oldName: "제주도", oldSidoCode: "49", newCode: "50", effective: date(2006, 7, 1)),
        Rename(kind: .sigunguMoved, oldName: "군위군", oldSidoCode: "47", newCode: "27720", effective: date(2023, 7, 1)),
        Rename(kind: .sigunguRenamed, oldName: "남구", oldSidoCode: "28", newCode: "28177", effective: date(2018, 7, 1)),
        Rename(kind: .guCreated, oldName: "부천시", oldSidoCode: "41", newCode: "41192", effective: date(2024, 1, 1)),
        Rename(kind: .guCreated, oldName: "부천시", oldSidoCode: "41", newCode: "41194", effective: date(2024, 1, 1)),
        Rename(kind: .guCreated, oldName: "부천시", oldSidoCode: "41", newCode: "41196", effective: date(2024, 1, 1)),
        Rename(
            kind: .sigunguRenamed, oldName: "여주군", oldSidoCode: "41", newCode: "41670", effective: date(2013, 9, 23)),
        Rename(kind: .sigunguRenamed, oldName: "당진군", oldSidoCode: "44", newCode: "44270", effective: date(2012, 1, 1)),
        Rename(kind: .sigunguRenamed, oldName: "청원군", oldSidoCode: "43", newCode: "43110", effective: date(2014, 7, 1)),
        Rename(kind: .sigunguRenamed, oldName: "마산시", oldSidoCode: "48", newCode: "48120", effective: date(2010, 7, 1)),
        Rename(kind: .sigunguRenamed, oldName: "진해시", oldSidoCode: "48", newCode: "48129", effective: date(2010, 7, 1)),
        Rename(
            kind: .sigunguRenamed, oldName: "북제주군", oldSidoCode: "49", newCode: "50110", effective: date(2006, 7, 1)),
        Rename(
            kind: .sigunguRenamed, oldName: "남제주군", oldSidoCode: "49", newCode: "50130", effective: date(2006, 7, 1)),
        Rename(kind: .sigunguRenamed, oldName: "연기군", oldSidoCode: "44", newCode: "36110", effective: date(2012, 7, 1)),
    ]
}

/// 읍면동/리 of the 법정동 list, keyed by 5-digit 시군구 code.
struct LegalDongIndex: Sendable {
    /// code5 → 읍면동 name → 10-digit code.
    var emd: [String: AddressNameMap<String>] = [:]
    /// code5 → 리 name → [(읍면 name, 10-digit code)].
    var ri: [String: AddressNameMap<[RiEntry]>] = [:]
    /// 읍면동 name → code5s that have it.
    var emdSigungu = AddressNameMap<[String]>()
    /// 리 name → code5s that have it.
    var riSigungu = AddressNameMap<[String]>()

    struct RiEntry: Sendable, Hashable {
        let emd: String
        let code: String
    }

    mutating func addEmd(code5: String, emd name: String, code: String) {
        if emd[code5, default: AddressNameMap()][name] == nil {
            emd[code5, default: AddressNameMap()][name] = code
            emdSigungu[name, default: []].append(code5)
        }
    }

    mutating func addRi(code5: String, emd emdName: String, ri name: String, code: String) {
        let entry = RiEntry(emd: emdName, code: code)
        if ri[code5]?[name]?.contains(entry) == true { return }
        if ri[code5]?[name] == nil { riSigungu[name, default: []].append(code5) }
        ri[code5, default: AddressNameMap()][name, default: []].append(entry)
    }
}
