import DolbomNormalize
import DolbomRuntime
import Foundation

/// The official road-name address position file (도로명주소 개발자센터 위치정보요약DB, `entrc_*.txt`) as a
/// compact index of building entrances: which road + building number exists in which 시군구, with its
/// 법정동, postal code, building name and entrance point (UTM-K).
///
/// Loaded once per run: one 시도's file (some 600k lines) reads in about 7 s (docs/performance.md),
/// less than keeping and checking a copy in the state database would save.
public struct AddressDatabase: Sendable {
    /// Why the file could not be used; names the file and, for a bad line, its number, field and value.
    public struct LoadError: Error, Equatable, CustomStringConvertible {
        public var path: String
        public var line: Int?
        public var reason: String

        public var description: String {
            let place = line.map { "\(path):\($0)" } ?? path
            return "\(place): cannot read the address file (위치정보요약DB): \(reason)"
        }
    }

    struct Road: Sendable {
        var sigunguCode: Int32
        var name: Int32
        var sido: Int32
        var sigungu: Int32
    }

    struct Building: Sendable {
        var road: Int32
        var eupmyeondong: Int32
        var name: Int32
        var postalCode: Int32
        var legalDongCode: Int64
        var entranceSerial: Int64
        var x: Double
        var y: Double
    }

    /// A 시군구 and road name, the key a road is found by.
    struct RoadKey: Hashable, Sendable {
        var sigunguCode: Int32
        var name: Int32
    }

    /// Interned text (index 0 is the empty string): the same road, 동 or 시군구 name is stored once.
    var strings: [String] = [""]
    var stringIDs: [String: Int32] = ["": 0]
    var roads: [Road] = []
    var roadIDs: [RoadKey: Int32] = [:]
    var roadsBySigungu: [Int32: [Int32]] = [:]
    var roadsByName: [Int32: [Int32]] = [:]
    var buildings: [Building] = []
    var buildingIDs: [UInt64: Int32] = [:]
    /// Road names as jamo, for the correction of a road name one or two jamo off (by road name id).
    var jamoByName: [Int32: [UInt32]] = [:]

    /// Building entrances read (lines), and buildings kept (one entrance per building).
    public private(set) var lineCount = 0
    public var buildingCount: Int { buildings.count }
    /// The files read, in the order read.
    public private(set) var files: [String] = []

    /// Reads a file, or every `entrc_*.txt` in a folder (in name order).
    public init(path: String) throws(LoadError) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw LoadError(path: path, reason: "no such file or folder")
        }
        var paths = [path]
        if isFolder.boolValue {
            let names: [String]
            do { names = try FileManager.default.contentsOfDirectory(atPath: path) } catch {
                throw LoadError(path: path, reason: "cannot list the folder: \(error.localizedDescription)")
            }
            paths = names.filter { $0.hasPrefix("entrc_") && $0.hasSuffix(".txt") }.sorted()
                .map { URL(fileURLWithPath: path).appendingPathComponent($0).path }
            if paths.isEmpty { throw LoadError(path: path, reason: "the folder holds no entrc_*.txt file") }
        }
        for p in paths {
            let bytes: FileBytes
            do { bytes = try FileBytes(contentsOf: p) } catch { throw LoadError(path: p, reason: error.reason) }
            try add(bytes, path: p)
            files.append(p)
        }
        finishIndex()
    }

    /// An index of lines given as bytes (tests, the benchmark).
    public init(contents: Data, path: String) throws(LoadError) {
        try add(FileBytes(contents), path: path)
        files = [path]
        finishIndex()
    }

    // MARK: Loading

    static let fieldCount = 18

    /// Adds one file's lines. A line that does not have the layout's 18 fields, or a number field that is
    /// not a number, fails the load: it means a different file, and guessing would validate against junk.
    mutating func add(_ bytes: FileBytes, path: String) throws(LoadError) {
        var reader = LineFields(bytes: bytes)
        var text = TextFields(cp949: !Self.looksUTF8(bytes))
        var lineNumber = 0
        while reader.next() {
            lineNumber += 1
            if reader.isBlank { continue }
            do throws(LineError) {
                try addLine(&reader, text: &text)
            } catch {
                throw LoadError(path: path, line: lineNumber, reason: error.reason)
            }
            lineCount += 1
        }
    }

    struct LineError: Error { var reason: String }

    private mutating func addLine(_ line: inout LineFields, text: inout TextFields) throws(LineError) {
        guard line.count == Self.fieldCount else {
            throw LineError(reason: "\(line.count) fields separated by '|', the layout has \(Self.fieldCount)")
        }
        let sigunguCode = try line.number(0, name: "시군구코드")
        let serial = try line.number(1, name: "출입구일련번호")
        let legalDong = try line.number(2, name: "법정동코드")
        let underground = try line.number(8, name: "지하여부")
        let main = try line.number(9, name: "건물본번")
        let sub = try line.number(10, name: "건물부번")
        let postal = try line.number(12, name: "우편번호")
        guard underground <= 1, main > 0, main < 1 << 20, sub < 1 << 16, sigunguCode < 100_000 else {
            throw LineError(
                reason: "building number \(main)-\(sub) (지하 \(underground)) or 시군구코드 \(sigunguCode) out of range")
        }
        let x = try line.coordinate(16, name: "X좌표")
        let y = try line.coordinate(17, name: "Y좌표")
        let sido = try text.id(line, 3, slot: 0, into: &self)
        let sigungu = try text.id(line, 4, slot: 1, into: &self)
        let emd = try text.id(line, 5, slot: 2, into: &self)
        let roadName = try text.id(line, 7, slot: 3, into: &self)
        let buildingName = try text.id(line, 11, slot: 4, into: &self)
        guard roadName != 0 else { throw LineError(reason: "도로명 (field 8) is empty") }

        let key = RoadKey(sigunguCode: Int32(sigunguCode), name: roadName)
        let road: Int32
        if let known = roadIDs[key] {
            road = known
        } else {
            road = Int32(roads.count)
            roads.append(Road(sigunguCode: Int32(sigunguCode), name: roadName, sido: sido, sigungu: sigungu))
            roadIDs[key] = road
        }
        let building = Building(
            road: road, eupmyeondong: emd, name: buildingName, postalCode: Int32(postal),
            legalDongCode: Int64(legalDong), entranceSerial: Int64(serial), x: x ?? .nan, y: y ?? .nan)
        let packed = Self.buildingKey(road: road, underground: underground == 1, main: main, sub: sub)
        if let existing = buildingIDs[packed] {
            // One entrance per building: the lowest serial with a point, whatever the order of the lines.
            let old = buildings[Int(existing)]
            let better =
                (old.x.isNaN && !building.x.isNaN)
                || (old.x.isNaN == building.x.isNaN && building.entranceSerial < old.entranceSerial)
            if better { buildings[Int(existing)] = building }
        } else {
            buildingIDs[packed] = Int32(buildings.count)
            buildings.append(building)
        }
    }

    /// Lists of roads by 시군구 and by name, and each road name's jamo.
    private mutating func finishIndex() {
        roadsBySigungu = [:]
        roadsByName = [:]
        for (i, road) in roads.enumerated() {
            roadsBySigungu[road.sigunguCode, default: []].append(Int32(i))
            roadsByName[road.name, default: []].append(Int32(i))
            if jamoByName[road.name] == nil { jamoByName[road.name] = Jamo.letters(strings[Int(road.name)]) }
        }
    }

    mutating func intern(_ s: String) -> Int32 {
        if let id = stringIDs[s] { return id }
        let id = Int32(strings.count)
        strings.append(s)
        stringIDs[s] = id
        return id
    }

    static func buildingKey(road: Int32, underground: Bool, main: Int, sub: Int) -> UInt64 {
        UInt64(UInt32(bitPattern: road)) << 37 | (underground ? 1 << 36 : 0) | UInt64(main) << 16 | UInt64(sub)
    }

    /// UTF-8 when the file starts with a BOM, or its first 64 KB are valid UTF-8 with some non-ASCII text;
    /// otherwise CP949, the official encoding.
    static func looksUTF8(_ bytes: FileBytes) -> Bool {
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { return true }
        var end = min(bytes.count, 1 << 16)
        // Not inside a UTF-8 sequence cut by the 64 KB limit.
        while end < bytes.count && end > 0 && bytes[end] & 0xC0 == 0x80 { end -= 1 }
        let head = bytes.bytes(0..<end)
        guard head.contains(where: { $0 >= 0x80 }) else { return false }
        return String(validating: head, as: UTF8.self) != nil
    }
}

/// The fields of one line after another, found by their `|` separators (byte positions, nothing copied).
struct LineFields {
    let bytes: FileBytes
    private var position = 0
    /// Start and end of each field of the current line.
    private(set) var starts: [Int] = Array(repeating: 0, count: 24)
    private(set) var ends: [Int] = Array(repeating: 0, count: 24)
    private(set) var count = 0
    private(set) var isBlank = false

    init(bytes: FileBytes) {
        self.bytes = bytes
        // A UTF-8 BOM is not part of the first field.
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { position = 3 }
    }

    /// Moves to the next line; false at the end of the file.
    mutating func next() -> Bool {
        guard position < bytes.count else { return false }
        var end = position
        while end < bytes.count && bytes[end] != 0x0A { end += 1 }
        let next = end + 1
        if end > position && bytes[end - 1] == 0x0D { end -= 1 }
        count = 0
        var start = position
        var i = position
        while true {
            if i == end || bytes[i] == 0x7C {
                if count < starts.count {
                    starts[count] = start
                    ends[count] = i
                }
                count += 1
                if i == end { break }
                start = i + 1
            }
            i += 1
        }
        isBlank = end == position
        position = next
        return true
    }

    /// Where field `i` of the current line lies in `bytes`.
    func field(_ i: Int) -> Range<Int> { starts[i]..<ends[i] }

    /// A field of digits (spaces around it allowed).
    func number(_ i: Int, name: String) throws(AddressDatabase.LineError) -> Int {
        var value = 0
        var digits = 0
        for k in field(i) where bytes[k] != 0x20 {
            let b = bytes[k]
            guard b >= 0x30 && b <= 0x39, digits < 18 else {
                throw AddressDatabase.LineError(reason: "\(name) (field \(i + 1)) is not a number: \"\(text(i))\"")
            }
            value = value * 10 + Int(b - 0x30)
            digits += 1
        }
        guard digits > 0 else { throw AddressDatabase.LineError(reason: "\(name) (field \(i + 1)) is empty") }
        return value
    }

    /// A coordinate in metres, or nil when the field is empty (some entrances have no point).
    func coordinate(_ i: Int, name: String) throws(AddressDatabase.LineError) -> Double? {
        guard field(i).contains(where: { bytes[$0] != 0x20 }) else { return nil }
        let s = text(i).trimmingCharacters(in: .whitespaces)
        guard let v = Double(s), v.isFinite, v > 0 else {
            throw AddressDatabase.LineError(reason: "\(name) (field \(i + 1)) is not a coordinate in metres: \"\(s)\"")
        }
        return v
    }

    /// The field as text, for messages (ASCII fields only are shown as they are).
    func text(_ i: Int) -> String { bytes.text(field(i)) }
}

/// Decodes and interns the text fields, remembering each slot's last bytes: the lines of a file come road
/// by road, so the 시도, 시군구, 동 and road of a line are nearly always the previous line's.
struct TextFields {
    let cp949: Bool
    private var last: [[UInt8]] = Array(repeating: [], count: 5)
    private var lastID: [Int32] = Array(repeating: 0, count: 5)
    private var seen: [[UInt8]: Int32] = [:]

    /// Foundation's DOS Korean (code page 949), which decodes the extended syllables EUC-KR lacks.
    static let dosKorean = String.Encoding(rawValue: 0x8000_0422)

    init(cp949: Bool) { self.cp949 = cp949 }

    mutating func id(_ line: LineFields, _ field: Int, slot: Int, into db: inout AddressDatabase)
        throws(AddressDatabase.LineError) -> Int32
    {
        var range = line.field(field)
        while !range.isEmpty, line.bytes[range.lowerBound] == 0x20 { range = range.dropFirst() }
        while !range.isEmpty, line.bytes[range.upperBound - 1] == 0x20 { range = range.dropLast() }
        if range.isEmpty { return 0 }
        if line.bytes.bytes(range, equal: last[slot]) { return lastID[slot] }
        let key = line.bytes.bytes(range)
        let id: Int32
        if let known = seen[key] {
            id = known
        } else {
            let decoded = cp949 ? String(bytes: key, encoding: Self.dosKorean) : String(validating: key, as: UTF8.self)
            guard let decoded else {
                throw AddressDatabase.LineError(reason: "field \(field + 1) is not \(cp949 ? "CP949" : "UTF-8") text")
            }
            id = db.intern(decoded)
            seen[key] = id
        }
        last[slot] = key
        lastID[slot] = id
        return id
    }
}
