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
