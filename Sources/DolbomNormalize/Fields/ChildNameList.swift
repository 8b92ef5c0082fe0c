/// Several children written in one cell (`노시윤, 노시아`, `노시윤/노시아`, `노시윤 노시아`) and their ages
/// (`7세, 5세`). A cell is split only when every part reads as a name on its own: a child is never made up
/// from a name written with a space (`김 민준`) or a note beside it.
public enum ChildNameList {
    static let separators: Set<Character> = [",", "、", "/", ";", "&", "+", "，", "·"]

    /// The names, when the cell holds two or more; nil for one name (or anything not clearly names).
    public static func split(_ text: String) -> [String]? {
        let trimmed = text.trimmedWhitespace
        guard trimmed.count <= 80 else { return nil }
        if trimmed.contains(where: { separators.contains($0) }) {
            let parts = trimmed.split(whereSeparator: { separators.contains($0) }).map { String($0).trimmedWhitespace }
            guard parts.count >= 2, parts.allSatisfy(isName) else { return nil }
            // `·` also joins a Latin double name (Jean·Pierre): split on it only between Hangul names.
            if trimmed.contains("·") && !parts.allSatisfy(isHangulName) { return nil }
            return parts
        }
        // Spaces only: each part a whole Hangul name (2-4 syllables), and either all share the surname
        // (siblings: 노시윤 노시아) or all are three syllables (surname + given name).
        let parts = trimmed.split(separator: " ").map(String.init)
        guard parts.count >= 2, parts.allSatisfy(isHangulName), parts.allSatisfy({ (2...4).contains($0.count) }) else {
            return nil
        }
        let sameSurname = Set(parts.map { $0.first! }).count == 1
        let allThree = parts.allSatisfy { $0.count == 3 }
        return sameSurname || allThree ? parts : nil
    }

    /// The age cell split into `count` parts (`7세, 5세`, `2017-03-05 / 2019-01-02`, `7세 5세`), nil when it
    /// does not hold exactly that many.
    public static func splitAges(_ text: String, count: Int) -> [String]? {
        let trimmed = text.trimmedWhitespace
        var parts = trimmed.split(whereSeparator: { separators.contains($0) && $0 != "·" }).map {
            String($0).trimmedWhitespace
        }
        if parts.count != count {
            // `7세 5세`, `만 6세 만 4세`: spaces part ages only when each part is a number with its unit.
            var words: [String] = []
            for word in trimmed.split(separator: " ").map(String.init) {
                if let last = words.last, last == "만" {
                    words[words.count - 1] = "만 " + word
                } else {
                    words.append(word)
                }
            }
            guard words.count == count,
                words.allSatisfy({
                    ($0.first?.isNumber == true || $0.hasPrefix("만 "))
                        && $0.last?.isNumber == false
                })
            else { return nil }
            parts = words
        }
        guard parts.count == count, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        // Bare numbers split on `/` are a date (`3/5/2017`), and a bare year says nothing of whose it is.
        if parts.allSatisfy({ $0.allSatisfy(\.isNumber) }) && (trimmed.contains("/") || parts.contains { $0.count > 2 })
        {
            return nil
        }
        return parts
    }

    static func isName(_ part: String) -> Bool {
        !part.isEmpty && part.count <= 20
            && part.unicodeScalars.allSatisfy { FieldText.isLetter($0) || $0 == " " || $0 == "-" }
            && part.unicodeScalars.contains(where: FieldText.isLetter)
    }

    static func isHangulName(_ part: String) -> Bool {
        (2...5).contains(part.count) && part.unicodeScalars.allSatisfy(FieldText.isHangulSyllable)
    }
}
