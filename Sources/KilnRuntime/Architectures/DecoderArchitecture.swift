import KilnCheckpoints

/// One decoder architecture of the runtime, in its own file like mlx-swift-lm's `Models/`: how its
/// block is built (``DecoderBlock``) and where it takes its RoPE frequency factors. Both are asked once,
/// when the model is loaded.
protocol DecoderArchitecture {
    /// The block of `spec`'s model.
    static func block(_ spec: ModelSpec) throws -> DecoderBlock

    /// RoPE frequency divisors, one per rotary pair, for a run of `contextLength` positions.
    static func ropeFactors(_ spec: ModelSpec, contextLength: Int, weights: DecoderWeights) throws -> [Float]?
}

extension DecoderArchitecture {
    /// llama3's divisors where a GGUF stores them (`rope_freqs.weight`); a folder's are computed from its
    /// `rope_scaling` (``RotaryEmbedding``).
    static func ropeFactors(_ spec: ModelSpec, contextLength: Int, weights: DecoderWeights) throws -> [Float]? {
        weights.ropeFrequencies
    }
}

extension ModelFamily {
    /// The runtime's architecture for this family.
    var architecture: any DecoderArchitecture.Type {
        switch self {
        case .llama: Llama.self
        case .qwen2: Qwen2.self
        case .qwen3: Qwen3.self
        case .gemma2: Gemma2.self
        case .gemma3: Gemma3.self
        case .phi3: Phi3.self
        }
    }
}
