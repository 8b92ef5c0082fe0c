import Foundation

/// Text compared and hashed as its UTF-8 bytes: `String` hashing normalizes Hangul to NFC on
/// every lookup. Byte-equal texts are the same text, so a remembered result is always the one
/// the normalizer gives; cells are NFC already when they reach this (the reader composes
/// decomposed Hangul and accents), so canonically equal texts are byte-equal too.
struct ExactText: Hashable {
    var text: String
    init(_ text: String) { self.text = text }

    static func == (a: ExactText, b: ExactText) -> Bool {
        var x = a.text, y = b.text
        return x.withUTF8 { p in y.withUTF8 { q in p.count == q.count && (p.count == 0 || memcmp(p.baseAddress!, q.baseAddress!, p.count) == 0) } }
    }

    func hash(into hasher: inout Hasher) {
        var t = text
        t.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
