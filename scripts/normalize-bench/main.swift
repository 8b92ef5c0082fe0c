// Micro-benchmark of the field normalizers (DolbomNormalize) on the distinct cells of a bulk export.
//   normalize-bench FILE.csv [passes] [--dump OUT] [--only FIELD] [--raw]
// For each field it prints: distinct cells, median CPU ms per pass over them, and a fingerprint of all
// results (value + issues, hashed; run with SWIFT_DETERMINISTIC_HASHING=1 so fingerprints compare
// across builds). scripts/bench-normalize.sh runs this against a base commit's build, alternating,
// and reports old/new ratios and whether every result is the same.
#if canImport(Glibc)
import Glibc
#endif
import DolbomNormalize

/// Minimal RFC 4180 reader (quotes, doubled quotes, newlines inside quotes); enough for bench files.
func readCSV(_ path: String) -> [[String]] {
    guard let f = fopen(path, "rb") else { fatalError("cannot open \(path)") }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let n = fread(&buf, 1, buf.count, f)
        if n <= 0 { break }
        bytes.append(contentsOf: buf[0..<n])
    }
    var rows: [[String]] = []
    var row: [String] = []
    var field: [UInt8] = []
    var inQuotes = false
    var i = 0
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
    while i < bytes.count {
        let b = bytes[i]
        if inQuotes {
            if b == 0x22 {
                if i + 1 < bytes.count && bytes[i + 1] == 0x22 { field.append(0x22); i += 1 } else { inQuotes = false }
            } else { field.append(b) }
        } else if b == 0x22 {
            inQuotes = true
        } else if b == 0x2C {
            row.append(String(decoding: field, as: UTF8.self)); field.removeAll(keepingCapacity: true)
        } else if b == 0x0A {
            row.append(String(decoding: field, as: UTF8.self)); field.removeAll(keepingCapacity: true)
            rows.append(row); row = []
        } else if b != 0x0D {
            field.append(b)
        }
        i += 1
    }
    if !field.isEmpty || !row.isEmpty { row.append(String(decoding: field, as: UTF8.self)); rows.append(row) }
    return rows
}

var args = Array(CommandLine.arguments.dropFirst())
var dumpPath: String?
var only: String?
/// `--raw`: normalize cells as read, without trimming them first as the pipeline does.
let rawCells = args.contains("--raw")
args.removeAll { $0 == "--raw" }
if let k = args.firstIndex(of: "--only"), k + 1 < args.count { only = args[k + 1]; args.removeSubrange(k...(k + 1)) }
if let k = args.firstIndex(of: "--dump"), k + 1 < args.count { dumpPath = args[k + 1]; args.removeSubrange(k...(k + 1)) }
guard let path = args.first else { print("usage: normalize-bench FILE.csv [passes] [--dump OUT]"); exit(2) }
let passes = args.count > 1 ? Int(args[1]) ?? 5 : 5

let rows = readCSV(path)
let header = rows[0]
func column(_ keys: [String]) -> Int? { header.firstIndex { h in keys.contains { h.contains($0) } } }
func distinct(_ col: Int?, trim: Bool = !rawCells) -> [String] {
    guard let col else { return [] }
    var seen = Set<[UInt8]>()
    var out: [String] = []
    for r in rows.dropFirst() where col < r.count {
        let t = trim ? r[col].trimmedWhitespace : r[col]
        if seen.insert(Array(t.utf8)).inserted { out.append(t) }
    }
    return out
}
let allCells: [String] = rows.dropFirst().flatMap { $0 }
let timestamps = distinct(column(["타임스탬프", "제출"]))
let phones = distinct(column(["연락처", "전화"]))
let addresses = distinct(column(["주소"]))
let names = distinct(column(["보호자 성명", "보호자 이름", "신청인"])) + distinct(column(["자녀 이름"]))
let ages = distinct(column(["생년월일", "나이"]))
let windows = distinct(column(["시간대"]))
let ageNormalizer = ChildAgeNormalizer(asOf: LocalDate(year: 2024, month: 7, day: 15)!)
let addressNormalizer = AddressNormalizer()

var dump = ""
func describe(_ a: Address) -> String {
    "Address(sido: \(a.sido ?? "-"), sigungu: \(a.sigungu ?? "-"), emd: \(a.eupmyeondong ?? "-"), ri: \(a.ri ?? "-"), road: \(a.road ?? "-"), number: \(a.buildingNumber ?? "-"), underground: \(a.underground), jibun: \(a.jibun ?? "-"), detail: \(a.detail ?? "-"), building: \(a.buildingName ?? "-"), postal: \(a.postalCode ?? "-"), kind: \(a.kind), code: \(a.sigunguCode ?? "-"), legal: \(a.legalDongCode ?? "-"), text: \(a.text))"
}

/// This thread's CPU time: steadier than wall time on a machine shared with other jobs.
func cpuMilliseconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) * 1e3 + Double(ts.tv_nsec) / 1e6
}

/// Times (CPU time) `passes` runs of `f` over `cells`; returns (median ms, fingerprint).
@MainActor func bench<T: Hashable>(_ label: String, _ cells: [String], _ f: (String) -> Normalized<T>, describe: (T) -> String = { "\($0)" }) {
    guard !cells.isEmpty, only == nil || only == label else { return }
    var hasher = Hasher()
    for c in cells {
        let r = f(c)
        hasher.combine(r.value)
        hasher.combine(r.issues)
        if dumpPath != nil {
            dump += "\(label)\t\(c)\t\(r.value.map(describe) ?? "nil")\t\(r.issues.map { "\($0.severity) \($0.code) \($0.message)" })\n"
        }
    }
    let fingerprint = hasher.finalize()
    var times: [Double] = []
    var sink = 0
    for _ in 0..<passes {
        let t0 = cpuMilliseconds()
        for c in cells { sink &+= f(c).issues.count }
        times.append(cpuMilliseconds() - t0)
    }
    times.sort()
    let median = times[times.count / 2]
    print("\(label)\t\(cells.count)\t\(String(median))\t\(String(UInt64(bitPattern: Int64(fingerprint)), radix: 16))\t\(sink % 2)")
}

print("field\tcells\tmedian_ms\tfingerprint\t_")
bench("trim", allCells) { Normalized.ok($0.trimmedWhitespace) }
bench("timestamp", timestamps, TimestampNormalizer.normalize)
bench("phone", phones, PhoneNormalizer.normalize)
bench("address", addresses, addressNormalizer.normalize, describe: describe)
bench("name", names, NameNormalizer.normalize)
bench("age", ages, ageNormalizer.normalize)
bench("window", windows, ContactWindowNormalizer.normalize)

if let dumpPath, let f = fopen(dumpPath, "wb") {
    fputs(dump, f)
    fclose(f)
}
