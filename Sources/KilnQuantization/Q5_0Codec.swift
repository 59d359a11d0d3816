import KilnGGUF

/// Q5_0: 32 values in 22 bytes: `d` (fp16), fifth bits `qh` (u32), low nibbles; x = d·(L − 16).
public struct Q5_0Codec: BlockCodec {
    public var type: GGMLType { .q5_0 }

    public init() {}

    public func quantize(_ row: UnsafePointer<Float>, count: Int, into output: UnsafeMutableRawPointer,
                         importance: UnsafePointer<Float>?) {
        let blocks = output.assumingMemoryBound(to: UInt8.self)
        LegacyQuantizer.forEachBlock(row, count: count, importance: importance, kind: .symmetric, nmax: 16) { b, d, _, levels in
            let block = blocks + 22 * b
            block.store16(QuantMath.half(d), at: 0)
            LegacyQuantizer.storeHighBits(levels, into: block + 2)
            LegacyQuantizer.packNibbles(levels, into: block + 6)
        }
    }

    public func dequantize(_ blocks: UnsafeRawPointer, count: Int, into output: UnsafeMutablePointer<Float>) {
        let bytes = blocks.assumingMemoryBound(to: UInt8.self)
        for b in 0..<count / 32 {
            let block = bytes + 22 * b, y = output + 32 * b
            let d = block.loadHalf(at: 0)
            for j in 0..<32 { y[j] = Float(Int32(LegacyQuantizer.level(block + 6, highBits: block + 2, j)) - 16) * d }
        }
    }
}
