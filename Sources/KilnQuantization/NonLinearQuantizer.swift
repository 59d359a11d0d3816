/// The 4-bit non-linear quantizer behind IQ4_NL and IQ4_XS (`quantize_row_iq4_nl_impl`).
///
/// Levels index a fixed table of 16 signed values; the search always runs its 15 trial scales
/// (`ntry = 7`), which is what `quantize_iq4_nl`/`quantize_iq4_xs` use with or without an imatrix.
enum NonLinearQuantizer {
    /// `kvalues_iq4nl`.
    static let values: [Int8] = [-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113]
    static let valueFloats: [Float] = values.map(Float.init)
    static let trials = 7

    /// `best_index_int8`: the table index nearest to `x` (ties go to the upper neighbour).
    ///
    /// ggml bisects; counting the entries ≤ x finds the same upper bracket without unpredictable
    /// branches, and the final comparison is ggml's own. NaN takes ggml's path to the last entry.
    @inline(__always)
    static func bestIndex(_ x: Float, _ table: UnsafePointer<Float>) -> UInt8 {
        if x <= table[0] { return 0 }
        if x >= table[15] || x.isNaN { return 15 }
        var upper = 1
        for k in 1..<15 { upper &+= table[k] <= x ? 1 : 0 }
        return UInt8(x - table[upper - 1] < table[upper] - x ? upper - 1 : upper)
    }

    /// Quantizes one super-block of `groups` 32-value groups. Returns the fp16 bits of `d`; `levels`
    /// receives table indices in element order. With more than one group, each group's 6-bit scale
    /// code (−32…31, stored +32) goes to `groupCodes`.
    static func quantize(_ x: UnsafePointer<Float>, groups: Int, importance: UnsafePointer<Float>?,
                         levels: UnsafeMutablePointer<UInt8>, groupCodes: UnsafeMutablePointer<UInt8>) -> UInt16 {
        valueFloats.withUnsafeBufferPointer { tablePointer in
            let table = tablePointer.baseAddress!
            return withUnsafeTemporaryAllocation(of: Float.self, capacity: 32 + groups) { buffer in
                let weights = buffer.baseAddress!, scales = weights + 32
                let sigma2 = QuantMath.sumOfSquares(x, count: 32 * groups) * (2 / Float(32 * groups))
                var maxScale: Float = 0, amaxScale: Float = 0
                for ib in 0..<groups {
                    let xb = x + 32 * ib, lb = levels + 32 * ib
                    if let importance {
                        QuantMath.importanceWeights(importance + 32 * ib, xb, count: 32, sigma2: sigma2, into: weights)
                    } else {
                        for j in 0..<32 { weights[j] = xb[j] * xb[j] }
                    }
                    scales[ib] = groupScale(xb, weights: weights, levels: lb, table)
                    if abs(scales[ib]) > amaxScale {
                        amaxScale = abs(scales[ib])
                        maxScale = scales[ib]
                    }
                }
                if groups == 1 {
                    let id: Float = scales[0] != 0 ? 1 / scales[0] : 0
                    for j in 0..<32 { levels[j] = bestIndex(id * x[j], table) }
                    return QuantMath.half(scales[0])
                }
                let d = -maxScale / 32
                let id: Float = d != 0 ? 1 / d : 0
                for ib in 0..<groups {
                    let l = QuantMath.clamp(QuantMath.nearestInt(id * scales[ib]), -32, 31)
                    let dl = d * Float(l)
                    let idl: Float = dl != 0 ? 1 / dl : 0
                    for j in 0..<32 { levels[32 * ib + j] = bestIndex(idl * x[32 * ib + j], table) }
                    groupCodes[ib] = UInt8(truncatingIfNeeded: l + 32)
                }
                return QuantMath.half(d)
            }
        }
    }

    /// The weighted-best scale of one 32-value group (0 for a group below `GROUP_MAX_EPS`).
    private static func groupScale(_ xb: UnsafePointer<Float>, weights: UnsafePointer<Float>,
                                   levels: UnsafeMutablePointer<UInt8>, _ table: UnsafePointer<Float>) -> Float {
        let (max, amax) = QuantMath.largestMagnitude(xb, count: 32)
        if amax < QuantMath.groupMaxEpsilon { return 0 }
        var d = -max / table[0]
        var id = 1 / d
        var sumqx: Float = 0, sumq2: Float = 0
        for j in 0..<32 {
            let l = bestIndex(id * xb[j], table)
            levels[j] = l
            let q = table[Int(l)], w = weights[j]
            sumqx += w * q * xb[j]
            sumq2 += w * q * q
        }
        d = sumq2 > 0 ? sumqx / sumq2 : 0
        var best = d * sumqx
        for trial in -trials...trials {
            id = Float(trial + Int(values[0])) / max
            sumqx = 0
            sumq2 = 0
            for j in 0..<32 {
                let q = table[Int(bestIndex(id * xb[j], table))], w = weights[j]
                sumqx += w * q * xb[j]
                sumq2 += w * q * q
            }
            if sumq2 > 0 && sumqx * sumqx > best * sumq2 {
                d = sumqx / sumq2
                best = d * sumqx
            }
        }
        return d
    }
}
