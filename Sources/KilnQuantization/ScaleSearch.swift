/// ggml's `make_qp_quants`: quantizes a super-block's non-negative sub-block scales (or offsets) to
/// levels 0…nmax under one shared factor, weighted by each sub-block's total importance.
enum ScaleSearch {
    /// Returns the shared factor; `levels` receives the codes. Negative inputs wrap through `uint8_t`
    /// exactly as in ggml, which only matters for degenerate groups.
    static func positiveScale(count n: Int, nmax: Int32, _ x: UnsafePointer<Float>, levels: UnsafeMutablePointer<UInt8>,
                              weights: UnsafePointer<Float>) -> Float {
        var max: Float = 0
        for i in 0..<n { max = Swift.max(max, x[i]) }
        if max < QuantMath.groupMaxEpsilon {
            levels.update(repeating: 0, count: n)
            return 0
        }
        var iscale = Float(nmax) / max
        for i in 0..<n { levels[i] = UInt8(truncatingIfNeeded: QuantMath.nearestInt(iscale * x[i])) }
        let scale = 1 / iscale
        var bestMSE: Float = 0
        for i in 0..<n {
            let diff = x[i] - scale * Float(levels[i])
            bestMSE += weights[i] * diff * diff
        }
        for step in -4...4 where step != 0 {
            let trialIscale = (0.1 * Float(step) + Float(nmax)) / max
            let trialScale = 1 / trialIscale
            var mse: Float = 0
            for i in 0..<n {
                let l = min(nmax, QuantMath.nearestInt(trialIscale * x[i]))
                let diff = x[i] - trialScale * Float(l)
                mse += weights[i] * diff * diff
            }
            if mse < bestMSE {
                bestMSE = mse
                iscale = trialIscale
            }
        }
        var sumlx: Float = 0, suml2: Float = 0
        for i in 0..<n {
            let l = min(nmax, QuantMath.nearestInt(iscale * x[i]))
            levels[i] = UInt8(truncatingIfNeeded: l)
            let w = weights[i], fl = Float(l)
            sumlx += w * x[i] * fl
            suml2 += w * fl * fl
        }
        for _ in 0..<5 {
            var changed = false
            for i in 0..<n {
                let w = weights[i], old = Float(levels[i])
                var slx = sumlx - w * x[i] * old
                var sl2 = suml2 - w * old * old
                guard slx > 0 && sl2 > 0 else { continue }
                let newLevel = min(nmax, QuantMath.nearestInt(x[i] * sl2 / slx))
                guard newLevel != Int32(levels[i]) else { continue }
                let fl = Float(newLevel)
                slx += w * x[i] * fl
                sl2 += w * fl * fl
                if slx * slx * suml2 > sumlx * sumlx * sl2 {
                    levels[i] = UInt8(truncatingIfNeeded: newLevel)
                    sumlx = slx
                    suml2 = sl2
                    changed = true
                }
            }
            if !changed { break }
        }
        return suml2 > 0 ? sumlx / suml2 : 0
    }
}
