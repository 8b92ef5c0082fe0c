import DolbomGeo
import DolbomNormalize
import Foundation

/// The step after normalization that checks road addresses against the official address file
/// (`geo.address_db`), and, after Resolve, gives each household its location.
///
/// Kept out of the pure normalizers: the file is I/O and a city may not have it. Without it addresses
/// pass as they are, unverified, and locations come from the 시군구/읍면동 centroid table.
struct AddressVerification {
    let database: AddressDatabase?
    let centroids = AreaCentroids.kma

    /// What the check did to this run's submissions (for the summary's issue counts and the logs).
    struct Counts: Equatable {
        var checked = 0
        var found = 0
        var corrected = 0
        var notFound = 0
    }

    init(database: AddressDatabase?) { self.database = database }

    /// Reads the configured address file, if any; a bad file stops the run before any export is read.
    static func load(_ config: DolbomConfiguration) throws(RunError) -> AddressVerification {
        guard let path = config.geo?.addressDB else { return AddressVerification(database: nil) }
        do { return AddressVerification(database: try AddressDatabase(path: path)) } catch {
            throw .addressDB(error.description)
        }
    }

    /// Completes each road address the file has (읍면동, postal code, building name, a road name one or two jamo
    /// off), and flags those it has not (`address_not_found`, a warning: the row is kept, the address shown
    /// to be checked).
    func verify(_ submissions: inout [Submission]) -> Counts {
        var counts = Counts()
        guard let database else { return counts }
        for i in submissions.indices {
            guard let address = submissions[i].address else { continue }
            switch database.verdict(for: address) {
            case .notRoadAddress:
                continue
            case .found(let match):
                counts.found += 1
                let completed = AddressDatabase.completed(address, with: match)
                if completed != address { submissions[i].address = completed }
            case .corrected(let match, let written):
                counts.corrected += 1
                submissions[i].address = AddressDatabase.completed(address, with: match)
                submissions[i].issues.append(
                    RowIssue(
                        field: "address",
                        .warning(
                            "address_road_corrected",
                            "도로명 '\(written)'을(를) 도로명주소 파일의 '\(match.road)'(으)로 고쳤습니다. 맞는지 확인해 주세요.")))
            case .notFound:
                counts.notFound += 1
                let number = (address.underground ? "지하 " : "") + (address.buildingNumber ?? "")
                submissions[i].issues.append(
                    RowIssue(
                        field: "address",
                        .warning(
                            "address_not_found",
                            "도로명주소 파일에 없는 주소입니다(\(address.road ?? "") \(number)). 도로명과 건물번호를 확인해 주세요.")))
            }
            counts.checked += 1
        }
        return counts
    }

    /// Each household's `addressVerified` and `location`: the building's entrance when the file has its
    /// address (converted from UTM-K by PROJ, all in one call), else the 읍면동 or 시군구 point, else none.
    func locate(_ households: inout [Household]) throws(RunError) {
        var entrances: [(household: Int, point: UTMKPoint)] = []
        for i in households.indices {
            guard let address = households[i].address else { continue }
            var verified = false
            if let database, case .found(let match) = database.verdict(for: address) {
                verified = true
                if let entrance = match.entrance {
                    entrances.append((i, entrance))
                    continue
                }
            }
            let location = centroids.location(of: address)
            if verified || location != nil { households[i].setLocation(location, verified: verified) }
        }
        guard !entrances.isEmpty else { return }
        let projection: UTMKProjection
        do { projection = try UTMKProjection() } catch { throw .addressDB(error.description) }
        for (k, point) in projection.wgs84(entrances.map(\.point)).enumerated() {
            let i = entrances[k].household
            let location =
                point.map { Location($0, precision: .building) }
                ?? households[i].address.flatMap { centroids.location(of: $0) }
            households[i].setLocation(location, verified: true)
        }
    }
}
