import DolbomNormalize
import Foundation

/// A submission as the state database stores it: the JSON Foundation's `JSONEncoder`
/// (`.sortedKeys, .withoutEscapingSlashes`) makes of `Submission`, written directly with the
/// writer `applicants.jsonl` uses (keys in sorted order by hand).
///
/// A first run with a state file stores every submission; the encoder took about 60 µs of CPU
/// a row (a minute at 1M rows). The bytes are the same (tests compare both on every sample
/// row), so stored rows do not change and `JSONDecoder` reads them back as before.
enum StatePayload {
    static func encode(_ s: Submission) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1536)
        var w = JSONBytes(out: out)
        w.submission(s)
        return w.out
    }

    /// The stored form of `s`: without what belongs to one run only (where else it was seen, its identity
    /// and household id, which have columns of their own, and whether it came from the state). The same
    /// bytes as `encode` of a copy with those fields cleared, without making the copy (a first run stores
    /// every row).
    static func encodeStored(_ s: Submission) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1536)
        var w = JSONBytes(out: out)
        w.submission(s, stored: true)
        return w.out
    }
}

extension JSONBytes {
    /// `Submission`'s `Codable` form (camelCase keys, absent optionals left out); `stored`: as
    /// `StatePayload.encodeStored` writes it.
    mutating func submission(_ s: Submission, stored: Bool = false) {
        open()
        if let address = s.address {
            key("address")
            codableAddress(address)
        }
        key("alsoSeenAt")
        array(stored ? [] : s.alsoSeenAt) { $0.source($1) }
        key("careTypes")
        strings(s.careTypes.lazy.map(\.rawValue))
        key("children")
        array(s.children) { $0.child($1) }
        if let window = s.contactWindow {
            key("contactWindow")
            open()
            key("anytime")
            bool(window.anytime)
            key("days")
            string(window.days.rawValue)
            key("ranges")
            array(window.ranges) { w, r in
                w.open()
                w.key("end")
                w.int(r.end)
                w.key("start")
                w.int(r.start)
                w.close()
            }
            key("text")
            string(window.text)
            close()
        }
        key("extra")
        array(s.extra) { $0.extraCell($1) }
        key("flags")
        strings(s.flags.lazy.map(\.rawValue))
        if let name = s.guardianName {
            key("guardianName")
            personName(name)
        }
        if !stored, let identity = s.identity {
            key("identity")
            open()
            key("contentHash")
            string(identity.contentHash)
            key("fingerprint")
            string(identity.fingerprint)
            close()
        }
        key("issues")
        array(s.issues) { $0.issue($1) }
        ifPresent("knownApplicantID", stored ? nil : s.knownApplicantID)
        ifPresent("language", s.language)
        ifPresent("memo", s.memo)
        key("phones")
        open()
        key("others")
        array(s.phones.others) { $0.phoneNumber($1) }
        key("primary")
        phoneNumber(s.phones.primary)
        close()
        key("source")
        source(stored ? SourceRef(file: s.source.file, row: s.source.row) : s.source)
        ifPresent("submittedAt", s.submittedAt?.iso)
        close()
    }

    /// `key` and the value, written by `write`, only when there is one (`Codable`'s `encodeIfPresent`).
    private mutating func ifPresent<T>(_ k: StaticString, _ v: T?, _ write: (inout JSONBytes, T) -> Void) {
        if let v {
            key(k)
            write(&self, v)
        }
    }

    private mutating func ifPresent(_ k: StaticString, _ v: String?) { ifPresent(k, v) { $0.string($1) } }

    private mutating func codableAddress(_ a: Address) {
        open()
        ifPresent("buildingName", a.buildingName)
        ifPresent("buildingNumber", a.buildingNumber)
        ifPresent("detail", a.detail)
        ifPresent("eupmyeondong", a.eupmyeondong)
        ifPresent("jibun", a.jibun)
        key("kind")
        string(a.kind.rawValue)
        ifPresent("legalDongCode", a.legalDongCode)
        ifPresent("postalCode", a.postalCode)
        ifPresent("ri", a.ri)
        ifPresent("road", a.road)
        ifPresent("sido", a.sido)
        ifPresent("sigungu", a.sigungu)
        ifPresent("sigunguCode", a.sigunguCode)
        key("text")
        string(a.text)
        key("underground")
        bool(a.underground)
        close()
    }

    private mutating func child(_ c: ChildEntry) {
        open()
        if let age = c.age {
            key("age")
            open()
            ifPresent("age", age.age) { $0.int($1) }
            key("basis")
            string(age.basis.rawValue)
            ifPresent("birthDate", age.birthDate?.iso)
            if age.preschoolBand {
                // `미취학` and nothing more: ChildAge's Codable writes it only when true.
                key("preschoolBand")
                bool(true)
            }
            ifPresent("preschoolYearsToGrade1", age.preschoolYearsToGrade1) { $0.int($1) }
            ifPresent("schoolGrade", age.schoolGrade) { $0.int($1) }
            close()
        }
        key("ageText")
        string(c.ageText)
        if let name = c.name {
            key("name")
            personName(name)
        }
        close()
    }

    private mutating func personName(_ n: PersonName) {
        open()
        key("name")
        string(n.name)
        ifPresent("role", n.role)
        key("script")
        string(n.script.rawValue)
        close()
    }

    private mutating func phoneNumber(_ p: PhoneNumber) {
        open()
        key("digits")
        string(p.digits)
        key("formatted")
        string(p.formatted)
        key("kind")
        string(p.kind.rawValue)
        key("masked")
        string(p.masked)
        close()
    }
}
