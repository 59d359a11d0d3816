/// What TQ1_0 and TQ2_0 share: the block's scale is its largest magnitude, each value rounds to −1, 0, +1.
enum Ternary {
    /// `amax = MAX(amax, fabsf(v))` over a 256-value block, with `MAX`'s NaN behaviour.
    @inline(__always)
    static func largestMagnitude(_ x: UnsafePointer<Float>) -> Float {
        var amax: Float = 0
        for j in 0..<256 {
            let v = abs(x[j])
            amax = amax > v ? amax : v
        }
        return amax
    }

    /// `lroundf(v) + 1` as the byte the C code accumulates: half away from zero; a NaN or out-of-range
    /// value wraps instead of trapping.
    @inline(__always)
    static func code(_ v: Float) -> UInt8 {
        UInt8(truncatingIfNeeded: QuantMath.truncated(v.rounded()) &+ 1)
    }

    /// The trit the TQ1_0 decoder reads from a byte after multiplying by 3ⁿ: `(q·3) >> 8`, minus one.
    @inline(__always)
    static func trit(_ byte: UInt8, power: UInt8) -> Float {
        let q = byte &* power
        return Float(Int32((UInt16(q) * 3) >> 8) - 1)
    }
}
