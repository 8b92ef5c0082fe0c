/// Length caps of cells. A field has a length it never reaches in real life (an address of 500
/// characters, a phone cell of 200); a longer cell is a pasted document or a hostile export, and
/// the normalizer reports it (`address_too_long`, `phone_too_long`, ...) instead of reading it.
/// The normalizers are near-linear in a cell's length anyway; the caps keep values that no one
/// could use out of the outputs. Lengths are counted in Unicode scalars (a Hangul syllable is one).
enum FieldLength {
    /// The number of Unicode scalars of `text` when there are more than `limit`, else nil. A cell
    /// of at most `limit` UTF-8 bytes (nearly every cell) is decided without reading it.
    @inline(__always) static func count(_ text: String, over limit: Int) -> Int? {
        if text.utf8.count <= limit { return nil }
        var n = 0
        for _ in text.unicodeScalars { n += 1 }
        return n > limit ? n : nil
    }
}

/// How a cell longer than its field's cap is reported (fatal `code`, not read); every capped field words it
/// alike: `<field> 칸이 너무 깁니다(<n>자, 최대 <limit>자). <advice>`.
public struct CellTooLong: Sendable {
    @usableFromInline let code: String
    @usableFromInline let field: String
    @usableFromInline let advice: String

    /// The issue for `text` when it has more than `limit` characters, else nil.
    @usableFromInline func issue(_ text: String, limit: Int) -> FieldIssue? {
        guard let count = FieldLength.count(text, over: limit) else { return nil }
        return .fatal(code, "\(field) 칸이 너무 깁니다(\(count)자, 최대 \(limit)자). \(advice)")
    }
}

/// A normalizer of one kind of cell with a length cap: `normalize(_:)` reads with the cap,
/// `normalize(_:maxCharacters:)` with another (tests and `scripts/bench-hostile.sh` lift it).
public protocol LengthCappedNormalizer {
    associatedtype Value
    /// The longest cell read, in characters (Unicode scalars).
    static var maxCharacters: Int { get }
    /// What a longer cell gets instead of a value.
    static var tooLong: CellTooLong { get }
    /// Every rule, for a cell within the cap.
    static func normalizeWithinCap(_ raw: String) -> Normalized<Value>
}

extension LengthCappedNormalizer {
    @inlinable public static func normalize(_ raw: String) -> Normalized<Value> {
        normalize(raw, maxCharacters: maxCharacters)
    }

    @inlinable public static func normalize(_ raw: String, maxCharacters: Int) -> Normalized<Value> {
        if let issue = tooLong.issue(raw, limit: maxCharacters) { return .failed(issue) }
        return normalizeWithinCap(raw)
    }
}
