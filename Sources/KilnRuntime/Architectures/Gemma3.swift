import KilnCheckpoints

/// Gemma 3 (and the text model of Gemma 3 with vision): Gemma's block (``Gemma``) with Qwen3's
/// per-head Q/K norms, five sliding-window layers to each global one, and a RoPE base of their own
/// for the sliding-window layers.
enum Gemma3: DecoderArchitecture {
    static func block(_ spec: ModelSpec) -> DecoderBlock {
        var block = Gemma.block(spec)
        block.queryKeyNorms = true
        block.slidingRopeBase = spec.text.slidingRopeTheta
        block.finalLogitSoftcap = spec.text.finalLogitSoftcap.map(Float.init)
        return block
    }
}
