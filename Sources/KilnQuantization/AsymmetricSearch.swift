/// ggml's search for a scale and a non-positive offset per group (`make_qkx2_quants`, `make_qkx3_quants`).
///
/// The two C functions differ only in defaulting missing weights to x² (every Kiln caller passes
/// weights) and in testing `max == min` versus `max <= min` (equal for finite input), so one routine
/// serves both.
enum AsymmetricSearch {
    struct Parameters {
        let rmin: Float
        let rdelta: Float
        let steps: Int
        /// Minimise Σw·|error| instead of Σw·error².
        let useMAD: Bool

        /// The `_impl` (imatrix) setting shared by every caller of `make_qkx3_quants`.
        static let importance = Parameters(rmin: -0.9, rdelta: 0.05, steps: 36, useMAD: false)
    }

    /// Quantizes `groups` consecutive groups of `n` values to levels 0…nmax as `scale·L − offset`.
    /// Group g reads `x + g·n` and `weights + g·n` and writes `levels + g·n`, `scales[g]` and
    /// `offsets[g]` (offset ≥ 0).
    static func scaleAndOffset(_ x: UnsafePointer<Float>, weights: UnsafePointer<Float>, count n: Int, groups: Int,
                               nmax: Int32, _ p: Parameters, levels: UnsafeMutablePointer<UInt8>,
                               scales: UnsafeMutablePointer<Float>, offsets: UnsafeMutablePointer<Float>) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: n) { scratch in
            for g in 0..<groups {
                (scales[g], offsets[g]) = group(count: n, nmax: nmax, x + g * n, weights: weights + g * n,
                                                levels: levels + g * n, scratch: scratch.baseAddress!, p)
            }
        }
    }

    /// One group; returns (scale, offset).
    ///
    /// Quirk kept from ggml: each trial scale is applied around the *current best* minimum, which the
    /// loop updates as it goes.
    private static func group(count n: Int, nmax: Int32, _ x: UnsafePointer<Float>, weights: UnsafePointer<Float>,
                               levels: UnsafeMutablePointer<UInt8>, scratch: UnsafeMutablePointer<UInt8>,
                               _ p: Parameters) -> (scale: Float, offset: Float) {
        var min = x[0], max = x[0]
        var sumW = weights[0]
        var sumX = sumW * x[0]
        for i in 1..<n {
            if x[i] < min { min = x[i] }
            if x[i] > max { max = x[i] }
            let w = weights[i]
            sumW += w
            sumX += w * x[i]
        }
        if min > 0 { min = 0 }
        if max <= min {
            levels.update(repeating: 0, count: n)
            return (0, -min)
        }
        var iscale = Float(nmax) / (max - min)
        var scale = 1 / iscale
        @inline(__always) func error(_ diff: Float) -> Float { p.useMAD ? abs(diff) : diff * diff }
        var bestError: Float = 0
        for i in 0..<n {
            let l = QuantMath.clamp(QuantMath.nearestInt(iscale * (x[i] - min)), 0, nmax)
            levels[i] = UInt8(truncatingIfNeeded: l)
            bestError += weights[i] * error(scale * Float(l) + min - x[i])
        }
        guard p.steps >= 1 else { return (scale, -min) }
        for step in 0...p.steps {
            iscale = (p.rmin + p.rdelta * Float(step) + Float(nmax)) / (max - min)
            var sumL: Float = 0, sumL2: Float = 0, sumXL: Float = 0
            for i in 0..<n {
                let l = QuantMath.clamp(QuantMath.nearestInt(iscale * (x[i] - min)), 0, nmax)
                scratch[i] = UInt8(truncatingIfNeeded: l)
                let w = weights[i], fl = Float(l)
                sumL += w * fl
                sumL2 += w * fl * fl
                sumXL += w * fl * x[i]
            }
            let det = sumW * sumL2 - sumL * sumL
            guard det > 0 else { continue }
            var thisScale = (sumW * sumXL - sumX * sumL) / det
            var thisMin = (sumL2 * sumX - sumL * sumXL) / det
            if thisMin > 0 {
                thisMin = 0
                thisScale = sumXL / sumL2
            }
            var currentError: Float = 0
            for i in 0..<n { currentError += weights[i] * error(thisScale * Float(scratch[i]) + thisMin - x[i]) }
            if currentError < bestError {
                levels.update(from: scratch, count: n)
                bestError = currentError
                scale = thisScale
                min = thisMin
            }
        }
        return (scale, -min)
    }
}
