import KilnGGUF

/// Q6_K: 256 values in 210 bytes (6.5625 bits each): low nibbles `ql[128]`, high bit pairs `qh[64]`,
/// sixteen int8 group scales, then `d` (fp16) last. Each 128-value half interleaves four 32-value runs.
public struct Q6_KCodec: SuperBlockCodec {
    public var type: GGMLType { .q6_K }

    public init() {}

    public func quantize(_ row: UnsafePointer<Float>, count: Int, into output: UnsafeMutableRawPointer,
                         importance: UnsafePointer<Float>?) {
        let blocks = output.assumingMemoryBound(to: UInt8.self)
        withUnsafeTemporaryAllocation(of: Int8.self, capacity: 256) { levelBuffer in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 16) { scaleBuffer in
                for b in 0..<count / 256 {
                    quantizeBlock(row + 256 * b, importance: importance.map { $0 + 256 * b }, into: blocks + 210 * b,
                                  levels: levelBuffer.baseAddress!, scales: scaleBuffer.baseAddress!)
                }
            }
        }
    }

    /// `quantize_row_q6_K_ref`, or `_impl` with an imatrix (which passes the raw importance as weights).
    private func quantizeBlock(_ x: UnsafePointer<Float>, importance: UnsafePointer<Float>?, into block: UnsafeMutablePointer<UInt8>,
                               levels: UnsafeMutablePointer<Int8>, scales: UnsafeMutablePointer<Float>) {
        var maxScale: Float = 0, maxAbsScale: Float = 0
        for g in 0..<16 {
            let scale = SymmetricSearch.weightedScale(count: 16, nmax: 32, x + 16 * g, levels: levels + 16 * g,
                                                      weights: importance.map { $0 + 16 * g })
            scales[g] = scale
            if abs(scale) > maxAbsScale {
                maxAbsScale = abs(scale)
                maxScale = scale
            }
        }
        if maxAbsScale < QuantMath.groupMaxEpsilon {
            block.update(repeating: 0, count: 210)
            return
        }
        let iscale = -128 / maxScale
        block.store16(QuantMath.half(1 / iscale), at: 208)
        let groupScales = UnsafeMutableRawPointer(block + 192).assumingMemoryBound(to: Int8.self)
        for g in 0..<16 {
            groupScales[g] = Int8(truncatingIfNeeded: min(127, QuantMath.nearestInt(iscale * scales[g])))
        }
        storeLevels(x, block: block, levels: levels)
    }

    var shape: SuperBlockShape { SuperBlockShape(blockBytes: 210, groups: 16, levels: -32...31, scaleCodes: -128...127, minCodes: nil) }

    func parameters(of block: UnsafePointer<UInt8>) -> SuperBlockParameters {
        var p = SuperBlockParameters(d: block.loadHalf(at: 208))
        let groupScales = UnsafeRawPointer(block + 192).assumingMemoryBound(to: Int8.self)
        for g in 0..<16 { p.scales[g] = Int32(groupScales[g]) }
        return p
    }

    func write(_ p: SuperBlockParameters, nearest x: UnsafePointer<Float>, into block: UnsafeMutablePointer<UInt8>) {
        let groupScales = UnsafeMutableRawPointer(block + 192).assumingMemoryBound(to: Int8.self)
        for g in 0..<16 { groupScales[g] = Int8(truncatingIfNeeded: p.scales[g]) }
        block.store16(QuantMath.half(p.d), at: 208)
        withUnsafeTemporaryAllocation(of: Int8.self, capacity: 256) { levels in
            levels.initialize(repeating: 32)
            storeLevels(x, block: block, levels: levels.baseAddress!)
        }
    }

    /// Levels recomputed against the stored scales (zero-scale groups keep theirs), then packed.
    private func storeLevels(_ x: UnsafePointer<Float>, block: UnsafeMutablePointer<UInt8>, levels: UnsafeMutablePointer<Int8>) {
        let d = UnsafePointer(block).loadHalf(at: 208)
        let groupScales = UnsafeRawPointer(block + 192).assumingMemoryBound(to: Int8.self)
        for g in 0..<16 {
            let scale = d * Float(groupScales[g])
            if scale == 0 { continue }
            for i in 0..<16 {
                let l = QuantMath.clamp(QuantMath.nearestInt(x[16 * g + i] / scale), -32, 31)
                levels[16 * g + i] = Int8(truncatingIfNeeded: l + 32)
            }
        }
        for half in 0..<2 {
            let ql = block + 64 * half, qh = block + 128 + 32 * half
            let L = UnsafeRawPointer(levels + 128 * half).assumingMemoryBound(to: UInt8.self)
            for l in 0..<32 {
                ql[l] = (L[l] & 0xf) | ((L[l + 64] & 0xf) << 4)
                ql[l + 32] = (L[l + 32] & 0xf) | ((L[l + 96] & 0xf) << 4)
                qh[l] = (L[l] >> 4) | ((L[l + 32] >> 4) << 2) | ((L[l + 64] >> 4) << 4) | ((L[l + 96] >> 4) << 6)
            }
        }
    }

    public func dequantize(_ blocks: UnsafeRawPointer, count: Int, into output: UnsafeMutablePointer<Float>) {
        let bytes = blocks.assumingMemoryBound(to: UInt8.self)
        for b in 0..<count / 256 {
            let block = bytes + 210 * b
            let d = block.loadHalf(at: 208)
            let scales = UnsafeRawPointer(block + 192).assumingMemoryBound(to: Int8.self)
            for half in 0..<2 {
                let ql = block + 64 * half, qh = block + 128 + 32 * half, sc = scales + 8 * half
                let y = output + 256 * b + 128 * half
                for l in 0..<32 {
                    let g = l / 16
                    let q1 = Int32((ql[l] & 0xf) | ((qh[l] & 3) << 4)) - 32
                    let q2 = Int32((ql[l + 32] & 0xf) | (((qh[l] >> 2) & 3) << 4)) - 32
                    let q3 = Int32((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32
                    let q4 = Int32((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32
                    y[l] = d * Float(sc[g]) * Float(q1)
                    y[l + 32] = d * Float(sc[g + 2]) * Float(q2)
                    y[l + 64] = d * Float(sc[g + 4]) * Float(q3)
                    y[l + 96] = d * Float(sc[g + 6]) * Float(q4)
                }
            }
        }
    }
}
