import KilnGGUF

/// Q5_K: 256 values in 176 bytes (5.5 bits each): the Q4_K header, 32 bytes of fifth bits (bit pair
/// 2c, 2c+1 of byte l for groups 2c, 2c+1), then the low nibbles laid out as in Q4_K.
public struct Q5_KCodec: SuperBlockCodec {
    public var type: GGMLType { .q5_K }
    static let configuration = ScaleMinSuperBlock.Configuration(
        nmax: 31, reference: .init(rmin: -0.5, rdelta: 0.1, steps: 15, useMAD: false), clampsImportanceCodes: true)

    public init() {}

    public func quantize(_ row: UnsafePointer<Float>, count: Int, into output: UnsafeMutableRawPointer,
                         importance: UnsafePointer<Float>?) {
        ScaleMinSuperBlock.quantizeRow(row, count: count, into: output, importance: importance, Self.configuration,
                                       blockBytes: 176, pack: Self.pack)
    }

    var shape: SuperBlockShape { SuperBlockShape(blockBytes: 176, groups: 8, levels: 0...31, scaleCodes: 0...63, minCodes: 0...63) }

    func parameters(of block: UnsafePointer<UInt8>) -> SuperBlockParameters { ScaleMinSuperBlock.parameters(of: block) }

    func write(_ p: SuperBlockParameters, nearest x: UnsafePointer<Float>, into block: UnsafeMutablePointer<UInt8>) {
        ScaleMinSuperBlock.write(p, nearest: x, nmax: Self.configuration.nmax, into: block, pack: Self.pack)
    }

    /// Fifth bits into `qh`, low nibbles laid out as in Q4_K.
    private static func pack(_ levels: UnsafePointer<UInt8>, into block: UnsafeMutablePointer<UInt8>) {
        let qh = block + 16, qs = block + 48
        qh.update(repeating: 0, count: 32)
        for c in 0..<4 {
            let lowBit = UInt8(1) << (2 * c), highBit = UInt8(2) << (2 * c)
            for l in 0..<32 {
                var l1 = levels[64 * c + l], l2 = levels[64 * c + 32 + l]
                if l1 > 15 { l1 -= 16; qh[l] |= lowBit }
                if l2 > 15 { l2 -= 16; qh[l] |= highBit }
                qs[32 * c + l] = l1 | (l2 << 4)
            }
        }
    }

    public func dequantize(_ blocks: UnsafeRawPointer, count: Int, into output: UnsafeMutablePointer<Float>) {
        let bytes = blocks.assumingMemoryBound(to: UInt8.self)
        for b in 0..<count / 256 {
            let block = bytes + 176 * b, qh = block + 16, qs = block + 48, y = output + 256 * b
            let d = block.loadHalf(at: 0), dmin = block.loadHalf(at: 2)
            for c in 0..<4 {
                let (sc1, m1) = ScaleMinSuperBlock.unpack(2 * c, block + 4)
                let (sc2, m2) = ScaleMinSuperBlock.unpack(2 * c + 1, block + 4)
                let d1 = d * Float(sc1), o1 = dmin * Float(m1), d2 = d * Float(sc2), o2 = dmin * Float(m2)
                let lowBit = UInt8(1) << (2 * c), highBit = UInt8(2) << (2 * c)
                for l in 0..<32 {
                    let q1 = (qs[32 * c + l] & 0xf) + (qh[l] & lowBit != 0 ? 16 : 0)
                    let q2 = (qs[32 * c + l] >> 4) + (qh[l] & highBit != 0 ? 16 : 0)
                    y[64 * c + l] = d1 * Float(q1) - o1
                    y[64 * c + 32 + l] = d2 * Float(q2) - o2
                }
            }
        }
    }
}
