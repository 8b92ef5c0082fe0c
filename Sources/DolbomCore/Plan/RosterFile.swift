import DolbomSchedule
import Foundation
import Yams

/// Reads the counselors' roster (YAML), which a team lead edits when someone
/// takes leave or changes hours. Every problem is reported at once, at its line,
/// naming the counselor and the key, so a typo never silently removes a counselor's slots.
public enum RosterFile {
    struct Document: Decodable {
        var counselors: [Counselor]
    }

    /// A roster with at least one counselor, no unknown key and no validation issues.
    public static func load(_ url: URL) throws(RunError) -> Roster {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw .roster(path: url.path, reason: "cannot read the file: \(error.localizedDescription)")
        }
        let document: ConfigDocument
        do { document = try ConfigDocument(path: url.path, text: text) } catch {
            throw .roster(path: url.path, reason: "\(error)")
        }
        // `counselors:` at the top, or the list on its own.
        let topLevelList = document.root?.sequence != nil
        let counselor = KeySchema.fields(
            Dictionary(uniqueKeysWithValues: Counselor.fileKeys.map { ($0, KeySchema.value) }))
        let schema: KeySchema = topLevelList ? .list(counselor) : .fields(["counselors": .list(counselor)])
        let listPath: [PathPart] = topLevelList ? [] : [.key("counselors")]
        func name(_ path: [PathPart]) -> String { counselorName(path, listDepth: listPath.count, document: document) }
        let unknown = document.unknownKeys(
            schema, name: name, suggestion: { "'\($0)'을(를) 적으려던 것인가요?" },
            unknown: "알 수 없는 항목입니다")
        guard unknown.isEmpty else { throw .roster(path: url.path, reason: lines(unknown)) }
        let roster: Roster
        do {
            if topLevelList {
                roster = Roster(counselors: try YAMLDecoder().decode([Counselor].self, from: text))
            } else {
                roster = Roster(counselors: try YAMLDecoder().decode(Document.self, from: text).counselors)
            }
        } catch {
            throw .roster(
                path: url.path, reason: lines([korean(document.problem(decoding: error, name: name), error, document)]))
        }
        guard !roster.counselors.isEmpty else {
            throw .roster(path: url.path, reason: "상담사가 한 명도 없습니다 (counselors: 목록이 비어 있음).")
        }
        let issues = roster.validate()
        guard issues.isEmpty else {
            let problems = issues.map { issue in
                let index = position(of: issue, in: roster)
                let at = listPath + [.index(index), .key(issue.field)]
                return document.problem(at: at, key: name(at), issue.message)
            }
            throw .roster(path: url.path, reason: lines(problems))
        }
        return roster
    }

    static func lines(_ problems: [ConfigProblem]) -> String {
        problems.map(\.description).joined(separator: "\n  ")
    }

    /// The counselor an issue is about: a repeated id is the later counselor, any other the first with the id.
    static func position(of issue: RosterIssue, in roster: Roster) -> Int {
        let ids = roster.counselors.map(\.id)
        if issue.code == .duplicateID { return ids.lastIndex(of: issue.counselorID) ?? 0 }
        return ids.firstIndex(of: issue.counselorID) ?? 0
    }

    /// `counselors[3] (id: kim) leave`: the position as people count, the id as written, then the key.
    static func counselorName(_ path: [PathPart], listDepth: Int, document: ConfigDocument) -> String {
        guard path.count > listDepth, case .index(let i) = path[listDepth] else { return ConfigDocument.dotted(path) }
        var name = "counselors[\(i + 1)]"
        if let id = document.node(at: Array(path.prefix(listDepth + 1)) + [.key("id")])?.scalar?.string {
            name += " (id: \(id))"
        }
        let rest = path.dropFirst(listDepth + 1)
        if case .key(let key)? = rest.first { name += " " + key }
        return name
    }

    /// Decoding problems said in the roster's language (Korean, for the team lead who edits it).
    static func korean(_ problem: ConfigProblem, _ error: any Error, _ document: ConfigDocument) -> ConfigProblem {
        var p = problem
        guard let error = error as? DecodingError else { return p }
        switch error {
        case .keyNotFound:
            p.message = "항목이 없습니다 (꼭 적어야 합니다)."
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let written = document.node(at: PathPart.of(context.codingPath))?.scalar.map { "'\($0.string)' " } ?? ""
            let kind: String
            switch type {
            case is Int.Type: kind = "숫자"
            case is String.Type: kind = "글자"
            default: kind = "\(type)".hasPrefix("Array") ? "목록([...])" : "알맞은 값"
            }
            p.message = "\(written)값이 \(kind)가 아닙니다."
        case .dataCorrupted(let context):
            if context.debugDescription.hasPrefix("expected YYYY-MM-DD, got ") {
                let text = context.debugDescription.dropFirst("expected YYYY-MM-DD, got ".count)
                p.message = "'\(text)'은(는) 날짜가 아닙니다 (YYYY-MM-DD, 예: 2024-07-17)."
            } else {
                p.message = context.debugDescription
            }
        @unknown default:
            break
        }
        return p
    }
}
