import KilnCore

/// The scalar primitives of ggml-quants.c, with the exact rounding each call site uses there.
///
/// Byte identity with llama.cpp depends on these details: `nearest_int` rounds half to even, `roundf`
/// rounds half away from zero, and C's float-to-int casts truncate (x86 `cvttss2si`).
enum QuantMath {
    /// `GROUP_MAX_EPS`: a group whose largest magnitude is below this is treated as all zero.
    static let groupMaxEpsilon: Float = 1e-15

    /// The value of largest magnitude (the first on ties) and that magnitude, as ggml's group loops find it.
    @inline(__always)
    static func largestMagnitude(_ x: UnsafePointer<Float>, count: Int) -> (value: Float, magnitude: Float) {
        var value: Float = 0, magnitude: Float = 0
        for i in 0..<count where abs(x[i]) > magnitude {
            magnitude = abs(x[i])
            value = x[i]
        }
        return (value, magnitude)
    }

    /// ggml's `nearest_int`: adds 1.5·2²³ so the FPU rounds half to even, then reads the mantissa.
    /// Valid for |value| ≤ 4194303, as in ggml; outside that it wraps the same way ggml does.
    @inline(__always)
    static func nearestInt(_ value: Float) -> Int32 {
        let bits = Int32(bitPattern: (value + 12_582_912).bitPattern)
        return (bits & 0x007f_ffff) &- 0x0040_0000
    }

    /// `Float(clamp(nearestInt(value), low, high))` per lane, bit-exact for every input (NaN and
    /// overflow wrap as in `nearestInt`): the 23 mantissa bits m that `nearestInt` reads become the
    /// float 2²³ + m, exact, and subtracting 1.5·2²³ leaves m − 2²², the integer `nearestInt` returns.
    @inline(__always)
    static func nearestLevel(_ value: SIMD8<Float>, _ low: Float, _ high: Float) -> SIMD8<Float> {
        let bits = unsafeBitCast(value + 12_582_912, to: SIMD8<UInt32>.self)
        let level = unsafeBitCast((bits & 0x007f_ffff) | 0x4b00_0000, to: SIMD8<Float>.self) - 12_582_912
        var result = level
        for k in 0..<8 {
            let v = level[k] < high ? level[k] : high
            result[k] = v > low ? v : low
        }
        return result
    }

    /// `fabsf` per lane: clears the sign bits.
    @inline(__always)
    static func magnitude(_ value: SIMD8<Float>) -> SIMD8<Float> {
        unsafeBitCast(unsafeBitCast(value, to: SIMD8<UInt32>.self) & 0x7fff_ffff, to: SIMD8<Float>.self)
    }

    /// C's `(int)value` on x86-64: truncation toward zero; NaN and out-of-range give `INT32_MIN`
    /// instead of trapping, so hostile input cannot crash the quantizer.
    @inline(__always)
    static func truncated(_ value: Float) -> Int32 {
        value > -2_147_483_648 && value < 2_147_483_648 ? Int32(value) : .min
    }

    @inline(__always)
    static func clamp(_ value: Int32, _ low: Int32, _ high: Int32) -> Int32 { max(low, min(high, value)) }

    /// `GGML_FP32_TO_FP16`.
    @inline(__always)
    static func half(_ value: Float) -> UInt16 { FloatingPointFormats.half(from: value) }

    /// `GGML_FP16_TO_FP32`.
    @inline(__always)
    static func float(half bits: UInt16) -> Float { FloatingPointFormats.float(fromHalf: bits) }

    /// The imatrix weighting every `_impl` quantizer uses: `qw[j] * sqrtf(sigma2 + x[j]*x[j])`.
    @inline(__always)
    static func importanceWeights(_ importance: UnsafePointer<Float>, _ x: UnsafePointer<Float>, count: Int,
                                  sigma2: Float, into weights: UnsafeMutablePointer<Float>) {
        for j in 0..<count { weights[j] = importance[j] * (sigma2 + x[j] * x[j]).squareRoot() }
    }

    /// Σx² in index order, as the C loops accumulate it.
    @inline(__always)
    static func sumOfSquares(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var sum: Float = 0
        for j in 0..<count { sum += x[j] * x[j] }
        return sum
    }
}

extension UnsafeMutablePointer<UInt8> {
    /// Stores a little-endian 16-bit field (fp16 factor or bit mask) at any alignment: block fields are packed.
    @inline(__always)
    func store16(_ bits: UInt16, at offset: Int) {
        UnsafeMutableRawPointer(self).storeBytes(of: bits.littleEndian, toByteOffset: offset, as: UInt16.self)
    }

    /// Stores a little-endian 32-bit field at any alignment.
    @inline(__always)
    func store32(_ bits: UInt32, at offset: Int) {
        UnsafeMutableRawPointer(self).storeBytes(of: bits.littleEndian, toByteOffset: offset, as: UInt32.self)
    }

    @inline(__always)
    func load32(at offset: Int) -> UInt32 { UnsafePointer(self).load32(at: offset) }
}

extension UnsafePointer<UInt8> {
    @inline(__always)
    func load16(at offset: Int) -> UInt16 {
        UInt16(littleEndian: UnsafeRawPointer(self).loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    @inline(__always)
    func load32(at offset: Int) -> UInt32 {
        UInt32(littleEndian: UnsafeRawPointer(self).loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inline(__always)
    func loadHalf(at offset: Int) -> Float {
        QuantMath.float(half: UInt16(littleEndian: UnsafeRawPointer(self).loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
    }
}
