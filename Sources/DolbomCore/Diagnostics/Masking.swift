/// Masks personal data before it reaches a log, a diagnostic or a terminal.
///
/// Logs are read by IT staff and may be mailed by cron; they must never carry a
/// full phone number, address or name (개인정보보호법).
public enum Masking {
    /// `010-1234-5678` → `010-****-5678`; any digits but the first three and last four are starred.
    public static func phone(_ text: String) -> String {
        let digits = text.filter(\.isNumber)
        // Short (invalid) numbers would be nearly whole with 3 + 4 shown: show the last two only.
        guard digits.count >= 10 else {
            return String(repeating: "*", count: max(0, digits.count - 2)) + String(digits.suffix(2))
        }
        return String(digits.prefix(3)) + "-****-" + String(digits.suffix(4))
    }

    /// `김민준` → `김*준`; `Nguyen Thi Lan` → `N*************n`.
    public static func name(_ text: String) -> String {
        let chars = Array(text)
        guard chars.count > 2 else { return chars.first.map { String($0) + "*" } ?? "" }
        return String(chars.first!) + String(repeating: "*", count: chars.count - 2) + String(chars.last!)
    }

    /// Keeps the first two words of an address (시도 시군구), stars the rest.
    public static func address(_ text: String) -> String {
        let words = text.split(separator: " ")
        guard words.count > 2 else { return words.first.map { $0 + " ***" } ?? "" }
        return words.prefix(2).joined(separator: " ") + " ***"
    }

    /// For raw cell values in diagnostics whose meaning is unknown: length and shape only.
    public static func cell(_ text: String) -> String {
        if text.count <= 4 { return text }
        return String(text.prefix(2)) + "…(\(text.count)자)"
    }
}
