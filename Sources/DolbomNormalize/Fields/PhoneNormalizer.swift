/// A validated South Korean phone number.
///
/// Counselors dial from the call list, so the number is stored as bare digits
/// (for dialing and de-duplication) plus the conventional hyphenated form,
/// and a masked form that is safe to put in logs and issue messages.
public struct PhoneNumber: Hashable, Sendable, Codable {
    /// Mobile (010, legacy 011/016-019), landline (area codes), or virtual (070, 0502-0508 safe numbers).
    public enum Kind: String, Sendable, Codable { case mobile, landline, virtual }

    /// Digits only, with the leading trunk zero, e.g. `01012345678`.
    public var digits: String
    public var kind: Kind

    // The hyphenated and masked forms follow from the digits: kept as 24 bytes instead of 56
    // (every submission and household holds numbers), and rendered when asked for.

    /// e.g. `010-1234-5678`, `02-123-4567`, `041-123-4567`, `0505-123-4567`.
    public var formatted: String { render(mask: false) }
    /// The middle group replaced with `*`, e.g. `010-****-5678`; use this in logs and messages.
    public var masked: String { render(mask: true) }

    public init(digits: String, kind: Kind) {
        self.digits = digits
        self.kind = kind
    }

    /// The area or service prefix: `02`, `0505`, or three digits (`010`, `041`, `070`).
    private var prefixLength: Int {
        let utf8 = digits.utf8
        if utf8.starts(with: "02".utf8) { return 2 }
        if utf8.starts(with: "050".utf8) { return 4 }
        return 3
    }

    private func render(mask: Bool) -> String {
        var text = digits
        return text.withUTF8 { d in
            let n = d.count
            guard n > 4 else { return digits }
            let prefix = min(prefixLength, n - 4)
            let midEnd = n - 4
            return String(unsafeUninitializedCapacity: n + 2) { buf in
                var i = 0
                for k in 0..<n {
                    if k == prefix || k == midEnd {
                        buf[i] = 0x2D
                        i += 1
                    }
                    buf[i] = (mask && k >= prefix && k < midEnd) ? 0x2A : d[k]
                    i += 1
                }
                return i
            }
        }
    }

    enum CodingKeys: String, CodingKey { case digits, kind, formatted, masked }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(digits: try c.decode(String.self, forKey: .digits), kind: try c.decode(Kind.self, forKey: .kind))
    }

    /// The same four keys as when the forms were stored fields (state payloads stay byte-identical).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(digits, forKey: .digits)
        try c.encode(kind, forKey: .kind)
        try c.encode(formatted, forKey: .formatted)
        try c.encode(masked, forKey: .masked)
    }
}

/// All numbers found in one phone cell: the first valid one is the number to call.
public struct PhoneList: Hashable, Sendable, Codable {
    public var primary: PhoneNumber
    /// Further distinct numbers in the same cell (other parent, landline), in the order written.
    public var others: [PhoneNumber]

    public init(primary: PhoneNumber, others: [PhoneNumber] = []) {
        self.primary = primary
        self.others = others
    }
}

/// Turns a free-text phone cell into dialable numbers.
///
/// Handles separators, `+82`/`82`/`0082` prefixes with or without `(0)`,
/// labels such as `(엄마)`, full-width digits, several numbers in one cell,
/// and Excel's dropped leading zero (restored only when the result is a valid
/// number, with a warning). Fatal codes: `phone_missing`, `phone_not_a_number`,
/// `phone_invalid_length`, `phone_unknown_prefix`, `phone_placeholder`, `phone_too_long` (a cell
/// over `maxCharacters`, not read).
/// Warnings: `phone_leading_zero_restored`, `phone_legacy_prefix`, `phone_other_invalid`.
public enum PhoneNormalizer: LengthCappedNormalizer {
    /// The longest phone cell read, in characters (Unicode scalars): three numbers with labels
    /// and a remark are well under 100.
    public static let maxCharacters = 200

    public static let tooLong = CellTooLong(
        code: "phone_too_long", field: "전화번호",
        advice: "전화번호 외의 내용이 들어 있는지 원본을 확인하고 번호만 적어 주세요.")

    public static func normalizeWithinCap(_ raw: String) -> Normalized<PhoneList> {
        return plainMobile(raw) ?? generalNormalize(raw)
    }

    /// Every rule; `plainMobile` gives the same result for the cells it reads.
    static func generalNormalize(_ raw: String) -> Normalized<PhoneList> {
        if let single = singleNumberDigits(raw) {
            // One run of digits (with `-`/space formatting): the loop below would see exactly this
            // one segment, so its outcome is the outcome of the cell.
            switch parse(Segment(digits: single, starts: [], plus: false)) {
            case .success(let n, let w): return .ok(PhoneList(primary: n, others: []), w)
            case .failure(let issue): return .failed(issue)
            }
        }
        // Most cells are ASCII (`010-1234-5678`, `01012345678`): those are read straight from
        // their UTF-8 bytes (folding changes no ASCII character); others go through `fold`.
        var text = raw
        let ascii: [Segment]?? = text.withUTF8 { b -> [Segment]?? in
            guard b.allSatisfy({ $0 < 0x80 }) else { return nil }
            return .some(Self.segments(b.lazy.map { Unicode.Scalar($0) }))
        }
        let segments: [Segment]
        if let ascii {
            guard let found = ascii else {
                return .failed(.fatal("phone_missing", "전화번호가 비어 있습니다. 보호자 연락처를 입력해 주세요."))
            }
            segments = found
        } else {
            guard let found = Self.segments(FieldText.fold(raw)) else {
                return .failed(.fatal("phone_missing", "전화번호가 비어 있습니다. 보호자 연락처를 입력해 주세요."))
            }
            segments = found
        }
        if segments.isEmpty {
            return .failed(.fatal("phone_not_a_number", "전화번호 칸에 숫자가 없습니다. 010-0000-0000 형식의 번호를 입력해 주세요."))
        }
        var numbers: [PhoneNumber] = []
        var seen: Set<String> = []  // the numbers' digits (a hostile cell holds thousands)
        var warnings: [FieldIssue] = []
        var firstFailure: FieldIssue?
        var failures: [FieldIssue] = []
        for seg in segments {
            switch parse(seg) {
            case .success(let n, let w):
                if seen.insert(n.digits).inserted {
                    numbers.append(n)
                    for issue in w where !warnings.contains(where: { $0.code == issue.code }) { warnings.append(issue) }
                }
            case .failure(let issue):
                if firstFailure == nil { firstFailure = issue }
                // Short digit runs beside a valid number are labels ("2번", "1)"), not numbers.
                if seg.digitCount >= 7 { failures.append(issue) }
            }
        }
        guard let primary = numbers.first else {
            return .failed(firstFailure ?? .fatal("phone_not_a_number", "전화번호를 읽을 수 없습니다. 번호를 다시 확인해 주세요."))
        }
        if !failures.isEmpty {
            warnings.append(
                .warning(
                    "phone_other_invalid",
                    "한 칸에 적힌 번호 중 \(failures.count)개는 올바른 번호가 아니어서 제외했습니다. 원본을 확인해 주세요."))
        }
        return .ok(PhoneList(primary: primary, others: Array(numbers.dropFirst())), warnings)
    }

    // MARK: - Plain mobile numbers

    /// One 010 mobile number, the bulk of every export, read straight from the UTF-8 bytes:
    /// `010-1234-5678`, `01012345678`, `010 1234 5678`, `010.1234.5678`, `+82 10-1234-5678`,
    /// `+821012345678`, optionally followed by a Hangul label such as ` (엄마)`. For these the
    /// general path finds this one number and nothing else. nil for anything else, including
    /// placeholders (`010-1111-1111`) and Excel floats (`1012345678.0`): the general path decides.
    static func plainMobile(_ raw: String) -> Normalized<PhoneList>? {
        var text = raw
        return text.withUTF8 { b -> Normalized<PhoneList>? in
            guard let first = b.first, first == 0x2B || (first >= 0x30 && first <= 0x39),
                let last = b.last, last == 0x29 || (last >= 0x30 && last <= 0x39)
            else { return nil }
            var i = 0
            let international = first == 0x2B  // `+82`
            if international { i = 1 }
            // The digits, with `-`, ` ` and `.` between them: at most 13 (`+82 010 ...`) are read.
            var value: UInt64 = 0
            var count = 0
            var leadingDigit: UInt8 = 0
            var onlyDigitsSoFar = !international
            while i < b.count {
                let c = b[i]
                if c >= 0x30 && c <= 0x39 {
                    guard count < 13 else { return nil }
                    if count == 0 { leadingDigit = c - 0x30 }
                    value = value &* 10 &+ UInt64(c &- 0x30)  // at most 13 digits: no overflow
                    count &+= 1
                } else if c == 0x2E {
                    // `1012345678.0`: the general path reads an Excel float there.
                    if onlyDigitsSoFar && b[(i + 1)...].allSatisfy({ $0 == 0x30 }) { return nil }
                    onlyDigitsSoFar = false
                } else if c == 0x2D || c == 0x20 {
                    onlyDigitsSoFar = false
                } else {
                    break
                }
                i += 1
            }
            guard count > 0, leadingDigit == 0 || international else { return nil }
            if i < b.count {
                // A label closing the cell: `(엄마)`, with one space before it at most (already read).
                guard b[i] == 0x28, i + 1 < b.count - 1 else { return nil }
                var k = i + 1
                while k < b.count - 1 {
                    guard k + 2 < b.count - 1, b[k] >= 0xEA && b[k] <= 0xED else { return nil }
                    let v = UInt32(b[k] & 0x0F) << 12 | UInt32(b[k + 1] & 0x3F) << 6 | UInt32(b[k + 2] & 0x3F)
                    guard v >= 0xAC00 && v <= 0xD7A3 else { return nil }
                    k += 3
                }
            }
            // `+82`: country code, then the number with or without its trunk zero.
            var national = value
            var nationalCount = count
            if international {
                guard count >= 12, leadingDigit == 8 else { return nil }
                let scale = power10(count - 2)
                guard value / scale == 82 else { return nil }
                national = value % scale
                nationalCount = count - 2
                if nationalCount == 11 {
                    // `+82 010-...`: the trunk zero must be there for the remainder to be 10 + 8 digits.
                    guard national / power10(10) == 0 else { return nil }
                } else {
                    guard nationalCount == 10 else { return nil }
                }
            } else {
                guard count == 11 else { return nil }
            }
            // 010 and eight digits, not all the same (`010-0000-0000`).
            let subscriber = national % 100_000_000
            guard national / 100_000_000 == 10, subscriber % 11_111_111 != 0 else { return nil }
            let digits = String(unsafeUninitializedCapacity: 11) { out in
                out[0] = 0x30
                out[1] = 0x31
                out[2] = 0x30
                var rest = subscriber
                for k in stride(from: 10, through: 3, by: -1) {
                    out[k] = 0x30 | UInt8(truncatingIfNeeded: rest % 10)
                    rest /= 10
                }
                return 11
            }
            return .ok(PhoneList(primary: PhoneNumber(digits: digits, kind: .mobile), others: []), [])
        }
    }

    private static func power10(_ n: Int) -> UInt64 {
        var p: UInt64 = 1
        for _ in 0..<n { p *= 10 }
        return p
    }

    // MARK: - Segmenting

    /// The digits of a cell that is one number written with ASCII digits, `-` and spaces only
    /// (`010-1234-5678`, `01012345678`, ` 010 1234 5678 `), fewer than 18 of them (so nothing
    /// would be cut); nil otherwise. `starts` is not needed for such a segment: only cutting reads it.
    static func singleNumberDigits(_ raw: String) -> [UInt8]? {
        var text = raw
        return text.withUTF8 { b -> [UInt8]? in
            var d: [UInt8] = []
            d.reserveCapacity(12)
            for x in b {
                if x >= 0x30 && x <= 0x39 {
                    guard d.count < 17 else { return nil }
                    d.append(x - 0x30)
                } else if x != 0x2D && x != 0x20 {
                    return nil
                }
            }
            return d.isEmpty ? nil : d
        }
    }

    /// Trims the folded cell, drops a float's `.0`, and splits it; nil when nothing is left.
    static func segments<C: BidirectionalCollection>(_ folded: C) -> [Segment]? where C.Element == Unicode.Scalar {
        guard let first = folded.firstIndex(where: { !FieldText.isSpace($0) }) else { return nil }
        let last = folded.lastIndex(where: { !FieldText.isSpace($0) })!
        var a = folded[first...last]
        // A number exported as a float by Excel/pandas: `1012345678.0`.
        if let dot = a.firstIndex(of: "."), dot > a.startIndex, a.index(after: dot) < a.endIndex,
            a[..<dot].allSatisfy(FieldText.isDigit), a[a.index(after: dot)...].allSatisfy({ $0 == "0" })
        {
            a = a[..<dot]
        }
        return splitSegments(a)
    }

    /// Digit groups of one candidate number (flat digits + group start offsets), and whether `+` preceded it.
    struct Segment {
        var digits: [UInt8] = []
        var starts: [Int] = []
        var plus: Bool = false
        var digitCount: Int { digits.count }
    }

    /// Splits a cell into candidate numbers: letters, newlines and list
    /// separators end a number; spaces, dots, hyphens and parentheses are
    /// formatting inside one. A run of groups that already forms a valid number
    /// is cut when the next group starts with 0 (`010 1234 5678 010 9876 5432`).
    static func splitSegments<C: Collection>(_ a: C) -> [Segment] where C.Element == Unicode.Scalar {
        var raw: [Segment] = []
        var cur = Segment()
        var inGroup = false
        var pendingPlus = false
        func endSegment() {
            if !cur.digits.isEmpty { raw.append(cur) }
            cur = Segment()
            inGroup = false
            pendingPlus = false
        }
        for c in a {
            if FieldText.isDigit(c) {
                if !inGroup {
                    if cur.digits.isEmpty { cur.plus = pendingPlus }
                    cur.starts.append(cur.digits.count)
                    inGroup = true
                }
                cur.digits.append(UInt8(c.value - 0x30))
            } else if c == "+" {
                if !cur.digits.isEmpty { endSegment() }
                pendingPlus = true
                inGroup = false
            } else if c == "\n" || c == "\r" {
                endSegment()
            } else if FieldText.isSpace(c) || c == "-" || c == "." || c == "(" || c == ")" || c == ":" || c == "["
                || c == "]" || c == "_"
            {
                inGroup = false
            } else {
                // letters and list separators: '/', ',', ';', '|', '~', '&' ...
                endSegment()
            }
        }
        endSegment()

        // Cut runs that hold more than one number.
        if !raw.contains(where: { $0.digits.count >= 18 }) { return raw }  // the usual case: nothing to cut
        var out: [Segment] = []
        out.reserveCapacity(raw.count)
        for seg in raw {
            guard seg.digits.count >= 18 else {
                out.append(seg)
                continue
            }
            var part = Segment(plus: seg.plus)
            for (gi, start) in seg.starts.enumerated() {
                let end = gi + 1 < seg.starts.count ? seg.starts[gi + 1] : seg.digits.count
                // (`parse` reads no number from more than 16 digits: a longer part is not parsed again
                // for every group added to it.)
                if !part.digits.isEmpty, seg.digits[start] == 0, part.digits.count >= 9, part.digits.count <= 16,
                    case .success = parse(part)
                {
                    out.append(part)
                    part = Segment()
                }
                part.starts.append(part.digits.count)
                part.digits.append(contentsOf: seg.digits[start..<end])
            }
            out.append(part)
        }
        return out
    }

    // MARK: - Parsing one number

    enum Parsed {
        case success(PhoneNumber, [FieldIssue])
        case failure(FieldIssue)
    }

    static func parse(_ seg: Segment) -> Parsed {
        var d = seg.digits
        var warnings: [FieldIssue] = []
        if d.allSatisfy({ $0 == 0 }) || (d.count >= 7 && d.allSatisfy({ $0 == d[0] })) {
            return .failure(.fatal("phone_placeholder", "전화번호가 0000처럼 임의로 채운 값입니다. 실제 연락처를 받아 입력해 주세요."))
        }
        // International forms: +82, 82, 0082, with an optional (0) trunk digit.
        if d.count >= 4, d[0] == 0, d[1] == 0, d[2] == 8, d[3] == 2 {
            d.removeFirst(4)
            if d.first == 0 { d.removeFirst() }
            d.insert(0, at: 0)
        } else if d.count >= 10, d[0] == 8, d[1] == 2 {
            d.removeFirst(2)
            if d.first == 0 { d.removeFirst() }
            d.insert(0, at: 0)
        } else if seg.plus {
            return .failure(
                .fatal(
                    "phone_unknown_prefix",
                    "국제전화 번호(+\(d.prefix(2).map(String.init).joined())...)는 국내 번호가 아닙니다. 국내에서 걸 수 있는 번호를 받아 주세요."))
        } else if d.first != 0 {
            // Excel drops the leading zero of numbers stored as numbers.
            guard d.count == 9 || d.count == 10 else {
                return .failure(
                    .fatal("phone_invalid_length", "전화번호 자릿수(\(d.count)자리)가 맞지 않습니다. 지역번호나 010을 포함한 전체 번호를 입력해 주세요."))
            }
            d.insert(0, at: 0)
            switch validate(d) {
            case .success(let n, let w):
                warnings.append(
                    .warning(
                        "phone_leading_zero_restored",
                        "엑셀에서 맨 앞 0이 빠진 번호로 보여 0을 붙였습니다(\(n.masked)). 번호가 맞는지 확인해 주세요."))
                return .success(n, warnings + w)
            case .failure:
                return .failure(
                    .fatal("phone_unknown_prefix", "0으로 시작하지 않는 번호라 읽을 수 없습니다. 지역번호나 010을 포함한 전체 번호를 입력해 주세요."))
            }
        }
        return validate(d)
    }

    /// Renders digits as ASCII, optionally as `AAA-BBBB-CCCC` with the middle group masked.
    private static func ascii(_ d: [UInt8], prefixLen: Int = 0, mask: Bool, dashes: Bool) -> String {
        let n = d.count
        let midEnd = n - 4
        return String(unsafeUninitializedCapacity: n + 2) { buf in
            var i = 0
            for (k, v) in d.enumerated() {
                if dashes && (k == prefixLen || k == midEnd) {
                    buf[i] = 0x2D
                    i += 1
                }
                buf[i] = (mask && k >= prefixLen && k < midEnd) ? 0x2A : 0x30 + v
                i += 1
            }
            return i
        }
    }

    /// Checks prefix and length of a `0…` digit string and builds the number.
    static func validate(_ d: [UInt8]) -> Parsed {
        guard d.count >= 2, d[0] == 0 else {
            return .failure(.fatal("phone_unknown_prefix", "국내 전화번호 형식이 아닙니다. 지역번호나 010을 포함한 번호를 입력해 주세요."))
        }
        let n = d.count
        var prefixLen = 3
        var kind = PhoneNumber.Kind.landline
        // The allowed digit counts (at most two; none for an unknown prefix), without an array.
        var lengths: (Int, Int)? = nil
        var legacy = false
        let p2 = Int(d[1])
        let p3 = n >= 3 ? Int(d[2]) : -1
        switch p2 {
        case 1:
            kind = .mobile
            switch p3 {
            case 0: lengths = (11, 11)
            case 1, 6, 7, 8, 9:
                lengths = (10, 11)
                legacy = true
            default: lengths = nil
            }
        case 2:
            prefixLen = 2
            lengths = (9, 10)
        case 3: if (1...3).contains(p3) { lengths = (10, 11) }
        case 4: if (1...4).contains(p3) { lengths = (10, 11) }
        case 5:
            if (1...5).contains(p3) {
                lengths = (10, 11)
            } else if p3 == 0, n >= 4, (2...8).contains(Int(d[3])) {
                prefixLen = 4
                kind = .virtual
                lengths = (11, 12)
            }
        case 6: if (1...4).contains(p3) { lengths = (10, 11) }
        case 7:
            if p3 == 0 {
                kind = .virtual
                lengths = (11, 11)
            }
        default: break
        }
        guard let lengths else {
            return .failure(
                .fatal(
                    "phone_unknown_prefix",
                    "\(d.prefix(min(n, 3)).map(String.init).joined())(으)로 시작하는 번호는 사용하지 않는 국번입니다. 번호를 다시 확인해 주세요."))
        }
        guard n == lengths.0 || n == lengths.1 else {
            return .failure(.fatal("phone_invalid_length", "전화번호 자릿수(\(n)자리)가 맞지 않습니다. 빠지거나 더 들어간 숫자가 있는지 확인해 주세요."))
        }
        let sub = d[prefixLen...]
        if sub.allSatisfy({ $0 == sub.first }) {
            return .failure(.fatal("phone_placeholder", "전화번호 뒷자리가 같은 숫자로만 되어 있어 임의로 채운 값으로 보입니다. 실제 연락처를 받아 입력해 주세요."))
        }
        let number = PhoneNumber(digits: ascii(d, mask: false, dashes: false), kind: kind)
        assert(number.formatted == ascii(d, prefixLen: prefixLen, mask: false, dashes: true))
        var w: [FieldIssue] = []
        if legacy {
            w.append(
                .warning(
                    "phone_legacy_prefix",
                    "\(number.masked)은(는) 예전 휴대전화 국번(01\(p3))입니다. 지금도 연결되는지, 010 번호가 있는지 확인해 주세요."))
        }
        return .success(number, w)
    }
}
