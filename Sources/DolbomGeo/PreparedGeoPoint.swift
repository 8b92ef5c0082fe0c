import Foundation

/// A point with its latitude in radians and that latitude's cosine worked out once: measuring from one point to
/// many (a household to every facility in reach) then costs two sines a pair instead of two sines and two
/// cosines. `GeoPoint.metres(to:)` is this, with both points prepared on the spot.
public struct PreparedGeoPoint: Sendable {
    public let point: GeoPoint
    let latitudeRadians: Double
    let cosLatitude: Double

    public init(_ point: GeoPoint) {
        self.point = point
        latitudeRadians = point.latitude * .pi / 180
        cosLatitude = cos(latitudeRadians)
    }

    /// Great-circle metres (haversine on a sphere of the mean earth radius: exact to well under a millimetre
    /// per metre at the few-metre scale this compares).
    public func metres(to other: PreparedGeoPoint) -> Double {
        let r = 6_371_008.8
        let dp = other.latitudeRadians - latitudeRadians
        let dl = (other.point.longitude - point.longitude) * .pi / 180
        let a = sin(dp / 2) * sin(dp / 2) + cosLatitude * other.cosLatitude * sin(dl / 2) * sin(dl / 2)
        return 2 * r * asin(min(1, a.squareRoot()))
    }
}
