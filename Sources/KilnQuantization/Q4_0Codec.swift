import KilnGGUF

/// Q4_0: 32 values in 18 bytes: `d` (fp16), 16 bytes of 4-bit levels; x = d·(L − 8).
public struct Q4_0Codec: BlockCodec {
    public var type: GGMLType { .q4_0 }

    public init() {}

    public func quantize(_ row: UnsafePointer<Float>, count: Int, into output: UnsafeMutableRawPointer,
                         importance: UnsafePointer<Float>?) {
        let blocks = output.assumingMemoryBound(to: UInt8.self)
        LegacyQuantizer.forEachBlock(row, count: count, importance: importance, kind: .symmetric, nmax: 8) { b, d, _, levels in
            let block = blocks + 18 * b
            block.store16(QuantMath.half(d), at: 0)
            LegacyQuantizer.packNibbles(levels, into: block + 2)
        }
    }

    public func dequantize(_ blocks: UnsafeRawPointer, count: Int, into output: UnsafeMutablePointer<Float>) {
        let bytes = blocks.assumingMemoryBound(to: UInt8.self)
        for b in 0..<count / 32 {
            let block = bytes + 18 * b, qs = block + 2, y = output + 32 * b
            let d = block.loadHalf(at: 0)
            for j in 0..<16 {
                y[j] = Float(Int32(qs[j] & 0xf) - 8) * d
                y[j + 16] = Float(Int32(qs[j] >> 4) - 8) * d
            }
        }
    }
}
