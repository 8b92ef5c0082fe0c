import DolbomNormalize
import Foundation

/// A submission as the state database stores it: the JSON Foundation's `JSONEncoder`
/// (`.sortedKeys, .withoutEscapingSlashes`) makes of `Submission`, written directly.
///
/// A first run with a state file stores every submission; the encoder took about 60 µs of CPU
/// a row (a minute at 1M rows). The bytes are the same (tests compare both on every sample
/// row), so stored rows do not change and `JSONDecoder` reads them back as before.
enum StatePayload {
    static func encode(_ s: Submission) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1536)
        json(s).write(into: &out)
        return out
    }

    static func json(_ s: Submission) -> JSONLine {
        var fields: [(String, JSONLine)] = []
        fields.reserveCapacity(16)
        if let address = s.address { fields.append(("address", json(address))) }
        fields.append(("alsoSeenAt", .array(s.alsoSeenAt.map(json))))
        fields.append(("careTypes", .strings(s.careTypes.map(\.rawValue))))
        fields.append(("children", .array(s.children.map(json))))
        if let window = s.contactWindow { fields.append(("contactWindow", json(window))) }
        fields.append(("extra", .array(s.extra.map { .object([("column", .string($0.column)), ("value", .string($0.value))]) })))
        fields.append(("flags", .strings(s.flags.map(\.rawValue))))
        if let name = s.guardianName { fields.append(("guardianName", json(name))) }
        if let identity = s.identity {
            fields.append(("identity", .object([("contentHash", .string(identity.contentHash)), ("fingerprint", .string(identity.fingerprint))])))
        }
        fields.append(("issues", .array(s.issues.map(json))))
        if let id = s.knownApplicantID { fields.append(("knownApplicantID", .string(id))) }
        if let language = s.language { fields.append(("language", .string(language))) }
        if let memo = s.memo { fields.append(("memo", .string(memo))) }
        fields.append(("phones", .object([("others", .array(s.phones.others.map(json))), ("primary", json(s.phones.primary))])))
        fields.append(("source", json(s.source)))
        if let time = s.submittedAt { fields.append(("submittedAt", .string(time.iso))) }
        return .object(fields)
    }

    static func json(_ source: SourceRef) -> JSONLine {
        var fields: [(String, JSONLine)] = [("file", .string(source.file))]
        if let fromState = source.fromState { fields.append(("from_state", .bool(fromState))) }
        fields.append(("row", .int(source.row)))
        return .object(fields)
    }

    static func json(_ a: Address) -> JSONLine {
        var fields: [(String, JSONLine)] = []
        func add(_ key: String, _ value: String?) { if let value { fields.append((key, .string(value))) } }
        add("buildingName", a.buildingName)
        add("buildingNumber", a.buildingNumber)
        add("detail", a.detail)
        add("eupmyeondong", a.eupmyeondong)
        add("jibun", a.jibun)
        fields.append(("kind", .string(a.kind.rawValue)))
        add("legalDongCode", a.legalDongCode)
        add("postalCode", a.postalCode)
        add("ri", a.ri)
        add("road", a.road)
        add("sido", a.sido)
        add("sigungu", a.sigungu)
        add("sigunguCode", a.sigunguCode)
        fields.append(("text", .string(a.text)))
        fields.append(("underground", .bool(a.underground)))
        return .object(fields)
    }

    static func json(_ child: ChildEntry) -> JSONLine {
        var fields: [(String, JSONLine)] = []
        if let age = child.age {
            var a: [(String, JSONLine)] = []
            if let v = age.age { a.append(("age", .int(v))) }
            a.append(("basis", .string(age.basis.rawValue)))
            if let v = age.birthDate { a.append(("birthDate", .string(v.iso))) }
            if let v = age.preschoolYearsToGrade1 { a.append(("preschoolYearsToGrade1", .int(v))) }
            if let v = age.schoolGrade { a.append(("schoolGrade", .int(v))) }
            fields.append(("age", .object(a)))
        }
        fields.append(("ageText", .string(child.ageText)))
        if let name = child.name { fields.append(("name", json(name))) }
        return .object(fields)
    }

    static func json(_ name: PersonName) -> JSONLine {
        var fields: [(String, JSONLine)] = [("name", .string(name.name))]
        if let role = name.role { fields.append(("role", .string(role))) }
        fields.append(("script", .string(name.script.rawValue)))
        return .object(fields)
    }

    static func json(_ window: ContactWindow) -> JSONLine {
        .object([("anytime", .bool(window.anytime)), ("days", .string(window.days.rawValue)),
                 ("ranges", .array(window.ranges.map { .object([("end", .int($0.end)), ("start", .int($0.start))]) })),
                 ("text", .string(window.text))])
    }

    static func json(_ phone: PhoneNumber) -> JSONLine {
        .object([("digits", .string(phone.digits)), ("formatted", .string(phone.formatted)), ("kind", .string(phone.kind.rawValue)),
                 ("masked", .string(phone.masked))])
    }

    static func json(_ issue: RowIssue) -> JSONLine {
        var fields: [(String, JSONLine)] = [("code", .string(issue.code)), ("field", .string(issue.field)), ("message", .string(issue.message))]
        if let source = issue.source { fields.append(("source", json(source))) }
        fields.append(("severity", .string(issue.severity.rawValue)))
        return .object(fields)
    }
}
