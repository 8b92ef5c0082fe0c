/// Arrays handed to a C function that reads or writes them in place (PROJ's `proj_trans_generic` converts
/// two coordinate arrays): the addresses are valid inside `body` only, and the C function must stay within
/// each array's count.
public enum CArrays {
    /// `body` with the addresses of the first elements of `a` and `b`, both writable (an empty array's may
    /// be nil, and nothing may be read or written there).
    @inlinable
    public static func withMutableBaseAddresses<A, B, R>(
        _ a: inout [A], _ b: inout [B], _ body: (UnsafeMutablePointer<A>?, UnsafeMutablePointer<B>?) throws -> R
    ) rethrows -> R {
        try a.withUnsafeMutableBufferPointer { x in
            try b.withUnsafeMutableBufferPointer { y in try body(x.baseAddress, y.baseAddress) }
        }
    }
}
