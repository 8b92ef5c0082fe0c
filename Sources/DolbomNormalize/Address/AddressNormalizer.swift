/// Turns a free-text Korean address from a request form into `Address`.
///
/// Forms are typed by parents on phones: short 시도 names (`충남`), old names
/// (`강원도`, `전라북도`, `경북 군위군`), missing 시도, road numbers glued to
/// the road, `101-1203` for 동/호, brackets pasted twice, full-width
/// characters. Staff need one canonical form to sort and dedupe call lists,
/// and an issue whenever something could not be decided — ambiguous names
/// like `중구` or `고성군` are resolved only with evidence, never guessed.
public struct AddressNormalizer: Sendable {
    public let gazetteer: Gazetteer

    public init(gazetteer: Gazetteer = .builtIn) {
        self.gazetteer = gazetteer
    }

    /// Pure; never throws. Blank input is fatal (`address_missing`); anything
    /// else gives a value, with warnings for what staff should check.
    public func normalize(_ raw: String) -> Normalized<Address> {
        var parser = AddressParser(gazetteer: gazetteer)
        return parser.run(raw)
    }
}

enum AddressPiece: Equatable {
    case word(String)
    case comma
    case group(String)
    case postalMark

    var word: String? {
        if case .word(let w) = self { return w }
        return nil
    }
}

struct AddressParser {
    typealias S = AddressScan
    let g: Gazetteer
    var issues: [FieldIssue] = []
    var pieces: [AddressPiece] = []

    // Collected parts.
    var postal: String?
    var writtenSido: String?
    var gwangju = false
    var gwangjuWord = "광주"
    var sigunguName: String?
    var sigunguCandidates: [String] = []
    var emd: String?
    var ri: String?
    var road: String?
    var number: String?
    var underground = false
    var jibun: String?
    var detailPieces: [AddressPiece] = []
    var skipped: [String] = []
    var buildingName: String?
    var refEmd: String?
    var refRi: String?
    var recognizedAnything = false
    var afterNumber = false

    init(gazetteer: Gazetteer) { self.g = gazetteer }

    mutating func warn(_ code: String, _ message: String) {
        if !issues.contains(where: { $0.code == code }) { issues.append(.warning(code, message)) }
    }

    // MARK: - Tokenizing

    /// Splits into words, commas and bracket groups in one pass over the
    /// UTF-8 bytes, folding full-width forms and odd spaces; builds UTF-8 bytes
    /// (cheaper than appending to a `String`).
    mutating func tokenize(_ raw: String) {
        pieces.reserveCapacity(16)
        var text = raw
        let n = text.utf8.count
        // Word and group bytes are built in scratch buffers of the input's size (folding never
        // makes text longer), without the capacity and uniqueness checks of `Array.append`.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * n + 1) { scratch in
            var cur = ScratchBytes(base: scratch.baseAddress!)
            var group = ScratchBytes(base: scratch.baseAddress! + n)
            var inGroup = false
            func flush(_ cur: inout ScratchBytes, into pieces: inout [AddressPiece]) {
                if cur.count > 0 {
                    pieces.append(.word(String(decoding: cur.bytes, as: UTF8.self)))
                    cur.count = 0
                }
            }
            func emitGroup(_ g: UnsafeBufferPointer<UInt8>, into pieces: inout [AddressPiece]) {
                var out: [UInt8] = []
                out.reserveCapacity(g.count)
                var space = false
                for b in g {
                    if b == 0x20 { space = !out.isEmpty; continue }
                    if space { out.append(0x20); space = false }
                    out.append(b)
                }
                guard !out.isEmpty else { return }
                if out.elementsEqual(Self.postalMarkBytes) || out.elementsEqual("우편번호".utf8) { pieces.append(.postalMark); return }
                pieces.append(.group(String(decoding: out, as: UTF8.self)))
            }
            // Walks the UTF-8 bytes: a scalar `fold` changes is always one of the non-ASCII ones
            // below, and always becomes ASCII; every other scalar (Hangul: lead bytes EA–ED) is
            // copied as its bytes, without decoding.
            text.withUTF8 { b in
                var i = 0
                while i < n {
                    let lead = b[i]
                    var ch = -1  // the (folded) ASCII character, or -1 for a scalar kept as written
                    var len = 1
                    if lead < 0x80 {
                        ch = Int(S.fold(Unicode.Scalar(lead)).value)
                    } else {
                        len = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
                        // Lead bytes of U+0080–07FF, U+1000–3FFF and U+F000–FFFF: where `fold`'s inputs are.
                        if lead == 0xC2 || lead == 0xE1 || lead == 0xE2 || lead == 0xE3 || lead == 0xEF {
                            var v = UInt32(lead) & (len == 2 ? 0x1F : 0x0F)
                            for k in 1..<len { v = (v << 6) | UInt32(b[i + k] & 0x3F) }
                            let f = S.fold(Unicode.Scalar(v)!)
                            if f.value < 0x80 { ch = Int(f.value) }
                        }
                    }
                    defer { i += len }
                    if inGroup {
                        if ch == 0x29 || ch == 0x5D {  // ) ]
                            emitGroup(group.bytes, into: &pieces)
                            group.count = 0
                            inGroup = false
                        } else if ch == 0x28 || ch == 0x5B {  // ( [
                            // Unbalanced: the earlier "(" was text, e.g. `지층(갈현동 501-5 (갈현동)`.
                            var tmp = cur  // `cur` is empty inside a group: its space is free
                            for b in group.bytes {
                                if b == 0x20 { flush(&tmp, into: &pieces) }
                                else if b == 0x2C { flush(&tmp, into: &pieces); pieces.append(.comma) }
                                else { tmp.append(b) }
                            }
                            flush(&tmp, into: &pieces)
                            group.count = 0
                        } else if ch >= 0 {
                            group.append(UInt8(ch))
                        } else {
                            for k in 0..<len { group.append(b[i + k]) }
                        }
                        continue
                    }
                    switch ch {
                    case 0x20, 0x3A, 0x3B:  // space : ;
                        flush(&cur, into: &pieces)
                    case 0x2C:  // ,
                        flush(&cur, into: &pieces)
                        pieces.append(.comma)
                    case 0x28, 0x5B:  // ( [
                        flush(&cur, into: &pieces)
                        inGroup = true
                    case 0x29, 0x5D:  // ) ]
                        if cur.bytes.elementsEqual(Self.postalMarkBytes) {
                            cur.count = 0
                            pieces.append(.postalMark)
                        } else {
                            flush(&cur, into: &pieces)
                        }
                    case -1:
                        for k in 0..<len { cur.append(b[i + k]) }
                    default:
                        cur.append(UInt8(ch))
                    }
                }
            }
            flush(&cur, into: &pieces)
            if inGroup { emitGroup(group.bytes, into: &pieces) }
        }
    }

    static let postalMarkBytes: [UInt8] = Array("우".utf8)

    /// Bytes appended into scratch memory the caller sized for them.
    struct ScratchBytes {
        let base: UnsafeMutablePointer<UInt8>
        var count = 0
        @inline(__always) mutating func append(_ b: UInt8) { base[count] = b; count += 1 }
        var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }
    }

    static func isPostal(_ w: String) -> Bool {
        let u = w.utf8
        return u.count == 5 && u.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// Whether `w` starts with an ASCII digit or with `우` (EC 9A B0), as every postal-code form does.
    @inline(__always) static func mayBePostal(_ w: String) -> Bool {
        let u = w.utf8
        guard let b = u.first else { return false }
        return (b >= 0x30 && b <= 0x39) || (b == 0xEC && u.starts(with: [0xEC, 0x9A, 0xB0]))
    }

    mutating func setPostal(_ p: String) {
        if postal == nil { postal = p }
    }

    mutating func extractPostal() {
        // Usually nothing is taken out: the kept pieces are copied into `out` only from the
        // first piece that is taken out (`kept` counts them either way).
        var out: [AddressPiece]?
        var kept = 0
        var markPending = false
        for i in pieces.indices {
            let p = pieces[i]
            var keep = false
            switch p {
            case .postalMark:
                markPending = true
            case .word(let w) where !Self.mayBePostal(w), .group(let w) where !Self.mayBePostal(w):
                // Quick reject of the usual word: every case below needs a digit or `우` first.
                markPending = false
                keep = true
            case .word(let w) where Self.startsWithDigit(w):
                // Of the cases below only the bare 5-digit code can match a word starting with a digit.
                if Self.isPostal(w) && (markPending || kept == 0) { setPostal(w) } else { keep = true }
                markPending = false
            case .group(let c) where Self.startsWithDigit(c):
                if Self.isPostal(c) { setPostal(c) } else { markPending = false; keep = true }
            case .word(let w) where w.addressBytesEqual("우편번호") || w.addressBytesEqual("우편") || w.addressBytesEqual("우"):
                markPending = true
            case .word(let w) where Self.isPostal(w) && (markPending || kept == 0):
                setPostal(w)
                markPending = false
            case .word(let w) where w.utf8.starts(with: "우편번호".utf8) && Self.isPostal(String(w.dropFirst(4))):
                setPostal(String(w.dropFirst(4)))
            case .group(let c) where Self.isPostal(c):
                setPostal(c)
            case .group(let c) where c.utf8.starts(with: "우편번호".utf8) && Self.isPostal(String(c.dropFirst(4)).addressTrimmed):
                setPostal(String(c.dropFirst(4)).addressTrimmed)
            case .group(let c) where c.unicodeScalars.first == "우" && Self.isPostal(String(c.dropFirst(1)).addressTrimmed):
                setPostal(String(c.dropFirst(1)).addressTrimmed)
            default:
                markPending = false
                keep = true
            }
            if keep {
                kept += 1
                out?.append(p)
            } else if out == nil {
                // The first piece taken out: every earlier piece was kept.
                var o: [AddressPiece] = []
                o.reserveCapacity(pieces.count)
                o.append(contentsOf: pieces[..<i])
                out = o
            }
        }
        if let out { pieces = out }
        // A trailing 5-digit word is a postal code unless it is a road's number.
        if let lastWordIndex = pieces.lastIndex(where: { $0.word != nil }), let w = pieces[lastWordIndex].word, Self.isPostal(w) {
            let prev = pieces[..<lastWordIndex].last(where: { $0.word != nil })?.word
            let prevIsRoad = prev.map { S.road($0) != nil || S.roadSuffix($0) != nil || $0.addressBytesEqual("지하") || $0.addressBytesEqual("산") } ?? false
            if !prevIsRoad {
                setPostal(w)
                pieces.remove(at: lastWordIndex)
            }
        }
    }

    /// Whether the first byte is an ASCII digit.
    @inline(__always) static func startsWithDigit(_ w: String) -> Bool {
        guard let b = w.utf8.first else { return false }
        return b >= 0x30 && b <= 0x39
    }

    // MARK: - Reference bracket `(법정동, 건물명)`

    /// (읍면동, 리, 건물명) when a bracket starts with a 읍면동 or 리.
    static func reference(_ content: String) -> (emd: String?, ri: String?, building: String?)? {
        // Cheap reject before any splitting: the first word must be a 읍면동/리.
        let firstWordBytes = content.utf8.prefix { $0 != 0x20 && $0 != 0x2C }
        let whole = firstWordBytes.count == content.utf8.count
        let firstWord = whole ? content : String(decoding: firstWordBytes, as: UTF8.self)
        let firstIsRi = S.isRi(firstWord)
        guard firstIsRi || S.isEupMyeonDong(firstWord) else { return nil }
        if whole {
            return firstIsRi ? (nil, firstWord, nil) : (firstWord, nil, nil)
        }
        // The comma-separated parts, each with its spaces collapsed, empty ones left out
        // (one pass over the bytes instead of splitting and joining).
        var parts: [String] = []
        content.withAddressUTF8 { b in
            // A part is at most as long as the content: written into scratch memory, no array growth.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(b.count, 1)) { scratch in
                var part = AddressTextWriter(base: scratch.baseAddress!)
                var pendingSpace = false
                for x in b {
                    if x == 0x2C {
                        if part.count > 0 { parts.append(String(decoding: UnsafeBufferPointer(start: part.base, count: part.count), as: UTF8.self)) }
                        part.count = 0
                        pendingSpace = false
                        continue
                    }
                    if x == 0x20 { pendingSpace = part.count > 0; continue }
                    if pendingSpace { part.byte(0x20); pendingSpace = false }
                    part.byte(x)
                }
                if part.count > 0 { parts.append(String(decoding: UnsafeBufferPointer(start: part.base, count: part.count), as: UTF8.self)) }
            }
        }
        guard let firstPart = parts.first else { return nil }
        var words = firstPart.utf8.split(separator: 0x20).map { String(decoding: $0, as: UTF8.self) }
        guard let first = words.first else { return nil }
        var emd: String?
        var ri: String?
        if S.isRi(first) {
            ri = first
        } else if S.isEupMyeonDong(first) {
            if S.isBlockLetterDong(first), words.count > 1, S.isUnit(words[1]) { return nil }
            emd = first
        } else {
            return nil
        }
        words.removeFirst()
        if emd != nil, let next = words.first, S.isRi(next), first.unicodeScalars.last == "읍" || first.unicodeScalars.last == "면" {
            ri = next
            words.removeFirst()
        }
        var rest = words.joined(separator: " ")
        for extra in parts.dropFirst() {
            if rest.isEmpty, emd != nil, ri == nil, S.isRi(extra) { ri = extra; continue }
            if rest.isEmpty, emd == nil, S.isEupMyeonDong(extra), !extra.contains(" ") { emd = extra; continue }
            rest = rest.isEmpty ? extra : rest + " " + extra
        }
        return (emd, ri, rest.isEmpty ? nil : rest)
    }

    mutating func extractReference() {
        var chosen: Int?
        var chosenContent = ""
        for (i, p) in pieces.enumerated() {
            if case .group(let c) = p, let ref = Self.reference(c) {
                chosen = i
                chosenContent = c
                refEmd = ref.emd
                refRi = ref.ri
                buildingName = ref.building
            }
        }
        guard chosen != nil else { return }
        // Drop copies of the reference (pasted twice) and other brackets that only
        // repeat its 동, taking a building name from them when the reference has none.
        pieces.removeAll { piece in
            guard case .group(let c) = piece else { return false }
            if c.addressBytesEqual(chosenContent) { return true }
            guard let r = Self.reference(c) else { return false }
            let sameEmd = r.emd.map { e in refEmd.map { $0.addressBytesEqual(e) } ?? false } ?? true
            let sameRi = r.ri.map { x in refRi.map { $0.addressBytesEqual(x) } ?? false } ?? true
            guard sameEmd, sameRi else { return false }
            guard let b = r.building else { return true }
            if let mine = buildingName { return mine.addressBytesEqual(b) }
            if b.unicodeScalars.contains(where: { $0 == "층" || $0 == "호" }) { return false }
            buildingName = b
            return true
        }
    }

    // MARK: - Main walk

    static let sidoSuffixWords: [[UInt8]] = ["특별시", "광역시", "특별자치시", "특별자치도", "도", "시"].map { Array($0.utf8) }

    /// `next` is a 시도 suffix written apart (`서울 특별시`): compared as bytes, no hashing.
    static func isSidoSuffix(_ w: String) -> Bool {
        w.withAddressUTF8 { b in sidoSuffixWords.contains { $0.count == b.count && $0.elementsEqual(b) } }
    }

    func sidoAt(_ i: Int) -> (code: String, consumed: Int)? {
        guard let w = pieces[i].word else { return nil }
        if i + 1 < pieces.count, let next = pieces[i + 1].word, Self.isSidoSuffix(next),
           let code = g.sidoAliases.value(w, next) {
            return (code, 2)
        }
        if let code = g.sidoAliases[w] { return (code, 1) }
        return nil
    }

    /// Splits a word that glues a 시도/시군구 to what follows (`서울특별시서초구`, `아산시배방읍`).
    func splitGlued(_ w: String) -> (String, String)? {
        let u = Array(w.unicodeScalars)
        guard u.count >= 4 else { return nil }
        for k in stride(from: u.count - 2, through: 2, by: -1) {
            let last = u[k - 1]
            let head = S.string(u[..<k])
            if g.sidoAliases[head] != nil { return (head, S.string(u[k...])) }
            guard last == "시" || last == "군" || last == "구" else { continue }
            if g.sigunguKeys[head] != nil || head.addressBytesEqual("광주시") {
                return (head, S.string(u[k...]))
            }
        }
        return nil
    }

    func roadAhead(from i: Int) -> Bool {
        var j = i
        while j < pieces.count {
            switch pieces[j] {
            case .word(let w):
                if S.road(w) != nil { return true }
            case .comma:
                return false
            default:
                break
            }
            j += 1
        }
        return false
    }

    mutating func walk() {
        var i = 0
        region: while i < pieces.count {
            let p = pieces[i]
            guard case .word(let w) = p else {
                if case .group = p { detailPieces.append(p) }
                i += 1
                continue
            }
            if road == nil, jibun == nil {
                if let sido = sidoAt(i) {
                    if writtenSido == nil { writtenSido = sido.code }
                    else if writtenSido != sido.code {
                        warn("address_sido_conflict", "시도가 두 번 다르게 적혀 있습니다. 앞의 시도를 썼으니 주소의 시도를 확인해 주세요.")
                    }
                    recognizedAnything = true
                    i += sido.consumed
                    continue
                }
                if w.addressBytesEqual("광주") || w.addressBytesEqual("광주시") {
                    gwangju = true
                    gwangjuWord = w
                    recognizedAnything = true
                    i += 1
                    continue
                }
                if let codes = g.sigunguKeys[w] {
                    recognizedAnything = true
                    var consumed = 1
                    var found = codes
                    var name = w
                    if i + 1 < pieces.count, let next = pieces[i + 1].word, let combined = g.sigunguKeys.value(w, next, separator: 0x20) {
                        found = combined
                        consumed = 2
                        name = w + " " + next
                    }
                    if sigunguName == nil {
                        sigunguName = name
                        sigunguCandidates = found
                    } else if !found.isEmpty {
                        // `천안시 ... 서북구` apart, or `광주 북구`: narrow to the 구 under the 시.
                        let narrowed = found.filter { code in
                            sigunguCandidates.contains { parent in g.guChildren[parent]?.contains(code) == true }
                        }
                        if !narrowed.isEmpty { sigunguCandidates = narrowed; sigunguName = name }
                        else if Set(found) != Set(sigunguCandidates) && sigunguCandidates.allSatisfy({ g.guChildren[$0] == nil }) {
                            warn("address_sigungu_conflict", "시군구가 두 번 다르게 적혀 있습니다. 앞의 시군구를 썼으니 확인해 주세요.")
                        }
                    }
                    i += consumed
                    continue
                }
                if sigunguName == nil, let rs = g.renames[w], rs.contains(where: { $0.kind == .sigunguRenamed || $0.kind == .sigunguMoved }) {
                    recognizedAnything = true
                    sigunguName = w
                    sigunguCandidates = []
                    i += 1
                    continue
                }
                // Each scan once per word (below, `isEupMyeonDong` only matters when `isRi` is false).
                let isRiWord = S.isRi(w)
                let isEmdWord = !isRiWord && S.isEupMyeonDong(w)
                if isRiWord || isEmdWord, let (a, b) = splitGlued(w) {
                    pieces.replaceSubrange(i...i, with: [.word(a), .word(b)])
                    continue
                }
                if isRiWord {
                    if ri == nil { ri = w }
                    recognizedAnything = true
                    i += 1
                    continue
                }
                if isEmdWord && !(S.isBlockLetterDong(w) && recognizedAnything && emd != nil) {
                    if emd == nil { emd = w }
                    recognizedAnything = true
                    i += 1
                    continue
                }
            }
            if road == nil, jibun == nil, let r = S.road(w) {
                recognizedAnything = true
                i = parseRoad(r, at: i)
                break region
            }
            // `신대방 1길`: a road name split before its `N길`.
            if road == nil, jibun == nil, i + 1 < pieces.count, S.isHangulWord(w, atLeast: 0),
               let next = pieces[i + 1].word, let suf = S.roadSuffix(next) {
                recognizedAnything = true
                pieces.replaceSubrange(i...(i + 1), with: [.word(w + suf.suffix + (suf.number ?? ""))])
                continue
            }
            if road == nil, jibun == nil, emd != nil || ri != nil || sigunguName != nil {
                if w.addressBytesEqual("산"), i + 1 < pieces.count, let next = pieces[i + 1].word, let j = S.jibun(next), !j.hasPrefix("산") {
                    jibun = "산" + j
                    i += 2
                    skipBunji(&i)
                    afterNumber = true
                    break region
                }
                if let j = S.jibun(w) {
                    jibun = j
                    i += 1
                    skipBunji(&i)
                    afterNumber = true
                    break region
                }
            }
            if road == nil, jibun == nil, let (a, b) = splitGlued(w) {
                pieces.replaceSubrange(i...i, with: [.word(a), .word(b)])
                continue
            }
            // Unknown word.
            if !recognizedAnything || roadAhead(from: i + 1) {
                skipped.append(w)
                i += 1
                continue
            }
            break region
        }
        while i < pieces.count {
            detailPieces.append(pieces[i])
            i += 1
        }
    }

    mutating func skipBunji(_ i: inout Int) {
        if i < pieces.count, pieces[i].word?.addressBytesEqual("번지") == true { i += 1 }
    }

    /// Parses road (+ `224번길`) + [지하] + number starting at `i`; returns the next index.
    mutating func parseRoad(_ r: (road: String, number: String?), at start: Int) -> Int {
        var i = start + 1
        var name = r.road
        var num = r.number
        if num == nil, i < pieces.count, let next = pieces[i].word, S.lastScalar(name) == .v("로") {
            if let suf = S.roadSuffix(next) {
                name += suf.suffix
                num = suf.number
                i += 1
            } else if i + 1 < pieces.count, S.allDigits(next), let after = pieces[i + 1].word,
                      let suf = S.roadSuffix(next + after) {
                // `번영로 224 번길 15`
                name += suf.suffix
                num = suf.number
                i += 2
            }
        }
        road = name
        if num == nil, i < pieces.count, let next = pieces[i].word {
            if next.addressBytesEqual("지하"), i + 1 < pieces.count, let w2 = pieces[i + 1].word, let n = S.buildingNumber(w2) {
                underground = true
                num = n
                i += 2
            } else if next.utf8.starts(with: "지하".utf8), let n = S.buildingNumber(String(next.dropFirst(2))) {
                underground = true
                num = n
                i += 1
            } else if let n = S.buildingNumber(next) {
                num = n
                i += 1
            }
        }
        number = num
        afterNumber = num != nil
        return i
    }

    // MARK: - Detail

    mutating func buildDetail() -> String? {
        var out: [String] = []
        out.reserveCapacity(detailPieces.count + 1)
        var firstWord = true
        var tookName = false
        var i = 0
        let ps = detailPieces
        while i < ps.count {
            defer { i += 1 }
            switch ps[i] {
            case .comma, .postalMark:
                continue
            case .group(let c):
                if buildingName == nil, S.isBuildingName(c.filter { $0 != " " }), !c.contains(where: { $0 == "층" || $0 == "호" }) {
                    buildingName = c
                } else {
                    out.append("(" + c + ")")
                }
                firstWord = false
            case .word(let w):
                let wasNameJustTaken = tookName
                tookName = false
                defer { firstWord = false }
                if w.addressBytesEqual("번지") { continue }
                // An apartment name written inline before its units (`권곡동한라비발디 211동 1502호`,
                // `온천동한신휴플러스 203-2004`) is the building name, not part of the detail.
                if firstWord, buildingName == nil, out.isEmpty, S.isHangulWord(w, atLeast: 3), !S.isUnit(w),
                   i + 1 < ps.count, let next = ps[i + 1].word,
                   Self.dashPair(next) != nil || S.splitDongHo(next) != nil || S.isUnit(next) {
                    buildingName = w
                    tookName = true
                    continue
                }
                if firstWord || wasNameJustTaken, afterNumber, let pair = Self.dashPair(w) {
                    out.append(pair.0 + "동")
                    out.append(pair.1 + "호")
                    continue
                }
                if let (d, h) = S.splitDongHo(w) {
                    out.append(d)
                    out.append(h)
                    continue
                }
                if w.addressBytesEqual("지하"), i + 1 < ps.count, let next = ps[i + 1].word, S.lastScalar(next) == .v("층"),
                   S.allDigits(String(next.unicodeScalars.dropLast())) {
                    out.append("지하" + next)
                    i += 1
                    continue
                }
                // (One scalar, 호/층/동: three bytes.)
                if w.utf8.count == 3, let unit = S.lastScalar(w), unit == .v("호") || unit == .v("층") || unit == .v("동"), let prev = out.last {
                    if S.allDigits(prev) {
                        out[out.count - 1] = prev + w
                        continue
                    }
                    if S.lastScalar(prev) == unit, S.isUnit(prev) { continue }
                }
                // (All digits: as many bytes as scalars.)
                if S.allDigits(w), w.utf8.count <= 4, let prev = out.last,
                   S.lastScalar(prev) == .v("동"), S.isUnit(prev) {
                    out.append(w + "호")
                    continue
                }
                if S.isUnit(w) {
                    out.append(S.upperLatin(w))
                    continue
                }
                out.append(w)
            }
        }
        if buildingName == nil, let first = out.first, S.isBuildingName(first) {
            buildingName = first
            out.removeFirst()
        } else if buildingName == nil, out.count > 1, let last = out.last, S.isBuildingName(last) {
            buildingName = last
            out.removeLast()
        }
        if !skipped.isEmpty { out = skipped + out }
        return out.isEmpty ? nil : out.joined(separator: " ")
    }

    /// `101-1203` right after the building number: 101동 1203호.
    static func dashPair(_ w: String) -> (String, String)? {
        let u = w.utf8
        guard let dash = u.firstIndex(of: 0x2D) else { return nil }
        let a = u[..<dash], b = u[u.index(after: dash)...]
        guard (1...4).contains(a.count), (3...4).contains(b.count),
              a.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), b.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return (String(decoding: a, as: UTF8.self), String(decoding: b, as: UTF8.self))
    }

    // MARK: - Resolution

    func sidoOf(_ code: String) -> String { String(code.prefix(2)) }

    /// Codes of `code5` and its 일반구, for 법정동 lookups.
    func withChildren(_ code5: String) -> [String] {
        [code5] + (g.guChildren[code5] ?? [])
    }

    func legalHas(_ code5: String, emd: String?, ri: String?) -> Bool {
        guard let legal = g.legal else { return false }
        for c in withChildren(code5) {
            if let e = emd {
                if legal.emd[c]?[e] != nil || legal.emd[c]?[Self.legalDongGuess(e)] != nil { return true }
            }
            if let r = ri, legal.ri[c]?[r] != nil { return true }
        }
        return false
    }

    /// 행정동 `상계1동` → 법정동 `상계동` guess; `신당5동` → `신당동`.
    static func legalDongGuess(_ e: String) -> String {
        var u = Array(e.unicodeScalars)
        guard u.last == "동", u.count >= 3 else { return e }
        u.removeLast()
        var changed = false
        while let l = u.last, S.isDigit(l) || l == "·" || l == "." { u.removeLast(); changed = true }
        if u.last == "제" { u.removeLast() }
        return changed && u.count >= 1 ? S.string(u) + "동" : e
    }

    mutating func resolve() -> (sidoCode: String?, sigunguCode: String?) {
        let postalSido = postal.flatMap { g.sidoCode(postalCode: $0) }
        let emdAll = emd ?? refEmd
        let riAll = ri ?? refRi
        var sido = writtenSido
        var cands = sigunguCandidates
        var resolved: String?
        var ambiguous = false

        // 광주: 광주광역시 or 경기도 광주시.
        if gwangju {
            let gyeonggiGwangju = "41610"
            if cands.contains(where: { sidoOf($0) == "29" }) && (sido == nil || sido == "29") {
                sido = "29"
            } else if sigunguName == nil {
                let emdIsEupMyeon = emdAll.map { $0.hasSuffix("읍") || $0.hasSuffix("면") } ?? false
                if sido == "41" || postalSido == "41" || emdIsEupMyeon || riAll != nil || legalHas(gyeonggiGwangju, emd: emdAll, ri: riAll) {
                    sido = "41"
                    cands = [gyeonggiGwangju]
                    sigunguName = "광주시"
                } else if sido == "29" || postalSido == "29" {
                    sido = "29"
                } else if let e = emdAll, let legal = g.legal,
                          let inGwangju = legal.emdSigungu[e]?.filter({ sidoOf($0) == "29" }), inGwangju.count == 1 {
                    sido = "29"
                    cands = inGwangju
                    sigunguName = g.sigungus[inGwangju[0]]?.name
                } else {
                    ambiguous = true
                    warn("address_sido_ambiguous", "‘광주’만으로는 광주광역시인지 경기도 광주시인지 알 수 없습니다. 주소에 시도(예: 광주광역시, 경기도)를 적어 주세요.")
                }
            }
        }

        if let name = sigunguName {
            let renames = (g.renames[name] ?? []).filter { $0.kind == .sigunguRenamed || $0.kind == .sigunguMoved }
            var mismatch = false
            if let s = sido {
                let f = cands.filter { sidoOf($0) == s }
                if !f.isEmpty {
                    cands = f
                } else if let r = renames.first(where: { $0.oldSidoCode == s || sidoOf($0.newCode) == s }) {
                    cands = [r.newCode]
                    noteRename(r, name: name)
                } else if cands.isEmpty, renames.count == 1 {
                    cands = [renames[0].newCode]
                    noteRename(renames[0], name: name)
                } else {
                    mismatch = true
                }
            } else if cands.isEmpty, renames.count == 1 {
                cands = [renames[0].newCode]
                noteRename(renames[0], name: name)
            }
            if cands.count > 1, let ps = postalSido {
                let f = cands.filter { sidoOf($0) == ps }
                if !f.isEmpty { cands = f }
            }
            if cands.count > 1, g.legal != nil, emdAll != nil || riAll != nil {
                let f = cands.filter { legalHas($0, emd: emdAll, ri: riAll) }
                if !f.isEmpty { cands = f }
            }
            if cands.count == 1 {
                resolved = cands[0]
                let newSido = sidoOf(cands[0])
                if mismatch, let s = sido, s != newSido {
                    warn("address_sido_sigungu_mismatch", "적힌 시도에 ‘\(name)’이(가) 없어 \(g.sidoNames[newSido] ?? "다른 시도")(으)로 고쳤습니다. 주소의 시도를 확인해 주세요.")
                }
                sido = newSido
            } else if cands.count > 1 {
                ambiguous = true
                let sidos = Set(cands.map(sidoOf))
                if sidos.count == 1 { sido = sidos.first } else if !mismatch { sido = nil }
                if mismatch { sido = nil }
                if sidos.count > 1 {
                    warn("address_sido_ambiguous", "‘\(name)’만으로는 시도를 알 수 없습니다. 주소에 시도(예: \(exampleSido(cands)))를 적어 주세요.")
                } else {
                    warn("address_sigungu_ambiguous", "‘\(name)’이(가) 여러 곳에 있어 시군구를 정할 수 없습니다. 구까지 적어 주세요.")
                }
            } else {
                warn("address_sigungu_unknown", "‘\(name)’을(를) 시군구 목록에서 찾지 못했습니다. 시군구 이름을 확인해 주세요.")
            }
        } else if sido == nil, let ps = postalSido, !ambiguous {
            sido = ps
        }

        if sido == nil, postalSido != nil, !ambiguous, resolved == nil { sido = postalSido }
        // 시군구 not written: infer from a 법정동 unique in the 시도 (or the country).
        if resolved == nil, sigunguName == nil, !ambiguous, sido != "36", let legal = g.legal {
            var found: [String] = []
            if let e = emdAll { found = legal.emdSigungu[e] ?? legal.emdSigungu[Self.legalDongGuess(e)] ?? [] }
            if found.isEmpty, let r = riAll { found = legal.riSigungu[r] ?? [] }
            if let s = sido ?? postalSido { found = found.filter { sidoOf($0) == s } }
            let uniq = Array(Set(found))
            if uniq.count == 1 {
                resolved = uniq[0]
                sido = sidoOf(uniq[0])
            }
        }
        if let ps = postalSido, let s = sido, ps != s {
            warn("address_postal_code_mismatch", "우편번호(\(postal ?? ""))가 시도와 맞지 않습니다. 우편번호나 시도를 확인해 주세요.")
        }
        if resolved == nil, sido == "36" { resolved = "36110" }
        if !ambiguous, !gwangju || sido != nil {
            if sido == nil, recognizedAnything || road != nil {
                warn("address_sido_missing", "시도를 알 수 없습니다. 주소 앞에 시도와 시군구(예: 충청남도 아산시)를 적어 주세요.")
            } else if resolved == nil, sido != nil, sigunguName == nil {
                warn("address_sigungu_missing", "시군구가 없습니다. 시도 다음에 시군구(예: 아산시, 강남구)를 적어 주세요.")
            }
        }
        return (sido, resolved)
    }

    func exampleSido(_ cands: [String]) -> String {
        var seen: [String] = []
        for c in cands {
            if let n = g.sidoNames[sidoOf(c)], !seen.contains(n) { seen.append(n) }
        }
        return seen.prefix(2).joined(separator: ", ")
    }

    mutating func noteRename(_ r: Gazetteer.Rename, name: String) {
        let newSgg = g.sigungus[r.newCode]
        let newName = newSgg.map { (g.sidoNames[$0.sidoCode] ?? "") + " " + $0.name } ?? (g.sidoNames[sidoOf(r.newCode)] ?? r.newCode)
        switch r.kind {
        case .sigunguMoved:
            warn("address_sigungu_moved", "‘\(name)’은(는) \(r.effective.iso)부터 \(newName)(으)로 바뀌었습니다(시도 변경). 새 주소로 고쳤으니 확인해 주세요.")
        case .sigunguRenamed:
            warn("address_sigungu_renamed", "‘\(name)’은(는) \(r.effective.iso)부터 \(newName)입니다. 새 이름으로 고쳤으니 확인해 주세요.")
        case .sidoRenamed, .guCreated:
            break
        }
    }

    // MARK: - Run

    mutating func run(_ raw: String) -> Normalized<Address> {
        tokenize(raw)
        if pieces.isEmpty {
            return .failed(.fatal("address_missing", "주소가 비어 있습니다. 도로명주소(예: 충청남도 아산시 번영로 15)를 적어 주세요."))
        }
        extractPostal()
        extractReference()
        walk()

        let detail = buildDetail()
        let (sidoCode, sgCode) = resolve()
        // Built in one go (each property set on an `Address` checks its box for sharing).
        var a = Address(
            sido: sidoCode.flatMap { g.sidoNames[$0] },
            sigungu: sgCode.flatMap { c in c != "36110" ? g.sigungus[c]?.name : nil },
            eupmyeondong: emd ?? refEmd, ri: ri ?? refRi, road: road, buildingNumber: number, underground: underground,
            jibun: jibun, detail: detail, buildingName: buildingName, postalCode: postal, sigunguCode: sgCode)
        if road != nil { recognizedAnything = true }

        completeLegalDong(&a)

        if road != nil, number == nil {
            warn("address_building_number_missing", "도로명 뒤에 건물번호가 없습니다. 건물번호(예: 번영로 15)를 적어 주세요.")
        }
        if road != nil && number != nil {
            a.kind = .road
        } else if jibun != nil {
            a.kind = .jibun
        } else {
            a.kind = .partial
        }
        // A lone 읍면동/리-looking word (`홍길동`) is not enough to call it an address.
        let nothing = a.sido == nil && a.sigungu == nil && a.road == nil && a.jibun == nil && sigunguName == nil && !gwangju
        if nothing {
            a = Address(postalCode: postal, text: Self.cleaned(raw), kind: .partial)
            issues.removeAll { $0.code == "address_sido_missing" || $0.code == "address_sigungu_missing" || $0.code == "address_building_number_missing" }
            warn("address_unrecognized", "주소로 읽을 수 있는 부분이 없습니다. 시도·시군구·도로명과 건물번호를 적어 주세요.")
        } else {
            if a.kind == .partial, road == nil {
                warn("address_incomplete", "도로명과 건물번호(또는 읍면동과 지번)가 없습니다. 전체 주소를 적어 주세요.")
            }
            a.text = render(a)
        }
        return .ok(a, issues)
    }

    /// With a 법정동 list: check and complete 읍면동/리 and set the 10-digit code.
    mutating func completeLegalDong(_ a: inout Address) {
        guard let legal = g.legal, let code5 = a.sigunguCode else { return }
        let codes = withChildren(code5)
        func settle(_ c5: String) {
            if c5 != code5, let s = g.sigungus[c5] {
                a.sigunguCode = c5
                a.sigungu = s.name
            }
        }
        if let e = a.eupmyeondong {
            let guess = Self.legalDongGuess(e)
            for c in codes {
                if let emdCode = legal.emd[c]?[e] ?? legal.emd[c]?[guess] {
                    settle(c)
                    a.legalDongCode = emdCode
                    if let r = a.ri {
                        if let hit = legal.ri[c]?[r]?.first(where: { $0.emd == e || $0.emd == guess }) {
                            a.legalDongCode = hit.code
                        } else {
                            warn("address_ri_unknown", "‘\(r)’은(는) ‘\(e)’에 없는 리입니다. 리 이름을 확인해 주세요.")
                        }
                    }
                    return
                }
            }
            // Bracket gave a 리-less 읍면 name that is really a 리? Try 리.
            warn("address_eupmyeondong_unknown", "‘\(e)’을(를) 이 시군구의 법정동 목록에서 찾지 못했습니다. 읍면동 이름을 확인해 주세요.")
            return
        }
        if let r = a.ri {
            var hits: [(String, LegalDongIndex.RiEntry)] = []
            for c in codes { for h in legal.ri[c]?[r] ?? [] { hits.append((c, h)) } }
            if hits.count == 1 {
                settle(hits[0].0)
                a.eupmyeondong = hits[0].1.emd
                a.legalDongCode = hits[0].1.code
            } else if hits.isEmpty {
                warn("address_ri_unknown", "‘\(r)’을(를) 이 시군구의 리 목록에서 찾지 못했습니다. 리 이름을 확인해 주세요.")
            } else {
                warn("address_eupmyeondong_missing", "‘\(r)’이(가) 여러 읍면에 있어 읍면을 정할 수 없습니다. 읍면을 적어 주세요.")
            }
        }
    }

    func render(_ a: Address) -> String {
        let unresolved = a.sigungu == nil && a.sigunguCode == nil ? (sigunguName ?? (gwangju ? gwangjuWord : nil)) : nil
        return a.rendered(unresolvedSigungu: unresolved)
    }

    static func cleaned(_ raw: String) -> String {
        var v = String.UnicodeScalarView()
        var space = false
        for s0 in raw.unicodeScalars {
            let s = S.fold(s0)
            if s == " " { space = !v.isEmpty; continue }
            if space { v.append(" "); space = false }
            v.append(s)
        }
        return String(v)
    }
}

extension String {
    var addressTrimmed: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
