import KilnGGUF

/// Q8_0: 32 values in 34 bytes: `d` (fp16), 32 signed bytes; x = d·q.
///
/// llama.cpp ignores the importance matrix for this type, and so does Kiln.
public struct Q8_0Codec: BlockCodec {
    public var type: GGMLType { .q8_0 }

    public init() {}

    public func quantize(_ row: UnsafePointer<Float>, count: Int, into output: UnsafeMutableRawPointer,
                         importance: UnsafePointer<Float>?) {
        let blocks = output.assumingMemoryBound(to: UInt8.self)
        for b in 0..<count / 32 {
            let x = row + 32 * b, block = blocks + 34 * b
            var amax: Float = 0
            for j in 0..<32 { amax = max(amax, abs(x[j])) }
            let d = amax / 127
            let id: Float = d != 0 ? 1 / d : 0
            block.store16(QuantMath.half(d), at: 0)
            // roundf: half away from zero, unlike the nearest_int of the other types.
            for j in 0..<32 { block[2 + j] = UInt8(truncatingIfNeeded: QuantMath.truncated((x[j] * id).rounded())) }
        }
    }

    public func dequantize(_ blocks: UnsafeRawPointer, count: Int, into output: UnsafeMutablePointer<Float>) {
        let bytes = blocks.assumingMemoryBound(to: UInt8.self)
        for b in 0..<count / 32 {
            let block = bytes + 34 * b, y = output + 32 * b
            let d = block.loadHalf(at: 0)
            for j in 0..<32 { y[j] = Float(Int8(bitPattern: block[2 + j])) * d }
        }
    }
}
