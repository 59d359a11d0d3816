import KilnGGUF

/// Q2_K: 256 values in 84 bytes (2.625 bits each): sixteen bytes of 4-bit group scale (low nibble)
/// and offset (high nibble), 2-bit levels, then `d` and `dmin` (fp16).
public struct Q2_KCodec: SuperBlockCodec {
    public var type: GGMLType { .q2_K }
    static let reference = AsymmetricSearch.Parameters(rmin: -0.5, rdelta: 0.1, steps: 15, useMAD: true)

    public init() {}

    public func quantize(_ row: UnsafePointer<Float>, count: Int, into output: UnsafeMutableRawPointer,
                         importance: UnsafePointer<Float>?) {
        let blocks = output.assumingMemoryBound(to: UInt8.self)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256 + 32) { bytes in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 256 + 48) { floats in
                let levels = bytes.baseAddress!, codes = levels + 256
                let weights = floats.baseAddress!, scales = weights + 256, mins = scales + 16, subWeights = scales + 32
                for b in 0..<count / 256 {
                    let x = row + 256 * b, block = blocks + 84 * b
                    var d: Float, dmin: Float
                    if let importance = importance.map({ $0 + 256 * b }) {
                        // quantize_row_q2_K_impl: imatrix-weighted groups, scales by make_qp_quants.
                        let sigma2 = QuantMath.sumOfSquares(x, count: 256) / 256
                        QuantMath.importanceWeights(importance, x, count: 256, sigma2: sigma2, into: weights)
                        for j in 0..<16 {
                            var sum: Float = 0
                            for l in 0..<16 { sum += weights[16 * j + l] }
                            subWeights[j] = sum
                        }
                        AsymmetricSearch.scaleAndOffset(x, weights: weights, count: 16, groups: 16, nmax: 3, .importance,
                                                        levels: levels, scales: scales, offsets: mins)
                        d = ScaleSearch.positiveScale(count: 16, nmax: 15, scales, levels: codes, weights: subWeights)
                        dmin = ScaleSearch.positiveScale(count: 16, nmax: 15, mins, levels: codes + 16, weights: subWeights)
                        for j in 0..<16 { block[j] = codes[j] | (codes[16 + j] << 4) }
                    } else {
                        // quantize_row_q2_K_ref: |x|-weighted MAD fit, scales linear in the largest.
                        for l in 0..<256 { weights[l] = abs(x[l]) }
                        AsymmetricSearch.scaleAndOffset(x, weights: weights, count: 16, groups: 16, nmax: 3, Self.reference,
                                                        levels: levels, scales: scales, offsets: mins)
                        var maxScale: Float = 0, maxMin: Float = 0
                        for j in 0..<16 {
                            if scales[j] > maxScale { maxScale = scales[j] }
                            if mins[j] > maxMin { maxMin = mins[j] }
                        }
                        d = 0
                        dmin = 0
                        block.update(repeating: 0, count: 16)
                        if maxScale > 0 {
                            let iscale = 15 / maxScale
                            for j in 0..<16 { block[j] = UInt8(truncatingIfNeeded: QuantMath.nearestInt(iscale * scales[j])) }
                            d = maxScale / 15
                        }
                        if maxMin > 0 {
                            let iscale = 15 / maxMin
                            for j in 0..<16 { block[j] |= UInt8(truncatingIfNeeded: QuantMath.nearestInt(iscale * mins[j]) << 4) }
                            dmin = maxMin / 15
                        }
                    }
                    block.store16(QuantMath.half(d), at: 80)
                    block.store16(QuantMath.half(dmin), at: 82)
                    storeLevels(x, block: block, levels: levels)
                }
            }
        }
    }

    var shape: SuperBlockShape { SuperBlockShape(blockBytes: 84, groups: 16, levels: 0...3, scaleCodes: 0...15, minCodes: 0...15) }

    func parameters(of block: UnsafePointer<UInt8>) -> SuperBlockParameters {
        var p = SuperBlockParameters(d: block.loadHalf(at: 80), dmin: block.loadHalf(at: 82))
        for j in 0..<16 { (p.scales[j], p.mins[j]) = (Int32(block[j] & 0xf), Int32(block[j] >> 4)) }
        return p
    }

    func write(_ p: SuperBlockParameters, nearest x: UnsafePointer<Float>, into block: UnsafeMutablePointer<UInt8>) {
        for j in 0..<16 { block[j] = UInt8(truncatingIfNeeded: p.scales[j] | (p.mins[j] << 4)) }
        block.store16(QuantMath.half(p.d), at: 80)
        block.store16(QuantMath.half(p.dmin), at: 82)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { levels in
            levels.initialize(repeating: 0)
            storeLevels(x, block: block, levels: levels.baseAddress!)
        }
    }

    /// Levels recomputed against the stored header, then packed.
    private func storeLevels(_ x: UnsafePointer<Float>, block: UnsafeMutablePointer<UInt8>, levels: UnsafeMutablePointer<UInt8>) {
        requantize(x, block: block, levels: levels)
        TwoBitPlanes.pack(levels, into: block + 16)
    }

    /// Levels recomputed against the stored fp16 factors and 4-bit codes; zero-scale groups keep theirs.
    private func requantize(_ x: UnsafePointer<Float>, block: UnsafeMutablePointer<UInt8>, levels: UnsafeMutablePointer<UInt8>) {
        let d = UnsafePointer(block).loadHalf(at: 80), dmin = UnsafePointer(block).loadHalf(at: 82)
        for j in 0..<16 {
            let scale = d * Float(block[j] & 0xf)
            if scale == 0 { continue }
            let offset = dmin * Float(block[j] >> 4)
            for i in 0..<16 {
                levels[16 * j + i] = UInt8(truncatingIfNeeded: QuantMath.clamp(QuantMath.nearestInt((x[16 * j + i] + offset) / scale), 0, 3))
            }
        }
    }

    public func dequantize(_ blocks: UnsafeRawPointer, count: Int, into output: UnsafeMutablePointer<Float>) {
        let bytes = blocks.assumingMemoryBound(to: UInt8.self)
        for b in 0..<count / 256 {
            let block = bytes + 84 * b, y = output + 256 * b
            let d = block.loadHalf(at: 80), dmin = block.loadHalf(at: 82)
            for j in 0..<16 {
                let scale = d * Float(block[j] & 0xf), offset = dmin * Float(block[j] >> 4)
                for i in 0..<16 { y[16 * j + i] = scale * Float(TwoBitPlanes.level(block + 16, 16 * j + i)) - offset }
            }
        }
    }
}
