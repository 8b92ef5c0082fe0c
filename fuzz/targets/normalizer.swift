// libFuzzer targets for the field normalizers (DolbomNormalize): the bytes, as a String (invalid UTF-8
// repaired), into one normalizer, chosen when building (`-D FUZZ_<TARGET>`, scripts/fuzz.sh). Checks:
// no crash; the same result on a second call (a normalizer is a pure function); and, for the fields a row
// needs (address, phone, name, child age, timestamp), no value only with a fatal issue (the contract of
// `Normalized`; the optional fields — language, window, consent, care type, flags — may answer nil for
// "nothing asked", e.g. an empty language cell).
import DolbomNormalize
import Foundation

private let asOf = LocalDate(iso: "2024-07-15")!
private let addresses = AddressNormalizer()
private let ages = ChildAgeNormalizer(asOf: asOf)

/// What came out: a description of the value and issues, whether there was a value, whether an issue was fatal.
private typealias Outcome = (description: String, hasValue: Bool, fatal: Bool)

private func seen<V>(_ n: Normalized<V>) -> [Outcome] { [(String(reflecting: n.value) + " \(n.issues)", n.value != nil, n.isFatal)] }

#if FUZZ_ADDRESS || FUZZ_PHONE || FUZZ_NAME || FUZZ_CHILD_AGE || FUZZ_TIMESTAMP
private let valueRequired = true
#else
private let valueRequired = false
#endif

private func normalize(_ text: String) -> [Outcome] {
    #if FUZZ_ADDRESS
    return seen(addresses.normalize(text))
    #elseif FUZZ_PHONE
    return seen(PhoneNormalizer.normalize(text))
    #elseif FUZZ_NAME
    return seen(NameNormalizer.normalize(text))
    #elseif FUZZ_CHILD_AGE
    // One cell, and the three-column form with the text in each column.
    return seen(ages.normalize(text)) + seen(ages.normalize(birth: text, age: text, grade: text))
    #elseif FUZZ_TIMESTAMP
    return seen(TimestampNormalizer.normalize(text))
    #elseif FUZZ_CONSENT
    return seen(ConsentNormalizer.normalize(text))
    #elseif FUZZ_CONTACT_WINDOW
    return seen(ContactWindowNormalizer.normalize(text))
    #elseif FUZZ_CARE_TYPE
    return seen(CareTypeNormalizer.normalize(text))
    #elseif FUZZ_FLAGS
    return seen(HouseholdFlagNormalizer.normalize(text))
    #elseif FUZZ_LANGUAGE
    return seen(LanguageNormalizer.normalize(text))
    #else
    #error("build with -D FUZZ_<TARGET> (scripts/fuzz.sh)")
    #endif
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let first = normalize(text)
    let second = normalize(text)
    for (a, b) in zip(first, second) {
        precondition(a.description == b.description, "not deterministic:\n\(a.description)\n\(b.description)")
        precondition(!valueRequired || a.hasValue || a.fatal, "no value and no fatal issue: \(a.description)")
    }
    return 0
}
