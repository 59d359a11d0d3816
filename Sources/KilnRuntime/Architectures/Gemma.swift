import KilnCheckpoints

/// What Gemma 2 and Gemma 3 share: embeddings scaled by √hidden (llama.cpp: `ggml_scale(inpL,
/// sqrtf(n_embd))`), norms that multiply by 1 + w, norms of the attention and MLP outputs too, queries
/// scaled by 1/√`query_pre_attn_scalar` before attention, a GELU-tanh MLP, sliding-window layers.
enum Gemma {
    static func block(_ spec: ModelSpec) -> DecoderBlock {
        let p = spec.text
        var block = Llama.block(spec)
        block.embeddingScale = Float(p.hiddenSize).squareRoot()
        block.normsStoredAsOffsets = true
        block.postNorms = true
        block.queryScale = p.queryScale.map { 1 / Float($0).squareRoot() }
        block.activation = .geluTanh
        block.slidingWindow = p.slidingWindow
        return block
    }
}
