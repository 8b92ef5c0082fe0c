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
        var sawDigit = false
        var brackets = 0
        var inName = false
        var afterSyllable = false
        var tokenStart = -1
        var separatorAt = -1
        var tokenIsDigit = false
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
        // `층` (U+CE35, UTF-8 EC B8 B5) seen, read on the way: only then can a floor be dropped.
        var sawFloorWord = false
        var previous: (UInt8, UInt8) = (0, 0)
        for byte in text.utf8 {
            if byte == 0xB5, previous == (0xEC, 0xB8) { sawFloorWord = true }
            previous = (previous.1, byte)
            switch byte {
            case 0x30...0x39:
                inName = false
                afterSyllable = false
                if brackets > 0 {
                    close()
                    continue
                }
                open(digit: true)
                key.append(byte)
                sawDigit = true
            case 0x41...0x5A, 0x61...0x7A:
                if tokenStart < 0 && afterSyllable { inName = true }
                afterSyllable = false
                if inName || brackets > 0 {
                    close()
                    continue
                }
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
        if sawDigit && sawFloorWord { dropImpliedFloor(text, key: &key, from: base) }
        return sawDigit
    }

    /// `2층 203호` is room 203 (`203호`, `2층 203호` and `상가 2층 203호` are one unit): a floor written
    /// right before a room whose number starts with it says nothing more. Only a number followed by `층`
    /// is a floor (`11동 1101호` keeps its 동).
    static func dropImpliedFloor(_ text: String, key: inout [UInt8], from base: Int) {
        let tokens = key[base...].split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        guard tokens.count >= 2 else { return }
        for t in 0..<(tokens.count - 1) {
            let floor = tokens[t]
            let room = tokens[t + 1]
            guard floor.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), room.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                room.count >= floor.count + 2, room.starts(with: floor),
                isFloor(String(decoding: floor, as: UTF8.self), in: text)
            else { continue }
            var kept = tokens
            kept.remove(at: t)
            key.replaceSubrange(base..., with: Array(kept.joined(separator: [UInt8(ascii: "-")])))
            return
        }
    }

    /// Whether `number` is written followed by `층` (spaces between allowed) and not inside a longer number.
    static func isFloor(_ number: String, in text: String) -> Bool {
        var rest = Substring(text)
        while let r = rest.range(of: number) {
            let before = rest[..<r.lowerBound].last
            let after = rest[r.upperBound...].drop { $0 == " " }.first
            if !(before?.isASCII == true && before!.isNumber), after == "층" { return true }
            rest = rest[r.upperBound...]
        }
        return false
    }
}
