import KilnGGUF

/// IQ2_S: 256 values in 82 bytes (2.5625 bits each): `d` (fp16), the low 8 bits of one 1024-point grid
/// index per 8 values (`qs[32]`), a sign byte per 8 values (`signs[32]`), the top 2 index bits
/// (`qh[8]`), then 4-bit scales for the sixteen 16-value groups.
public struct IQ2_SCodec: BlockCodec {
    public var type: GGMLType { .iq2_s }
    static let search = LatticeSearch(grid: .iq2s, levelCount: 3, trials: -9...9, step: 0.1, start: .largest,
                                      refinement: .offGridOnly, startsOnGrid: true)

    public init() {}

    /// `quantize_row_iq2_s_impl`.
    public func quantize(_ row: UnsafePointer<Float>, count: Int, into output: UnsafeMutableRawPointer,
                         importance: UnsafePointer<Float>?) {
        LatticeScratch.forEachSuperBlock(row, count: count, into: output, blockBytes: 82, importance: importance, spread: 2) {
            scratch, x, block, importance, sigma2 in
            var maxScale: Float = 0
            for ib in 0..<16 {
                scratch.scales[ib] = 0
                let max = scratch.prepare(x + 16 * ib, importance: importance.map { $0 + 16 * ib }, sigma2: sigma2, count: 16,
                                          floor: 0.25 * sigma2, evenParity: false)
                if max < 1e-8 { continue }
                var scale = Self.search.fit(scratch.xval, weights: scratch.weights, rootWeights: scratch.rootWeights,
                                            count: 16, max: max, indices: scratch.indices)!
                let flip: UInt8 = scale < 0 ? 0xff : 0
                if scale < 0 { scale = -scale }
                for k in 0..<2 {
                    let i8 = 2 * ib + k, index = scratch.indices[k]
                    block[2 + i8] = UInt8(truncatingIfNeeded: index)
                    block[66 + i8 / 4] |= UInt8(index >> 8) << (2 * (i8 % 4))
                    block[34 + i8] = scratch.signs[k] ^ flip
                }
                scratch.scales[ib] = scale
                maxScale = maxScale > scale ? maxScale : scale
            }
            if maxScale == 0 { return }
            let d = maxScale / 31
            block.store16(QuantMath.half(d * 0.9875), at: 0)
            LatticeSigns.storeScales(scratch.scales, count: 16, id: 1 / d, into: block + 74)
        }
    }

    public func dequantize(_ blocks: UnsafeRawPointer, count: Int, into output: UnsafeMutablePointer<Float>) {
        let bytes = blocks.assumingMemoryBound(to: UInt8.self)
        IQGrid.iq2s.values.withUnsafeBufferPointer { grid in
            for b in 0..<count / 256 {
                let block = bytes + 82 * b
                let d = block.loadHalf(at: 0)
                for ib in 0..<8 {
                    let scales = block[74 + ib]
                    let db = (d * (0.5 + Float(scales & 0xf)) * 0.25, d * (0.5 + Float(scales >> 4)) * 0.25)
                    let high = Int(block[66 + ib])
                    for l in 0..<4 {
                        let point = Int(block[2 + 4 * ib + l]) | (high << (8 - 2 * l)) & 0x300
                        LatticeSigns.expandPoint(grid, point: point, scale: l < 2 ? db.0 : db.1,
                                                 signs: block[34 + 4 * ib + l], into: output + 256 * b + 32 * ib + 8 * l)
                    }
                }
            }
        }
    }
}
