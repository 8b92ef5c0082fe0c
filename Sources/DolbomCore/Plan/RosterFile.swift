import DolbomSchedule
import Foundation
import Yams

/// Reads the counselors' roster (YAML), which a team lead edits when someone
/// takes leave or changes hours. Every problem is reported at once, naming the
/// counselor and the field, so a typo never silently removes a counselor's slots.
public enum RosterFile {
    struct Document: Decodable {
        var counselors: [Counselor]
    }

    /// A roster with at least one counselor and no validation issues.
    public static func load(_ url: URL) throws(RunError) -> Roster {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw .roster(path: url.path, reason: "cannot read the file: \(error.localizedDescription)")
        }
        let roster: Roster
        do {
            // `counselors:` at the top, or the list on its own.
            if (try? Yams.compose(yaml: text))??.sequence != nil {
                roster = Roster(counselors: try YAMLDecoder().decode([Counselor].self, from: text))
            } else {
                roster = Roster(counselors: try YAMLDecoder().decode(Document.self, from: text).counselors)
            }
        } catch {
            throw .roster(path: url.path, reason: describe(error))
        }
        guard !roster.counselors.isEmpty else { throw .roster(path: url.path, reason: "상담사가 한 명도 없습니다 (counselors: 목록이 비어 있음).") }
        let issues = roster.validate()
        guard issues.isEmpty else {
            throw .roster(path: url.path, reason: issues.map { "상담사 \($0.counselorID) \($0.field): \($0.message)" }.joined(separator: "\n  "))
        }
        return roster
    }

    /// Decoding errors name the counselor's position and the key, not Swift type names.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { key in key.intValue.map { "\($0 + 1)번째 상담사" } ?? key.stringValue }.joined(separator: " ")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath)): '\(key.stringValue)' 항목이 없습니다."
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context.codingPath)): 값의 형식이 맞지 않습니다. \(context.debugDescription)"
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
