import Testing

@testable import DolbomNormalize

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Hostile cells: one cell of `아산시` repeated made the address parser cubic in the cell's length
/// (a 3 MB cell did not finish in two minutes, and the run held its lock all the while). Every
/// normalizer is timed on adversarial cells of about `n` and `8n` bytes, with its length cap
/// lifted so that the parser itself reads the whole cell, and the ratio of the two times must
/// stay near-linear (below 8 × 3). Ratios, never absolute times: tests run in debug builds on
/// shared machines. The small cell is timed over enough calls to rise above the clock's noise.
@Suite("Normalizers are near-linear in a cell's length")
struct NormalizerComplexityTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        /// The small cell's size in bytes (the big one is 8 times as large).
        var bytes: Int
        var make: @Sendable (Int) -> String
        var run: @Sendable (String) -> Int

        var testDescription: String { name }
    }

    /// A cell of about `bytes` UTF-8 bytes: `head`, `unit` repeated, `tail`.
    static func cell(_ head: String, _ unit: String, _ tail: String = "", bytes: Int) -> String {
        let n = max(1, (bytes - head.utf8.count - tail.utf8.count) / max(1, unit.utf8.count))
        return head + String(repeating: unit, count: n) + tail
    }

    /// Distinct mobile numbers separated by ` / `.
    static func phones(bytes: Int) -> String {
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

    static let uncapped = Int.max
    static let address = AddressNormalizer(gazetteer: .builtIn, maxCharacters: uncapped)
    static let ages = ChildAgeNormalizer(asOf: LocalDate(year: 2024, month: 7, day: 15)!, maxCharacters: uncapped)

    static func a(_ name: String, _ bytes: Int, _ make: @escaping @Sendable (Int) -> String) -> Case {
        Case(name: "address." + name, bytes: bytes, make: make, run: { address.normalize($0).issues.count })
    }
    static func phone(_ name: String, _ bytes: Int, _ make: @escaping @Sendable (Int) -> String) -> Case {
        Case(
            name: "phone." + name, bytes: bytes, make: make,
            run: { PhoneNormalizer.normalize($0, maxCharacters: uncapped).issues.count })
    }
    static func name(_ name: String, _ bytes: Int, _ make: @escaping @Sendable (Int) -> String) -> Case {
        Case(
            name: "name." + name, bytes: bytes, make: make,
            run: { NameNormalizer.normalize($0, maxCharacters: uncapped).issues.count })
    }
    static func age(_ name: String, _ bytes: Int, _ make: @escaping @Sendable (Int) -> String) -> Case {
        Case(name: "age." + name, bytes: bytes, make: make, run: { ages.normalize($0).issues.count })
    }
    static func timestamp(_ name: String, _ bytes: Int, _ make: @escaping @Sendable (Int) -> String) -> Case {
        Case(
            name: "timestamp." + name, bytes: bytes, make: make,
            run: { TimestampNormalizer.normalize($0, maxCharacters: uncapped).issues.count })
    }
    static func other<T>(
        _ name: String, _ bytes: Int, _ f: @escaping @Sendable (String) -> Normalized<T>,
        _ make: @escaping @Sendable (Int) -> String
    ) -> Case {
        Case(name: name, bytes: bytes, make: make, run: { f($0).issues.count })
    }

    static let cases: [Case] = [
        // The probe's cells: `아산시` glued (cubic before), one word of `가` (quadratic before).
        a("asan_glued", 2000) { cell("", "아산시", bytes: $0) },
        a("ga_word", 16000) { cell("", "가", bytes: $0) },
        // Every rest of the glued word ends in 동 (a 읍면동 shape), or is followed by more words.
        a("asan_glued_dong", 2000) { cell("", "아산시", "동", bytes: $0) },
        a("asan_glued_digit_words", 2000) { cell("", "아산시", "1 1길 가 가 가", bytes: $0) },
        a("glued_then_words", 2500) { cell("", "아산시", bytes: $0 / 2) + cell(" ", "가나 ", "번영로 15", bytes: $0 / 2) },
        // Unknown words before a road: each asked whether a road follows.
        a("unknown_words", 4000) { cell("충남 아산시 ", "가나 ", "번영로 15", bytes: $0) },
        a("digits", 16000) { cell("", "1", bytes: $0) },
        a("separators", 16000) { cell("아산시 ", ", ", bytes: $0) },
        a("brackets", 16000) { cell("아산시 ", "(", bytes: $0) },
        a("dong_ho", 16000) { cell("충남 아산시 번영로 15 ", "101동 1203호 ", bytes: $0) },
        a("ho_chain", 16000) { cell("충남 아산시 번영로 15 ", "1", bytes: $0 / 2) + cell("", " 호", bytes: $0 / 2) },
        a("reference_groups", 16000) { cell("충남 아산시 번영로 15 ", "(온천동)", bytes: $0) },
        a("reference_parts", 64000) { cell("충남 아산시 번영로 15 (온천동", ", 가나", ")", bytes: $0) },
        phone("distinct_numbers", 16000, phones),
        phone("digits", 4000) { cell("", "1", bytes: $0) },
        phone("zero_groups", 3200) { cell("", "01 ", bytes: $0) },
        phone("separators", 16000) { cell("010", "-", "1234", bytes: $0) },
        phone("ga_word", 16000) { cell("", "가", bytes: $0) },
        name("honorifics", 6000) { cell("김민준", " 님", bytes: $0) },
        name("attached_nim", 3500) { cell("김민준", "님", bytes: $0) },
        name("leading_roles", 6000) { cell("", "엄마 ", "김민준", bytes: $0) },
        name("attached_roles", 8000) { cell("김민준", "어머니", bytes: $0) },
        name("ga_word", 5000) { cell("", "가", bytes: $0) },
        name("annotations", 10000) { cell("김민준 ", "(엄마)", bytes: $0) },
        name("open_brackets", 8000) { cell("김민준 ", "(", bytes: $0) },
        age("middle_grades", 2500) { cell("중 ", "1 ", bytes: $0) },
        age("ambiguous_dates", 3500) { cell("", "3/5/2017 ", bytes: $0) },
        age("digits", 8000) { cell("", "1", bytes: $0) },
        age("ga_word", 14000) { cell("", "가", bytes: $0) },
        timestamp("meridiem", 8000) { cell("2024-07-01 ", "오후 ", "10:03", bytes: $0) },
        timestamp("digits", 8000) { cell("", "1", bytes: $0) },
        timestamp("ga_word", 16000) { cell("", "가", bytes: $0) },
        other("consent.agree", 16000, ConsentNormalizer.normalize) { cell("", "동의", bytes: $0) },
        other("consent.ga_word", 14000, ConsentNormalizer.normalize) { cell("", "가", bytes: $0) },
        other("contact_window.times", 7000, ContactWindowNormalizer.normalize) { cell("", "오후 2시~5시, ", bytes: $0) },
        other("contact_window.ga_word", 7000, ContactWindowNormalizer.normalize) { cell("", "가", bytes: $0) },
        other("care_type.list", 4000, CareTypeNormalizer.normalize) { cell("", "늘봄, 방과후, ", bytes: $0) },
        other("care_type.brackets", 4000, CareTypeNormalizer.normalize) { cell("", "(", bytes: $0) },
        other("household_flags.list", 3000, HouseholdFlagNormalizer.normalize) { cell("", "한부모, 저소득, ", bytes: $0) },
        other("household_flags.ga_word", 8000, HouseholdFlagNormalizer.normalize) { cell("", "가", bytes: $0) },
        other("language.list", 2000, LanguageNormalizer.normalize) { cell("", "한국어, ", bytes: $0) },
        other("language.ga_word", 2000, LanguageNormalizer.normalize) { cell("", "가", bytes: $0) },
    ]

    /// This thread's CPU time in seconds (other tests run on other threads meanwhile).
    static func cpuSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// The least time per call of `run(text)`, over three rounds of at least `calls` calls each
    /// and, for a quick call, as many more as fill 10 ms.
    static func timePerCall(_ c: Case, _ text: String, calls: Int = 1) -> Double {
        var sink = 0
        var best = Double.infinity
        var calls = calls
        for _ in 0..<3 {
            let t0 = cpuSeconds()
            for _ in 0..<calls { sink &+= c.run(text) }
            var elapsed = cpuSeconds() - t0
            var made = calls
            while elapsed < 0.01 {
                for _ in 0..<calls { sink &+= c.run(text) }
                made += calls
                elapsed = cpuSeconds() - t0
            }
            calls = made
            best = min(best, elapsed / Double(made))
        }
        if sink == -1 { print(sink) }
        return best
    }

    @Test(arguments: cases)
    func nearLinear(_ c: Case) {
        let small = c.make(c.bytes)
        let big = c.make(8 * c.bytes)
        let t1 = Self.timePerCall(c, small)
        let t8 = Self.timePerCall(c, big)
        let ratio = t8 / t1
        #expect(
            ratio < 24,
            "\(c.name): \(small.utf8.count) bytes \(t1 * 1e3) ms, \(big.utf8.count) bytes \(t8 * 1e3) ms: ratio \(ratio)"
        )
    }
}
