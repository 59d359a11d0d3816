/// Per-row working memory of the grid quantizers (IQ1, IQ2, IQ3): one 32-value group at a time.
struct LatticeScratch {
    let weights: UnsafeMutablePointer<Float>
    let rootWeights: UnsafeMutablePointer<Float>
    let xval: UnsafeMutablePointer<Float>
    /// One scale per group of the super-block (at most 16).
    let scales: UnsafeMutablePointer<Float>
    /// One grid index per sub-group (at most 8).
    let indices: UnsafeMutablePointer<UInt16>

    /// Runs `body` with scratch space for groups of up to 32 values.
    static func with<R>(_ body: (LatticeScratch) -> R) -> R {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 3 * 32 + 16) { floats in
            withUnsafeTemporaryAllocation(of: UInt16.self, capacity: 8) { indices in
                let base = floats.baseAddress!
                return body(LatticeScratch(weights: base, rootWeights: base + 32, xval: base + 64, scales: base + 96,
                                           indices: indices.baseAddress!))
            }
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
}
