/// The 32-value block search shared by Q4_0, Q4_1, Q5_0 and Q5_1; each codec only lays out the result.
enum LegacyQuantizer {
    enum Kind {
        /// `x ≈ d·(L − nmax)` with levels 0…2·nmax−1 (Q4_0: nmax 8, Q5_0: 16).
        case symmetric
        /// `x ≈ d·L + m` with levels 0…nmax (Q4_1: nmax 15, Q5_1: 31).
        case offset
    }

    /// Quantizes every block of a row and hands `store(block, d, m, levels)` the result (`m` is 0 for
    /// `.symmetric`). Without importance this is `quantize_row_*_ref`; with it, `quantize_row_*_impl`,
    /// whose weights use the variance of the whole row.
    @inline(__always)
    static func forEachBlock(_ row: UnsafePointer<Float>, count: Int, importance: UnsafePointer<Float>?, kind: Kind, nmax: Int32,
                             _ store: (_ block: Int, _ d: Float, _ m: Float, _ levels: UnsafePointer<UInt8>) -> Void) {
        let blocks = count / 32
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { bytes in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 256 + 16) { floats in
                let levels = bytes.baseAddress!, weights = floats.baseAddress!, scales = weights + 256, offsets = scales + 8
                guard let importance else {
                    for b in 0..<blocks {
                        switch kind {
                        case .symmetric:
                            store(b, symmetricReference(row + 32 * b, nmax: nmax, levels: levels), 0, levels)
                        case .offset:
                            let (d, m) = offsetReference(row + 32 * b, nmax: nmax, levels: levels)
                            store(b, d, m, levels)
                        }
                    }
                    return
                }
                let sigma2 = QuantMath.sumOfSquares(row, count: count) / Float(count)
                switch kind {
                case .symmetric:
                    let signed = UnsafeMutableRawPointer(levels).assumingMemoryBound(to: Int8.self)
                    for b in 0..<blocks {
                        QuantMath.importanceWeights(importance + 32 * b, row + 32 * b, count: 32, sigma2: sigma2, into: weights)
                        let d = SymmetricSearch.weightedScale(count: 32, nmax: nmax, row + 32 * b, levels: signed, weights: weights)
                        store(b, d, 0, levels)
                    }
                case .offset:
                    for first in stride(from: 0, to: blocks, by: 8) { // eight blocks' weights at a time
                        let groups = min(8, blocks - first)
                        QuantMath.importanceWeights(importance + 32 * first, row + 32 * first, count: 32 * groups,
                                                    sigma2: sigma2, into: weights)
                        AsymmetricSearch.scaleAndOffset(row + 32 * first, weights: weights, count: 32, groups: groups, nmax: nmax,
                                                        .importance, levels: levels, scales: scales, offsets: offsets)
                        for g in 0..<groups { store(first + g, scales[g], -offsets[g], levels + 32 * g) }
                    }
                }
            }
        }
    }

    /// `quantize_row_q{4,5}_0_ref`: d from the signed value of largest magnitude (first wins), levels by
    /// truncating `x·id + nmax + 0.5` (not round-to-nearest).
    private static func symmetricReference(_ x: UnsafePointer<Float>, nmax: Int32, levels: UnsafeMutablePointer<UInt8>) -> Float {
        var amax: Float = 0, max: Float = 0
        for j in 0..<32 where amax < abs(x[j]) {
            amax = abs(x[j])
            max = x[j]
        }
        let d = max / Float(-nmax)
        let id: Float = d != 0 ? 1 / d : 0
        let bias = Float(nmax) + 0.5, top = Int8(2 * nmax - 1)
        for j in 0..<32 {
            levels[j] = UInt8(truncatingIfNeeded: min(top, Int8(truncatingIfNeeded: QuantMath.truncated(x[j] * id + bias))))
        }
        return d
    }

    /// `quantize_row_q{4,5}_1_ref`: d = (max−min)/nmax, m = min, levels by truncating `(x−min)·id + 0.5`.
    /// Q5_1's reference omits Q4_1's clamp, which cannot bind: `(x−min)·id` stays below nmax + 0.5.
    private static func offsetReference(_ x: UnsafePointer<Float>, nmax: Int32, levels: UnsafeMutablePointer<UInt8>) -> (Float, Float) {
        var min = Float.greatestFiniteMagnitude, max = -Float.greatestFiniteMagnitude
        for j in 0..<32 {
            if x[j] < min { min = x[j] }
            if x[j] > max { max = x[j] }
        }
        let d = (max - min) / Float(nmax)
        let id: Float = d != 0 ? 1 / d : 0
        for j in 0..<32 {
            levels[j] = UInt8(truncatingIfNeeded: Swift.min(Int8(nmax), Int8(truncatingIfNeeded: QuantMath.truncated((x[j] - min) * id + 0.5))))
        }
        return (d, min)
    }

    /// Low nibbles: byte j holds value j (bits 0–3) and value j+16 (bits 4–7).
    @inline(__always)
    static func packNibbles(_ levels: UnsafePointer<UInt8>, into qs: UnsafeMutablePointer<UInt8>) {
        for j in 0..<16 { qs[j] = (levels[j] & 0xf) | ((levels[j + 16] & 0xf) << 4) }
    }

    /// Fifth bits as a little-endian u32: bit j is bit 4 of value j.
    @inline(__always)
    static func storeHighBits(_ levels: UnsafePointer<UInt8>, into qh: UnsafeMutablePointer<UInt8>) {
        var bits: UInt32 = 0
        for j in 0..<32 { bits |= UInt32((levels[j] >> 4) & 1) << j }
        UnsafeMutableRawPointer(qh).storeBytes(of: bits.littleEndian, as: UInt32.self)
    }

    /// Level j (0…31) of a 5-bit block.
    @inline(__always)
    static func level(_ qs: UnsafePointer<UInt8>, highBits qh: UnsafePointer<UInt8>, _ j: Int) -> UInt8 {
        let low = j < 16 ? qs[j] & 0xf : qs[j - 16] >> 4
        return low | (((qh[j / 8] >> (j % 8)) & 1) << 4)
    }
}
