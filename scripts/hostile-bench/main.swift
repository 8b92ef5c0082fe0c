// Times the field normalizers (DolbomNormalize) on hostile cells: one cell of about BYTES bytes
// made by repeating a pattern (`아산시`, `가`, digits, separators, `101동 1203호`, ...).
//   hostile-bench list                       the case names
//   hostile-bench CASE BYTES [REPS] [--uncapped]
// prints `CASE<TAB>bytes<TAB>min CPU ms over REPS calls<TAB>issue codes`. `--uncapped` (built with
// -DHOSTILE_CAPS only) lifts the length caps, timing the parsers themselves on the whole cell.
// scripts/bench-hostile.sh builds this against a base commit and the working tree and runs every
// case under a timeout.
#if canImport(Glibc)
import Glibc
#endif
import DolbomNormalize

/// A cell of about `bytes` UTF-8 bytes: `head`, then `unit` repeated, then `tail`.
func cell(_ head: String, _ unit: String, _ tail: String = "", bytes: Int) -> String {
    let n = max(1, (bytes - head.utf8.count - tail.utf8.count) / max(1, unit.utf8.count))
    return head + String(repeating: unit, count: n) + tail
}

/// Distinct mobile numbers separated by ` / `.
func phones(bytes: Int) -> String {
    var s = ""
    var k = 0
    while s.utf8.count < bytes {
        let d = String(k % 100_000_000)
        let pad = String(repeating: "0", count: 8 - d.count) + d
        s += "010-\(pad.prefix(4))-\(pad.suffix(4)) / "
        k += 7_919
    }
    return s
}

let asOf = LocalDate(year: 2024, month: 7, day: 15)!
let uncapped = CommandLine.arguments.contains("--uncapped")
let args = CommandLine.arguments.dropFirst().filter { $0 != "--uncapped" }

#if HOSTILE_CAPS
let big = Int.max
let address = uncapped ? AddressNormalizer(gazetteer: .builtIn, maxCharacters: big) : AddressNormalizer()
let ages = uncapped ? ChildAgeNormalizer(asOf: asOf, maxCharacters: big) : ChildAgeNormalizer(asOf: asOf)
func phone(_ s: String) -> [String] { codes(uncapped ? PhoneNormalizer.normalize(s, maxCharacters: big) : PhoneNormalizer.normalize(s)) }
func name(_ s: String) -> [String] { codes(uncapped ? NameNormalizer.normalize(s, maxCharacters: big) : NameNormalizer.normalize(s)) }
func timestamp(_ s: String) -> [String] {
    codes(uncapped ? TimestampNormalizer.normalize(s, maxCharacters: big) : TimestampNormalizer.normalize(s))
}
#else
let address = AddressNormalizer()
let ages = ChildAgeNormalizer(asOf: asOf)
func phone(_ s: String) -> [String] { codes(PhoneNormalizer.normalize(s)) }
func name(_ s: String) -> [String] { codes(NameNormalizer.normalize(s)) }
func timestamp(_ s: String) -> [String] { codes(TimestampNormalizer.normalize(s)) }
#endif

func codes<T>(_ r: Normalized<T>) -> [String] { r.issues.map(\.code) }

/// name → (normalizer, cell maker).
let cases: [(String, (String) -> [String], (Int) -> String)] = [
    ("address.asan_glued", { codes(address.normalize($0)) }, { cell("", "아산시", bytes: $0) }),
    ("address.ga_word", { codes(address.normalize($0)) }, { cell("", "가", bytes: $0) }),
    ("address.asan_glued_dong", { codes(address.normalize($0)) }, { cell("", "아산시", "동", bytes: $0) }),
    ("address.asan_glued_digit_words", { codes(address.normalize($0)) }, { cell("", "아산시", "1 1길 가 가 가", bytes: $0) }),
    ("address.unknown_words", { codes(address.normalize($0)) }, { cell("충남 아산시 ", "가나 ", "번영로 15", bytes: $0) }),
    ("address.glued_then_words", { codes(address.normalize($0)) }, {
        cell("", "아산시", bytes: $0 / 2) + cell(" ", "가나 ", "번영로 15", bytes: $0 / 2)
    }),
    ("address.digits", { codes(address.normalize($0)) }, { cell("", "1", bytes: $0) }),
    ("address.separators", { codes(address.normalize($0)) }, { cell("아산시 ", ", ", bytes: $0) }),
    ("address.brackets", { codes(address.normalize($0)) }, { cell("아산시 ", "(", bytes: $0) }),
    ("address.dong_ho", { codes(address.normalize($0)) }, { cell("충남 아산시 번영로 15 ", "101동 1203호 ", bytes: $0) }),
    ("address.ho_chain", { codes(address.normalize($0)) }, { cell("충남 아산시 번영로 15 ", "1", "", bytes: $0 / 2) + cell("", " 호", bytes: $0 / 2) }),
    ("address.reference_groups", { codes(address.normalize($0)) }, { cell("충남 아산시 번영로 15 ", "(온천동)", bytes: $0) }),
    ("address.reference_parts", { codes(address.normalize($0)) }, { cell("충남 아산시 번영로 15 (온천동", ", 가나", ")", bytes: $0) }),
    ("phone.distinct_numbers", phone, phones),
    ("phone.digits", phone, { cell("", "1", bytes: $0) }),
    ("phone.zero_groups", phone, { cell("", "01 ", bytes: $0) }),
    ("phone.separators", phone, { cell("010", "-", "1234", bytes: $0) }),
    ("phone.ga_word", phone, { cell("", "가", bytes: $0) }),
    ("name.honorifics", name, { cell("김민준", " 님", bytes: $0) }),
    ("name.attached_nim", name, { cell("김민준", "님", bytes: $0) }),
    ("name.leading_roles", name, { cell("", "엄마 ", "김민준", bytes: $0) }),
    ("name.attached_roles", name, { cell("김민준", "어머니", bytes: $0) }),
    ("name.ga_word", name, { cell("", "가", bytes: $0) }),
    ("name.annotations", name, { cell("김민준 ", "(엄마)", bytes: $0) }),
    ("name.open_brackets", name, { cell("김민준 ", "(", bytes: $0) }),
    ("age.middle_grades", { codes(ages.normalize($0)) }, { cell("중 ", "1 ", bytes: $0) }),
    ("age.ambiguous_dates", { codes(ages.normalize($0)) }, { cell("", "3/5/2017 ", bytes: $0) }),
    ("age.digits", { codes(ages.normalize($0)) }, { cell("", "1", bytes: $0) }),
    ("age.ga_word", { codes(ages.normalize($0)) }, { cell("", "가", bytes: $0) }),
    ("timestamp.meridiem", timestamp, { cell("2024-07-01 ", "오후 ", "10:03", bytes: $0) }),
    ("timestamp.digits", timestamp, { cell("", "1", bytes: $0) }),
    ("timestamp.ga_word", timestamp, { cell("", "가", bytes: $0) }),
    ("consent.agree", { codes(ConsentNormalizer.normalize($0)) }, { cell("", "동의", bytes: $0) }),
    ("consent.ga_word", { codes(ConsentNormalizer.normalize($0)) }, { cell("", "가", bytes: $0) }),
    ("window.times", { codes(ContactWindowNormalizer.normalize($0)) }, { cell("", "오후 2시~5시, ", bytes: $0) }),
    ("window.ga_word", { codes(ContactWindowNormalizer.normalize($0)) }, { cell("", "가", bytes: $0) }),
    ("care.list", { codes(CareTypeNormalizer.normalize($0)) }, { cell("", "늘봄, 방과후, ", bytes: $0) }),
    ("care.brackets", { codes(CareTypeNormalizer.normalize($0)) }, { cell("", "(", bytes: $0) }),
    ("flags.list", { codes(HouseholdFlagNormalizer.normalize($0)) }, { cell("", "한부모, 저소득, ", bytes: $0) }),
    ("flags.ga_word", { codes(HouseholdFlagNormalizer.normalize($0)) }, { cell("", "가", bytes: $0) }),
    ("language.list", { codes(LanguageNormalizer.normalize($0)) }, { cell("", "한국어, ", bytes: $0) }),
    ("language.ga_word", { codes(LanguageNormalizer.normalize($0)) }, { cell("", "가", bytes: $0) }),
]

func cpuMilliseconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) * 1e3 + Double(ts.tv_nsec) / 1e6
}

if args.first == "list" {
    for c in cases { print(c.0) }
    exit(0)
}
guard args.count >= 2, let bytes = Int(args[args.startIndex + 1]), let c = cases.first(where: { $0.0 == args.first! }) else {
    print("usage: hostile-bench list | CASE BYTES [REPS] [--uncapped]")
    exit(2)
}
let reps = args.count > 2 ? Int(args[args.startIndex + 2]) ?? 3 : 3
let input = c.2(bytes)
var best = Double.infinity
var issues: [String] = []
for _ in 0..<reps {
    let t0 = cpuMilliseconds()
    issues = c.1(input)
    best = min(best, cpuMilliseconds() - t0)
}
print("\(c.0)\t\(input.utf8.count)\t\(String(format3(best)))\t\(Array(Set(issues)).sorted().joined(separator: ","))")

func format3(_ v: Double) -> String {
    let r = (v * 1000).rounded() / 1000
    return String(r)
}
