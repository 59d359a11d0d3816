import KilnCore

extension Kernels {
    /// Q4_1 and Q5_1 rows against Q8_1 activations: the decoded product counted each block's minimum
    /// m times the sum of the block's rounded activations; llama.cpp counts m·s, s the block's F16 sum
    /// (``ActivationRounding/q8_1BlockSumCorrections``). Adds Σ m·(s − Σx) for every row and token.
    @_optimize(speed)
    static func addMinimumTimesBlockSums(_ w: WeightMatrix, _ corrections: UnsafePointer<Float>, tokens: Int,
                                         into out: UnsafeMutablePointer<Float>, threads: Int) {
        let rows = w.rows, blocks = w.columns / 32, blockBytes = w.rowBytes / max(blocks, 1)
        nonisolated(unsafe) let out = out, corrections = corrections
        parallelChunks(rows, threads: threads, minimumChunk: 16) { range in
            for r in range {
                // Q4_1 and Q5_1 blocks both begin with the F16 scale d and the F16 minimum m.
                let row = w.base + r &* w.rowBytes + 2
                for t in 0..<tokens {
                    let c = corrections + t &* blocks
                    var sum: Float = 0
                    for b in 0..<blocks {
                        sum += Float(Float16(bitPattern: row.loadUnaligned(fromByteOffset: b &* blockBytes, as: UInt16.self))) * c[b]
                    }
                    out[t &* rows &+ r] += sum
                }
            }
        }
    }
}
