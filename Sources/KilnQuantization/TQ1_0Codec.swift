import KilnGGUF

/// TQ1_0: 256 ternary values in 54 bytes (1.6875 bits each): five trits per byte as a base-3 fraction
/// scaled to 0…255 (48 bytes for 240 values), four per byte for the last 16 (4 bytes), then `d` (fp16).
public struct TQ1_0Codec: BlockCodec {
    public var type: GGMLType { .tq1_0 }
    private static let powers: [UInt8] = [1, 3, 9, 27, 81, 243]

    public init() {}

    /// `quantize_row_tq1_0_ref`; the importance matrix is ignored, as in llama.cpp.
    public func quantize(_ row: UnsafePointer<Float>, count: Int, into output: UnsafeMutableRawPointer,
                         importance: UnsafePointer<Float>?) {
        let blocks = output.assumingMemoryBound(to: UInt8.self)
        for b in 0..<count / 256 {
            var x = row + 256 * b
            let block = blocks + 54 * b
            let d = Ternary.largestMagnitude(x)
            let id: Float = d != 0 ? 1 / d : 0
            block.store16(QuantMath.half(d), at: 52)
            // Runs of 32 bytes, then one of 16: byte m holds values m, m+run, …, m+4·run.
            for (start, run) in [(0, 32), (32, 16)] {
                for m in 0..<run {
                    var q: UInt8 = 0
                    for n in 0..<5 { q = q &* 3 &+ Ternary.code(x[m + n * run] * id) }
                    block[start + m] = Self.ceilingFraction(q)
                }
                x += 5 * run
            }
            for j in 0..<4 {
                var q: UInt8 = 0
                for m in 0..<4 { q = q &* 3 &+ Ternary.code(x[j + 4 * m] * id) }
                block[48 + j] = Self.ceilingFraction(q &* 3)
            }
        }
    }

    /// `(q·256 + 242) / 243`: the trits as a fraction of 3⁵, rounded up to a byte.
    @inline(__always)
    private static func ceilingFraction(_ q: UInt8) -> UInt8 {
        UInt8(truncatingIfNeeded: (UInt16(q) * 256 + 242) / 243)
    }

    public func dequantize(_ blocks: UnsafeRawPointer, count: Int, into output: UnsafeMutablePointer<Float>) {
        let bytes = blocks.assumingMemoryBound(to: UInt8.self)
        for b in 0..<count / 256 {
            let block = bytes + 54 * b
            var y = output + 256 * b
            let d = block.loadHalf(at: 52)
            for (start, run) in [(0, 32), (32, 16)] {
                for n in 0..<5 {
                    for m in 0..<run { y[m] = Ternary.trit(block[start + m], power: Self.powers[n]) * d }
                    y += run
                }
            }
            for n in 0..<4 {
                for j in 0..<4 { y[j] = Ternary.trit(block[48 + j], power: Self.powers[n]) * d }
                y += 4
            }
        }
    }
}
