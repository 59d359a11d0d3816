import KilnCheckpoints

/// Qwen2 and Qwen2.5: Llama's block with biases on the query, key and value projections (and rotate-half
/// RoPE pairs, `ModelFamily.permutesRotaryRows`).
enum Qwen2: DecoderArchitecture {
    static func block(_ spec: ModelSpec) -> DecoderBlock {
        var block = Llama.block(spec)
        block.projectionBiases = true
        return block
    }
}
