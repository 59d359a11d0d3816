import KilnGGUF

/// IQ2_XXS: 256 values in 66 bytes (2.0625 bits each): `d` (fp16), then per 32 values one byte per 8
/// values indexing the 256-point grid and a u32 of four 7-bit sign masks (even parity) and a 4-bit scale.
/// llama.cpp quantizes it only with an importance matrix.
public struct IQ2_XXSCodec: BlockCodec {
    public var type: GGMLType { .iq2_xxs }
    public var requiresImportance: Bool { true }
    static let search = LatticeSearch(grid: .iq2xxs, levelCount: 3, trials: -6...6, step: 0.1, start: .qpQuants,
                                      refinement: .always, startsOnGrid: true)

    public init() {}

    /// `quantize_row_iq2_xxs_impl`. Without an importance matrix (which llama.cpp refuses, and
    /// Kiln's planner refuses before calling) the weights are x², as for IQ3_XXS.
    public func quantize(_ row: UnsafePointer<Float>, count: Int, into output: UnsafeMutableRawPointer,
                         importance: UnsafePointer<Float>?) {
        LatticeScratch.quantizeSignWordBlocks(row, count: count, into: output, importance: importance, search: Self.search,
                                              blockBytes: 66, spread: 1, emptyBelow: QuantMath.groupMaxEpsilon, indexBytes: 4,
                                              wordOffset: 6, wordStride: 8, fudge: 1)
    }

    public func dequantize(_ blocks: UnsafeRawPointer, count: Int, into output: UnsafeMutablePointer<Float>) {
        let bytes = blocks.assumingMemoryBound(to: UInt8.self)
        IQGrid.iq2xxs.values.withUnsafeBufferPointer { grid in
            for b in 0..<count / 256 {
                let block = bytes + 66 * b
                let d = block.loadHalf(at: 0)
                for ib in 0..<8 {
                    let word = block.load32(at: 6 + 8 * ib)
                    let db = d * (0.5 + Float(word >> 28)) * 0.25
                    for l in 0..<4 {
                        LatticeSigns.expandPoint(grid, point: Int(block[2 + 8 * ib + l]), scale: db,
                                                 signs: LatticeSigns.expand(word >> (7 * l)), into: output + 256 * b + 32 * ib + 8 * l)
                    }
                }
            }
        }
    }
}
