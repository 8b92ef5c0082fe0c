// Benchmark for the facility matcher: 10,000 households × 2,000 facilities (issue 19; aim: under one second).
// Build and run: swift build -c release --product facility-bench && .build/release/facility-bench [households] [facilities]
// Prints the registry build, one pass over every household on one core and on all cores (as `dolbom run`
// does), and the peak resident memory.
import BenchSupport
import Dispatch
import DolbomFacility
import DolbomGeo
import DolbomNormalize
import Foundation

let sizes = benchSizes(10_000, 2_000)
let householdCount = sizes[0]
let facilityCount = sizes[1]
var rng = SplitMix64(state: 20_240_712)

// Four 시군구 side by side (a city and its neighbours, ~40 km across), facilities denser in the centres.
let areas: [(address: Address, centre: GeoPoint)] = [
    ("충청남도 아산시", 36.79, 127.00), ("충청남도 천안시 서북구", 36.83, 127.13), ("충청남도 천안시 동남구", 36.78, 127.17),
    ("세종특별자치시 보람동", 36.48, 127.26),
].map { (AddressNormalizer().normalize($0.0).value!, GeoPoint(latitude: $0.1, longitude: $0.2)) }

func near(_ p: GeoPoint, _ metres: Double, _ rng: inout SplitMix64) -> GeoPoint {
    let r = metres * Double.random(in: 0...1, using: &rng).squareRoot()
    let a = Double.random(in: 0..<(2 * .pi), using: &rng)
    return GeoPoint(
        latitude: p.latitude + r * sin(a) / 111_195,
        longitude: p.longitude + r * cos(a) / (111_195 * cos(p.latitude * .pi / 180)))
}

let types: [CareType] = [.지역아동센터, .지역아동센터, .지역아동센터, .다함께돌봄센터, .다함께돌봄센터, .늘봄학교, .온종일돌봄, .아이돌봄]
let bands = [
    Facility.Band(grades: 1...6), Facility.Band(grades: 1...9), Facility.Band(grades: 1...2),
    Facility.Band(ages: 0...12),
]
var facilities: [Facility] = []
facilities.reserveCapacity(facilityCount)
for i in 0..<facilityCount {
    let area = areas[i % areas.count]
    var f = Facility(
        id: "F\(100_000 + i)", name: "기관 \(i)", type: types.randomElement(using: &rng)!, address: area.address,
        location: Location(near(area.centre, 12_000, &rng), precision: .building))
    f.band = bands.randomElement(using: &rng)!
    f.hours.term = MinuteRange(start: 780, end: [1140, 1200].randomElement(using: &rng)!)
    f.hours.vacation = MinuteRange(start: 540, end: 1080)
    f.hours.saturdayOpen = Bool.random(using: &rng)
    f.places = Facility.Places(capacity: 29, vacancies: [nil, 0, 2, 5].randomElement(using: &rng)!)
    f.programmes = Facility.Programme.allCases.filter { _ in rng.next() % 5 == 0 }
    f.languages = rng.next() % 6 == 0 ? ["베트남어"] : []
    facilities.append(f)
}
let notes = ["", "", "", "주말 돌봄 필요", "저녁 8시까지 봐 주세요", "느린학습자예요", "방학에도 필요해요"]
var generated: [FacilityHousehold] = []
generated.reserveCapacity(householdCount)
for i in 0..<householdCount {
    let area = areas[Int(rng.next() % UInt64(areas.count))]
    let precision: Location.Precision? = [.building, .building, .eupmyeondong, .eupmyeondong, .sigungu, nil]
        .randomElement(using: &rng)!
    let children = (0..<Int.random(in: 1...3, using: &rng)).map { _ in
        let age = Int.random(in: 0...13, using: &rng)
        return FacilityHousehold.Child(name: "아이", age: age, grade: age >= 7 ? age - 6 : nil)
    }
    generated.append(
        FacilityHousehold(
            id: "H\(i)", location: precision.map { Location(near(area.centre, 12_000, &rng), precision: $0) },
            sido: area.address.sido,
            sigungu: area.address.sigungu, children: children,
            careTypes: CareType.allCases.filter { _ in rng.next() % 5 == 0 },
            flags: HouseholdFlag.allCases.filter { _ in rng.next() % 6 == 0 },
            language: rng.next() % 10 == 0 ? "베트남어" : nil, notes: [notes.randomElement(using: &rng)!]))
}
let households = generated
var booked: [String: Int] = [:]
for f in facilities.prefix(200) { booked[f.id] = 1 }

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
func peakMB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

let clock = ContinuousClock()
print("households \(householdCount), facilities \(facilityCount), max distance 3 km")
var t0 = clock.now
let registry = FacilityRegistry(facilities)
print(String(format: "registry (grid index): %.1f ms", seconds(clock.now - t0) * 1000))
let matcher = FacilityMatcher(registry: registry, policy: MatchPolicy(), bookedReferrals: booked)

var best = Double.infinity
var suggested = 0
for _ in 0..<5 {
    t0 = clock.now
    var n = 0
    for h in households { n += matcher.match(h).suggestions.count }
    best = min(best, seconds(clock.now - t0))
    suggested = n
}
print(
    String(
        format: "match, one core: %.3f s (best of 5), %d suggestions, %.2f per household", best, suggested,
        Double(suggested) / Double(householdCount)))

final class Box: @unchecked Sendable { var counts: [Int] = [] }
var bestParallel = Double.infinity
for _ in 0..<5 {
    let box = Box()
    box.counts = Array(repeating: 0, count: householdCount)
    t0 = clock.now
    box.counts.withUnsafeMutableBufferPointer { out in
        nonisolated(unsafe) let out = out
        DispatchQueue.concurrentPerform(iterations: (householdCount + 255) / 256) { chunk in
            for i in chunk * 256..<min(householdCount, chunk * 256 + 256) {
                out[i] = matcher.match(households[i]).suggestions.count
            }
        }
    }
    bestParallel = min(bestParallel, seconds(clock.now - t0))
}
print(
    String(
        format: "match, all %d cores: %.3f s (best of 5)", ProcessInfo.processInfo.activeProcessorCount, bestParallel))
print(String(format: "peak resident memory: %.0f MB", peakMB()))
if CommandLine.arguments.contains("--parts") {
    t0 = clock.now
    var k = 0
    for h in households { if let p = h.location?.point { k += registry.within(3000, of: p).count } }
    print(String(format: "  within(3 km) alone: %.3f s (%d found)", seconds(clock.now - t0), k))
    t0 = clock.now
    for h in households { k += CareNeeds.read(h.notes).programmes.count }
    print(String(format: "  CareNeeds.read alone: %.3f s", seconds(clock.now - t0)))
    t0 = clock.now
    for h in households { if let p = h.location?.point { k += registry.nearest(to: p) == nil ? 0 : 1 } }
    print(String(format: "  nearest alone: %.3f s", seconds(clock.now - t0)))
}
