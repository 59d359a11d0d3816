/// How a quantizer picks a block's stored parameters.
public enum BlockRounding: String, Sendable, CaseIterable {
    /// llama.cpp's quantizers, byte for byte (the default).
    case reference
    /// For Q2_K…Q6_K, ``ExhaustiveRounding``'s search for the least importance-weighted error, still
    /// standard blocks; every other type is written as with `reference`.
    case exhaustive
}
