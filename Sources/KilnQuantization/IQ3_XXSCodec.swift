import KilnGGUF

/// IQ3_XXS: 256 values in 98 bytes (3.0625 bits each): `d` (fp16), one byte per 4 values indexing the
/// 256-point grid, then per 32 values a u32 of four 7-bit sign masks (even parity) and a 4-bit scale.
public struct IQ3_XXSCodec: BlockCodec {
    public var type: GGMLType { .iq3_xxs }
    static let search = LatticeSearch(grid: .iq3xxs, levelCount: 8, trials: -15...15, step: 0.2, start: .largest,
                                      refinement: .offGridOnly, startsOnGrid: true)

    public init() {}

    /// `quantize_row_iq3_xxs_impl(256, …)`.
    public func quantize(_ row: UnsafePointer<Float>, count: Int, into output: UnsafeMutableRawPointer,
                         importance: UnsafePointer<Float>?) {
        LatticeScratch.quantizeSignWordBlocks(row, count: count, into: output, importance: importance, search: Self.search,
                                              blockBytes: 98, spread: 2, emptyBelow: 1e-8, indexBytes: 8,
                                              wordOffset: 66, wordStride: 4, fudge: 1.0125)
    }

    public func dequantize(_ blocks: UnsafeRawPointer, count: Int, into output: UnsafeMutablePointer<Float>) {
        let bytes = blocks.assumingMemoryBound(to: UInt8.self)
        IQGrid.iq3xxs.values.withUnsafeBufferPointer { grid in
            for b in 0..<count / 256 {
                let block = bytes + 98 * b
                let d = block.loadHalf(at: 0)
                for ib in 0..<8 {
                    let word = UnsafePointer(block).load32(at: 66 + 4 * ib)
                    let db = d * (0.5 + Float(word >> 28)) * 0.5
                    for l in 0..<4 {
                        let signs = LatticeSigns.expand(word >> (7 * l))
                        let y = output + 256 * b + 32 * ib + 8 * l
                        for half in 0..<2 {
                            let point = 4 * Int(block[2 + 8 * ib + 2 * l + half])
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
