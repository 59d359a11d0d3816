import KilnGGUF

/// IQ1_S: 256 values in 50 bytes (1.5625 bits each): `d` (fp16), the low 8 bits of one 2048-point grid
/// index per 8 values (`qs[32]`), then per 32 values a u16: four 3-bit index tops, a 3-bit scale and the
/// sign of the ±δ shift. llama.cpp quantizes it only with an importance matrix.
public struct IQ1_SCodec: BlockCodec {
    public var type: GGMLType { .iq1_s }
    public var requiresImportance: Bool { true }

    public init() {}

    /// `quantize_row_iq1_s_impl`. Without an importance matrix (which llama.cpp refuses, and Kiln's
    /// planner refuses before calling) the weights are x², as for IQ1_M.
    public func quantize(_ row: UnsafePointer<Float>, count: Int, into output: UnsafeMutableRawPointer,
                         importance: UnsafePointer<Float>?) {
        let up = TernaryGridSearch.up, down = TernaryGridSearch.down
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 32) { orderBuffer in
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 66) { sumBuffer in
        withUnsafeTemporaryAllocation(of: Int8.self, capacity: 32 + 8) { levelBuffer in
            let order = orderBuffer.baseAddress!, sumx = sumBuffer.baseAddress!, sumw = sumx + 33
            let levels = levelBuffer.baseAddress!, shifts = levels + 32
            LatticeScratch.forEachSuperBlock(row, count: count, into: output, blockBytes: 50, importance: importance, spread: 2) {
                scratch, x, block, importance, sigma2 in
                var maxScale: Float = 0
                for ib in 0..<8 {
                    let xb = x + 32 * ib
                    scratch.weigh(xb, importance: importance.map { $0 + 32 * ib }, sigma2: sigma2, count: 32)
                    let weights = scratch.weights
                    scratch.scales[ib] = 0
                    shifts[ib] = 1
                    let max = TernaryGridSearch.largestMagnitude(xb, count: 32)
                    if max < 1e-12 { continue }
                    TernaryGridSearch.sortedOrder(xb, count: 32, into: order)
                    sumx[0] = 0
                    sumw[0] = 0
                    for j in 0..<32 {
                        let i = order[j]
                        sumx[j + 1] = sumx[j] + weights[i] * xb[i]
                        sumw[j + 1] = sumw[j] + weights[i]
                    }
                    var bestScore = -Float.greatestFiniteMagnitude, scale = max
                    var first = -1, second = -1, shift: Int8 = 0
                    func consider(_ v: (Float, Float, Float), _ candidate: Int8, _ i1: Int, _ i2: Int) {
                        let sumqx = (sumx[i1] - sumx[0]) * v.0 + (sumx[i2] - sumx[i1]) * v.1 + (sumx[32] - sumx[i2]) * v.2
                        let sumq2 = (sumw[i1] - sumw[0]) * v.0 * v.0 + (sumw[i2] - sumw[i1]) * v.1 * v.1
                            + (sumw[32] - sumw[i2]) * v.2 * v.2
                        if sumq2 > 0 && sumqx * sumqx > bestScore * sumq2 {
                            scale = sumqx / sumq2
                            bestScore = scale * sumqx
                            first = i1
                            second = i2
                            shift = candidate
                        }
                    }
                    for i1 in 0...32 {
                        for i2 in i1...32 {
                            consider(up, 1, i1, i2)
                            consider(down, -1, i1, i2)
                        }
                    }
                    if first < 0 || second < 0 || shift == 0 { continue }
                    TernaryGridSearch.assign(order: order, count: 32, first: first, second: second, levels: levels)
                    if scale < 0 {
                        for j in 0..<32 { levels[j] = 2 - levels[j] }
                        scale = -scale
                        shift = -shift
                    }
                    let values = shift == 1 ? up : down
                    let onGrid = TernaryGridSearch.snap(xb, weights: weights, pieces: 4, scale: scale, shifts: { _ in values },
                                                        levels: levels, indices: scratch.indices)
                    if !onGrid {
                        var sums: (Float, Float) = (0, 0)
                        TernaryGridSearch.fitSums(xb, weights: weights, pieces: 4, indices: { Int(scratch.indices[$0]) },
                                                  shifts: { _ in values }, into: &sums)
                        if sums.0 > 0 && sums.1 > 0 { scale = sums.0 / sums.1 }
                    }
                    var high: UInt16 = 0
                    for k in 0..<4 {
                        block[2 + 4 * ib + k] = UInt8(truncatingIfNeeded: scratch.indices[k])
                        high |= (scratch.indices[k] >> 8) << (3 * k)
                    }
                    block.store16(high, at: 34 + 2 * ib)
                    scratch.scales[ib] = scale
                    shifts[ib] = shift
                    maxScale = maxScale > scale ? maxScale : scale
                }
                if maxScale == 0 { return }
                let d = maxScale / 15
                block.store16(QuantMath.half(d * 1.125), at: 0)
                let id = 1 / d
                for ib in 0..<8 {
                    var l = UInt16(LatticeSigns.scaleCode(scratch.scales[ib], id: id, top: 7))
                    if shifts[ib] == -1 { l |= 8 }
                    block.store16(UnsafePointer(block).load16(at: 34 + 2 * ib) | l << 12, at: 34 + 2 * ib)
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
                let block = bytes + 50 * b
                let d = block.loadHalf(at: 0)
                for ib in 0..<8 {
                    let high = block.load16(at: 34 + 2 * ib)
                    let dl = d * Float(2 * Int32((high >> 12) & 7) + 1)
                    let delta = high & 0x8000 != 0 ? -TernaryGridSearch.delta : TernaryGridSearch.delta
                    for l in 0..<4 {
                        let point = Int(block[2 + 4 * ib + l]) | Int((high >> (3 * l)) & 7) << 8
                        let y = output + 256 * b + 32 * ib + 8 * l
                        for j in 0..<8 { y[j] = dl * (Float(grid[8 * point + j]) + delta) }
                    }
                }
            }
        }
    }
}
