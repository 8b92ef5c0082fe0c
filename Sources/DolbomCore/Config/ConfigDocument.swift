import Foundation
import Yams

/// One problem in a configuration or roster file, at the line and column of the key it is about, so that
/// the person editing the file goes straight to it.
public struct ConfigProblem: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var column: Int
    /// Where in the file, as written: `schedule.slot_minutes`, `counselors[3] (id: kim) leave`.
    public var key: String
    public var message: String

    public var description: String { "\(path):\(line):\(column): \(key): \(message)" }
}

/// The keys a YAML file may hold: fixed keys per mapping, lists of them, and mappings whose keys are
/// the user's own (holidays, header wordings, flag names).
indirect enum KeySchema: Sendable {
    /// Any value; nothing below it is checked.
    case value
    /// A mapping with exactly these keys (each optional).
    case fields([String: KeySchema])
    /// A list whose items follow the schema.
    case list(KeySchema)
    /// A mapping with keys of the user's choosing, each value following the schema.
    case entries(KeySchema)
}

/// A YAML file composed into Yams nodes (with their line and column), kept beside the decoded value so
/// that unknown keys are found and every later message can point at a line.
struct ConfigDocument {
    let path: String
    let text: String
    let root: Node?

    /// Composes the file; a syntax error says where, in plain words.
    init(path: String, text: String) throws(ConfigurationError) {
        self.path = path
        self.text = text
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw .problems([Self.syntaxProblem(error, path: path)])
        } catch {
            throw .invalid(path: path, reason: "\(error)")
        }
    }

    /// Every key the schema does not know, in file order, with the nearest known key as a suggestion.
    func unknownKeys(
        _ schema: KeySchema, name: (_ keyPath: [PathPart]) -> String = ConfigDocument.dotted,
        suggestion: (String) -> String = { "did you mean '\($0)'?" },
        unknown: String = "unknown key"
    ) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        func walk(_ node: Node, _ schema: KeySchema, _ at: [PathPart]) {
            switch (schema, node) {
            case (.value, _):
                return
            case (.fields(let known), .mapping(let mapping)):
                for (keyNode, value) in mapping {
                    let key = keyNode.string ?? ""
                    if let child = known[key] {
                        walk(value, child, at + [.key(key)])
                    } else {
                        let mark = keyNode.mark ?? mapping.mark
                        var message = unknown
                        if let near = KeyDistance.nearest(to: key, in: known.keys) {
                            message += "; " + suggestion(near)
                        }
                        problems.append(
                            ConfigProblem(
                                path: path, line: mark?.line ?? 0, column: mark?.column ?? 0,
                                key: name(at + [.key(key)]), message: message))
                    }
                }
            case (.entries(let child), .mapping(let mapping)):
                for (keyNode, value) in mapping { walk(value, child, at + [.key(keyNode.string ?? "")]) }
            case (.list(let child), .sequence(let items)):
                for (i, item) in items.enumerated() { walk(item, child, at + [.index(i)]) }
            default:
                return  // a value of the wrong shape is the decoder's to report
            }
        }
        if let root { walk(root, schema, []) }
        return problems
    }

    /// The node a decoding path leads to, or the nearest one above it that exists.
    func node(at path: [PathPart]) -> Node? {
        guard var node = root else { return nil }
        for part in path {
            switch (part, node) {
            case (.key(let key), .mapping(let mapping)):
                guard let next = mapping.first(where: { $0.key.string == key })?.value else { return node }
                node = next
            case (.index(let i), .sequence(let items)) where i < items.count:
                node = items[i]
            default:
                return node
            }
        }
        return node
    }

    /// Where a key is written (the key itself, not its value), else where its value or the nearest parent is.
    func mark(at path: [PathPart]) -> Mark? {
        if case .key(let key)? = path.last, let parent = node(at: Array(path.dropLast())),
            case .mapping(let m) = parent,
            let keyNode = m.first(where: { $0.key.string == key })?.key
        {
            return keyNode.mark
        }
        return node(at: path)?.mark ?? root?.mark
    }

    /// A problem at a key of the file.
    func problem(at path: [PathPart], key: String? = nil, _ message: String) -> ConfigProblem {
        let mark = mark(at: path)
        return ConfigProblem(
            path: self.path, line: mark?.line ?? 1, column: mark?.column ?? 1,
            key: key ?? Self.dotted(path), message: message)
    }

    /// A decoding error (wrong type, bad date, missing key) at the line of the value it is about.
    func problem(decoding error: any Error, name: ([PathPart]) -> String = ConfigDocument.dotted) -> ConfigProblem {
        guard let error = error as? DecodingError else { return problem(at: [], key: "-", "\(error)") }
        switch error {
        case .keyNotFound(let key, let context):
            let at = PathPart.of(context.codingPath)
            return problem(at: at, key: name(at + [.key(key.stringValue)]), "missing; it is required here")
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let at = PathPart.of(context.codingPath)
            let written = node(at: at)?.string.map { "'\($0)' " } ?? ""
            return problem(at: at, key: name(at), "\(written)is not \(Self.describe(type))")
        case .dataCorrupted(let context):
            let at = PathPart.of(context.codingPath)
            return problem(at: at, key: name(at), context.debugDescription)
        @unknown default:
            return problem(at: [], key: "-", "\(error)")
        }
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: return "a whole number"
        case is Double.Type: return "a number"
        case is Bool.Type: return "true or false"
        case is String.Type: return "a text"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "a list" }
            if name.hasPrefix("Dictionary") { return "a mapping of keys to values" }
            return "of the right kind"
        }
    }

    /// `schedule.slot_minutes`, `mappings[2].files` (items counted from 1, as people count).
    static func dotted(_ path: [PathPart]) -> String {
        var out = ""
        for part in path {
            switch part {
            case .key(let key): out += (out.isEmpty ? "" : ".") + key
            case .index(let i): out += "[\(i + 1)]"
            }
        }
        return out.isEmpty ? "(top)" : out
    }

    static func syntaxProblem(_ error: YamlError, path: String) -> ConfigProblem {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return ConfigProblem(
                path: path, line: mark.line, column: mark.column, key: "YAML",
                message: "the file cannot be read as YAML here: " + plain(problem))
        case .reader(let problem, let offset, _, let yaml):
            let (line, column) = offset.map { lineAndColumn(of: $0, in: yaml) } ?? (1, 1)
            return ConfigProblem(
                path: path, line: line, column: column, key: "YAML",
                message: "the file cannot be read as text: \(problem) (save it as UTF-8)")
        default:
            return ConfigProblem(path: path, line: 1, column: 1, key: "YAML", message: "\(error)")
        }
    }

    /// libyaml's problem texts, said as what to fix.
    static func plain(_ problem: String) -> String {
        switch problem {
        case "mapping values are not allowed in this context":
            return "a ':' where no key can start (check the indentation, or put a text holding ': ' in quotes)"
        case "did not find expected key":
            return "this line's indentation does not match the lines above it"
        case "found character that cannot start any token":
            return "a character that cannot start a value (indent with spaces, not tabs; put such text in quotes)"
        case "could not find expected ':'":
            return "a key without ':' (write `key: value`)"
        case "found unexpected end of stream":
            return "the file ends inside a quoted text (a quote is not closed)"
        case "did not find expected '-' indicator":
            return "a list item is not lined up with the items above it"
        case "did not find expected node content":
            return "a value is missing (after '-' or ',')"
        default:
            return problem
        }
    }

    static func lineAndColumn(of offset: Int, in text: String) -> (Int, Int) {
        var line = 1
        var column = 1
        for ch in text.prefix(offset) {
            if ch == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }
}

/// One step on the way to a value: a mapping's key or a list's position.
enum PathPart: Equatable {
    case key(String)
    case index(Int)

    static func of(_ codingPath: [any CodingKey]) -> [PathPart] {
        codingPath.map { key in key.intValue.map { .index($0) } ?? .key(key.stringValue) }
    }
}

/// "Did you mean": the known key nearest in edits to a misspelt one.
enum KeyDistance {
    /// The closest known key, when it is close enough to be the one meant (at most a third of its letters
    /// changed, and never more than three), else a known key the written one begins (`korean_age` for
    /// `korean_age_wording`).
    static func nearest(to key: String, in known: some Collection<String>) -> String? {
        let key = key.lowercased()
        var best: (String, Int)?
        for candidate in known.sorted() {
            let d = distance(key, candidate)
            if d < (best?.1 ?? Int.max) { best = (candidate, d) }
        }
        if let (name, d) = best, d <= min(3, max(1, name.count / 3)) { return name }
        guard key.count >= 4 else { return nil }
        return known.sorted().first { $0.hasPrefix(key) || key.hasPrefix($0) && $0.count >= 4 }
    }

    /// Levenshtein distance over characters.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = Array(repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
