import DolbomNormalize
import Foundation
import Testing

struct PhoneCase: Sendable, CustomTestStringConvertible {
    let input: String
    /// Formatted numbers, primary first; empty when fatal.
    let numbers: [String]
    let kind: PhoneNumber.Kind?
    let fatal: String?
    let warnings: [String]

    init(_ input: String, _ numbers: [String], _ kind: PhoneNumber.Kind? = .mobile, warn: [String] = []) {
        self.input = input
        self.numbers = numbers
        self.kind = kind
        self.fatal = nil
        self.warnings = warn.sorted()
    }
    init(_ input: String, fatal: String) {
        self.input = input
        self.numbers = []
        self.kind = nil
        self.fatal = fatal
        self.warnings = []
    }
    var testDescription: String { "phone \(input.debugDescription)" }
}

let phoneCases: [PhoneCase] = [
    // Plain mobile forms
    PhoneCase("01012345678", ["010-1234-5678"]),
    PhoneCase("010 1234 5678", ["010-1234-5678"]),
    PhoneCase("010.1234.5678", ["010-1234-5678"]),
    PhoneCase("010-1234-5678", ["010-1234-5678"]),
    PhoneCase("010 - 1234 - 5678", ["010-1234-5678"]),
    PhoneCase("010-12345678", ["010-1234-5678"]),
    PhoneCase("010–1234–5678", ["010-1234-5678"]),
    PhoneCase("010\u{3000}1234\u{3000}5678", ["010-1234-5678"]),
    PhoneCase("０１０－１２３４－５６７８", ["010-1234-5678"]),
    PhoneCase("0１0-1234-5678", ["010-1234-5678"]),
    PhoneCase("  010-9876-5432  ", ["010-9876-5432"]),
    // International
    PhoneCase("+82 10-1234-5678", ["010-1234-5678"]),
    PhoneCase("+821012345678", ["010-1234-5678"]),
    PhoneCase("82-10-1234-5678", ["010-1234-5678"]),
    PhoneCase("+82 (0)10 1234 5678", ["010-1234-5678"]),
    PhoneCase("0082-10-1234-5678", ["010-1234-5678"]),
    PhoneCase("82 10 1234 5678", ["010-1234-5678"]),
    PhoneCase("+82 2 123 4567", ["02-123-4567"], .landline),
    PhoneCase("+1 415 555 1234", fatal: "phone_unknown_prefix"),
    // Labels
    PhoneCase("010-1234-5678 (엄마)", ["010-1234-5678"]),
    PhoneCase("엄마 010-1234-5678", ["010-1234-5678"]),
    PhoneCase("tel: 010-1234-5678", ["010-1234-5678"]),
    PhoneCase("010-1234-5678 내선 2", ["010-1234-5678"]),
    PhoneCase("010-1234-5678, 1234", ["010-1234-5678"]),
    // Excel dropped leading zero
    PhoneCase("1012345678", ["010-1234-5678"], warn: ["phone_leading_zero_restored"]),
    PhoneCase("212345678", ["02-1234-5678"], .landline, warn: ["phone_leading_zero_restored"]),
    PhoneCase("21234567", fatal: "phone_invalid_length"),
    PhoneCase("311234567", ["031-123-4567"], .landline, warn: ["phone_leading_zero_restored"]),
    PhoneCase("413456789", ["041-345-6789"], .landline, warn: ["phone_leading_zero_restored"]),
    PhoneCase("10-1234-5678", ["010-1234-5678"], warn: ["phone_leading_zero_restored"]),
    PhoneCase("912345678", fatal: "phone_unknown_prefix"),
    PhoneCase("12345", fatal: "phone_invalid_length"),
    PhoneCase("1588-1234", fatal: "phone_invalid_length"),
    // Several numbers
    PhoneCase("010-1234-5678 / 041-555-1234", ["010-1234-5678", "041-555-1234"]),
    PhoneCase("010-1234-5678, 010-9876-5432", ["010-1234-5678", "010-9876-5432"]),
    PhoneCase("010-1234-5678\n010-9876-5432", ["010-1234-5678", "010-9876-5432"]),
    PhoneCase("010-1234-5678\r\n02-123-4567", ["010-1234-5678", "02-123-4567"]),
    PhoneCase("010-1234-5678(모) 010-9876-5432(부)", ["010-1234-5678", "010-9876-5432"]),
    PhoneCase("010 1234 5678 010 9876 5432", ["010-1234-5678", "010-9876-5432"]),
    PhoneCase("엄마: 010-1234-5678, 아빠: 010-9876-5432", ["010-1234-5678", "010-9876-5432"]),
    PhoneCase("010 1234 5678 (엄마) / 010 9876 5432 (아빠)", ["010-1234-5678", "010-9876-5432"]),
    PhoneCase("010-1234-5678, 010-1234-5678", ["010-1234-5678"]),
    PhoneCase("010-1234-5678 / 010-123-456", ["010-1234-5678"], warn: ["phone_other_invalid"]),
    PhoneCase("없음 / 010-9876-5432", ["010-9876-5432"]),
    PhoneCase("010-0000-0000 / 010-9876-5432", ["010-9876-5432"], warn: ["phone_other_invalid"]),
    // Legacy prefixes
    PhoneCase("011-123-4567", ["011-123-4567"], warn: ["phone_legacy_prefix"]),
    PhoneCase("016-1234-5678", ["016-1234-5678"], warn: ["phone_legacy_prefix"]),
    PhoneCase("019-234-5678", ["019-234-5678"], warn: ["phone_legacy_prefix"]),
    PhoneCase("01712345678", ["017-1234-5678"], warn: ["phone_legacy_prefix"]),
    // Landlines and virtual numbers
    PhoneCase("02-123-4567", ["02-123-4567"], .landline),
    PhoneCase("02-1234-5678", ["02-1234-5678"], .landline),
    PhoneCase("0212345678", ["02-1234-5678"], .landline),
    PhoneCase("(02) 123-4567", ["02-123-4567"], .landline),
    PhoneCase("041-123-4567", ["041-123-4567"], .landline),
    PhoneCase("031-1234-5678", ["031-1234-5678"], .landline),
    PhoneCase("031-123-45678", ["031-1234-5678"], .landline),
    PhoneCase("055)123-4567", ["055-123-4567"], .landline),
    PhoneCase("064-712-3456", ["064-712-3456"], .landline),
    PhoneCase("070-1234-5678", ["070-1234-5678"], .virtual),
    PhoneCase("0505-123-4567", ["0505-123-4567"], .virtual),
    PhoneCase("0505-1234-5678", ["0505-1234-5678"], .virtual),
    PhoneCase("0502 123 4567", ["0502-123-4567"], .virtual),
    PhoneCase("1012345678.0", ["010-1234-5678"], warn: ["phone_leading_zero_restored"]),
    PhoneCase("☎ 010-1234-5678", ["010-1234-5678"]),
    PhoneCase("010-1234-5678(어머니)010-9876-5432(아버지)", ["010-1234-5678", "010-9876-5432"]),
    PhoneCase("1.01234E+09", fatal: "phone_invalid_length"),
    PhoneCase("010-1234-5678 (집: 02-123-4567)", ["010-1234-5678", "02-123-4567"]),
    PhoneCase("+82-010-1234-5678", ["010-1234-5678"]),
    PhoneCase("1012345678 / 1098765432", ["010-1234-5678", "010-9876-5432"], warn: ["phone_leading_zero_restored"]),
    // Invalid
    PhoneCase("", fatal: "phone_missing"),
    PhoneCase("   ", fatal: "phone_missing"),
    PhoneCase("없음", fatal: "phone_not_a_number"),
    PhoneCase("abc", fatal: "phone_not_a_number"),
    PhoneCase("-", fatal: "phone_not_a_number"),
    PhoneCase("010-0000-0000", fatal: "phone_placeholder"),
    PhoneCase("010-1111-1111", fatal: "phone_placeholder"),
    PhoneCase("010-9999-9999", fatal: "phone_placeholder"),
    PhoneCase("000-0000-0000", fatal: "phone_placeholder"),
    PhoneCase("01000000000", fatal: "phone_placeholder"),
    PhoneCase("02-0000-0000", fatal: "phone_placeholder"),
    PhoneCase("010-1234-567", fatal: "phone_invalid_length"),
    PhoneCase("010-1234-56789", fatal: "phone_invalid_length"),
    PhoneCase("0101234567", fatal: "phone_invalid_length"),
    PhoneCase("070-123-4567", fatal: "phone_invalid_length"),
    PhoneCase("012-345-6789", fatal: "phone_unknown_prefix"),
    PhoneCase("080-123-4567", fatal: "phone_unknown_prefix"),
    PhoneCase("0501-123-4567", fatal: "phone_unknown_prefix"),
    PhoneCase("035-123-4567", fatal: "phone_unknown_prefix"),
]

@Suite("PhoneNormalizer")
struct PhoneNormalizerTests {
    @Test(arguments: phoneCases)
    func table(_ c: PhoneCase) {
        let r = PhoneNormalizer.normalize(c.input)
        #expect(issuesAreWellFormed(r))
        if let fatal = c.fatal {
            #expect(r.value == nil)
            #expect(codes(r, .fatal) == [fatal])
            #expect(codes(r) == [])
            return
        }
        #expect(codes(r, .fatal) == [])
        guard let list = r.value else {
            Issue.record("no value")
            return
        }
        #expect(([list.primary] + list.others).map(\.formatted) == c.numbers)
        #expect(list.primary.kind == c.kind)
        #expect(codes(r) == c.warnings)
        for n in [list.primary] + list.others {
            #expect(n.digits == n.formatted.replacingOccurrences(of: "-", with: ""))
            for issue in r.issues {
                #expect(!issue.message.contains(n.digits), "message leaks a number: \(issue.message)")
                #expect(!issue.message.contains(n.formatted), "message leaks a number: \(issue.message)")
            }
        }
    }

    @Test func maskedForms() {
        #expect(PhoneNormalizer.normalize("010-1234-5678").value?.primary.masked == "010-****-5678")
        #expect(PhoneNormalizer.normalize("02-123-4567").value?.primary.masked == "02-***-4567")
        #expect(PhoneNormalizer.normalize("0505-123-4567").value?.primary.masked == "0505-***-4567")
        #expect(PhoneNormalizer.normalize("041-123-4567").value?.primary.digits == "0411234567")
    }

    @Test func codableRoundTrip() throws {
        let list = try #require(PhoneNormalizer.normalize("010-1234-5678, 02-123-4567").value)
        let data = try JSONEncoder().encode(list)
        #expect(try JSONDecoder().decode(PhoneList.self, from: data) == list)
    }
}
