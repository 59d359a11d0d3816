import KilnCheckpoints

/// Llama and Mistral (and the text model of Llava/Pixtral): RMSNorm before attention and MLP,
/// grouped-query attention with RoPE (llama3 frequency factors, linear or YaRN scaling where the model
/// has them) scaled by 1/√(head dimension), a SwiGLU MLP. Every other architecture is this block with
/// changes. Mistral's `sliding_window` is not used, as llama.cpp does not.
enum Llama: DecoderArchitecture {
    static func block(_ spec: ModelSpec) -> DecoderBlock { DecoderBlock() }
}
