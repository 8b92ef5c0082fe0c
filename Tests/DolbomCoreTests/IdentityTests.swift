import DolbomNormalize
import Foundation
import GRDB
import Testing

@testable import DolbomCore

/// Families written as a test wants them: each family has its own guardian, building, unit and children;
/// its phone is its own mobile or a shared line (a centre's office, a grandparent's phone).
struct IdentityFamilies {
    struct Family {
        var guardian: String
        var phone: String
        var building: Int
        var unit: String
        var children: [(name: String, birth: String)]
    }

    static let surnames = ["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오"]
    static let given = ["민준", "서연", "하은", "도윤", "지호", "서준", "하준", "지우", "수아", "지아", "예린", "시우", "채원", "건우"]
    static let sharedLines = ["041-541-1234", "041-545-7788", "041-533-2020"]

    /// Family `k`: distinct guardian, building and children for every `k`; a shared line when `shared` is set.
    static func family(_ k: Int, shared: Int? = nil) -> Family {
        let surname = surnames[k % surnames.count]
        let guardian =
            surname + given[(k / surnames.count) % given.count] + (k >= surnames.count * given.count ? "\(k)" : "")
        let phone =
            shared.map { sharedLines[$0 % sharedLines.count] }
            ?? String(format: "010-%04d-%04d", 3000 + k / 10_000, k % 10_000)
        let children = [
            (surname + given[(k + 3) % given.count] + "이", String(format: "2015-%02d-%02d", 1 + k % 12, 1 + k % 28))
        ]
        return Family(
            guardian: guardian, phone: phone, building: 1 + k, unit: "\(101 + k % 9)동 \(1001 + k % 300)호",
            children: children)
    }

    static let header = SyntheticExport.header

    /// One submission of `family` at minute `minute` of 2024-07-01.. (the time makes it a submission of its own).
    static func row(_ family: Family, minute: Int, memo: String = "", phone: String? = nil) -> String {
        let day = 1 + (minute / (24 * 60)) % 28
        let hour = (minute / 60) % 24
        let m = minute % 60
        let stamp = String(
            format: "2024/07/%02d %d:%02d:00 %@ GMT+9", day, hour % 12 == 0 ? 12 : hour % 12, m, hour < 12 ? "오전" : "오후"
        )
        let child = family.children[0]
        let fields = [
            stamp, family.guardian, phone ?? family.phone,
            "충청남도 아산시 배방읍 배미로\(family.building)번길 \(family.building % 40 + 1), \(family.unit)",
            child.name, child.birth, "지역아동센터", "평일 오후(13시~18시)", "해당없음", "동의합니다", memo,
        ]
        return fields.map { "\"\($0)\"" }.joined(separator: ",") + "\n"
    }
}

@Suite("Identity: an id belongs to one household for good")
struct IdentityTests {
    let asOf = LocalDate(iso: "2024-07-30")!

    func run(_ folder: TempFolder, _ inputs: [URL], out: String) throws -> RunResult {
        let options = RunOptions(
            inputs: inputs.map(\.path), output: folder.url.appendingPathComponent(out).path, asOf: asOf,
            configuration: DolbomConfiguration(), dryRun: false,
            statePath: folder.url.appendingPathComponent("state.db").path)
        return try DolbomRun(options: options).run(diagnostics: DiagnosticsCollector())
    }

    func applicantsFile(_ folder: TempFolder, _ out: String) throws -> Data {
        try Data(contentsOf: folder.url.appendingPathComponent(out).appendingPathComponent("applicants.jsonl"))
    }

    /// Who holds what: applicant id → the guardian names of its household.
    func holders(_ result: RunResult) -> [String: String] {
        var map: [String: String] = [:]
        for h in result.households { map[h.applicantID] = h.guardianName?.name ?? "?" }
        return map
    }

    /// Day 1: two families share a centre's landline (the second gets `-2`). Day 2, the cumulative export adds a
    /// third family on the same line: it must not be given `-2` again.
    @Test func aSharedLandlineNeverGivesOneIdToTwoFamilies() throws {
        let folder = TempFolder()
        let a = IdentityFamilies.family(1, shared: 0)
        let b = IdentityFamilies.family(2, shared: 0)
        let c = IdentityFamilies.family(3, shared: 0)
        let day1Text =
            IdentityFamilies.header + IdentityFamilies.row(a, minute: 600) + IdentityFamilies.row(b, minute: 700)
        let day1 = folder.write("export.csv", utf8: day1Text)
        let first = try run(folder, [day1], out: "out1")
        #expect(first.households.count == 2)
        let day1Holders = holders(first)
        #expect(Set(day1Holders.values) == [a.guardian, b.guardian])

        // Day 2: the new family submitted earlier in the day than nobody; its natural id is the shared line's.
        let day2 = folder.write("export.csv", utf8: day1Text + IdentityFamilies.row(c, minute: 800))
        let second = try run(folder, [day2], out: "out2")
        #expect(second.households.count == 3)
        let ids = second.households.map(\.applicantID)
        #expect(Set(ids).count == 3, "an id was given to two households: \(ids)")
        let day2Holders = holders(second)
        for (id, guardian) in day1Holders { #expect(day2Holders[id] == guardian, "\(id) changed hands") }

        // The rerun is byte-identical.
        _ = try run(folder, [day2], out: "out3")
        #expect(try applicantsFile(folder, "out2") == applicantsFile(folder, "out3"))
    }

    /// Two households known apart (same guardian and home, different numbers and children) joined by a later
    /// submission: the earlier-issued id survives, the other becomes an alias that still finds the family.
    @Test func aMergeKeepsTheEarlierIdAndRemembersTheOtherAsAlias() throws {
        let folder = TempFolder()
        var first = IdentityFamilies.family(5)
        var second = first
        second.phone = "010-7777-1212"
        second.children = [("김다른아이", "2017-03-03")]
        first.children = [("김첫째", "2014-02-02")]
        let day1Text =
            IdentityFamilies.header + IdentityFamilies.row(first, minute: 100)
            + IdentityFamilies.row(second, minute: 200)
        let r1 = try run(folder, [folder.write("e.csv", utf8: day1Text)], out: "o1")
        #expect(r1.households.count == 2)
        let idFirst = r1.households.first { $0.phones.first?.digits == "01030000005" }!.applicantID
        let idSecond = r1.households.first { $0.phones.first?.digits == "01077771212" }!.applicantID

        // The bridge: the second number with the first child.
        var bridge = second
        bridge.children = first.children
        let r2 = try run(
            folder, [folder.write("e.csv", utf8: day1Text + IdentityFamilies.row(bridge, minute: 300))], out: "o2")
        #expect(r2.households.count == 1)
        #expect(r2.households[0].applicantID == idFirst)
        let store = try StateStore(path: folder.url.appendingPathComponent("state.db").path)
        #expect(try store.currentApplicantID(idSecond) == idFirst)
        #expect(try store.currentApplicantID(idFirst) == idFirst)
        #expect(try store.currentApplicantID("H-NEVERISSUED") == nil)
    }

    /// Random sequences of runs over cumulative exports (new rows, edited rows, shared numbers, merges, purges):
    /// no id is ever held by two households (an id's household always holds the rows it first held), a purged
    /// id never comes back, and every rerun is byte-identical.
    @Test(arguments: 1...8)
    func idsAreNeverReusedOverRandomRuns(seed: Int) throws {
        var random = SplitMix(seed: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15)
        let folder = TempFolder()
        var rows: [(family: Int, text: String)] = []
        var minute = 0
        var nextFamily = 0
        var firstHolder: [String: Set<Int>] = [:]  // id → the families of its rows when first seen
        var purged: Set<String> = []
        var families: [Int: IdentityFamilies.Family] = [:]
        for day in 0..<4 {
            // New families, some on shared lines; resubmissions; edits of earlier rows; a phone change.
            for _ in 0..<(2 + random.next(4)) {
                let k = nextFamily
                nextFamily += 1
                let f = IdentityFamilies.family(k, shared: random.next(3) == 0 ? random.next(3) : nil)
                families[k] = f
                minute += 1 + random.next(30)
                rows.append((k, IdentityFamilies.row(f, minute: minute)))
            }
            for _ in 0..<random.next(3) where !families.isEmpty {
                let k = random.next(nextFamily)
                minute += 1 + random.next(30)
                let phone = random.next(4) == 0 ? String(format: "010-9%03d-%04d", k % 1000, random.next(10_000)) : nil
                rows.append((k, IdentityFamilies.row(families[k]!, minute: minute, memo: "다시 신청", phone: phone)))
            }
            if !rows.isEmpty && random.next(2) == 0 {
                let r = random.next(rows.count)
                rows[r].text = rows[r].text.replacingOccurrences(of: ",\"\"\n", with: ",\"수정 \(day)\"\n")
            }
            let text = IdentityFamilies.header + rows.map(\.text).joined()
            let input = folder.write("export.csv", utf8: text)
            let result = try run(folder, [input], out: "d\(day)")
            let ids = result.households.map(\.applicantID)
            #expect(Set(ids).count == ids.count, "seed \(seed) day \(day): an id twice")
            for h in result.households {
                let familiesHere = Set(
                    h.sources.compactMap { source -> Int? in
                        guard source.fromState != true, source.row >= 2, source.row - 2 < rows.count else { return nil }
                        return rows[source.row - 2].family
                    })
                #expect(
                    !purged.contains(h.applicantID), "seed \(seed) day \(day): purged id \(h.applicantID) came back")
                if let earlier = firstHolder[h.applicantID] {
                    #expect(
                        !earlier.isDisjoint(with: familiesHere) || familiesHere.isEmpty,
                        "seed \(seed) day \(day): \(h.applicantID) moved from \(earlier) to \(familiesHere)")
                } else {
                    firstHolder[h.applicantID] = familiesHere
                }
            }
            // Rerun: byte-identical.
            _ = try run(folder, [input], out: "d\(day)-again")
            #expect(
                try applicantsFile(folder, "d\(day)") == applicantsFile(folder, "d\(day)-again"),
                "seed \(seed) day \(day): rerun differs")

            // Now and then a household is closed and purged; its rows leave the export as well.
            if random.next(3) == 0, let victim = result.households.randomElement(using: &random) {
                let store = try StateStore(path: folder.url.appendingPathComponent("state.db").path)
                let queue = try DatabaseQueue(path: folder.url.appendingPathComponent("state.db").path)
                try queue.write { db in
                    try db.execute(
                        sql: "UPDATE household SET status = 'done', closed_on = '2020-01-01' WHERE applicant_id = ?",
                        arguments: [victim.applicantID])
                }
                let runID = try store.beginRun(asOf: asOf, command: "purge", dryRun: false)
                _ = try store.purge(closedBefore: asOf, run: runID)
                purged.insert(victim.applicantID)
                let gone = Set(victim.sources.filter { $0.fromState != true }.map(\.row))
                rows = rows.enumerated().filter { !gone.contains($0.offset + 2) }.map(\.element)
            }
        }
    }
}

extension SplitMix {
    /// A number in 0..<bound.
    mutating func next(_ bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }
}

@Suite("Identity: how evidence is read")
struct IdentityEvidenceTests {
    /// Units written the ways people write them are one key; another unit is another key.
    @Test(arguments: [
        ("111-201", "111-201"), ("111동 201호", "111-201"), ("111동201호", "111-201"), ("(온양자이) 111동 201호", "111-201"),
        ("온양자이 111동 201호", "111-201"), ("아산실옥LH 113-1103", "113-1103"), ("용화e편한세상 105동 2301호", "105-2301"),
        ("B동 203호", "B-203"), ("b동 203호", "B-203"), ("0201호", "201"), ("3층 301호", "301"), ("지층1호", "1"),
        // A floor written before a room that starts with it says nothing more; a 동 is not a floor.
        ("2층 203호", "203"), ("상가 2층 203호", "203"), ("12층 1203호", "1203"), ("101동 3층 301호", "101-301"),
        ("11동 1101호", "11-1101"), ("3층", "3"), ("2층 305호", "2-305"), ("1층 12호", "1-12"),
    ])
    func unitKeys(written: String, key: String) {
        #expect(UnitKey.of(written) == key)
    }

    @Test func aUnitWithoutDigitsIsItsOwnText() {
        #expect(UnitKey.of("상가") == nil)
        #expect(UnitKey.of("111동 201호") != UnitKey.of("111동 202호"))
        #expect(UnitKey.of("2층 203호") != UnitKey.of("2층 204호"))
        #expect(UnitKey.of("3층") != UnitKey.of("303호"))
    }

    @Test(arguments: [("Trần Thị Mai", "TRAN THI MAI"), ("Nguyễn  Thị Lan", "NGUYEN THI LAN"), ("김민정", "김민정")])
    func latinNamesCompareWithoutCaseOrDiacritics(a: String, b: String) {
        #expect(MatchFeatureTable.matchingName(a) == MatchFeatureTable.matchingName(b))
    }

    @Test func aNumberOneDigitOffIsSimilarNotSame() {
        let code = { (s: String) in DigitCode.of(s)! }
        #expect(PairScorer.oneDigitApart(code("01092328938"), code("01092320938")))
        #expect(!PairScorer.oneDigitApart(code("01092328938"), code("01092328938")))
        #expect(!PairScorer.oneDigitApart(code("01092328938"), code("01092320930")))
        #expect(!PairScorer.oneDigitApart(code("0415338614"), code("01092320938")))
    }

    /// A number several guardians give weighs less than a family's own; a shared number with another home and
    /// no child in common is never merged, and in another 시군구 not even reviewed.
    @Test func sharedNumbersWeighLess() {
        var own = PairEvidence.Fields()
        own.set(.phone, .same)
        var shared = own
        shared.phoneLevel = 1
        let w = MatchWeights()
        #expect(PairScorer.score(shared, w) == PairScorer.score(own, w) - 3)
        var apart = own
        apart.set(.guardianName, .same)
        apart.set(.address, .different)
        #expect(PairScorer.score(apart, w) < w.mergeThreshold)
        apart.set(.sigungu, .different)
        #expect(PairScorer.score(apart, w) < w.reviewThreshold)
        apart.set(.child, .same)
        #expect(PairScorer.score(apart, w) >= w.mergeThreshold)  // a family that moved, with its child
    }

    /// Same guardian, same unit, same child: a new number is not held against the family.
    @Test func aFamilyThatChangedItsNumberStaysOne() {
        var f = PairEvidence.Fields()
        f.set(.phone, .different)
        f.set(.guardianName, .similar)
        f.set(.address, .same)
        f.set(.child, .similar)
        #expect(f.sameHomeAndPeople)
        #expect(PairScorer.score(f, MatchWeights()) >= MatchWeights().mergeThreshold)
        #expect(f.text.contains("same_home_and_people"))
        f.set(.guardianName, .different)
        #expect(!f.sameHomeAndPeople)
    }
}
