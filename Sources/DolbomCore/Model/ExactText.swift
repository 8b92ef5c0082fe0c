import Foundation

/// Text compared and hashed as its UTF-8 bytes: `String` hashing normalizes Hangul to NFC on
/// every lookup. Byte-equal texts are the same text, so a remembered result is always the one
/// the normalizer gives; cells are NFC already when they reach this (the reader composes
/// decomposed Hangul and accents), so canonically equal texts are byte-equal too.
struct ExactText: Hashable {
    var text: String
    init(_ text: String) { self.text = text }

    // Read in place (`utf8.withContiguousStorageIfAvailable` borrows; `withUTF8` on a copy retained and
    // released both strings on every comparison of every dictionary lookup). Only a string bridged from
    // elsewhere has no contiguous UTF-8, and takes the slow path.
    static func == (a: ExactText, b: ExactText) -> Bool {
        let x = a.text.utf8, y = b.text.utf8
        if let same = x.withContiguousStorageIfAvailable({ p in
            y.withContiguousStorageIfAvailable { q in
                p.count == q.count && (p.count == 0 || memcmp(p.baseAddress!, q.baseAddress!, p.count) == 0)
            }
        }), let same {
            return same
        }
        return x.elementsEqual(y)
    }

    func hash(into hasher: inout Hasher) {
        if text.utf8.withContiguousStorageIfAvailable({ hasher.combine(bytes: UnsafeRawBufferPointer($0)) }) == nil {
            Array(text.utf8).withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }
}
