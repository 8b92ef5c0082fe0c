import DolbomRuntime

/// `[String: Value]` for Korean names, compared and hashed as UTF-8 bytes (input is NFC, so byte
/// equality is `String ==`, and a lookup needs no normalization pass). A two-word key (`서울` + `특별시`,
/// `천안시` + ` ` + `서북구`) is looked up without building the joined `String`. Written when the gazetteer
/// is built, then read per word of every address.
struct AddressNameMap<Value: Sendable>: Sendable {
    private var table = ByteKeyTable<Value>()

    init() {}

    /// The byte count of the longest key (0 when empty).
    var longestKeyCount: Int { table.longestKey }

    subscript(_ s: String) -> Value? {
        get { table[s] }
        set { table[s] = newValue }
    }

    subscript(_ s: String, default d: @autoclosure () -> Value) -> Value {
        get { self[s] ?? d() }
        set { table[s] = newValue }
    }

    /// The value of the key spelled by `bytes`.
    subscript<Bytes: Collection>(bytes bytes: Bytes) -> Value? where Bytes.Element == UInt8 {
        table.entry(bytes: bytes).map { table[entry: $0] }
    }

    /// The value of the key `a + sep + b` given as bytes, without joining them.
    func value<A: Collection, B: Collection>(_ a: A, _ b: B, separator: UInt8? = nil) -> Value?
    where A.Element == UInt8, B.Element == UInt8 {
        table.entry(bytes: a, separator: separator, b).map { table[entry: $0] }
    }

    /// The value of the key spelled by `bytes`.
    subscript(bytes bytes: Span<UInt8>) -> Value? {
        table.entry(bytes).map { table[entry: $0] }
    }

    /// The value of the key `a + sep + b` given as bytes, without joining them.
    func value(_ a: Span<UInt8>, _ b: Span<UInt8>, separator: UInt8? = nil) -> Value? {
        table.entry(a, separator: separator, b).map { table[entry: $0] }
    }

    /// The value of the key `a + b` (`a + " " + b` with `separator: 0x20`), without joining the strings.
    func value(_ a: String, _ b: String, separator: UInt8? = nil) -> Value? {
        a.withUTF8Span { x in b.withUTF8Span { y in value(x, y, separator: separator) } }
    }
}
