/// Conversions between `Float` and the narrow formats checkpoints and GGUF files store.
///
/// Rounding follows ggml exactly (round-to-nearest-even, negative zero kept), because quantized
/// outputs must be byte-identical to llama.cpp's.
public enum FloatingPointFormats {
    @inlinable
    public static func float(fromHalf bits: UInt16) -> Float { Float(Float16(bitPattern: bits)) }

    /// IEEE binary16, round-to-nearest-even; overflow becomes infinity as in numpy and ggml.
    @inlinable
    public static func half(from value: Float) -> UInt16 { Float16(value).bitPattern }

    @inlinable
    public static func float(fromBFloat bits: UInt16) -> Float { Float(bitPattern: UInt32(bits) << 16) }

    /// bfloat16 as ggml rounds it: nearest-even, NaN kept quiet.
    @inlinable
    public static func bfloat(from value: Float) -> UInt16 {
        let u = value.bitPattern
        if (u & 0x7fff_ffff) > 0x7f80_0000 { return UInt16(truncatingIfNeeded: (u >> 16) | 64) }
        return UInt16(truncatingIfNeeded: (u &+ 0x7fff &+ ((u >> 16) & 1)) >> 16)
    }

    /// OCP FP8 E4M3 ("fn": no infinities, 0x7f/0xff are NaN).
    @inlinable
    public static func float(fromE4M3 byte: UInt8) -> Float {
        let sign: Float = byte & 0x80 != 0 ? -1 : 1
        let exponent = Int((byte >> 3) & 0x0f)
        let mantissa = Float(byte & 0x07)
        if exponent == 0x0f && byte & 0x07 == 0x07 { return .nan }
        if exponent == 0 { return sign * mantissa / 8 * 0x1p-6 }
        return sign * (1 + mantissa / 8) * Float(sign: .plus, exponent: exponent - 7, significand: 1)
    }

    /// OCP FP8 E5M2: the top byte of an IEEE binary16.
    @inlinable
    public static func float(fromE5M2 byte: UInt8) -> Float { float(fromHalf: UInt16(byte) << 8) }
}
