import KilnCheckpoints

/// Qwen3: Llama's block with per-head RMSNorm of queries and keys before RoPE, no biases.
enum Qwen3: DecoderArchitecture {
    static func block(_ spec: ModelSpec) -> DecoderBlock {
        var block = Llama.block(spec)
        block.queryKeyNorms = true
        return block
    }
}
