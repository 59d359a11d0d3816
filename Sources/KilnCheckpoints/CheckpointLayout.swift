/// How a checkpoint layout names the tensors of a Llama-style decoder (and its Qwen relatives).
///
/// One table-driven value serves every layout: Hugging Face (`model.layers.N.self_attn.q_proj`),
/// Llava (the same under `language_model.model.` or `model.language_model.`), Mistral native
/// (`layers.N.attention.wq`) and GGUF (`blk.N.attn_q`).
public struct CheckpointLayout: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case huggingFace = "Hugging Face"
        case llava = "Hugging Face Llava"
        case mistralNative = "Mistral native"
        case gguf = "GGUF"
    }

    /// How the two halves of each rotary pair are laid out in the Q and K projection rows.
    public enum RotaryPairing: Sendable {
        /// Hugging Face: dimension i pairs with i + head_dim/2.
        case halves
        /// Meta/Mistral/GGUF: dimension 2i pairs with 2i + 1.
        case interleaved
    }

    public let kind: Kind
    private let layerPrefix: String
    private let layerParts: [TensorRole.Kind: String]
    private let globals: [TensorRole.Kind: String]
    private let multimodalPrefixes: [String]
    /// How this layout names the vision tower and projector (several spellings for Llava).
    private let visionNamings: [VisionTensorNaming]

    public var description: String { kind.rawValue }

    public var rotaryPairing: RotaryPairing { kind == .huggingFace || kind == .llava ? .halves : .interleaved }

    private static let huggingFaceLayerParts: [TensorRole.Kind: String] = [
        .attentionNorm: "input_layernorm", .attentionQuery: "self_attn.q_proj", .attentionKey: "self_attn.k_proj",
        .attentionValue: "self_attn.v_proj", .attentionOutput: "self_attn.o_proj",
        .attentionQueryNorm: "self_attn.q_norm", .attentionKeyNorm: "self_attn.k_norm",
        .feedForwardNorm: "post_attention_layernorm", .feedForwardGate: "mlp.gate_proj",
        .feedForwardUp: "mlp.up_proj", .feedForwardDown: "mlp.down_proj",
    ]

    /// Gemma names the norm before the MLP `pre_feedforward_layernorm`; its `post_attention_layernorm`
    /// normalizes the attention output.
    private static let gemmaLayerParts = huggingFaceLayerParts.merging([
        .feedForwardNorm: "pre_feedforward_layernorm", .postAttentionNorm: "post_attention_layernorm",
        .postFeedForwardNorm: "post_feedforward_layernorm",
    ]) { $1 }

    /// `Gemma3ForCausalLM` (`decoderPrefix` `model.`) and the text model of
    /// `Gemma3ForConditionalGeneration` (`model.language_model.` or `language_model.model.`), whose
    /// vision tower and projector are carried by name.
    public static func gemma(decoderPrefix: String) -> CheckpointLayout {
        CheckpointLayout(
            kind: .huggingFace, layerPrefix: decoderPrefix + "layers.", layerParts: gemmaLayerParts,
            globals: [.tokenEmbedding: decoderPrefix + "embed_tokens", .outputNorm: decoderPrefix + "norm",
                      .output: decoderPrefix == "language_model.model." ? "language_model.lm_head" : "lm_head"],
            multimodalPrefixes: ["vision_tower.", "multi_modal_projector.", "model.vision_tower.", "model.multi_modal_projector."],
            visionNamings: []
        )
    }

    /// `LlamaForCausalLM` / `MistralForCausalLM`.
    public static let huggingFace = CheckpointLayout(
        kind: .huggingFace, layerPrefix: "model.layers.", layerParts: huggingFaceLayerParts,
        globals: [.tokenEmbedding: "model.embed_tokens", .outputNorm: "model.norm", .output: "lm_head"],
        multimodalPrefixes: [], visionNamings: []
    )

    /// `LlavaForConditionalGeneration`; `decoderPrefix` is `language_model.model.` (transformers 4.x
    /// on disk) or `model.language_model.` (newer), and the head follows suit.
    public static func llava(decoderPrefix: String, head: String) -> CheckpointLayout {
        CheckpointLayout(
            kind: .llava, layerPrefix: decoderPrefix + "layers.", layerParts: huggingFaceLayerParts,
            globals: [.tokenEmbedding: decoderPrefix + "embed_tokens", .outputNorm: decoderPrefix + "norm", .output: head],
            multimodalPrefixes: ["vision_tower.", "multi_modal_projector.", "model.vision_tower.", "model.multi_modal_projector."],
            visionNamings: [.llava(prefix: ""), .llava(prefix: "model.")]
        )
    }

    /// Mistral's `consolidated.safetensors`.
    public static let mistralNative = CheckpointLayout(
        kind: .mistralNative, layerPrefix: "layers.",
        layerParts: [
            .attentionNorm: "attention_norm", .attentionQuery: "attention.wq", .attentionKey: "attention.wk",
            .attentionValue: "attention.wv", .attentionOutput: "attention.wo", .feedForwardNorm: "ffn_norm",
            .feedForwardGate: "feed_forward.w1", .feedForwardUp: "feed_forward.w3", .feedForwardDown: "feed_forward.w2",
        ],
        globals: [.tokenEmbedding: "tok_embeddings", .outputNorm: "norm", .output: "output"],
        multimodalPrefixes: ["vision_encoder.", "vision_language_adapter.", "patch_merger.", "pre_mm_projector_norm."],
        visionNamings: [.mistralNative]
    )

    /// llama.cpp's names (`LLM_ARCH_LLAMA`, shared by the other families' tensors).
    public static let gguf = CheckpointLayout(
        kind: .gguf, layerPrefix: "blk.",
        layerParts: [
            .attentionNorm: "attn_norm", .attentionQuery: "attn_q", .attentionKey: "attn_k", .attentionValue: "attn_v",
            .attentionOutput: "attn_output", .attentionQueryNorm: "attn_q_norm", .attentionKeyNorm: "attn_k_norm",
            .feedForwardNorm: "ffn_norm", .feedForwardGate: "ffn_gate", .postAttentionNorm: "post_attention_norm",
            .postFeedForwardNorm: "post_ffw_norm",
            .feedForwardUp: "ffn_up", .feedForwardDown: "ffn_down",
        ],
        globals: [.tokenEmbedding: "token_embd", .outputNorm: "output_norm", .output: "output", .ropeFrequencies: "rope_freqs"],
        multimodalPrefixes: [], visionNamings: []
    )

    /// The role of a tensor name, or nil when this layout does not know the name.
    public func role(of name: String) -> TensorRole? {
        if multimodalPrefixes.contains(where: name.hasPrefix) {
            return .multimodal(name, vision: visionNamings.lazy.compactMap { $0.role(of: name) }.first)
        }
        guard let dot = name.lastIndex(of: ".") else { return nil }
        let stem = String(name[..<dot])
        let parameter = String(name[name.index(after: dot)...])
        guard parameter == "weight" || parameter == "bias" else { return nil }
        if let kind = globals.first(where: { $0.value == stem })?.key {
            return TensorRole(kind, parameter: parameter)
        }
        guard stem.hasPrefix(layerPrefix) else { return nil }
        let rest = stem.dropFirst(layerPrefix.count)
        guard let layerDot = rest.firstIndex(of: "."), let layer = Int(rest[..<layerDot]), layer >= 0 else { return nil }
        let part = String(rest[rest.index(after: layerDot)...])
        guard let kind = layerParts.first(where: { $0.value == part })?.key else { return nil }
        return TensorRole(kind, layer: layer, parameter: parameter)
    }

    /// The name this layout gives a role.
    public func name(of role: TensorRole) -> String {
        if let name = role.multimodalName { return name }
        if let layer = role.layer, let part = layerParts[role.kind] {
            return "\(layerPrefix)\(layer).\(part).\(role.parameter)"
        }
        return "\(globals[role.kind]!).\(role.parameter)"
    }
}
