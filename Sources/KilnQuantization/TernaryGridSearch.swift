/// What IQ1_S and IQ1_M share (`quantize_row_iq1_s_impl`, `quantize_row_iq1_m_impl`): values take one
/// of three levels −1, 0, +1 shifted by ±δ; the best split of a group's sorted values into the three
/// levels is found exactly, then each 8-value piece is snapped to the 2048-point grid.
enum TernaryGridSearch {
    /// `IQ1S_DELTA` = `IQ1M_DELTA`.
    static let delta: Float = 0.125
    /// The three level values with the shift up (`x_p`) and down (`x_m`).
    static let up: (Float, Float, Float) = (-1 + delta, delta, 1 + delta)
    static let down: (Float, Float, Float) = (-1 - delta, -delta, 1 - delta)

    @inline(__always)
    static func level(_ shift: (Float, Float, Float), _ l: Int) -> Float {
        l == 0 ? shift.0 : l == 1 ? shift.1 : shift.2
    }

    /// `MAX(max, fabsf(x[i]))` over a group.
    @inline(__always)
    static func largestMagnitude(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var max = abs(x[0])
        for i in 1..<count { max = max > abs(x[i]) ? max : abs(x[i]) }
        return max
    }

    /// The group's indices ordered by value, ties by index: what glibc's (merge-sort) `qsort` gives
    /// for `iq1_sort_helper`.
    static func sortedOrder(_ x: UnsafePointer<Float>, count: Int, into order: UnsafeMutablePointer<Int>) {
        for j in 0..<count {
            var k = j
            while k > 0 && x[j] < x[order[k - 1]] {
                order[k] = order[k - 1]
                k -= 1
            }
            order[k] = j
        }
    }

    /// Assigns levels 0/1/2 from a split of the sorted order at `first` and `second`.
    static func assign(order: UnsafePointer<Int>, count: Int, first: Int, second: Int, levels: UnsafeMutablePointer<Int8>) {
        for j in 0..<count { levels[order[j]] = j < first ? 0 : j < second ? 1 : 2 }
    }

    /// `iq1_find_best_neighbour2`: the listed point whose shifted levels, times `scale`, are nearest to
    /// the signed values `x` (weighted squared distance, first on ties); writes its levels.
    static func nearest(_ entry: Int32, _ x: UnsafePointer<Float>, weights: UnsafePointer<Float>, scale: Float,
                        shift: (Float, Float, Float), levels: UnsafeMutablePointer<Int8>) -> UInt16 {
        let grid = IQGrid.iq1s
        return grid.neighbours.withUnsafeBufferPointer { neighbours in
            grid.points.withUnsafeBufferPointer { points in
                let list = Int(-entry - 1)
                var best = Float.greatestFiniteMagnitude
                var chosen = Int(neighbours[list + 1])
                for j in 1...Int(neighbours[list]) {
                    let index = Int(neighbours[list + j])
                    var d2: Float = 0
                    for i in 0..<8 {
                        let q = level(shift, Int(points[8 * index + i] - 1) / 2)
                        let diff = scale * q - x[i]
                        d2 += weights[i] * diff * diff
                    }
                    if d2 < best {
                        best = d2
                        chosen = index
                    }
                }
                for i in 0..<8 { levels[i] = (points[8 * chosen + i] - 1) / 2 }
                return UInt16(chosen)
            }
        }
    }

    /// Snaps each 8-value piece of a group to the grid (`shifts(k)` gives the piece's level values).
    /// Returns whether every piece was already on the grid.
    static func snap(_ x: UnsafePointer<Float>, weights: UnsafePointer<Float>, pieces: Int, scale: Float,
                     shifts: (Int) -> (Float, Float, Float), levels: UnsafeMutablePointer<Int8>,
                     indices: UnsafeMutablePointer<UInt16>) -> Bool {
        let grid = IQGrid.iq1s
        var allOnGrid = true
        for k in 0..<pieces {
            let entry = grid.map[grid.pack(levels + 8 * k)]
            if entry >= 0 {
                indices[k] = UInt16(entry)
            } else {
                allOnGrid = false
                indices[k] = nearest(entry, x + 8 * k, weights: weights + 8 * k, scale: scale, shift: shifts(k), levels: levels + 8 * k)
            }
        }
        return allOnGrid
    }

    /// Σ w·q·x and Σ w·q² over the pieces' grid points, q = a level value times `multiplier`.
    static func fitSums(_ x: UnsafePointer<Float>, weights: UnsafePointer<Float>, pieces: Int, indices: (Int) -> Int,
                        shifts: (Int) -> (Float, Float, Float), multiplier: Float = 1,
                        into sums: inout (Float, Float)) {
        let points = IQGrid.iq1s.points
        for k in 0..<pieces {
            let shift = shifts(k), index = indices(k)
            for j in 0..<8 {
                let w = weights[8 * k + j]
                let q = level(shift, Int(points[8 * index + j] - 1) / 2) * multiplier
                sums.0 += w * q * x[8 * k + j]
                sums.1 += w * q * q
            }
        }
    }
}
