import KilnGGUF

/// IQ1_M: 256 values in 56 bytes (1.75 bits each): the low 8 bits of one 2048-point grid index per 8
/// values (`qs[32]`), per 8 values 3 index-top bits and a ±δ shift bit (`qh[16]`), then four u16 holding
/// sixteen 3-bit group scales and, in their top nibbles, the fp16 super-block scale.
public struct IQ1_MCodec: BlockCodec {
    public var type: GGMLType { .iq1_m }
    /// Which pieces of a 16-value group shift up: bit 1 set shifts the first piece down, bit 0 the second.
    private static let shiftMasks: [UInt8] = [0x00, 0x80, 0x08, 0x88]

    public init() {}

    /// The level values of piece `k` (0 or 1) of a group with shift pattern `pattern` (0…3).
    @inline(__always)
    private static func values(_ pattern: Int, piece k: Int) -> (Float, Float, Float) {
        (k == 0 ? pattern < 2 : pattern % 2 == 0) ? TernaryGridSearch.up : TernaryGridSearch.down
    }

    /// `quantize_row_iq1_m_impl`.
    public func quantize(_ row: UnsafePointer<Float>, count: Int, into output: UnsafeMutableRawPointer,
                         importance: UnsafePointer<Float>?) {
        let up = TernaryGridSearch.up, down = TernaryGridSearch.down
        let cp1 = up.0 * up.0 - up.1 * up.1, cp2 = up.1 * up.1 - up.2 * up.2
        let cm1 = down.0 * down.0 - down.1 * down.1, cm2 = down.1 * down.1 - down.2 * down.2
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 16 + 16) { intBuffer in
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 4 * 17) { sumBuffer in
        withUnsafeTemporaryAllocation(of: Int8.self, capacity: 16) { levels in
            let order = intBuffer.baseAddress!, patterns = order + 16
            let px = (sumBuffer.baseAddress!, sumBuffer.baseAddress! + 17)
            let pw = (sumBuffer.baseAddress! + 34, sumBuffer.baseAddress! + 51)
            let levels = levels.baseAddress!
            LatticeScratch.forEachSuperBlock(row, count: count, into: output, blockBytes: 56, importance: importance, spread: 2) {
                scratch, x, block, importance, sigma2 in
                var maxScale: Float = 0
                for ib in 0..<16 {
                    let xb = x + 16 * ib
                    scratch.weigh(xb, importance: importance.map { $0 + 16 * ib }, sigma2: sigma2, count: 16)
                    let weights = scratch.weights
                    scratch.scales[ib] = 0
                    patterns[ib] = 0
                    let max = TernaryGridSearch.largestMagnitude(xb, count: 16)
                    if max < 1e-7 { continue }
                    TernaryGridSearch.sortedOrder(xb, count: 16, into: order)
                    // Prefix sums per half: each 8-value piece may shift its own way.
                    px.0[0] = 0; px.1[0] = 0; pw.0[0] = 0; pw.1[0] = 0
                    for j in 0..<16 {
                        let i = order[j]
                        let wx = weights[i] * xb[i], w = weights[i]
                        if i < 8 {
                            px.0[j + 1] = px.0[j] + wx; px.1[j + 1] = px.1[j]
                            pw.0[j + 1] = pw.0[j] + w; pw.1[j + 1] = pw.1[j]
                        } else {
                            px.1[j + 1] = px.1[j] + wx; px.0[j + 1] = px.0[j]
                            pw.1[j + 1] = pw.1[j] + w; pw.0[j + 1] = pw.0[j]
                        }
                    }
                    let txs = (px.0[16], px.1[16]), tws = (pw.0[16], pw.1[16])
                    var bestScore = -Float.greatestFiniteMagnitude, scale = max
                    var first = -1, second = -1, pattern = -1
                    for i1 in 0...16 {
                        for i2 in i1...16 {
                            let sx = (px.0[i1] + px.0[i2], px.1[i1] + px.1[i2])
                            let qxUp = (txs.0 * up.2 - sx.0, txs.1 * up.2 - sx.1)
                            let qxDown = (txs.0 * down.2 - sx.0, txs.1 * down.2 - sx.1)
                            let q2Up = (tws.0 * up.2 * up.2 + pw.0[i1] * cp1 + pw.0[i2] * cp2,
                                        tws.1 * up.2 * up.2 + pw.1[i1] * cp1 + pw.1[i2] * cp2)
                            let q2Down = (tws.0 * down.2 * down.2 + pw.0[i1] * cm1 + pw.0[i2] * cm2,
                                          tws.1 * down.2 * down.2 + pw.1[i1] * cm1 + pw.1[i2] * cm2)
                            let sumqx = (qxUp.0 + qxUp.1, qxUp.0 + qxDown.1, qxDown.0 + qxUp.1, qxDown.0 + qxDown.1)
                            let sumq2 = (q2Up.0 + q2Up.1, q2Up.0 + q2Down.1, q2Down.0 + q2Up.1, q2Down.0 + q2Down.1)
                            func consider(_ qx: Float, _ q2: Float, _ k: Int) {
                                if q2 > 0 && qx * qx > bestScore * q2 {
                                    scale = qx / q2
                                    bestScore = scale * qx
                                    first = i1
                                    second = i2
                                    pattern = k
                                }
                            }
                            consider(sumqx.0, sumq2.0, 0)
                            consider(sumqx.1, sumq2.1, 1)
                            consider(sumqx.2, sumq2.2, 2)
                            consider(sumqx.3, sumq2.3, 3)
                        }
                    }
                    if first < 0 || second < 0 || pattern < 0 { continue }
                    TernaryGridSearch.assign(order: order, count: 16, first: first, second: second, levels: levels)
                    if scale < 0 {
                        for j in 0..<16 { levels[j] = 2 - levels[j] }
                        scale = -scale
                        pattern = 3 - pattern
                    }
                    let chosen = pattern
                    let onGrid = TernaryGridSearch.snap(xb, weights: weights, pieces: 2, scale: scale,
                                                        shifts: { Self.values(chosen, piece: $0) },
                                                        levels: levels, indices: scratch.indices)
                    if !onGrid {
                        var sums: (Float, Float) = (0, 0)
                        TernaryGridSearch.fitSums(xb, weights: weights, pieces: 2, indices: { Int(scratch.indices[$0]) },
                                                  shifts: { Self.values(chosen, piece: $0) }, into: &sums)
                        if sums.0 > 0 && sums.1 > 0 { scale = sums.0 / sums.1 }
                    }
                    block[2 * ib] = UInt8(truncatingIfNeeded: scratch.indices[0])
                    block[2 * ib + 1] = UInt8(truncatingIfNeeded: scratch.indices[1])
                    block[32 + ib] = UInt8(scratch.indices[0] >> 8) | UInt8(scratch.indices[1] >> 8) << 4
                    scratch.scales[ib] = scale
                    patterns[ib] = pattern
                    maxScale = maxScale > scale ? maxScale : scale
                }
                if maxScale == 0 { return }
                // The group scales are 3-bit multiples of d; d itself is then refitted to the
                // stored points and scales over the whole super-block.
                var d = maxScale / 15
                let id = 1 / d
                var sums: (Float, Float) = (0, 0)
                for ib in 0..<16 {
                    let l = LatticeSigns.scaleCode(scratch.scales[ib], id: id, top: 7)
                    let at = 48 + 2 * (ib / 4)
                    block.store16(UnsafePointer(block).load16(at: at) | UInt16(l) << (3 * (ib % 4)), at: at)
                    block[32 + ib] |= Self.shiftMasks[patterns[ib]]
                    let xb = x + 16 * ib
                    scratch.weigh(xb, importance: importance.map { $0 + 16 * ib }, sigma2: sigma2, count: 16)
                    let high = Int(block[32 + ib]), pattern = patterns[ib]
                    TernaryGridSearch.fitSums(xb, weights: scratch.weights, pieces: 2,
                                              indices: { Int(block[2 * ib + $0]) + ((high << (8 - 4 * $0)) & 0x700) },
                                              shifts: { Self.values(pattern, piece: $0) }, multiplier: Float(2 * l + 1),
                                              into: &sums)
                }
                if sums.1 > 0 { d = sums.0 / sums.1 }
                let s = QuantMath.half(d * 1.1125)
                for k in 0..<4 {
                    let at = 48 + 2 * k
                    block.store16(UnsafePointer(block).load16(at: at) | ((s >> (4 * k)) & 0xf) << 12, at: at)
                }
            }
        }
        }
        }
    }

    public func dequantize(_ blocks: UnsafeRawPointer, count: Int, into output: UnsafeMutablePointer<Float>) {
        let bytes = blocks.assumingMemoryBound(to: UInt8.self)
        IQGrid.iq1s.values.withUnsafeBufferPointer { grid in
            for b in 0..<count / 256 {
                let block = bytes + 56 * b
                let sc = (block.load16(at: 48), block.load16(at: 50), block.load16(at: 52), block.load16(at: 54))
                let bits = (sc.0 >> 12) | ((sc.1 >> 8) & 0x00f0) | ((sc.2 >> 4) & 0x0f00) | (sc.3 & 0xf000)
                let d = QuantMath.float(half: bits)
                for ib in 0..<8 {
                    let word = block.load16(at: 48 + 2 * (ib / 2))
                    let dl = (d * Float(2 * Int32((word >> (6 * (ib % 2))) & 7) + 1),
                              d * Float(2 * Int32((word >> (6 * (ib % 2) + 3)) & 7) + 1))
                    for l in 0..<4 {
                        let h = Int(block[32 + 2 * ib + l / 2]) >> (4 * (l % 2))
                        let point = Int(block[4 * ib + l]) | (h & 7) << 8
                        let delta = h & 8 != 0 ? -TernaryGridSearch.delta : TernaryGridSearch.delta
                        let scale = l < 2 ? dl.0 : dl.1
                        let y = output + 256 * b + 32 * ib + 8 * l
                        for j in 0..<8 { y[j] = scale * (Float(grid[8 * point + j]) + delta) }
                    }
                }
            }
        }
    }
}
