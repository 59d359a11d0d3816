/// Per-row working memory of the grid quantizers (IQ1, IQ2, IQ3), and the steps they all begin with.
struct LatticeScratch {
    let weights: UnsafeMutablePointer<Float>
    let rootWeights: UnsafeMutablePointer<Float>
    let xval: UnsafeMutablePointer<Float>
    /// One scale per group of the super-block (at most 16).
    let scales: UnsafeMutablePointer<Float>
    /// One grid index per sub-group (at most 8).
    let indices: UnsafeMutablePointer<UInt16>
    /// One sign mask per 8 values of a group (at most 4).
    let signs: UnsafeMutablePointer<UInt8>

    /// Runs `body` for each 256-value super-block of a row with its values, its output block (zeroed),
    /// its slice of the importance matrix and σ² = `spread`·Σx²/256, as every grid quantizer begins.
    static func forEachSuperBlock(_ row: UnsafePointer<Float>, count: Int, into output: UnsafeMutableRawPointer, blockBytes: Int,
                                  importance: UnsafePointer<Float>?, spread: Float,
                                  _ body: (LatticeScratch, UnsafePointer<Float>, UnsafeMutablePointer<UInt8>, UnsafePointer<Float>?, Float) -> Void) {
        let blocks = output.assumingMemoryBound(to: UInt8.self)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 3 * 32 + 16) { floats in
            withUnsafeTemporaryAllocation(of: UInt16.self, capacity: 8) { indices in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4) { signs in
                    let base = floats.baseAddress!
                    let scratch = LatticeScratch(weights: base, rootWeights: base + 32, xval: base + 64, scales: base + 96,
                                                 indices: indices.baseAddress!, signs: signs.baseAddress!)
                    for b in 0..<count / 256 {
                        let x = row + 256 * b, block = blocks + blockBytes * b
                        block.update(repeating: 0, count: blockBytes)
                        body(scratch, x, block, importance.map { $0 + 256 * b }, spread * QuantMath.sumOfSquares(x, count: 256) / 256)
                    }
                }
            }
        }
    }

    /// The IQ2_XXS/IQ3_XXS super-blocks: per group of 32 values a grid fit, its `indexBytes` grid indices at
    /// byte `2 + 8·ib`, and a u32 of four 7-bit sign masks (even parity) at `wordOffset + wordStride·ib`
    /// whose top 4 bits get the group's scale. A group whose largest magnitude is below `emptyBelow`, or
    /// that the search leaves empty, stays zero.
    static func quantizeSignWordBlocks(_ row: UnsafePointer<Float>, count: Int, into output: UnsafeMutableRawPointer,
                                       importance: UnsafePointer<Float>?, search: LatticeSearch, blockBytes: Int,
                                       spread: Float, emptyBelow: Float, indexBytes: Int, wordOffset: Int, wordStride: Int,
                                       fudge: Float) {
        forEachSuperBlock(row, count: count, into: output, blockBytes: blockBytes, importance: importance, spread: spread) {
            scratch, x, block, importance, sigma2 in
            var maxScale: Float = 0
            for ib in 0..<8 {
                scratch.scales[ib] = 0
                let max = scratch.prepare(x + 32 * ib, importance: importance.map { $0 + 32 * ib }, sigma2: sigma2, count: 32, evenParity: true)
                if max < emptyBelow { continue }
                guard var scale = search.fit(scratch.xval, weights: scratch.weights, rootWeights: scratch.rootWeights,
                                             count: 32, max: max, indices: scratch.indices) else { continue }
                var signs: UInt32 = 0
                for k in 0..<4 { signs |= UInt32(scratch.signs[k]) << (7 * k) }
                if scale < 0 {
                    scale = -scale
                    signs = ~signs & 0x0fff_ffff
                }
                for k in 0..<indexBytes { block[2 + 8 * ib + k] = UInt8(truncatingIfNeeded: scratch.indices[k]) }
                block.store32(signs, at: wordOffset + wordStride * ib)
                scratch.scales[ib] = scale
                maxScale = maxScale > scale ? maxScale : scale
            }
            LatticeSigns.finishWordScales(block, blockBytes: blockBytes, scales: scratch.scales, maxScale: maxScale, fudge: fudge,
                                          offset: wordOffset, stride: wordStride)
        }
    }

    /// The group's weights, `qw·√(σ² + x²)` with an importance matrix, else `floor + x²`, and their roots.
    @inline(__always)
    func weigh(_ x: UnsafePointer<Float>, importance: UnsafePointer<Float>?, sigma2: Float, count: Int, floor: Float = 0) {
        if let importance {
            QuantMath.importanceWeights(importance, x, count: count, sigma2: sigma2, into: weights)
        } else if floor == 0 {
            for i in 0..<count { weights[i] = x[i] * x[i] }
        } else {
            for i in 0..<count { weights[i] = floor + x[i] * x[i] }
        }
        for i in 0..<count { rootWeights[i] = weights[i].squareRoot() }
    }

    /// Weighs a group of the IQ2/IQ3 quantizers and splits it into magnitudes (`xval`) and one sign mask
    /// per 8 values (`signs`); returns the largest magnitude.
    @inline(__always)
    func prepare(_ x: UnsafePointer<Float>, importance: UnsafePointer<Float>?, sigma2: Float, count: Int, floor: Float = 0,
                 evenParity: Bool) -> Float {
        weigh(x, importance: importance, sigma2: sigma2, count: count, floor: floor)
        for k in 0..<count / 8 {
            signs[k] = LatticeSigns.split(x + 8 * k, weights: weights + 8 * k, evenParity: evenParity, into: xval + 8 * k)
        }
        return LatticeSigns.largest(xval, count: count)
    }
}
