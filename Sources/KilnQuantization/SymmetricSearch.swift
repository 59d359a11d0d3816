/// ggml's searches for one signed scale per group (`make_qx_quants`, `make_q3_quants`).
///
/// Levels are returned offset by `nmax` (0…2·nmax−1). The returned scale has the opposite sign of the
/// group's largest-magnitude value, as in ggml, so that the level range reaches −nmax on that side.
enum SymmetricSearch {
    /// `make_qx_quants(n, nmax, x, L, rmse_type: 1, qw)`: weights are `qw`, or x² without one.
    /// Tries 18 scales around `-nmax/max` and keeps the one with the best weighted fit.
    static func weightedScale(count n: Int, nmax: Int32, _ x: UnsafePointer<Float>, levels: UnsafeMutablePointer<Int8>,
                              weights qw: UnsafePointer<Float>?) -> Float {
        let (max, amax) = QuantMath.largestMagnitude(x, count: n)
        if amax < QuantMath.groupMaxEpsilon {
            levels.update(repeating: 0, count: n)
            return 0
        }
        // The 19 trial scales (the start at -nmax/max, then steps -9…-1, 1…9) are independent, so they
        // run side by side in SIMD lanes: lane k accumulates trial k's sums over i in index order, exactly
        // as the scalar loop does, and the trials are then compared in ggml's order.
        @inline(__always) func trialScales(_ steps: SIMD8<Float>) -> SIMD8<Float> {
            -(SIMD8<Float>(repeating: Float(nmax)) + 0.1 * steps) / max
        }
        let first = Float(-nmax) / max
        var iscales = (trialScales(SIMD8(0, -9, -8, -7, -6, -5, -4, -3)), trialScales(SIMD8(-2, -1, 1, 2, 3, 4, 5, 6)),
                       trialScales(SIMD8(7, 8, 9, 9, 9, 9, 9, 9)))
        iscales.0[0] = first
        let low = Float(-nmax), high = Float(nmax - 1)
        @inline(__always) func level(_ iscale: SIMD8<Float>, _ xi: Float) -> SIMD8<Float> {
            QuantMath.nearestLevel(iscale * xi, low, high)
        }
        var sumlx = (SIMD8<Float>(repeating: 0), SIMD8<Float>(repeating: 0), SIMD8<Float>(repeating: 0))
        var suml2 = sumlx
        for i in 0..<n {
            let xi = x[i]
            let w = qw?[i] ?? xi * xi
            let wx = w * xi
            let l0 = level(iscales.0, xi), l1 = level(iscales.1, xi), l2 = level(iscales.2, xi)
            sumlx.0 += wx * l0
            sumlx.1 += wx * l1
            sumlx.2 += wx * l2
            suml2.0 += w * l0 * l0
            suml2.1 += w * l1 * l1
            suml2.2 += w * l2 * l2
        }
        @inline(__always) func lane(_ v: (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>), _ k: Int) -> Float {
            k < 8 ? v.0[k] : k < 16 ? v.1[k - 8] : v.2[k - 16]
        }
        var chosen = first
        var scale: Float = suml2.0[0] != 0 ? sumlx.0[0] / suml2.0[0] : 0
        var best = scale * sumlx.0[0]
        for trial in 1...18 {
            let slx = lane(sumlx, trial), sl2 = lane(suml2, trial)
            if sl2 > 0 && slx * slx > best * sl2 {
                chosen = lane(iscales, trial)
                scale = slx / sl2
                best = scale * slx
            }
        }
        for i in 0..<n {
            let l = QuantMath.clamp(QuantMath.nearestInt(chosen * x[i]), -nmax, nmax - 1)
            levels[i] = Int8(truncatingIfNeeded: l + nmax)
        }
        return scale
    }

    /// `make_q3_quants(n, nmax, x, L, do_rmse: true)`: x²-weighted start at `-nmax/max`, then up to five
    /// passes of per-element coordinate descent.
    static func coordinateDescentScale(count n: Int, nmax: Int32, _ x: UnsafePointer<Float>,
                                       levels: UnsafeMutablePointer<Int8>) -> Float {
        let (max, amax) = QuantMath.largestMagnitude(x, count: n)
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
