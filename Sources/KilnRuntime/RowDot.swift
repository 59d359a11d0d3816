
/// Dot products of one stored weight row with float activations, decoding each block in registers.
///
/// Generating one token reads every weight once, so its speed is how fast a row can be multiplied
/// where it lies: decoding into a scratch row first costs a store and a reload per value. This covers
/// Q5_0 (F16, Q8_0 and the K-quants have kernels in `CMatrixProducts`); other types go through their
/// codec. Sums run in 8-lane SIMD with fused multiply-adds, so results differ from a decoded row's dot
/// product only by summation order.
enum RowDot {
    @inline(__always)
    static func load8(_ p: UnsafeRawPointer, _ offset: Int) -> SIMD8<Float> {
        p.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
    }

    @inline(__always)
    static func half(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
        Float(Float16(bitPattern: p.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
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
}
