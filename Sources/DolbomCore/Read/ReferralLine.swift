import DolbomFacility
import DolbomNormalize

/// A facility as the results sheet's `안내 기관` names it, after the facility registry (when one is configured)
/// was asked which one it is.
public struct FacilityRef: Sendable, Hashable {
    /// The registry's id; nil when no registry is configured: the text is kept as written, unresolved.
    public var id: String?
    /// The registry's name, or the text as written.
    public var name: String
    /// The cell as written.
    public var text: String

    public init(id: String?, name: String, text: String) {
        self.id = id
        self.name = name
        self.text = text
    }

    /// What identifies the facility in the state: its id, or (unresolved) the text without spaces, so `행복 센터`
    /// and `행복센터` written on two sheets are one facility.
    public var key: String { id ?? "text:" + Self.fold(text) }

    static func fold(_ text: String) -> String {
        String(text.unicodeScalars.filter { !$0.properties.isWhitespace }.map(Character.init))
    }
}

/// What the facility registry says about a `안내 기관` cell.
public enum FacilityLookupResult: Sendable, Equatable {
    case found(id: String, name: String)
    /// Several facilities fit the text: the sheet must name one (by id).
    case ambiguous([FacilityRef])
    case notFound
}

/// The facility registry as the results-sheet import needs it: one facility for a text (an id or a name), or why not.
public protocol FacilityDirectory: Sendable {
    func lookup(_ text: String) -> FacilityLookupResult
}

/// A visit's day and, when written, its time of day.
public struct VisitTime: Sendable, Hashable, Comparable {
    public var date: LocalDate
    /// Minutes since midnight; nil when only the day was booked.
    public var minutes: Int?

    public init(date: LocalDate, minutes: Int?) {
        self.date = date
        self.minutes = minutes
    }

    /// `14:00`, or empty.
    public var clock: String { minutes.map { "\(Self.p2($0 / 60)):\(Self.p2($0 % 60))" } ?? "" }
    /// `2024-07-20 14:00`, or `2024-07-20`: how the state stores it.
    public var text: String { minutes == nil ? date.iso : "\(date.iso) \(clock)" }

    public init?(text: String) {
        guard let date = LocalDate(iso: String(text.prefix(10))) else { return nil }
        self.date = date
        let rest = text.dropFirst(10).trimmingPrefix(" ")
        guard !rest.isEmpty else {
            minutes = nil
            return
        }
        let parts = rest.split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]) else { return nil }
        minutes = h * 60 + m
    }

    static func p2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }

    public static func < (a: VisitTime, b: VisitTime) -> Bool { (a.date, a.minutes ?? -1) < (b.date, b.minutes ?? -1) }
}

/// What one results-sheet line says about a referral: the facility the family was guided to (`안내 기관`), the
/// visit booked (`방문 예약`), and what came of an earlier visit (`방문 결과`).
public struct ReferralLine: Sendable, Hashable {
    public var facility: FacilityRef?
    public var visit: VisitTime?
    public var result: VisitResult?
    /// Free text written after the result (`안 함 - 거리가 멀어서`).
    public var resultNote: String?

    public init(
        facility: FacilityRef? = nil, visit: VisitTime? = nil, result: VisitResult? = nil, resultNote: String? = nil
    ) {
        self.facility = facility
        self.visit = visit
        self.result = result
        self.resultNote = resultNote
    }

    /// `방문 결과` as stored with the call: the result and its note.
    var resultText: String? { result.map { $0.rawValue + (resultNote.map { " \($0)" } ?? "") } }
}

/// The visit cells of one results-sheet line as written, and how they are read.
struct ReferralCells: Sendable {
    /// Why the line is refused, in the words of the import report.
    struct Refusal: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    var facility = ""
    var visit = ""
    var result = ""

    var isEmpty: Bool { facility.isEmpty && visit.isEmpty && result.isEmpty }

    /// The line's referral for a call of `kind` on `callDate`, with notes on how dates were completed, or why it
    /// is refused: a visit or facility after a call that reached nobody, a visit without a facility, a facility
    /// the registry does not know or knows several of, an unreadable day, time or result.
    func read(kind: CallOutcome.Kind, callDate: LocalDate, facilities: (any FacilityDirectory)?)
        -> Result<(line: ReferralLine, notes: [String]), Refusal>
    {
        switch kind {
        case .noAnswer, .wrongNumber, .refused:
            let written = [
                facility.isEmpty ? nil : "안내 기관", visit.isEmpty ? nil : "방문 예약", result.isEmpty ? nil : "방문 결과",
            ]
            .compactMap { $0 }.joined(separator: "·")
            return .failure(
                Refusal(
                    "결과가 '\(kind.rawValue)'인데 \(written)이(가) 적혀 있습니다. 가족과 통화한 줄에만 적어 주세요(결과를 통화완료나 재통화요청으로, 아니면 방문 칸을 지워 주세요)."
                ))
        case .done, .callback:
            break
        }
        var line = ReferralLine()
        var notes: [String] = []
        if !visit.isEmpty && facility.isEmpty {
            return .failure(Refusal("방문 예약 '\(visit)'이(가) 있는데 안내 기관이 비어 있습니다. 어느 기관에 방문하는지 기관 이름이나 id를 적어 주세요."))
        }
        if !facility.isEmpty {
            if let facilities {
                switch facilities.lookup(facility) {
                case .found(let id, let name):
                    line.facility = FacilityRef(id: id, name: name, text: facility)
                    notes.append(name == facility ? "안내 기관 \(name)(\(id))" : "안내 기관 '\(facility)' = \(name)(\(id))")
                case .ambiguous(let candidates):
                    let names = candidates.prefix(5).map { "\($0.name)(\($0.id ?? "-"))" }.joined(separator: ", ")
                    return .failure(
                        Refusal(
                            "안내 기관 '\(facility)'에 맞는 기관이 여럿입니다(\(names)\(candidates.count > 5 ? " 외" : "")). 기관 id로 적어 주세요."
                        ))
                case .notFound:
                    return .failure(Refusal("안내 기관 '\(facility)'을(를) 기관 목록에서 찾을 수 없습니다. 기관 목록의 id나 이름으로 적어 주세요."))
                }
            } else {
                line.facility = FacilityRef(id: nil, name: facility, text: facility)
                notes.append("기관 목록이 설정되지 않아 안내 기관 '\(facility)'을(를) 적힌 대로 기록합니다")
            }
        }
        if !visit.isEmpty {
            switch ResultSheetDate.visitTime(visit, callDate: callDate) {
            case .failure(let f): return .failure(Refusal(f.message))
            case .success(let reading):
                line.visit = VisitTime(date: reading.date, minutes: reading.minutes)
                notes.append(
                    "방문 예약 \(line.visit!.text)" + (reading.minutes == nil ? " (시각 없음)" : "")
                        + (reading.note.map { " (\($0))" } ?? ""))
            }
        }
        if !result.isEmpty {
            switch VisitResult.read(result) {
            case .failure(let f): return .failure(Refusal(f.message))
            case .success(let read):
                line.result = read.0
                line.resultNote = read.note
                notes.append("방문 결과 \(read.0.rawValue)")
            }
        }
        return .success((line, notes))
    }
}

/// The configured registry answers the results sheet's `안내 기관`: an id, or a name (spaces, brackets and case
/// ignored); several facilities of that name are ambiguous and the line is refused.
extension FacilityRegistry: FacilityDirectory {
    public func lookup(_ text: String) -> FacilityLookupResult {
        switch facility(matching: text) {
        case .found(let f): return .found(id: f.id, name: f.name)
        case .ambiguous(let list): return .ambiguous(list.map { FacilityRef(id: $0.id, name: $0.name, text: $0.name) })
        case .notFound: return .notFound
        }
    }
}
