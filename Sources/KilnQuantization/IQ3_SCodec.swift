import KilnGGUF

/// IQ3_S: 256 values in 110 bytes (3.4375 bits each): `d` (fp16), the low 8 bits of one 512-point grid
/// index per 4 values (`qs[64]`), their 9th bits (`qh[8]`), a sign bit per value (`signs[32]`), then
/// 4-bit scales for the eight 32-value groups (`scales[4]`).
public struct IQ3_SCodec: BlockCodec {
    public var type: GGMLType { .iq3_s }
    static let search = LatticeSearch(grid: .iq3s, levelCount: 8, trials: -9...9, step: 0.2, start: .largest,
                                      refinement: .allWhenOffGrid, startsOnGrid: false)

    public init() {}

    /// `quantize_iq3_s` (block size 32).
    public func quantize(_ row: UnsafePointer<Float>, count: Int, into output: UnsafeMutableRawPointer,
                         importance: UnsafePointer<Float>?) {
        LatticeScratch.forEachSuperBlock(row, count: count, into: output, blockBytes: 110, importance: importance, spread: 2) {
            scratch, x, block, importance, sigma2 in
            var maxScale: Float = 0
            // llama.cpp advances its index and sign cursors only past groups it stores, so a group
            // that is all zero shifts the later groups' bytes down (the 9th index bits are placed
            // by group number); Kiln writes the same bytes.
            var qs = block + 2, signs = block + 74
            for ib in 0..<8 {
                scratch.scales[ib] = 0
                let max = scratch.prepare(x + 32 * ib, importance: importance.map { $0 + 32 * ib }, sigma2: sigma2, count: 32, evenParity: false)
                if max == 0 { continue }
                var scale = Self.search.fit(scratch.xval, weights: scratch.weights, rootWeights: scratch.rootWeights,
                                            count: 32, max: max, indices: scratch.indices)!
                let flip: UInt8 = scale < 0 ? 0xff : 0
                if scale < 0 { scale = -scale }
                for k in 0..<8 {
                    let index = scratch.indices[k]
                    qs[k] = UInt8(truncatingIfNeeded: index)
                    block[66 + ib] |= UInt8(index >> 8) << k
                }
                qs += 8
                for k in 0..<4 { signs[k] = scratch.signs[k] ^ flip }
                signs += 4
                scratch.scales[ib] = scale
                maxScale = maxScale > scale ? maxScale : scale
            }
            if maxScale == 0 { return }
            let d = maxScale / 31
            block.store16(QuantMath.half(d * 1.033), at: 0)
            for ib in stride(from: 0, to: 8, by: 2) {
                let low = LatticeSigns.scaleCode(scratch.scales[ib], id: 1 / d, top: 15)
                let high = LatticeSigns.scaleCode(scratch.scales[ib + 1], id: 1 / d, top: 15)
                block[106 + ib / 2] = UInt8(low | high << 4)
            }
        }
    }

    public func dequantize(_ blocks: UnsafeRawPointer, count: Int, into output: UnsafeMutablePointer<Float>) {
        let bytes = blocks.assumingMemoryBound(to: UInt8.self)
        IQGrid.iq3s.values.withUnsafeBufferPointer { grid in
            for b in 0..<count / 256 {
                let block = bytes + 110 * b
                let d = block.loadHalf(at: 0)
                for ib in 0..<8 {
                    let code = (block[106 + ib / 2] >> (4 * (ib % 2))) & 0xf
                    let db = d * Float(1 + 2 * Int32(code))
                    let high = Int(block[66 + ib])
                    for l in 0..<4 {
                        let signs = block[74 + 4 * ib + l]
                        let y = output + 256 * b + 32 * ib + 8 * l
                        for half in 0..<2 {
                            let point = 4 * (Int(block[2 + 8 * ib + 2 * l + half]) | (high << (8 - 2 * l - half)) & 256)
                            for j in 0..<4 {
                                let v = db * Float(grid[point + j])
                                y[4 * half + j] = signs & (1 << (4 * half + j)) != 0 ? -v : v
                            }
                        }
                    }
                }
            }
        }
    }
}
