/// The 2-bit level layout Q2_K and Q3_K share: each 128-value half of a super-block is stored as 32
/// bytes, byte l holding values l, l+32, l+64, l+96 in bit pairs 0, 2, 4, 6.
enum TwoBitPlanes {
    static func pack(_ levels: UnsafePointer<UInt8>, into qs: UnsafeMutablePointer<UInt8>) {
        for half in 0..<2 {
            let L = levels + 128 * half, q = qs + 32 * half
            for l in 0..<32 { q[l] = L[l] | (L[l + 32] << 2) | (L[l + 64] << 4) | (L[l + 96] << 6) }
        }
    }

    /// The level of value `i` (0…255) of a super-block.
    @inline(__always)
    static func level(_ qs: UnsafePointer<UInt8>, _ i: Int) -> UInt8 {
        let half = i / 128, within = i % 128
        return (qs[32 * half + within % 32] >> (2 * (within / 32))) & 3
    }
}
