import DolbomNormalize

extension ServiceArea {
    /// The household issue that marks a family living outside the area; its message is for the counselor.
    public static let outsideCode = "out_of_service_area"

    /// Marks every household whose address lies outside the area (an address that does not say is left
    /// alone: no family is set apart on a guess). Returns how many were marked.
    @discardableResult
    public func mark(_ households: inout [Household]) -> Int {
        var marked = 0
        for i in households.indices where contains(households[i].address) == false {
            let place = Self.place(households[i].address)
            households[i].issues.append(
                RowIssue(
                    field: "address",
                    .warning(
                        Self.outsideCode,
                        "관할 지역 밖(\(place))에 사는 것으로 적혀 있습니다. 지금 사는 곳을 여쭤 보고, 다른 시군구라면 그곳 돌봄 창구를 안내해 주세요.")))
            marked += 1
        }
        return marked
    }

    public static func isOutside(_ household: Household) -> Bool {
        household.issues.contains { $0.code == outsideCode }
    }

    /// The call list with the families outside the area after all the others (in their own order), ranks
    /// renumbered: counselors reach them last, as referrals.
    static func setApart(_ entries: inout [CallListEntry]) {
        guard entries.contains(where: { isOutside($0.household) }) else { return }
        let inside = entries.filter { !isOutside($0.household) }
        let outside = entries.filter { isOutside($0.household) }
        entries = inside + outside
        for i in entries.indices { entries[i].rank = i + 1 }
    }

    /// The families the scheduler books: all of them with `book_out_of_area`, else those not set apart.
    static func bookable(_ ranked: [CallListEntry], bookOutOfArea: Bool) -> [CallListEntry] {
        bookOutOfArea ? ranked : ranked.filter { !isOutside($0.household) }
    }
}
