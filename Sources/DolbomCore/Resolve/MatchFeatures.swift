import DolbomNormalize
import Foundation

/// What one submission brings to a comparison, computed once (the hot path
/// compares these, never the raw strings). Plain values only: ranges into the
/// pools of `MatchFeatureTable`, so copying one costs no reference counting.
struct MatchFeatures: Sendable, Equatable {
    struct Child: Sendable, Equatable {
        var given: Int32
        /// The surname when the name was written with one, or -1: 이지우 and 정지우 are not one child.
        var surname: Int32 = -1
        var birth: LocalDate?
        var age: Int?
        var grade: Int?
    }

    /// Phone digits ids (primary first) in `MatchFeatureTable.phones` / `last8`.
    var phoneStart: Int32
    var phoneCount: Int32
    /// Guardian name id, or -1.
    var name: Int32 = -1
    var jamoStart: Int32
    var jamoCount: Int32
    /// 시군구 code or name id, or -1.
    var sigungu: Int32 = -1
    /// Road + number (`r|…`) or 지번 within its 읍면동/리 (`j|…`) id, or -1; `buildingKind` is its first letter.
    var building: Int32 = -1
    var buildingKind: UInt8 = 0
    /// Unit detail id (`UnitKey`), or -1.
    var unit: Int32 = -1
    /// 읍면동 id, or -1: compares a road address with a 지번 one at least by area.
    var area: Int32 = -1
    var childStart: Int32
    var childCount: Int32
    /// How common this row's primary number, guardian name and building are in the run (0 rare … 3 very
    /// common; `MatchFeatureTable.assignCommonness`): agreement on a common value counts for less.
    var phoneLevel: UInt8 = 0
    var nameLevel: UInt8 = 0
    var buildingLevel: UInt8 = 0
    /// The building is given by at most three families (by number or guardian): a house, where without
    /// a unit on either side the building is the home (a crowded one without units is not).
    var fewFamilies = false
}
