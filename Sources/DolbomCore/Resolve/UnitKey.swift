import DolbomNormalize
import Foundation


/// A unit (동/호/층) as a key that does not depend on how it was written: its runs of digits (without
/// leading zeros) and lone Latin letters, in order, joined by `-` (`111-201`, `111동 201호`, `111동201호`,
/// `(온양자이) 111동 201호` → `111-201`; `B동 203호` → `B-203`). Letters glued to a name (`아산실옥LH`,
/// `용화e편한세상`) and whatever is in brackets are not part of it. Nil when the text has no digit.
enum UnitKey {
    static func of(_ text: String) -> String? {
        var key: [UInt8] = []
        return append(text, to: &key) ? String(decoding: key, as: UTF8.self) : nil
    }

    /// Appends the key's UTF-8 bytes to `key`; false, leaving `key` as it was, when the text has no digit.
    static func append(_ text: String, to key: inout [UInt8]) -> Bool {
        let base = key.count
        var sawDigit = false, brackets = 0, inName = false, afterSyllable = false
        var tokenStart = -1, separatorAt = -1, tokenIsDigit = false
        func close() {
            guard tokenStart >= 0 else { return }
            if !tokenIsDigit && key.count - tokenStart > 1 {
                key.removeSubrange((separatorAt >= 0 ? separatorAt : tokenStart)...)
            } else if tokenIsDigit {
                var zeros = 0
                while tokenStart + zeros < key.count - 1 && key[tokenStart + zeros] == UInt8(ascii: "0") { zeros += 1 }
                if zeros > 0 { key.removeSubrange(tokenStart..<(tokenStart + zeros)) }
            }
            tokenStart = -1
        }
        func open(digit: Bool) {
            if tokenStart >= 0 && tokenIsDigit != digit { close() }
            guard tokenStart < 0 else { return }
            separatorAt = -1
            if key.count > base {
                separatorAt = key.count
                key.append(UInt8(ascii: "-"))
            }
            tokenStart = key.count
            tokenIsDigit = digit
        }
        for byte in text.utf8 {
            switch byte {
            case 0x30...0x39:
                inName = false
                afterSyllable = false
                if brackets > 0 { close(); continue }
                open(digit: true)
                key.append(byte)
                sawDigit = true
            case 0x41...0x5A, 0x61...0x7A:
                if tokenStart < 0 && afterSyllable { inName = true }
                afterSyllable = false
                if inName || brackets > 0 { close(); continue }
                open(digit: false)
                key.append(byte & ~0x20)
            case 0x80...0xBF:
                continue  // inside a multi-byte character
            default:
                close()
                inName = false
                // Hangul syllables (U+AC00-U+D7A3) start with 0xEA-0xED.
                afterSyllable = byte >= 0xEA && byte <= 0xED
                if byte == UInt8(ascii: "(") || byte == UInt8(ascii: "[") { brackets += 1 }
                if byte == UInt8(ascii: ")") || byte == UInt8(ascii: "]") { brackets = max(0, brackets - 1) }
            }
        }
        close()
        if !sawDigit { key.removeSubrange(base...) }
        return sawDigit
    }
}
