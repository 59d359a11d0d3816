/// What a tensor is, independent of what a checkpoint layout calls it.
///
/// Transforms and writers work on roles; each layout translates roles to and from its own names.
public struct TensorRole: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        case tokenEmbedding, outputNorm, output
        /// llama3-style RoPE frequency factors (GGUF `rope_freqs.weight`).
        case ropeFrequencies
        case attentionNorm, attentionQuery, attentionKey, attentionValue, attentionOutput
        /// Per-head RMSNorm of queries and keys before RoPE (Qwen3, Gemma 3).
        case attentionQueryNorm, attentionKeyNorm
        /// Gemma's norms of the attention and feed-forward outputs, before the residual sums.
        case postAttentionNorm, postFeedForwardNorm
        case feedForwardNorm, feedForwardGate, feedForwardUp, feedForwardDown
        /// Vision tower and projector tensors: carried by name, not interpreted by the text pipeline.
        case multimodal
    }

    public var kind: Kind
    /// Decoder layer index for per-layer tensors.
    public var layer: Int?
    /// `weight` or `bias`.
    public var parameter: String
    /// For ``Kind/multimodal``: the tensor's name in its layout.
    public var multimodalName: String?
    /// For ``Kind/multimodal``: what the tensor is, when its layout knows the name.
    public var vision: VisionTensorRole?

    public init(_ kind: Kind, layer: Int? = nil, parameter: String = "weight") {
        self.kind = kind
        self.layer = layer
        self.parameter = parameter
    }

    public static func multimodal(_ name: String, vision: VisionTensorRole? = nil) -> TensorRole {
        var role = TensorRole(.multimodal)
        role.multimodalName = name
        role.vision = vision
        return role
    }

    public var isDecoderLayer: Bool { layer != nil }
    public var isNorm: Bool { [.attentionNorm, .feedForwardNorm, .outputNorm, .attentionQueryNorm, .attentionKeyNorm, .postAttentionNorm, .postFeedForwardNorm].contains(kind) }

    public var description: String {
        if let multimodalName { return multimodalName }
        return (layer.map { "layer \($0) " } ?? "") + "\(kind.rawValue).\(parameter)"
    }
}
