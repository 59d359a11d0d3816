import KilnGGUF

/// IQ4_NL: 32 values in 18 bytes: `d` (fp16), 16 bytes of 4-bit indices into the non-linear table;
/// x = d·table[L].
public struct IQ4_NLCodec: BlockCodec {
    public var type: GGMLType { .iq4_nl }

    public init() {}

    public func quantize(_ row: UnsafePointer<Float>, count: Int, into output: UnsafeMutableRawPointer,
                         importance: UnsafePointer<Float>?) {
        let blocks = output.assumingMemoryBound(to: UInt8.self)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 33) { buffer in
            let levels = buffer.baseAddress!, unusedCode = levels + 32
            for b in 0..<count / 32 {
                let block = blocks + 18 * b
                let d = NonLinearQuantizer.quantize(row + 32 * b, groups: 1, importance: importance.map { $0 + 32 * b },
                                                    levels: levels, groupCodes: unusedCode)
                block.store16(d, at: 0)
                LegacyQuantizer.packNibbles(levels, into: block + 2)
            }
        }
    }

    public func dequantize(_ blocks: UnsafeRawPointer, count: Int, into output: UnsafeMutablePointer<Float>) {
        let bytes = blocks.assumingMemoryBound(to: UInt8.self)
        NonLinearQuantizer.valueFloats.withUnsafeBufferPointer { table in
            for b in 0..<count / 32 {
                let block = bytes + 18 * b, qs = block + 2, y = output + 32 * b
                let d = block.loadHalf(at: 0)
                for j in 0..<16 {
                    y[j] = d * table[Int(qs[j] & 0xf)]
                    y[j + 16] = d * table[Int(qs[j] >> 4)]
                }
            }
        }
    }
}
