/// The group search the IQ2 and IQ3 quantizers share (`quantize_row_iq2_xxs_impl`, `_iq2_xs_`, `_iq2_s_`,
/// `_iq3_xxs_`, `_iq3_s_`): a group of magnitudes is snapped to grid points under a sweep of trial
/// scales, the best weighted fit kept, then refined once at that fit's own scale.
///
/// The five C functions differ only in the parameters below; each codec names its own.
struct LatticeSearch: Sendable {
    enum Start: Sendable {
        /// The sweep is centred on `max / (2·kMaxQ − 1)`.
        case largest
        /// `make_qp_quants` gives the first fit and the sweep is centred on its top level (IQ2_XXS).
        case qpQuants
    }

    enum Refinement: Sendable {
        /// Every sub-group is re-snapped at the best scale (IQ2_XXS).
        case always
        /// Only sub-groups whose best trial was off the grid, when there are any (IQ2_XS, IQ2_S, IQ3_XXS).
        case offGridOnly
        /// Every sub-group, when any best-trial sub-group was off the grid (IQ3_S).
        case allWhenOffGrid
    }

    let grid: IQGrid
    /// `kMaxQ`: levels run 0 ..< kMaxQ.
    let levelCount: Int32
    let trials: ClosedRange<Int>
    let step: Float
    let start: Start
    let refinement: Refinement
    /// Whether a sub-group counts as on the grid before any trial fits (false only in IQ3_S).
    let startsOnGrid: Bool

    /// Fits `count` non-negative values (`xval`, weighted by `weights`; `rootWeights` = √weights for the
    /// neighbour distances) whose largest is `max`. Writes one grid index per sub-group to `indices`
    /// and returns the scale (negative only in degenerate cases the caller flips), or nil for a group
    /// the quantizer leaves empty (IQ2_XXS when the first fit has no positive scale).
    func fit(_ xval: UnsafePointer<Float>, weights: UnsafePointer<Float>, rootWeights: UnsafePointer<Float>,
             count: Int, max: Float, indices: UnsafeMutablePointer<UInt16>) -> Float? {
        let dimension = grid.coordinates, groups = count / dimension
        return withUnsafeTemporaryAllocation(of: Int8.self, capacity: 2 * count) { levelBuffer in
            withUnsafeTemporaryAllocation(of: Bool.self, capacity: 2 * groups) { gridBuffer in
                let levels = levelBuffer.baseAddress!, trial = levels + count
                let onGrid = gridBuffer.baseAddress!, trialOnGrid = onGrid + groups
                levels.update(repeating: 0, count: count)
                onGrid.update(repeating: startsOnGrid, count: groups)
                let top = Float(2 * levelCount - 1)
                var scale: Float, centre: Float
                switch start {
                case .largest:
                    scale = max / top
                    centre = max
                case .qpQuants:
                    let qp = UnsafeMutableRawPointer(levels).assumingMemoryBound(to: UInt8.self)
                    scale = ScaleSearch.positiveScale(count: count, nmax: levelCount + 1, xval, levels: qp, weights: weights)
                    centre = scale * Float(levelCount)
                    if centre <= 0 { return nil }
                }
                var best: Float = 0
                for shift in trials {
                    let id = (top + Float(shift) * step) / centre
                    let trialScale = 1 / id
                    for k in 0..<groups {
                        let offset = dimension * k
                        snap(xval + offset, id: id, into: trial + offset)
                        trialOnGrid[k] = true
                        let entry = grid.map[grid.pack(trial + offset)]
                        if entry < 0 {
                            trialOnGrid[k] = false
                            nearest(entry, xval + offset, rootWeights + offset, scale: trialScale, levels: trial + offset)
                        }
                    }
                    let (sumqx, sumq2) = fitSums(xval, weights: weights, levels: trial, count: count)
                    if sumq2 > 0 && sumqx * sumqx > best * sumq2 {
                        scale = sumqx / sumq2
                        best = scale * sumqx
                        levels.update(from: trial, count: count)
                        onGrid.update(from: trialOnGrid, count: groups)
                    }
                }
                var anyOffGrid = false
                for k in 0..<groups where !onGrid[k] { anyOffGrid = true }
                if scale > 0 && (refinement == .always || anyOffGrid) {
                    let id = 1 / scale
                    for k in 0..<groups where refinement != .offGridOnly || !onGrid[k] {
                        let offset = dimension * k
                        snap(xval + offset, id: id, into: levels + offset)
                        let entry = grid.map[grid.pack(levels + offset)]
                        if entry < 0 { nearest(entry, xval + offset, rootWeights + offset, scale: scale, levels: levels + offset) }
                    }
                    let (sumqx, sumq2) = fitSums(xval, weights: weights, levels: levels, count: count)
                    if sumq2 > 0 { scale = sumqx / sumq2 }
                }
                for k in 0..<groups {
                    let pattern = grid.pack(levels + dimension * k)
                    // llama.cpp aborts on a point off the grid; only a first fit left in place by
                    // non-finite weights can get here, and it becomes point 0.
                    let entry = pattern < grid.map.count ? grid.map[pattern] : -1
                    indices[k] = entry >= 0 ? UInt16(entry) : 0
                }
                return scale
            }
        }
    }

    /// `l = nearest_int(0.5·(id·x − 1))` clamped to the level range.
    @inline(__always)
    private func snap(_ x: UnsafePointer<Float>, id: Float, into levels: UnsafeMutablePointer<Int8>) {
        for i in 0..<grid.coordinates {
            let l = QuantMath.nearestInt(0.5 * (id * x[i] - 1))
            levels[i] = Int8(QuantMath.clamp(l, 0, levelCount - 1))
        }
    }

    /// `iq2_find_best_neighbour` / `iq3_find_best_neighbour`: the listed point nearest to `x/scale`
    /// by weighted squared distance (the first on ties); its levels replace `levels`.
    private func nearest(_ entry: Int32, _ x: UnsafePointer<Float>, _ weights: UnsafePointer<Float>, scale: Float,
                         levels: UnsafeMutablePointer<Int8>) {
        let dimension = grid.coordinates
        grid.neighbours.withUnsafeBufferPointer { neighbours in
            grid.points.withUnsafeBufferPointer { points in
                let list = Int(-entry - 1)
                let count = Int(neighbours[list])
                var bestDistance = Float.greatestFiniteMagnitude
                var chosen = Int(neighbours[list + 1])
                for j in 1...count {
                    let index = Int(neighbours[list + j])
                    var d2: Float = 0
                    for i in 0..<dimension {
                        let diff = scale * Float(points[dimension * index + i]) - x[i]
                        d2 += weights[i] * diff * diff
                    }
                    if d2 < bestDistance {
                        bestDistance = d2
                        chosen = index
                    }
                }
                for i in 0..<dimension { levels[i] = (points[dimension * chosen + i] - 1) / 2 }
            }
        }
    }

    /// Σ w·x·q and Σ w·q² with q = 2l + 1, in index order.
    @inline(__always)
    private func fitSums(_ xval: UnsafePointer<Float>, weights: UnsafePointer<Float>, levels: UnsafePointer<Int8>,
                         count: Int) -> (Float, Float) {
        var sumqx: Float = 0, sumq2: Float = 0
        for i in 0..<count {
            let w = weights[i], q = Float(2 * Int32(levels[i]) + 1)
            sumqx += w * xval[i] * q
            sumq2 += w * q * q
        }
        return (sumqx, sumq2)
    }
}

/// The sign handling the IQ2/IQ3 quantizers share: magnitudes go to the grid search, signs are stored
/// per 8 values.
enum LatticeSigns {
    /// Splits 8 values into magnitudes and a sign mask. With `evenParity` (IQ2_XXS, IQ2_XS, IQ3_XXS,
    /// whose 7 stored bits imply the 8th) an odd number of negatives gets the sign of the value of least
    /// weighted square flipped back, its magnitude negated; the mask is then returned with 7 bits.
    @inline(__always)
    static func split(_ x: UnsafePointer<Float>, weights: UnsafePointer<Float>, evenParity: Bool,
                      into xval: UnsafeMutablePointer<Float>) -> UInt8 {
        var signs: UInt8 = 0, flips = 0
        for i in 0..<8 {
            if x[i] >= 0 {
                xval[i] = x[i]
            } else {
                xval[i] = -x[i]
                flips += 1
                signs |= 1 << i
            }
        }
        guard evenParity else { return signs }
        if flips % 2 == 1 {
            var smallest = 0
            var least = weights[0] * x[0] * x[0]
            for i in 1..<8 {
                let ax = weights[i] * x[i] * x[i]
                if ax < least {
                    least = ax
                    smallest = i
                }
            }
            xval[smallest] = -xval[smallest]
            signs ^= 1 << smallest
        }
        return signs & 127
    }

    /// C's `MAX` fold over `count` values: NaN propagates as in ggml's loops.
    @inline(__always)
    static func largest(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var max = x[0]
        for i in 1..<count { max = max > x[i] ? max : x[i] }
        return max
    }

    /// One 8-value grid point times `scale`, negated where `signs` has a bit (`kmask_iq2xs`).
    @inline(__always)
    static func expandPoint(_ grid: UnsafeBufferPointer<Int8>, point: Int, scale: Float, signs: UInt8,
                            into y: UnsafeMutablePointer<Float>) {
        for j in 0..<8 {
            let v = scale * Float(grid[8 * point + j])
            y[j] = signs & (1 << j) != 0 ? -v : v
        }
    }

    /// A group's scale as a multiple of the super-block's `d` (`id` = 1/d): `nearest_int(0.5·(id·scale − 1))`
    /// in 0…`top`, stored as 2l + 1.
    @inline(__always)
    static func scaleCode(_ scale: Float, id: Float, top: Int32) -> Int32 {
        QuantMath.clamp(QuantMath.nearestInt(0.5 * (id * scale - 1)), 0, top)
    }

    /// The 4-bit group scales of IQ2_XS/IQ2_S, two per byte.
    static func storeScales(_ scales: UnsafePointer<Float>, count: Int, id: Float, into bytes: UnsafeMutablePointer<UInt8>) {
        for ib in 0..<count {
            let l = UInt8(scaleCode(scales[ib], id: id, top: 15))
            bytes[ib / 2] = ib % 2 == 0 ? l : bytes[ib / 2] | l << 4
        }
    }

    /// IQ2_XXS/IQ3_XXS: `d` = max/31 (times `fudge`) as fp16 at 0, each group's 4-bit scale in the top
    /// of its u32 at `offset + stride·ib`. A super-block with no scale stays all zero.
    static func finishWordScales(_ block: UnsafeMutablePointer<UInt8>, blockBytes: Int, scales: UnsafePointer<Float>,
                                 maxScale: Float, fudge: Float, offset: Int, stride: Int) {
        if maxScale == 0 {
            block.update(repeating: 0, count: blockBytes)
            return
        }
        let d = maxScale / 31
        block.store16(QuantMath.half(d * fudge), at: 0)
        for ib in 0..<8 {
            let at = offset + stride * ib
            block.store32(block.load32(at: at) | UInt32(scaleCode(scales[ib], id: 1 / d, top: 15)) << 28, at: at)
        }
    }

    /// ggml's expanded `ksigns_iq2xs`: 7 stored sign bits and their parity as the 8th.
    @inline(__always)
    static func expand(_ seven: UInt32) -> UInt8 {
        let bits = UInt8(seven & 127)
        return bits | UInt8(bits.nonzeroBitCount & 1) << 7
    }
}
