/// Date recognizers shared by the birth-date and timestamp normalizers.
///
/// They work on `FieldToken`s and return raw numbers; callers decide what an
/// impossible date means for their field.
enum DateScan {
    enum Order: Equatable { case ymd, mdy, dmy }

    struct Match: Equatable {
        var year: Int
        var month: Int
        var day: Int
        /// Index of the first token after the date.
        var next: Int
        var order: Order
        /// `17.03.05` / `170305`: century was inferred.
        var twoDigitYear: Bool
        /// `3/5/2017`: both readings (M/D and D/M) are possible dates.
        var orderAmbiguous: Bool
    }

    @inline(__always) private static func isDateSep(_ t: FieldToken) -> Bool {
        t.isSymbol("-") || t.isSymbol(".") || t.isSymbol("/")
    }

    /// Recognizes `2017-03-05`, `2017.3.5`, `2017. 3. 5.`, `2017/3/5`, `2017년 3월 5일(생)`,
    /// `20170305`, `170305`, `17.03.05`, `3/5/2017` at token `i`.
    /// `pivotYY`: two-digit years ≤ pivot are 20YY, others 19YY.
    static func match(_ t: [FieldToken], at i: Int, pivotYY: Int) -> Match? {
        guard i < t.count, t[i].kind == .number else { return nil }
        let a = t[i]
        func num(_ k: Int, digits: ClosedRange<Int>) -> FieldToken? {
            guard k < t.count, t[k].kind == .number, digits.contains(t[k].digitCount) else { return nil }
            return t[k]
        }
        func century(_ yy: Int) -> Int { yy <= pivotYY ? 2000 + yy : 1900 + yy }
        // Y-M-D with 4-digit year.
        if a.digitCount == 4 {
            if i + 1 < t.count, t[i + 1].isWord("년") {
                if let m = num(i + 2, digits: 1...2), i + 3 < t.count, t[i + 3].isWord("월"),
                    let d = num(i + 4, digits: 1...2)
                {
                    var next = i + 5
                    if next < t.count, t[next].kind == .word, ["일", "일생", "생", "일생입니다", "일입니다"].contains(t[next].word) {
                        next += 1
                    }
                    return Match(
                        year: a.value, month: m.value, day: d.value, next: next, order: .ymd, twoDigitYear: false,
                        orderAmbiguous: false)
                }
                return nil
            }
            if i + 4 < t.count, isDateSep(t[i + 1]), let m = num(i + 2, digits: 1...2), isDateSep(t[i + 3]),
                let d = num(i + 4, digits: 1...2)
            {
                var next = i + 5
                if next < t.count, t[next].isSymbol("."), t[i + 1].isSymbol(".") { next += 1 }
                if next < t.count, t[next].kind == .word, ["일", "일생", "생"].contains(t[next].word) { next += 1 }
                return Match(
                    year: a.value, month: m.value, day: d.value, next: next, order: .ymd, twoDigitYear: false,
                    orderAmbiguous: false)
            }
            return nil
        }
        if a.digitCount == 8, !(i + 1 < t.count && isDateSep(t[i + 1])) {
            let v = a.value
            var next = i + 1
            if next < t.count, t[next].isWord("생") { next += 1 }
            return Match(
                year: v / 10000, month: (v / 100) % 100, day: v % 100, next: next, order: .ymd, twoDigitYear: false,
                orderAmbiguous: false)
        }
        if a.digitCount == 6, !(i + 1 < t.count && isDateSep(t[i + 1])) {
            let v = a.value
            var next = i + 1
            if next < t.count, t[next].isWord("생") { next += 1 }
            return Match(
                year: century(v / 10000), month: (v / 100) % 100, day: v % 100, next: next, order: .ymd,
                twoDigitYear: true, orderAmbiguous: false)
        }
        if (1...2).contains(a.digitCount), i + 4 < t.count, isDateSep(t[i + 1]), let b = num(i + 2, digits: 1...2),
            isDateSep(t[i + 3])
        {
            if let y = num(i + 4, digits: 4...4) {
                // M/D/YYYY (US-locale spreadsheets) or D/M/YYYY.
                let first = a.value
                let second = b.value
                if first > 12 && second <= 12 {
                    return Match(
                        year: y.value, month: second, day: first, next: i + 5, order: .dmy, twoDigitYear: false,
                        orderAmbiguous: false)
                }
                let ambiguous = first <= 12 && second <= 12 && first != second
                return Match(
                    year: y.value, month: first, day: second, next: i + 5, order: .mdy, twoDigitYear: false,
                    orderAmbiguous: ambiguous)
            }
            if a.digitCount == 2, let d = num(i + 4, digits: 1...2) {
                var next = i + 5
                if next < t.count, t[next].isSymbol("."), t[i + 1].isSymbol(".") { next += 1 }
                return Match(
                    year: century(a.value), month: b.value, day: d.value, next: next, order: .ymd, twoDigitYear: true,
                    orderAmbiguous: false)
            }
        }
        return nil
    }

    /// Excel/Sheets 1900 date system: serial 1 = 1900-01-01, serial 60 is the
    /// non-existent 1900-02-29 (Lotus bug, returns nil), serial ≥ 61 counts days from 1899-12-30.
    static func excelDate(serial: Int) -> LocalDate? {
        if serial < 1 || serial == 60 || serial > 2_958_465 { return nil }
        let base = serial < 60 ? LocalDate(year: 1899, month: 12, day: 31)! : LocalDate(year: 1899, month: 12, day: 30)!
        return base.adding(days: serial)
    }
}
