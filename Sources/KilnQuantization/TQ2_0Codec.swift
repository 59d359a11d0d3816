import KilnGGUF

/// TQ2_0: 256 ternary values in 66 bytes (2.0625 bits each): 2-bit codes 0/1/2 for −1/0/+1, four
/// 32-value runs per 32 bytes, then `d` (fp16), the block's largest magnitude.
public struct TQ2_0Codec: BlockCodec {
    public var type: GGMLType { .tq2_0 }

    public init() {}

    /// `quantize_row_tq2_0_ref`; the importance matrix is ignored, as in llama.cpp.
    public func quantize(_ row: UnsafePointer<Float>, count: Int, into output: UnsafeMutableRawPointer,
                         importance: UnsafePointer<Float>?) {
        let blocks = output.assumingMemoryBound(to: UInt8.self)
        for b in 0..<count / 256 {
            let x = row + 256 * b, block = blocks + 66 * b
            let d = Ternary.largestMagnitude(x)
            let id: Float = d != 0 ? 1 / d : 0
            block.store16(QuantMath.half(d), at: 64)
            for j in stride(from: 0, to: 64, by: 32) {
                let xj = x + 4 * j
                for m in 0..<32 {
                    var q: UInt8 = 0
                    for n in 0..<4 { q &+= (Ternary.code(xj[m + 32 * n] * id) & 3) << (2 * n) }
                    block[j + m] = q
                }
            }
        }
    }

    public func dequantize(_ blocks: UnsafeRawPointer, count: Int, into output: UnsafeMutablePointer<Float>) {
        let bytes = blocks.assumingMemoryBound(to: UInt8.self)
        for b in 0..<count / 256 {
            let block = bytes + 66 * b, y = output + 256 * b
            let d = block.loadHalf(at: 64)
            for j in stride(from: 0, to: 64, by: 32) {
                for l in 0..<4 {
                    for m in 0..<32 { y[4 * j + 32 * l + m] = Float(Int32((block[j + m] >> (2 * l)) & 3) - 1) * d }
                }
            }
        }
    }
}
