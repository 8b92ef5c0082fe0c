/// Recovers Hangul typed while the keyboard was in English mode (두벌식 layout),
/// e.g. `rlaalswns` → `김민준`, and composes runs of compatibility jamo.
///
/// Composition follows the standard 두벌식 automaton: compound vowels
/// (ㅘ ㅙ ㅚ ㅝ ㅞ ㅟ ㅢ), compound finals (ㄳ ㄵ ㄶ ㄺ ㄻ ㄼ ㄽ ㄾ ㄿ ㅀ ㅄ), and a
/// final consonant moving to the next syllable when a vowel follows. It
/// returns nil when any jamo would be left on its own, so only strings that
/// compose into complete syllables are accepted.
enum HangulKeyboard {
    /// Maps one ASCII key to a compatibility jamo; Shift matters only for ㅃㅉㄸㄲㅆㅒㅖ.
    static func jamo(forKey c: Unicode.Scalar) -> Unicode.Scalar? {
        keyTable[c.value]
    }

    private static let keyTable: [UInt32: Unicode.Scalar] = {
        let table: [Character: Character] = [
            "q": "ㅂ", "w": "ㅈ", "e": "ㄷ", "r": "ㄱ", "t": "ㅅ", "y": "ㅛ", "u": "ㅕ", "i": "ㅑ", "o": "ㅐ", "p": "ㅔ",
            "a": "ㅁ", "s": "ㄴ", "d": "ㅇ", "f": "ㄹ", "g": "ㅎ", "h": "ㅗ", "j": "ㅓ", "k": "ㅏ", "l": "ㅣ",
            "z": "ㅋ", "x": "ㅌ", "c": "ㅊ", "v": "ㅍ", "b": "ㅠ", "n": "ㅜ", "m": "ㅡ",
            "Q": "ㅃ", "W": "ㅉ", "E": "ㄸ", "R": "ㄲ", "T": "ㅆ", "O": "ㅒ", "P": "ㅖ",
        ]
        var out: [UInt32: Unicode.Scalar] = [:]
        for (k, v) in table { out[k.unicodeScalars.first!.value] = v.unicodeScalars.first! }
        return out
    }()

    private static let choseong: [UInt32] = [
        0x3131, 0x3132, 0x3134, 0x3137, 0x3138, 0x3139, 0x3141, 0x3142, 0x3143, 0x3145,
        0x3146, 0x3147, 0x3148, 0x3149, 0x314A, 0x314B, 0x314C, 0x314D, 0x314E,
    ]

    private static func choIndex(_ c: UInt32) -> Int? { choseong.firstIndex(of: c) }
    private static func jongIndex(_ c: UInt32) -> Int? {
        guard c != 0 else { return nil }
        return FieldText.jongseongCompat.firstIndex(of: c)
    }

    /// (first, second) → compound vowel.
    private static func compoundVowel(_ a: UInt32, _ b: UInt32) -> UInt32? {
        switch (a, b) {
        case (0x3157, 0x314F): return 0x3158  // ㅗㅏ ㅘ
        case (0x3157, 0x3150): return 0x3159  // ㅗㅐ ㅙ
        case (0x3157, 0x3163): return 0x315A  // ㅗㅣ ㅚ
        case (0x315C, 0x3153): return 0x315D  // ㅜㅓ ㅝ
        case (0x315C, 0x3154): return 0x315E  // ㅜㅔ ㅞ
        case (0x315C, 0x3163): return 0x315F  // ㅜㅣ ㅟ
        case (0x3161, 0x3163): return 0x3162  // ㅡㅣ ㅢ
        default: return nil
        }
    }

    /// (first, second) → compound final, and its split.
    private static let compoundFinals: [(UInt32, UInt32, UInt32)] = [
        (0x3131, 0x3145, 0x3133), (0x3134, 0x3148, 0x3135), (0x3134, 0x314E, 0x3136),
        (0x3139, 0x3131, 0x313A), (0x3139, 0x3141, 0x313B), (0x3139, 0x3142, 0x313C),
        (0x3139, 0x3145, 0x313D), (0x3139, 0x314C, 0x313E), (0x3139, 0x314D, 0x313F),
        (0x3139, 0x314E, 0x3140), (0x3142, 0x3145, 0x3144),
    ]

    /// Composes a sequence of compatibility jamo into syllables, or nil if any jamo is left alone.
    static func compose(_ jamo: [Unicode.Scalar]) -> [Unicode.Scalar]? {
        var out: [Unicode.Scalar] = []
        var cho: UInt32 = 0
        var jung: UInt32 = 0
        var jong: UInt32 = 0
        func flush() -> Bool {
            guard cho != 0, jung != 0, let ci = choIndex(cho) else { return false }
            let vi = jung - 0x314F
            let ti = jong == 0 ? 0 : (jongIndex(jong) ?? -1)
            guard ti >= 0 else { return false }
            out.append(Unicode.Scalar(0xAC00 + UInt32(ci) * 588 + vi * 28 + UInt32(ti))!)
            cho = 0
            jung = 0
            jong = 0
            return true
        }
        for s in jamo {
            let v = s.value
            if FieldText.isCompatConsonant(s) {
                if cho == 0 {
                    guard choIndex(v) != nil else { return nil }  // a compound consonant cannot start a syllable
                    cho = v
                } else if jung == 0 {
                    return nil  // consonant after a lone initial
                } else if jong == 0 {
                    if jongIndex(v) != nil {
                        jong = v
                    } else {
                        guard flush() else { return nil }
                        cho = v
                    }
                } else if let cf = compoundFinals.first(where: { $0.0 == jong && $0.1 == v }) {
                    jong = cf.2
                } else {
                    guard flush(), choIndex(v) != nil else { return nil }
                    cho = v
                }
            } else if FieldText.isCompatVowel(s) {
                if cho == 0 {
                    return nil  // vowel without an initial consonant
                } else if jung == 0 {
                    jung = v
                } else if jong == 0 {
                    guard let cv = compoundVowel(jung, v) else { return nil }
                    jung = cv
                } else {
                    // The final (or the second half of a compound final) starts the next syllable.
                    var moved = jong
                    if let cf = compoundFinals.first(where: { $0.2 == jong }) {
                        jong = cf.0
                        moved = cf.1
                    } else {
                        jong = 0
                    }
                    guard flush(), choIndex(moved) != nil else { return nil }
                    cho = moved
                    jung = v
                }
            } else {
                return nil
            }
        }
        if cho != 0 || jung != 0 {
            guard flush() else { return nil }
        }
        return out
    }

    /// Converts an English-mode key string to Hangul syllables, or nil.
    static func recover(keys: [Unicode.Scalar]) -> [Unicode.Scalar]? {
        var seq: [Unicode.Scalar] = []
        seq.reserveCapacity(keys.count)
        for k in keys {
            guard let j = jamo(forKey: k) else { return nil }
            seq.append(j)
        }
        return compose(seq)
    }
}
