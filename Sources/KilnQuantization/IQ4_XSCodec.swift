import KilnGGUF

/// IQ4_XS: 256 values in 136 bytes (4.25 bits each): `d` (fp16), the top two bits of eight 6-bit group
/// scales (u16 `scales_h`), their low nibbles (`scales_l[4]`), then IQ4_NL-style indices per group.
public struct IQ4_XSCodec: BlockCodec {
    public var type: GGMLType { .iq4_xs }

    public init() {}

    public func quantize(_ row: UnsafePointer<Float>, count: Int, into output: UnsafeMutableRawPointer,
                         importance: UnsafePointer<Float>?) {
        let blocks = output.assumingMemoryBound(to: UInt8.self)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256 + 8) { buffer in
            let levels = buffer.baseAddress!, codes = levels + 256
            for b in 0..<count / 256 {
                let block = blocks + 136 * b
                let d = NonLinearQuantizer.quantize(row + 256 * b, groups: 8, importance: importance.map { $0 + 256 * b },
                                                    levels: levels, groupCodes: codes)
                block.store16(d, at: 0)
                var high: UInt16 = 0
                for ib in 0..<8 {
                    high |= UInt16(codes[ib] >> 4) << (2 * ib)
                    block[4 + ib / 2] = ib % 2 == 0 ? codes[ib] & 0xf : block[4 + ib / 2] | ((codes[ib] & 0xf) << 4)
                }
                block.store16(high, at: 2)
                for ib in 0..<8 { LegacyQuantizer.packNibbles(levels + 32 * ib, into: block + 8 + 16 * ib) }
            }
        }
    }

    public func dequantize(_ blocks: UnsafeRawPointer, count: Int, into output: UnsafeMutablePointer<Float>) {
        let bytes = blocks.assumingMemoryBound(to: UInt8.self)
        NonLinearQuantizer.valueFloats.withUnsafeBufferPointer { table in
            for b in 0..<count / 256 {
                let block = bytes + 136 * b
                let d = block.loadHalf(at: 0)
                let high = UInt16(littleEndian: UnsafeRawPointer(block + 2).loadUnaligned(as: UInt16.self))
                for ib in 0..<8 {
                    let code = Int32((block[4 + ib / 2] >> (4 * (ib % 2))) & 0xf) | Int32((high >> (2 * ib)) & 3) << 4
                    let dl = d * Float(code - 32)
                    let qs = block + 8 + 16 * ib, y = output + 256 * b + 32 * ib
                    for j in 0..<16 {
                        y[j] = dl * table[Int(qs[j] & 0xf)]
                        y[j + 16] = dl * table[Int(qs[j] >> 4)]
                    }
                }
            }
        }
    }
}
