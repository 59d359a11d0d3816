import KilnGGUF

/// IQ2_XS: 256 values in 74 bytes (2.3125 bits each): `d` (fp16), a u16 per 8 values (a 512-point grid
/// index and a 7-bit even-parity sign mask above it), then 4-bit scales for the sixteen 16-value groups.
/// llama.cpp quantizes it only with an importance matrix.
public struct IQ2_XSCodec: BlockCodec {
    public var type: GGMLType { .iq2_xs }
    public var requiresImportance: Bool { true }
    static let search = LatticeSearch(grid: .iq2xs, levelCount: 3, trials: -9...9, step: 0.1, start: .largest,
                                      refinement: .offGridOnly, startsOnGrid: true)

    public init() {}

    /// `quantize_row_iq2_xs_impl`. Without an importance matrix (which llama.cpp refuses, and
    /// Kiln's planner refuses before calling) the weights are x², as for IQ3_XXS.
    public func quantize(_ row: UnsafePointer<Float>, count: Int, into output: UnsafeMutableRawPointer,
                         importance: UnsafePointer<Float>?) {
        LatticeScratch.forEachSuperBlock(row, count: count, into: output, blockBytes: 74, importance: importance, spread: 1) {
            scratch, x, block, importance, sigma2 in
            var maxScale: Float = 0
            for ib in 0..<16 {
                scratch.scales[ib] = 0
                let max = scratch.prepare(x + 16 * ib, importance: importance.map { $0 + 16 * ib }, sigma2: sigma2, count: 16, evenParity: true)
                if max < QuantMath.groupMaxEpsilon { continue }
                var scale = Self.search.fit(scratch.xval, weights: scratch.weights, rootWeights: scratch.rootWeights,
                                            count: 16, max: max, indices: scratch.indices)!
                var signs = (UInt16(scratch.signs[0]), UInt16(scratch.signs[1]))
                if scale < 0 {
                    scale = -scale
                    signs = (~signs.0 & 127, ~signs.1 & 127)
                }
                block.store16(scratch.indices[0] | signs.0 << 9, at: 2 + 4 * ib)
                block.store16(scratch.indices[1] | signs.1 << 9, at: 4 + 4 * ib)
                scratch.scales[ib] = scale
                maxScale = maxScale > scale ? maxScale : scale
            }
            if maxScale == 0 {
                block.update(repeating: 0, count: 74)
                return
            }
            let d = maxScale / 31
            block.store16(QuantMath.half(d), at: 0)
            LatticeSigns.storeScales(scratch.scales, count: 16, id: 1 / d, into: block + 66)
        }
    }

    public func dequantize(_ blocks: UnsafeRawPointer, count: Int, into output: UnsafeMutablePointer<Float>) {
        let bytes = blocks.assumingMemoryBound(to: UInt8.self)
        IQGrid.iq2xs.values.withUnsafeBufferPointer { grid in
            for b in 0..<count / 256 {
                let block = bytes + 74 * b
                let d = block.loadHalf(at: 0)
                for ib in 0..<8 {
                    let scales = block[66 + ib]
                    let db = (d * (0.5 + Float(scales & 0xf)) * 0.25, d * (0.5 + Float(scales >> 4)) * 0.25)
                    for l in 0..<4 {
                        let code = block.load16(at: 2 + 8 * ib + 2 * l)
                        LatticeSigns.expandPoint(grid, point: Int(code & 511), scale: l < 2 ? db.0 : db.1,
                                                 signs: LatticeSigns.expand(UInt32(code >> 9)), into: output + 256 * b + 32 * ib + 8 * l)
                    }
                }
            }
        }
    }
}
