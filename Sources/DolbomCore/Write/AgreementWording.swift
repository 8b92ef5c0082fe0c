import Dispatch
import DolbomNormalize
import DolbomSchedule
import Foundation

/// `PairEvidence.korean`, worked out once per combination of field agreements (there are a few hundred).
struct AgreementWording {
    private var cache: [UInt16: (agreed: String, disagreed: String)] = [:]

    mutating func korean(_ e: PairEvidence) -> (agreed: String, disagreed: String) {
        if let known = cache[e.packed.bits] { return known }
        let k = e.korean
        cache[e.packed.bits] = k
        return k
    }
}
