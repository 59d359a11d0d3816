import KilnGGUF

/// Q4_1: 32 values in 20 bytes: `d`, `m` (fp16), 16 bytes of 4-bit levels; x = d·L + m.
public struct Q4_1Codec: BlockCodec {
    public var type: GGMLType { .q4_1 }

    public init() {}

    public func quantize(_ row: UnsafePointer<Float>, count: Int, into output: UnsafeMutableRawPointer,
                         importance: UnsafePointer<Float>?) {
        let blocks = output.assumingMemoryBound(to: UInt8.self)
        LegacyQuantizer.forEachBlock(row, count: count, importance: importance, kind: .offset, nmax: 15) { b, d, m, levels in
            let block = blocks + 20 * b
            block.store16(QuantMath.half(d), at: 0)
            block.store16(QuantMath.half(m), at: 2)
            LegacyQuantizer.packNibbles(levels, into: block + 4)
        }
    }

    public func dequantize(_ blocks: UnsafeRawPointer, count: Int, into output: UnsafeMutablePointer<Float>) {
        let bytes = blocks.assumingMemoryBound(to: UInt8.self)
        for b in 0..<count / 32 {
            let block = bytes + 20 * b, qs = block + 4, y = output + 32 * b
            let d = block.loadHalf(at: 0), m = block.loadHalf(at: 2)
            for j in 0..<16 {
                y[j] = Float(qs[j] & 0xf) * d + m
                y[j + 16] = Float(qs[j] >> 4) * d + m
            }
        }
    }
}
