import CProj
import DolbomRuntime
import Foundation

/// A point in WGS84 degrees (EPSG:4326).
public struct GeoPoint: Hashable, Sendable {
    public var latitude: Double
    public var longitude: Double

    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }

    /// Great-circle distance in metres (haversine on a sphere of the mean earth radius: exact to well under
    /// a millimetre per metre at the few-metre scale this compares).
    /// (`PreparedGeoPoint` holds the formula: one to many points, each latitude's cosine is worked out once.)
    public func metres(to other: GeoPoint) -> Double {
        PreparedGeoPoint(self).metres(to: PreparedGeoPoint(other))
    }
}

/// A point in UTM-K metres (EPSG:5179), as the official address files give building entrances.
public struct UTMKPoint: Hashable, Sendable {
    public var x: Double
    public var y: Double
}

/// Why PROJ could not be used.
public struct ProjectionError: Error, Equatable, CustomStringConvertible {
    public var reason: String
    public var description: String { "PROJ (libproj): \(reason)" }
}

/// UTM-K (EPSG:5179) to WGS84 (EPSG:4326) through PROJ, with easting/northing in and longitude/latitude out.
///
/// PROJ objects are not safe to share between threads: each instance owns its own PROJ context, and the
/// type is not `Sendable`, so one instance stays with the code that made it.
public final class UTMKProjection {
    private let context: OpaquePointer
    private let transform: OpaquePointer

    public init() throws(ProjectionError) {
        guard let context = proj_context_create() else { throw ProjectionError(reason: "cannot create a context") }
        guard let raw = proj_create_crs_to_crs(context, "EPSG:5179", "EPSG:4326", nil) else {
            let reason = String(cString: proj_context_errno_string(context, proj_context_errno(context)))
            proj_context_destroy(context)
            throw ProjectionError(reason: "EPSG:5179 → EPSG:4326: \(reason) (is proj-data's proj.db installed?)")
        }
        // EPSG:4326 is latitude-first; the visualization order is longitude, latitude (and easting, northing in).
        guard let ordered = proj_normalize_for_visualization(context, raw) else {
            proj_destroy(raw)
            proj_context_destroy(context)
            throw ProjectionError(reason: "cannot order the axes as easting/northing, longitude/latitude")
        }
        proj_destroy(raw)
        self.context = context
        self.transform = ordered
    }

    deinit {
        proj_destroy(transform)
        proj_context_destroy(context)
    }

    /// One point; nil when PROJ cannot convert it (far outside the projection's area).
    public func wgs84(_ p: UTMKPoint) -> GeoPoint? {
        wgs84([p])[0]
    }

    /// Many points in one PROJ call (the per-call setup is most of the cost of converting one point).
    public func wgs84(_ points: [UTMKPoint]) -> [GeoPoint?] {
        guard !points.isEmpty else { return [] }
        var xs = points.map(\.x)
        var ys = points.map(\.y)
        let stride = MemoryLayout<Double>.stride
        let converted = CArrays.withMutableBaseAddresses(&xs, &ys) { x, y in
            proj_trans_generic(
                transform, PJ_FWD, x, stride, points.count, y, stride, points.count, nil, 0, 0, nil, 0, 0)
        }
        return (0..<points.count).map { i in
            guard converted == points.count, xs[i].isFinite, ys[i].isFinite, xs[i] != .infinity else { return nil }
            return GeoPoint(latitude: ys[i], longitude: xs[i])
        }
    }
}
