import DolbomGeo
import DolbomNormalize
import Testing

@testable import DolbomFacility

private func fac(_ id: String, _ name: String, _ type: CareType = .지역아동센터, lat: Double? = nil, lon: Double? = nil)
    -> Facility
{
    Facility(
        id: id, name: name, type: type,
        location: lat.map { Location(GeoPoint(latitude: $0, longitude: lon!), precision: .building) })
}

@Suite struct FacilityLookupTests {
    let registry = FacilityRegistry([
        fac("GR221001", "구로19호점 우리동네키움센터(항동융합형)", .다함께돌봄센터),
        fac("EP220902", "은평12호점 우리동네키움센터", .다함께돌봄센터),
        fac("A-1", "푸른공부방지역아동센터"),
        fac("A-2", "푸른공부방 지역아동센터"),
        fac("B-1", "햇살지역아동센터 (배방)"),
        fac("B-2", "햇살지역아동센터 (탕정)"),
    ])

    @Test func byID() {
        #expect(registry.facility(matching: "GR221001") == .found(registry.facilities[0]))
        #expect(registry.facility(matching: " gr221001 ") == .found(registry.facilities[0]))
        #expect(registry.facility(matching: "EP220902 은평12호점 우리동네키움센터") == .found(registry.facilities[1]))
    }

    @Test func byNameIgnoringSpacesAndBrackets() {
        #expect(registry.facility(matching: "은평12호점우리동네키움센터") == .found(registry.facilities[1]))
        #expect(registry.facility(matching: "은평 12호점 우리동네 키움센터") == .found(registry.facilities[1]))
        #expect(registry.facility(matching: "구로19호점 우리동네키움센터 (항동융합형)") == .found(registry.facilities[0]))
        #expect(registry.facility(matching: "구로19호점 우리동네키움센터 항동융합형") == .found(registry.facilities[0]))
        // The name without its bracketed part.
        #expect(registry.facility(matching: "구로19호점 우리동네키움센터") == .found(registry.facilities[0]))
        #expect(registry.facility(matching: "햇살지역아동센터(탕정)") == .found(registry.facilities[5]))
    }

    @Test func ambiguousInRegistryOrder() {
        #expect(
            registry.facility(matching: "푸른공부방 지역아동센터") == .ambiguous([registry.facilities[2], registry.facilities[3]]))
        #expect(
            registry.facility(matching: "햇살지역아동센터") == .ambiguous([registry.facilities[4], registry.facilities[5]]))
    }

    @Test func notFound() {
        #expect(registry.facility(matching: "") == .notFound)
        #expect(registry.facility(matching: "   ") == .notFound)
        #expect(registry.facility(matching: "()") == .notFound)
        #expect(registry.facility(matching: "없는센터") == .notFound)
        #expect(registry.facility(matching: "GR221002") == .notFound)
    }
}
