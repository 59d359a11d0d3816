import KilnGGUF

/// Q3_K: 256 values in 110 bytes (3.4375 bits each): `hmask[32]` (third bit of value i in bit i/32 of
/// byte i%32), 2-bit low levels, twelve bytes of signed 6-bit group scales, then `d` (fp16).
public struct Q3_KCodec: SuperBlockCodec {
    public var type: GGMLType { .q3_K }

    public init() {}

    public func quantize(_ row: UnsafePointer<Float>, count: Int, into output: UnsafeMutableRawPointer,
                         importance: UnsafePointer<Float>?) {
        let blocks = output.assumingMemoryBound(to: UInt8.self)
        withUnsafeTemporaryAllocation(of: Int8.self, capacity: 256 + 16) { bytes in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 48) { floats in
                let levels = bytes.baseAddress!, codes = levels + 256
                let scales = floats.baseAddress!, subWeights = scales + 16, weights = scales + 32
                for b in 0..<count / 256 {
                    let x = row + 256 * b, block = blocks + 110 * b
                    let packed = block + 96
                    packed.update(repeating: 0, count: 12)
                    if let importance = importance.map({ $0 + 256 * b }) {
                        // quantize_row_q3_K_impl: imatrix-weighted groups, group scales fitted by make_qx_quants.
                        let sigma2 = 2 * QuantMath.sumOfSquares(x, count: 256) / 256
                        for j in 0..<16 {
                            QuantMath.importanceWeights(importance + 16 * j, x + 16 * j, count: 16, sigma2: sigma2, into: weights)
                            var sum: Float = 0
                            for l in 0..<16 { sum += weights[l] }
                            subWeights[j] = sum
                            scales[j] = SymmetricSearch.weightedScale(count: 16, nmax: 4, x + 16 * j, levels: levels + 16 * j, weights: weights)
                        }
                        let d = SymmetricSearch.weightedScale(count: 16, nmax: 32, scales, levels: codes, weights: subWeights)
                        for j in 0..<16 { Self.packScale(UInt8(truncatingIfNeeded: codes[j]), group: j, into: packed) }
                        block.store16(QuantMath.half(d), at: 108)
                    } else {
                        // quantize_row_q3_K_ref: make_q3_quants per group, scales linear in the largest.
                        var maxScale: Float = 0, amax: Float = 0
                        for j in 0..<16 {
                            scales[j] = SymmetricSearch.coordinateDescentScale(count: 16, nmax: 4, x + 16 * j, levels: levels + 16 * j)
                            if abs(scales[j]) > amax {
                                amax = abs(scales[j])
                                maxScale = scales[j]
                            }
                        }
                        if maxScale != 0 {
                            let iscale = -32 / maxScale
                            for j in 0..<16 {
                                let l = Int8(truncatingIfNeeded: QuantMath.nearestInt(iscale * scales[j]))
                                Self.packScale(UInt8(truncatingIfNeeded: max(-32, min(31, l)) + 32), group: j, into: packed)
                            }
                            block.store16(QuantMath.half(1 / iscale), at: 108)
                        } else {
                            block.store16(QuantMath.half(0), at: 108)
                        }
                    }
                    storeLevels(x, block: block, levels: levels)
                }
            }
        }
    }

    var shape: SuperBlockShape { SuperBlockShape(blockBytes: 110, groups: 16, levels: -4...3, scaleCodes: -32...31, minCodes: nil) }

    func parameters(of block: UnsafePointer<UInt8>) -> SuperBlockParameters {
        var p = SuperBlockParameters(d: block.loadHalf(at: 108))
        for j in 0..<16 { p.scales[j] = Self.scale(block + 96, group: j) }
        return p
    }

    func write(_ p: SuperBlockParameters, nearest x: UnsafePointer<Float>, into block: UnsafeMutablePointer<UInt8>) {
        let packed = block + 96
        packed.update(repeating: 0, count: 12)
        for j in 0..<16 { Self.packScale(UInt8(truncatingIfNeeded: p.scales[j] + 32), group: j, into: packed) }
        block.store16(QuantMath.half(p.d), at: 108)
        withUnsafeTemporaryAllocation(of: Int8.self, capacity: 256) { levels in
            levels.initialize(repeating: 4)
            storeLevels(x, block: block, levels: levels.baseAddress!)
        }
    }

    /// Levels recomputed against the stored scales, then split into the high-bit mask and 2-bit planes.
    private func storeLevels(_ x: UnsafePointer<Float>, block: UnsafeMutablePointer<UInt8>, levels: UnsafeMutablePointer<Int8>) {
        requantize(x, block: block, levels: levels)
        let L = UnsafeMutableRawPointer(levels).assumingMemoryBound(to: UInt8.self)
        let hmask = block
        hmask.update(repeating: 0, count: 32)
        for j in 0..<256 where L[j] > 3 {
            hmask[j % 32] |= UInt8(1) << (j / 32)
            L[j] -= 4
        }
        TwoBitPlanes.pack(L, into: block + 32)
    }

    /// Stores the 6-bit code of `group`: low nibbles in bytes 0–7, top bit pairs in bytes 8–11.
    private static func packScale(_ code: UInt8, group j: Int, into packed: UnsafeMutablePointer<UInt8>) {
        if j < 8 { packed[j] = code & 0xf } else { packed[j - 8] |= (code & 0xf) << 4 }
        packed[8 + j % 4] |= (code >> 4) << (2 * (j / 4))
    }

    /// The signed scale of `group` (−32…31).
    @inline(__always)
    private static func scale(_ packed: UnsafePointer<UInt8>, group j: Int) -> Int32 {
        let low = j < 8 ? packed[j] & 0xf : packed[j - 8] >> 4
        return Int32(low | (((packed[8 + j % 4] >> (2 * (j / 4))) & 3) << 4)) - 32
    }

    /// Levels (0…7) recomputed against the stored scales; zero-scale groups keep theirs.
    private func requantize(_ x: UnsafePointer<Float>, block: UnsafeMutablePointer<UInt8>, levels: UnsafeMutablePointer<Int8>) {
        let d = UnsafePointer(block).loadHalf(at: 108)
        for j in 0..<16 {
            let scale = d * Float(Self.scale(block + 96, group: j))
            if scale == 0 { continue }
            for i in 0..<16 {
                levels[16 * j + i] = Int8(truncatingIfNeeded: QuantMath.clamp(QuantMath.nearestInt(x[16 * j + i] / scale), -4, 3) + 4)
            }
        }
    }

    public func dequantize(_ blocks: UnsafeRawPointer, count: Int, into output: UnsafeMutablePointer<Float>) {
        let bytes = blocks.assumingMemoryBound(to: UInt8.self)
        for b in 0..<count / 256 {
            let block = bytes + 110 * b, y = output + 256 * b
            let d = block.loadHalf(at: 108)
            for j in 0..<16 {
                let scale = d * Float(Self.scale(block + 96, group: j))
                for i in 16 * j..<16 * j + 16 {
                    let high: Int32 = block[i % 32] & (UInt8(1) << (i / 32)) != 0 ? 0 : 4
                    y[i] = scale * Float(Int32(TwoBitPlanes.level(block + 32, i)) - high)
                }
            }
        }
    }
}
