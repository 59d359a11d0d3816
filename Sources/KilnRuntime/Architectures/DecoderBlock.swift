import KilnCheckpoints

/// How an architecture builds its decoder layers from the pieces they all share (RMSNorm, grouped-query
/// attention with RoPE over the KV cache, a gated MLP, the kernels): each file in `Architectures/`
/// describes its block with one of these, and `DecoderModel` runs the description.
///
/// A value rather than per-step hooks: the forward pass reads it once per layer and step, so nothing
/// is dispatched per token or per element, and every architecture runs the same loops.
struct DecoderBlock: Sendable {
    /// The gated MLP's activation: `down(act(gate · x) ⊙ (up · x))`.
    enum Activation: Sendable {
        /// SwiGLU.
        case silu
        /// GELU with the tanh approximation (ggml's table in GGUF models, as llama.cpp computes it).
        case geluTanh
    }

    /// Multiplies every input row (the token embeddings) before the first layer.
    var embeddingScale: Float?
    /// The query, key and value projections add biases.
    var projectionBiases = false
    /// Per-head RMSNorm of queries and keys before RoPE.
    var queryKeyNorms = false
    /// RMSNorm of the attention and MLP outputs before each residual addition.
    var postNorms = false
    /// A Hugging Face folder stores each norm weight as w for the 1 + w the model multiplies by (a GGUF
    /// holds 1 + w, as llama.cpp's converter writes it).
    var normsStoredAsOffsets = false
    /// A GGUF may hold the query, key and value rows in one matrix (`attn_qkv`), and holds the gate and
    /// up rows in one (`ffn_up`, gate first).
    var fusedProjections = false
    /// Multiplies the queries before attention (and before llama.cpp rounds them), instead of the
    /// scores by 1/√(head dimension).
    var queryScale: Float?
    /// Caps attention scores softly before the softmax: cap · tanh(score / cap).
    var attentionSoftcap: Float?
    /// Caps the output logits softly.
    var finalLogitSoftcap: Float?
    var activation = Activation.silu
    /// Positions a sliding-window layer sees (`TextModelParameters.isSlidingWindowLayer` says which).
    var slidingWindow: Int?
    /// The RoPE base of sliding-window layers, when it differs from the global one.
    var slidingRopeBase: Double?
}
