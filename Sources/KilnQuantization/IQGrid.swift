/// One i-quant lattice grid with the lookup tables llama.cpp's quantizers build from it
/// (`iq2xs_init_impl`, `iq3xs_init_impl`): the points, a map from packed levels to a point or to a
/// list of nearest points, and the values the dequantizer multiplies.
///
/// Each grid is built on first use: the static lets are initialized lazily and exactly once, whatever
/// the thread (Swift's global initialization is `swift_once`).
struct IQGrid: Sendable {
    /// Coordinates per point: 8 for IQ2/IQ1, 4 for IQ3.
    let coordinates: Int
    /// Bits per packed level: 2 or 3.
    let bits: Int
    /// `coordinates` odd values `2l + 1` per point, what the quantizers compare against.
    let points: [Int8]
    /// `coordinates` dequantization values per point (ggml-common.h's expanded tables).
    let values: [Int8]
    /// By packed levels: a point index (≥ 0), or −(offset + 1) of a neighbour list in `neighbours`
    /// (its length, then point indices), or `Int32.min` for level patterns no quantizer produces.
    let map: [Int32]
    let neighbours: [UInt16]

    static let iq2xxs = IQGrid(IQGridData.iq2xxs, values: IQGridData.iq2xxsLevelValues, bits: 2, coordinates: 8, distances: 2)
    static let iq2xs = IQGrid(IQGridData.iq2xs, values: IQGridData.iq2xsLevelValues, bits: 2, coordinates: 8, distances: 2)
    static let iq2s = IQGrid(IQGridData.iq2s, values: IQGridData.iq2sLevelValues, bits: 2, coordinates: 8, distances: 1)
    static let iq1s = IQGrid(IQGridData.iq1s, values: IQGridData.iq1sLevelValues, bits: 2, coordinates: 8, distances: 3)
    static let iq3xxs = IQGrid(IQGridData.iq3xxs, values: IQGridData.iq3xxsLevelValues, bits: 3, coordinates: 4, distances: 2)
    static let iq3s = IQGrid(IQGridData.iq3s, values: IQGridData.iq3sLevelValues, bits: 3, coordinates: 4, distances: 3)

    /// - Parameter distances: how many distinct squared distances a neighbour list spans (`nwant`).
    private init(_ packed: [UInt16], values levelValues: [Int8], bits: Int, coordinates: Int, distances: Int) {
        self.coordinates = coordinates
        self.bits = bits
        let mask = (1 << bits) - 1
        var points = [Int8](repeating: 0, count: packed.count * coordinates)
        var values = [Int8](repeating: 0, count: packed.count * coordinates)
        for (k, point) in packed.enumerated() {
            for i in 0..<coordinates {
                let level = (Int(point) >> (bits * i)) & mask
                points[coordinates * k + i] = Int8(2 * level + 1)
                values[coordinates * k + i] = levelValues[level]
            }
        }
        self.points = points
        self.values = values
        // The levels a quantizer packs never exceed the largest level on the grid (2 for the 2-bit
        // grids, 7 for the 3-bit ones), so only those patterns get neighbour lists.
        let topLevel = levelValues.count - 1
        var map = [Int32](repeating: .min, count: 1 << (bits * coordinates))
        for (k, point) in packed.enumerated() { map[Int(point)] = Int32(k) }
        var neighbours: [UInt16] = []
        var distance = [Int32](repeating: 0, count: packed.count)
        patterns: for pattern in 0..<map.count where map[pattern] == .min {
            var position = [Int32](repeating: 0, count: coordinates)
            for i in 0..<coordinates {
                let level = (pattern >> (bits * i)) & mask
                if level > topLevel { continue patterns }
                position[i] = Int32(2 * level + 1)
            }
            for j in 0..<packed.count {
                var d2: Int32 = 0
                for i in 0..<coordinates {
                    let diff = Int32(points[coordinates * j + i]) - position[i]
                    d2 += diff * diff
                }
                distance[j] = d2
            }
            // llama.cpp sorts by (distance, index) and keeps every point within the `distances`
            // smallest distinct distances: the same list, gathered distance by distance.
            map[pattern] = -Int32(neighbours.count) - 1
            let start = neighbours.count
            neighbours.append(0)
            var floor: Int32 = -1
            for _ in 0..<distances {
                var next = Int32.max
                for d in distance where d > floor && d < next { next = d }
                if next == .max { break }
                for j in 0..<packed.count where distance[j] == next { neighbours.append(UInt16(j)) }
                floor = next
            }
            neighbours[start] = UInt16(neighbours.count - start - 1)
        }
        self.map = map
        self.neighbours = neighbours
    }

    /// Packs `coordinates` levels (first lowest), as the quantizers index `map`.
    @inline(__always)
    func pack(_ levels: UnsafePointer<Int8>) -> Int {
        var u = 0
        for i in 0..<coordinates { u |= Int(levels[i]) << (bits * i) }
        return u
    }
}
