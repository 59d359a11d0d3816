/// ggml's searches for one signed scale per group (`make_qx_quants`, `make_q3_quants`).
///
/// Levels are returned offset by `nmax` (0…2·nmax−1). The returned scale has the opposite sign of the
/// group's largest-magnitude value, as in ggml, so that the level range reaches −nmax on that side.
enum SymmetricSearch {
    /// `make_qx_quants(n, nmax, x, L, rmse_type: 1, qw)`: weights are `qw`, or x² without one.
    /// Tries 18 scales around `-nmax/max` and keeps the one with the best weighted fit.
    static func weightedScale(count n: Int, nmax: Int32, _ x: UnsafePointer<Float>, levels: UnsafeMutablePointer<Int8>,
                              weights qw: UnsafePointer<Float>?) -> Float {
        var max: Float = 0
        var amax: Float = 0
        for i in 0..<n where abs(x[i]) > amax {
            amax = abs(x[i])
            max = x[i]
        }
        if amax < QuantMath.groupMaxEpsilon {
            levels.update(repeating: 0, count: n)
            return 0
        }
        let low = -nmax, high = nmax - 1
        /// Weighted Σw·x·l and Σw·l² for one trial scale (the same expression order as ggml).
        @inline(__always) func sums(_ iscale: Float, store: Bool) -> (sumlx: Float, suml2: Float) {
            var sumlx: Float = 0, suml2: Float = 0
            for i in 0..<n {
                let l = QuantMath.clamp(QuantMath.nearestInt(iscale * x[i]), low, high)
                if store { levels[i] = Int8(truncatingIfNeeded: l + nmax) }
                let w = qw?[i] ?? x[i] * x[i]
                let fl = Float(l)
                sumlx += w * x[i] * fl
                suml2 += w * fl * fl
            }
            return (sumlx, suml2)
        }
        var (sumlx, suml2) = sums(Float(-nmax) / max, store: true)
        var scale: Float = suml2 != 0 ? sumlx / suml2 : 0
        var best = scale * sumlx
        for step in -9...9 where step != 0 {
            let iscale = -(Float(nmax) + 0.1 * Float(step)) / max
            (sumlx, suml2) = sums(iscale, store: false)
            if suml2 > 0 && sumlx * sumlx > best * suml2 {
                _ = sums(iscale, store: true)
                scale = sumlx / suml2
                best = scale * sumlx
            }
        }
        return scale
    }

    /// `make_q3_quants(n, nmax, x, L, do_rmse: true)`: x²-weighted start at `-nmax/max`, then up to five
    /// passes of per-element coordinate descent.
    static func coordinateDescentScale(count n: Int, nmax: Int32, _ x: UnsafePointer<Float>,
                                       levels: UnsafeMutablePointer<Int8>) -> Float {
        var max: Float = 0
        var amax: Float = 0
        for i in 0..<n where abs(x[i]) > amax {
            amax = abs(x[i])
            max = x[i]
        }
        if amax < QuantMath.groupMaxEpsilon {
            levels.update(repeating: 0, count: n)
            return 0
        }
        let iscale = Float(-nmax) / max
        var sumlx: Float = 0, suml2: Float = 0
        for i in 0..<n {
            let l = QuantMath.clamp(QuantMath.nearestInt(iscale * x[i]), -nmax, nmax - 1)
            levels[i] = Int8(truncatingIfNeeded: l)
            let w = x[i] * x[i], fl = Float(l)
            sumlx += w * x[i] * fl
            suml2 += w * fl * fl
        }
        for _ in 0..<5 {
            var changed = false
            for i in 0..<n {
                let w = x[i] * x[i]
                let old = Float(levels[i])
                var slx = sumlx - w * x[i] * old
                guard slx > 0 else { continue }
                var sl2 = suml2 - w * old * old
                let newLevel = QuantMath.clamp(QuantMath.nearestInt(x[i] * sl2 / slx), -nmax, nmax - 1)
                guard newLevel != Int32(levels[i]) else { continue }
                let fl = Float(newLevel)
                slx += w * x[i] * fl
                sl2 += w * fl * fl
                if sl2 > 0 && slx * slx * suml2 > sumlx * sumlx * sl2 {
                    levels[i] = Int8(truncatingIfNeeded: newLevel)
                    sumlx = slx
                    suml2 = sl2
                    changed = true
                }
            }
            if !changed { break }
        }
        for i in 0..<n { levels[i] = levels[i] &+ Int8(truncatingIfNeeded: nmax) }
        return suml2 > 0 ? sumlx / suml2 : 0
    }
}
