import KilnGGUF

/// `--rounding exhaustive`: a K-quant (Q2_K…Q6_K) codec that searches the stored block parameters for
/// the least importance-weighted squared error Σ imatrix·(x − x̂)² (plain squared error without a
/// matrix), and still writes the standard block, so llama.cpp reads it unchanged.
///
/// llama.cpp fits each group's scale in floating point and only then rounds it to the block's
/// integer code under a super-block factor, so the stored block is rarely the best one it could
/// store. Here, for a given `d` and `dmin`, every group tries every scale code (and every min code
/// for Q2_K, the min codes within ±3 of the current one for Q4_K/Q5_K) with the nearest levels each
/// gives; `d` and `dmin` are then refitted by weighted least squares to the codes and levels found,
/// and a few multiples of the reference `d` are tried, until the error stops falling. The block is
/// kept only if its error is lower than the reference quantizer's block, so no block gets worse.
struct ExhaustiveRounding: BlockCodec {
    let base: any SuperBlockCodec
    let shape: SuperBlockShape

    init(base: any SuperBlockCodec) {
        self.base = base
        shape = base.shape
    }

    var type: GGMLType { base.type }
    var requiresImportance: Bool { base.requiresImportance }

    /// Multiples of the reference `d` tried as starting points, besides the refitted one.
    static var dScalings: [Float] { [0.9, 0.95, 1.05, 1.1] }
    /// Rounds of code search and refit at most.
    static var rounds: Int { 8 }
    /// Min codes tried on either side of the current one when the full range is larger than this.
    static var minWindow: Int32 { 3 }

    func quantize(_ row: UnsafePointer<Float>, count: Int, into output: UnsafeMutableRawPointer, importance: UnsafePointer<Float>?) {
        let blocks = output.assumingMemoryBound(to: UInt8.self)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * 256) { floats in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: shape.blockBytes) { candidate in
                let weights = floats.baseAddress!, scratch = weights + 256
                for b in 0..<count / 256 {
                    let x = row + 256 * b, block = blocks + shape.blockBytes * b
                    let blockImportance = importance.map { $0 + 256 * b }
                    for i in 0..<256 { weights[i] = blockImportance?[i] ?? 1 }
                    base.quantize(x, count: 256, into: block, importance: blockImportance)
                    let reference = base.parameters(of: block)
                    guard let found = search(x, weights: weights, from: reference) else { continue }
                    base.write(found, nearest: x, into: candidate.baseAddress!)
                    if error(candidate.baseAddress!, x, weights, scratch) < error(block, x, weights, scratch) {
                        block.update(from: candidate.baseAddress!, count: shape.blockBytes)
                    }
                }
            }
        }
    }

    func dequantize(_ blocks: UnsafeRawPointer, count: Int, into output: UnsafeMutablePointer<Float>) {
        base.dequantize(blocks, count: count, into: output)
    }

    /// Σ w·(x − x̂)² of a written block, as its decoder reads it.
    private func error(_ block: UnsafePointer<UInt8>, _ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) -> Double {
        base.dequantize(block, count: 256, into: y)
        var sum = 0.0
        for i in 0..<256 {
            let d = Double(x[i]) - Double(y[i])
            sum += Double(w[i]) * d * d
        }
        return sum
    }

    /// Parameters with a lower predicted error than `reference`'s, or nil.
    func search(_ x: UnsafePointer<Float>, weights: UnsafePointer<Float>, from reference: SuperBlockParameters) -> SuperBlockParameters? {
        guard reference.d.isFinite, reference.dmin.isFinite else { return nil }
        var best = reference, bestError = totalError(x, weights, reference)
        guard bestError > 0 else { return nil }
        var starts = [refit(x, weights, reference)].compactMap { $0 }
        starts += Self.dScalings.map { factor in
            var p = reference
            p.d = QuantMath.float(half: QuantMath.half(reference.d * factor))
            return p
        }
        for _ in 0..<Self.rounds {
            var improved = false
            for start in starts where start.d.isFinite && start.d != 0 {
                let (found, error) = codeSearch(x, weights, start)
                if error < bestError {
                    (best, bestError, improved) = (found, error, true)
                }
            }
            guard improved, let next = refit(x, weights, best) else { break }
            starts = [next]
        }
        return best == reference ? nil : best
    }

    /// For the given `d` and `dmin`, each group's best codes (ties keep `start`'s), and the block's error.
    private func codeSearch(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ start: SuperBlockParameters) -> (SuperBlockParameters, Float) {
        var p = start, total: Float = 0
        let n = shape.groupSize
        for g in 0..<shape.groups {
            let xg = x + n * g, wg = w + n * g
            var bestScale = start.scales[g], bestMin = start.mins[g]
            var bestError = groupError(xg, wg, n, step: p.d * Float(bestScale), offset: p.dmin * Float(bestMin), shape.levels)
            let mins: ClosedRange<Int32>
            if let range = shape.minCodes {
                mins = range.count <= 16 ? range : max(range.lowerBound, bestMin - Self.minWindow)...min(range.upperBound, bestMin + Self.minWindow)
            } else {
                mins = 0...0
            }
            for scale in shape.scaleCodes {
                let step = p.d * Float(scale)
                for min in mins {
                    let e = groupError(xg, wg, n, step: step, offset: p.dmin * Float(min), shape.levels)
                    if e < bestError { (bestError, bestScale, bestMin) = (e, scale, min) }
                }
            }
            p.scales[g] = bestScale
            p.mins[g] = bestMin
            total += bestError
        }
        return (p, total)
    }

    private func totalError(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ p: SuperBlockParameters) -> Float {
        let n = shape.groupSize
        var total: Float = 0
        for g in 0..<shape.groups {
            total += groupError(x + n * g, w + n * g, n, step: p.d * Float(p.scales[g]), offset: p.dmin * Float(p.mins[g]), shape.levels)
        }
        return total
    }

    /// Σ w·(x − (step·L − offset))² over one group, L the nearest level in range (the codecs divide
    /// by the step where this multiplies by its inverse, which can differ on an exact tie; the block
    /// written is measured again as stored); a zero step leaves every value at −offset.
    @inline(__always)
    private func groupError(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ n: Int, step: Float, offset: Float,
                            _ levels: ClosedRange<Int32>) -> Float {
        let raw = UnsafeRawPointer(x), rawW = UnsafeRawPointer(w)
        var sum = SIMD8<Float>()
        let o = SIMD8<Float>(repeating: offset)
        if step == 0 {
            for k in stride(from: 0, to: n, by: 8) {
                let r = raw.loadUnaligned(fromByteOffset: 4 * k, as: SIMD8<Float>.self) + o
                sum += rawW.loadUnaligned(fromByteOffset: 4 * k, as: SIMD8<Float>.self) * r * r
            }
            return sum.sum()
        }
        let s = SIMD8<Float>(repeating: step), inverse = SIMD8<Float>(repeating: 1 / step)
        let low = SIMD8<Float>(repeating: Float(levels.lowerBound)), high = SIMD8<Float>(repeating: Float(levels.upperBound))
        for k in stride(from: 0, to: n, by: 8) {
            let xs = raw.loadUnaligned(fromByteOffset: 4 * k, as: SIMD8<Float>.self)
            // Adding and removing 1.5·2²³ rounds half to even (as nearest_int) for the levels' range.
            var l = ((xs + o) * inverse + 12_582_912) - 12_582_912
            l.replace(with: low, where: l .< low)
            l.replace(with: high, where: l .> high)
            let r = xs - (s * l - o)
            sum += rawW.loadUnaligned(fromByteOffset: 4 * k, as: SIMD8<Float>.self) * r * r
        }
        return sum.sum()
    }

    /// `d` and `dmin` fitted by weighted least squares to `p`'s codes and the levels nearest under `p`,
    /// rounded to fp16; nil when the fit is degenerate or puts `dmin` below zero.
    private func refit(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ p: SuperBlockParameters) -> SuperBlockParameters? {
        let n = shape.groupSize
        var aa = 0.0, ab = 0.0, bb = 0.0, xa = 0.0, xb = 0.0
        for g in 0..<shape.groups {
            let step = p.d * Float(p.scales[g]), offset = p.dmin * Float(p.mins[g])
            for i in n * g..<n * (g + 1) {
                let level = step == 0 ? 0 : QuantMath.clamp(QuantMath.nearestInt((x[i] + offset) / step), shape.levels.lowerBound, shape.levels.upperBound)
                // x̂ = d·a − dmin·b
                let a = Double(p.scales[g] * level), b = Double(p.mins[g]), weight = Double(w[i]), value = Double(x[i])
                aa += weight * a * a
                ab += weight * a * b
                bb += weight * b * b
                xa += weight * value * a
                xb += weight * value * b
            }
        }
        var fitted = p
        if shape.minCodes == nil || bb == 0 {
            guard aa > 0 else { return nil }
            fitted.d = QuantMath.float(half: QuantMath.half(Float(xa / aa)))
        } else {
            // d·aa − dmin·ab = xa, d·ab − dmin·bb = xb
            let det = ab * ab - aa * bb
            guard det != 0 else { return nil }
            let d = (ab * xb - bb * xa) / det, dmin = (aa * xb - ab * xa) / det
            guard dmin >= 0 else { return nil }
            fitted.d = QuantMath.float(half: QuantMath.half(Float(d)))
            fitted.dmin = QuantMath.float(half: QuantMath.half(Float(dmin)))
        }
        return fitted.d.isFinite && fitted.dmin.isFinite ? fitted : nil
    }
}
