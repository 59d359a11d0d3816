import KilnGGUF

/// Q4_K: 256 values in 144 bytes (4.5 bits each): `d, dmin` fp16, 12 bytes of 6-bit group scales and
/// offsets, then 4-bit levels, two 32-value groups interleaved per 32 bytes.
public struct Q4_KCodec: SuperBlockCodec {
    public var type: GGMLType { .q4_K }
    static let configuration = ScaleMinSuperBlock.Configuration(
        nmax: 15, reference: .init(rmin: -1, rdelta: 0.1, steps: 20, useMAD: false), clampsImportanceCodes: false)

    public init() {}

    public func quantize(_ row: UnsafePointer<Float>, count: Int, into output: UnsafeMutableRawPointer,
                         importance: UnsafePointer<Float>?) {
        ScaleMinSuperBlock.quantizeRow(row, count: count, into: output, importance: importance, Self.configuration,
                                       blockBytes: 144, pack: Self.pack)
    }

    var shape: SuperBlockShape { SuperBlockShape(blockBytes: 144, groups: 8, levels: 0...15, scaleCodes: 0...63, minCodes: 0...63) }

    func parameters(of block: UnsafePointer<UInt8>) -> SuperBlockParameters { ScaleMinSuperBlock.parameters(of: block) }

    func write(_ p: SuperBlockParameters, nearest x: UnsafePointer<Float>, into block: UnsafeMutablePointer<UInt8>) {
        ScaleMinSuperBlock.write(p, nearest: x, nmax: Self.configuration.nmax, into: block, pack: Self.pack)
    }

    /// Two 32-value groups' levels interleaved as nibbles per 32 bytes.
    private static func pack(_ levels: UnsafePointer<UInt8>, into block: UnsafeMutablePointer<UInt8>) {
        let qs = block + 16
        for c in 0..<4 {
            for l in 0..<32 { qs[32 * c + l] = levels[64 * c + l] | (levels[64 * c + 32 + l] << 4) }
        }
    }

    public func dequantize(_ blocks: UnsafeRawPointer, count: Int, into output: UnsafeMutablePointer<Float>) {
        let bytes = blocks.assumingMemoryBound(to: UInt8.self)
        for b in 0..<count / 256 {
            let block = bytes + 144 * b, qs = block + 16, y = output + 256 * b
            let d = block.loadHalf(at: 0), dmin = block.loadHalf(at: 2)
            for c in 0..<4 {
                let (sc1, m1) = ScaleMinSuperBlock.unpack(2 * c, block + 4)
                let (sc2, m2) = ScaleMinSuperBlock.unpack(2 * c + 1, block + 4)
                let d1 = d * Float(sc1), o1 = dmin * Float(m1), d2 = d * Float(sc2), o2 = dmin * Float(m2)
                for l in 0..<32 {
                    y[64 * c + l] = d1 * Float(qs[32 * c + l] & 0xf) - o1
                    y[64 * c + 32 + l] = d2 * Float(qs[32 * c + l] >> 4) - o2
                }
            }
        }
    }
}
