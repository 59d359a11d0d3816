import KilnGGUF

/// The codecs Kiln can write, by GGUF type.
public enum BlockCodecs {
    public static let all: [any BlockCodec] = [
        FloatCodec.f32, FloatCodec.f16, FloatCodec.bf16,
        Q4_0Codec(), Q4_1Codec(), Q5_0Codec(), Q5_1Codec(), Q8_0Codec(),
        Q2_KCodec(), Q3_KCodec(), Q4_KCodec(), Q5_KCodec(), Q6_KCodec(),
        IQ4_NLCodec(), IQ4_XSCodec(), TQ1_0Codec(), TQ2_0Codec(), IQ3_XXSCodec(), IQ3_SCodec(),
        IQ2_XXSCodec(), IQ2_XSCodec(), IQ2_SCodec(), IQ1_SCodec(), IQ1_MCodec(),
    ]

    private static let byType: [GGMLType: any BlockCodec] = Dictionary(uniqueKeysWithValues: all.map { ($0.type, $0) })

    /// The codec for `type`, or nil when Kiln cannot write it.
    public static func codec(for type: GGMLType) -> (any BlockCodec)? { byType[type] }

    /// The codec for `type` with the given rounding (the reference codec where the rounding does not apply).
    public static func codec(for type: GGMLType, rounding: BlockRounding) -> (any BlockCodec)? {
        guard rounding == .exhaustive, let codec = byType[type] as? any SuperBlockCodec else { return byType[type] }
        return ExhaustiveRounding(base: codec)
    }
}
