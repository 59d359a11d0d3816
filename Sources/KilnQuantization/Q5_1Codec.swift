import KilnGGUF

/// Q5_1: 32 values in 24 bytes: `d`, `m` (fp16), fifth bits `qh` (u32), low nibbles; x = d·L + m.
public struct Q5_1Codec: BlockCodec {
    public var type: GGMLType { .q5_1 }

    public init() {}

    public func quantize(_ row: UnsafePointer<Float>, count: Int, into output: UnsafeMutableRawPointer,
                         importance: UnsafePointer<Float>?) {
        let blocks = output.assumingMemoryBound(to: UInt8.self)
        LegacyQuantizer.forEachBlock(row, count: count, importance: importance, kind: .offset, nmax: 31) { b, d, m, levels in
            let block = blocks + 24 * b
            block.store16(QuantMath.half(d), at: 0)
            block.store16(QuantMath.half(m), at: 2)
            LegacyQuantizer.storeHighBits(levels, into: block + 4)
            LegacyQuantizer.packNibbles(levels, into: block + 8)
        }
    }

    public func dequantize(_ blocks: UnsafeRawPointer, count: Int, into output: UnsafeMutablePointer<Float>) {
        let bytes = blocks.assumingMemoryBound(to: UInt8.self)
        for b in 0..<count / 32 {
            let block = bytes + 24 * b, y = output + 32 * b
            let d = block.loadHalf(at: 0), m = block.loadHalf(at: 2)
            for j in 0..<32 { y[j] = Float(LegacyQuantizer.level(block + 8, highBits: block + 4, j)) * d + m }
        }
    }
}
