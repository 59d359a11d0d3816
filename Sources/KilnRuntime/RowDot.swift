import KilnQuantization

/// Dot products of one stored weight row with float activations, decoding each block in registers.
///
/// Generating one token reads every weight once, so its speed is how fast a row can be multiplied
/// where it lies: decoding into a scratch row first costs a store and a reload per value. These
/// kernels cover the types of the common mixes (F16, Q8_0, Q5_0, Q4_K, Q6_K); other types go through
/// their codec. Sums run in 8-lane SIMD with fused multiply-adds, so results differ from a decoded
/// row's dot product only by summation order.
enum RowDot {
    @inline(__always)
    static func load8(_ p: UnsafeRawPointer, _ offset: Int) -> SIMD8<Float> {
        p.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
    }

    @inline(__always)
    static func half(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
        Float(Float16(bitPattern: p.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
    }

    @_optimize(speed)
    static func f16(_ w: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ count: Int) -> Float {
        let rx = UnsafeRawPointer(x)
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
        var i = 0
        while i &+ 16 <= count {
            acc0.addProduct(SIMD8<Float>(w.loadUnaligned(fromByteOffset: 2 &* i, as: SIMD8<Float16>.self)), load8(rx, 4 &* i))
            acc1.addProduct(SIMD8<Float>(w.loadUnaligned(fromByteOffset: 2 &* (i &+ 8), as: SIMD8<Float16>.self)), load8(rx, 4 &* (i &+ 8)))
            i &+= 16
        }
        var sum = Kernels.horizontalSum(acc0 + acc1)
        while i < count { sum += half(w, 2 &* i) * x[i]; i &+= 1 }
        return sum
    }

    /// Q8_0: 34-byte blocks of an fp16 scale and 32 signed levels.
    @_optimize(speed)
    static func q8_0(_ w: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ count: Int) -> Float {
        let rx = UnsafeRawPointer(x)
        var acc = SIMD8<Float>()
        for b in 0..<count / 32 {
            let block = w + 34 &* b
            let (first, second) = dot32(block + 2, rx + 128 &* b)
            acc.addProduct(SIMD8(repeating: half(block, 0)), first + second)
        }
        return Kernels.horizontalSum(acc)
    }

    /// Q5_0: 22-byte blocks of an fp16 scale, 32 fifth bits, then 16 bytes of low nibbles (values
    /// 0…15 low, 16…31 high); value = d·(q − 16).
    @_optimize(speed)
    static func q5_0(_ w: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ count: Int) -> Float {
        let rx = UnsafeRawPointer(x)
        var acc = SIMD8<Float>()
        let nibble = SIMD8<Int32>(repeating: 0x0f), four = SIMD8<Int32>(repeating: 4), one = SIMD8<Int32>(repeating: 1)
        let bias = SIMD8<Int32>(repeating: 16), lanes = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7)
        for b in 0..<count / 32 {
            let block = w + 22 &* b
            let high = Int32(bitPattern: block.loadUnaligned(fromByteOffset: 2, as: UInt32.self))
            // The fifth bit of value j is bit j of `high`.
            @inline(__always) func fifth(_ first: Int32) -> SIMD8<Int32> {
                ((SIMD8<Int32>(repeating: high &>> first) &>> lanes) & one) &<< four
            }
            let xs = rx + 128 &* b
            var sum = SIMD8<Float>()
            for g in 0..<2 {
                let q = widened(block, 6 &+ 8 &* g)
                let first = Int32(8 &* g)
                sum.addProduct(SIMD8<Float>(((q & nibble) | fifth(first)) &- bias), load8(xs, 32 &* g))
                sum.addProduct(SIMD8<Float>(((q &>> four) | fifth(first &+ 16)) &- bias), load8(xs, 64 &+ 32 &* g))
            }
            acc.addProduct(SIMD8(repeating: half(block, 0)), sum)
        }
        return Kernels.horizontalSum(acc)
    }

    // Levels are unpacked eight at a time on 32-bit lanes: bytes widened as they are loaded, then
    // vector masks and shifts, then converted to floats. (Swift compiles bit operations on 8-bit lanes,
    // and any operator with a scalar operand, to per-lane loops.)
    @inline(__always)
    static func widened(_ p: UnsafeRawPointer, _ offset: Int) -> SIMD8<Int32> {
        SIMD8<Int32>(truncatingIfNeeded: p.loadUnaligned(fromByteOffset: offset, as: SIMD8<UInt8>.self))
    }

    /// Eight signed bytes at `offset` as floats.
    @inline(__always)
    static func floats(_ p: UnsafeRawPointer, _ offset: Int) -> SIMD8<Float> {
        SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: p.loadUnaligned(fromByteOffset: offset, as: SIMD8<Int8>.self)))
    }

    /// Σ levels[i]·x[i] over 32 signed byte levels in memory: the first 16 and the last 16 apart.
    @inline(__always)
    static func dot32(_ levels: UnsafeRawPointer, _ x: UnsafeRawPointer) -> (SIMD8<Float>, SIMD8<Float>) {
        var first = floats(levels, 0) * load8(x, 0), second = floats(levels, 16) * load8(x, 64)
        first.addProduct(floats(levels, 8), load8(x, 32))
        second.addProduct(floats(levels, 24), load8(x, 96))
        return (first, second)
    }

    /// Eight unsigned bytes of a word as floats.
    @inline(__always)
    static func floats(_ codes: UInt64) -> SIMD8<Float> {
        SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: unsafeBitCast(codes, to: SIMD8<UInt8>.self)))
    }

    /// Q4_K: 144-byte blocks of 256 values, `d·scale·q − dmin·min` per 32-value group. The offsets
    /// multiply Σx over each group, which `groupSums` holds (one per 32 activations).
    @_optimize(speed)
    static func q4_K(_ w: UnsafeRawPointer, _ x: UnsafePointer<Float>, groupSums: UnsafePointer<Float>, _ count: Int) -> Float {
        let rx = UnsafeRawPointer(x), sums = UnsafeRawPointer(groupSums)
        var acc = SIMD8<Float>(), acc2 = SIMD8<Float>(), offsets = SIMD8<Float>()
        let nibble = SIMD8<Int32>(repeating: 0x0f), four = SIMD8<Int32>(repeating: 4)
        for b in 0..<count / 256 {
            let block = w + 144 &* b
            let (scaleCodes, minCodes) = ScaleMinSuperBlock.unpackAll(block + 4)
            let scales = SIMD8<Float>(repeating: half(block, 0)) * floats(scaleCodes)
            offsets.addProduct(SIMD8<Float>(repeating: half(block, 2)) * floats(minCodes), load8(sums, 32 &* b))
            let xs = rx + 1024 &* b
            // 32 bytes per pair of groups: low nibbles are group 2c, high nibbles group 2c+1.
            for c in 0..<4 {
                var low = SIMD8<Float>(), high = SIMD8<Float>()
                for g in 0..<4 {
                    let q = widened(block, 16 &+ 32 &* c &+ 8 &* g)
                    low.addProduct(SIMD8<Float>(q & nibble), load8(xs, 256 &* c &+ 32 &* g))
                    high.addProduct(SIMD8<Float>(q &>> four), load8(xs, 256 &* c &+ 128 &+ 32 &* g))
                }
                acc.addProduct(SIMD8(repeating: scales[2 &* c]), low)
                acc2.addProduct(SIMD8(repeating: scales[2 &* c &+ 1]), high)
            }
        }
        return Kernels.horizontalSum(acc + acc2) - Kernels.horizontalSum(offsets)
    }

    /// Q6_K: 210-byte blocks of 256 values, `d·scale·(q − 32)` with one signed scale per 16 values.
    /// Each half holds 128 values: low 4 bits in 64 bytes, high 2 bits in 32 bytes (four values a byte).
    @_optimize(speed)
    static func q6_K(_ w: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ count: Int) -> Float {
        let rx = UnsafeRawPointer(x)
        var acc = SIMD8<Float>(), acc2 = SIMD8<Float>()
        let nibble = SIMD8<Int32>(repeating: 0x0f), pair = SIMD8<Int32>(repeating: 3), bias = SIMD8<Int32>(repeating: 32)
        let two = SIMD8<Int32>(repeating: 2), four = SIMD8<Int32>(repeating: 4), six = SIMD8<Int32>(repeating: 6)
        for b in 0..<count / 256 {
            let block = w + 210 &* b
            let d = half(block, 208)
            for part in 0..<2 {
                let scales = (block + (192 &+ 8 &* part)).assumingMemoryBound(to: Int8.self)
                let xs = rx + 4 &* (256 &* b &+ 128 &* part)
                // Level set k takes activations 32k…32k+31; scale 2k covers the first 16, 2k+1 the rest.
                var sums = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(),
                            SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
                for g in 0..<4 {
                    let ql0 = widened(block, 64 &* part &+ 8 &* g), ql1 = widened(block, 64 &* part &+ 32 &+ 8 &* g)
                    let qh = widened(block, 128 &+ 32 &* part &+ 8 &* g)
                    let q0 = ((ql0 & nibble) | ((qh & pair) &<< four)) &- bias
                    let q1 = ((ql1 & nibble) | (((qh &>> two) & pair) &<< four)) &- bias
                    let q2 = ((ql0 &>> four) | (((qh &>> four) & pair) &<< four)) &- bias
                    let q3 = ((ql1 &>> four) | ((qh &>> six) &<< four)) &- bias
                    let x0 = load8(xs, 32 &* g), x1 = load8(xs, 128 &+ 32 &* g)
                    let x2 = load8(xs, 256 &+ 32 &* g), x3 = load8(xs, 384 &+ 32 &* g)
                    if g < 2 {
                        sums.0.addProduct(SIMD8<Float>(q0), x0); sums.2.addProduct(SIMD8<Float>(q1), x1)
                        sums.4.addProduct(SIMD8<Float>(q2), x2); sums.6.addProduct(SIMD8<Float>(q3), x3)
                    } else {
                        sums.1.addProduct(SIMD8<Float>(q0), x0); sums.3.addProduct(SIMD8<Float>(q1), x1)
                        sums.5.addProduct(SIMD8<Float>(q2), x2); sums.7.addProduct(SIMD8<Float>(q3), x3)
                    }
                }
                acc.addProduct(SIMD8(repeating: d * Float(scales[0])), sums.0)
                acc2.addProduct(SIMD8(repeating: d * Float(scales[1])), sums.1)
                acc.addProduct(SIMD8(repeating: d * Float(scales[2])), sums.2)
                acc2.addProduct(SIMD8(repeating: d * Float(scales[3])), sums.3)
                acc.addProduct(SIMD8(repeating: d * Float(scales[4])), sums.4)
                acc2.addProduct(SIMD8(repeating: d * Float(scales[5])), sums.5)
                acc.addProduct(SIMD8(repeating: d * Float(scales[6])), sums.6)
                acc2.addProduct(SIMD8(repeating: d * Float(scales[7])), sums.7)
            }
        }
        return Kernels.horizontalSum(acc + acc2)
    }

    /// Σx over each 32 consecutive values: the Q4_K offsets' factor, shared by every row.
    static func groupSums(_ x: UnsafePointer<Float>, count: Int, into sums: UnsafeMutablePointer<Float>) {
        for g in 0..<count / 32 {
            var s = SIMD8<Float>()
            for k in 0..<4 { s += load8(UnsafeRawPointer(x), 4 &* (32 &* g &+ 8 &* k)) }
            sums[g] = Kernels.horizontalSum(s)
        }
    }
}
