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
        withUnsafeTemporaryAllocation(of: SIMD8<Float>.self, capacity: n + (p.steps + 15) / 8) { scratch in
            // The trial scales' numerators, padded so that eight can be loaded from any trial.
            let numerators = UnsafeMutableRawPointer(scratch.baseAddress! + n).assumingMemoryBound(to: Float.self)
            for step in 0..<p.steps + 8 { numerators[step] = p.rmin + p.rdelta * Float(step) + Float(nmax) }
            for g in 0..<groups {
                (scales[g], offsets[g]) = group(count: n, nmax: nmax, x + g * n, weights: weights + g * n,
                                                levels: levels + g * n, scratch: scratch.baseAddress!,
                                                numerators: numerators, p)
            }
        }
    }

    /// One group; returns (scale, offset).
    ///
    /// Quirk kept from ggml: each trial scale is applied around the *current best* minimum, which the
    /// loop updates as it goes.
    private static func group(count n: Int, nmax: Int32, _ x: UnsafePointer<Float>, weights: UnsafePointer<Float>,
                               levels: UnsafeMutablePointer<UInt8>, scratch: UnsafeMutablePointer<SIMD8<Float>>,
                              numerators: UnsafePointer<Float>,
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
        let iscale = Float(nmax) / (max - min)
        var scale = 1 / iscale
        @inline(__always) func error(_ diff: Float) -> Float { p.useMAD ? abs(diff) : diff * diff }
        var bestError: Float = 0
        for i in 0..<n {
            let l = QuantMath.clamp(QuantMath.nearestInt(iscale * (x[i] - min)), 0, nmax)
            levels[i] = UInt8(truncatingIfNeeded: l)
            bestError += weights[i] * error(scale * Float(l) + min - x[i])
        }
        guard p.steps >= 1 else { return (scale, -min) }
        // Trials run eight at a time in SIMD lanes (each lane sums over i in index order, as in ggml),
        // speculating that `min` stays put; when a trial moves it, the trials after it are redone.
        let high = Float(nmax)
        var start = 0
        var chosenIscale: Float = 0, chosenMin: Float = 0, chosen = false
        while start <= p.steps {
            let range = max - min
            let iscales = UnsafeRawPointer(numerators + start).loadUnaligned(as: SIMD8<Float>.self) / range
            var sumL = SIMD8<Float>(repeating: 0), sumL2 = sumL, sumXL = sumL
            for i in 0..<n {
                let fl = QuantMath.nearestLevel(iscales * (x[i] - min), 0, high)
                scratch[i] = fl
                let wl = weights[i] * fl
                sumL += wl
                sumL2 += wl * fl
                sumXL += wl * x[i]
            }
            let det = sumW * sumL2 - sumL * sumL
            var thisScale = (sumW * sumXL - sumX * sumL) / det
            var thisMin = (sumL2 * sumX - sumL * sumXL) / det
            let positive = thisMin .> 0
            thisMin.replace(with: 0, where: positive)
            thisScale.replace(with: sumXL / sumL2, where: positive)
            var errors = SIMD8<Float>(repeating: 0)
            for i in 0..<n {
                let diff = thisScale * scratch[i] + thisMin - x[i]
                errors += weights[i] * (p.useMAD ? QuantMath.magnitude(diff) : diff * diff)
            }
            let end = Swift.min(8, p.steps + 1 - start)
            var next = start + end
            for k in 0..<end where det[k] > 0 && errors[k] < bestError {
                chosen = true
                chosenIscale = iscales[k]
                chosenMin = min
                bestError = errors[k]
                scale = thisScale[k]
                if thisMin[k].bitPattern != min.bitPattern {
                    min = thisMin[k]
                    next = start + k + 1
                    break
                }
            }
            start = next
        }
        if chosen {
            for i in 0..<n {
                levels[i] = UInt8(truncatingIfNeeded: QuantMath.clamp(QuantMath.nearestInt(chosenIscale * (x[i] - chosenMin)), 0, nmax))
            }
        }
        return (scale, -min)
    }
}
