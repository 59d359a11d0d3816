/// How one layout names vision tensors: Hugging Face Llava (`vision_tower.transformer.layers.N.attention.q_proj`),
/// Mistral native (`vision_encoder.transformer.layers.N.attention.wq`) and llama.cpp's mmproj GGUF
/// (`v.blk.N.attn_q`).
public struct VisionTensorNaming: Sendable, Equatable {
    /// Prefix of encoder tensors (`vision_tower.`) and of projector tensors (`multi_modal_projector.`).
    public let encoderPrefix: String
    public let projectorPrefix: String
    private let layerPrefix: String
    private let layerParts: [VisionTensorRole.Kind: String]
    private let globals: [VisionTensorRole.Kind: String]
    private let projector: [VisionTensorRole.Kind: String]
    /// The name of the `[IMG_BREAK]` embedding, in the layout that stores it as a tensor of its own.
    private let imageBreak: String?

    /// transformers' `PixtralVisionModel` and `LlavaMultiModalProjector`; `prefix` is empty (transformers
    /// 4.x on disk) or `model.` (newer).
    public static func llava(prefix: String) -> VisionTensorNaming {
        VisionTensorNaming(
            encoderPrefix: prefix + "vision_tower.", projectorPrefix: prefix + "multi_modal_projector.",
            layerPrefix: "transformer.layers.",
            layerParts: [
                .attentionNorm: "attention_norm", .attentionQuery: "attention.q_proj", .attentionKey: "attention.k_proj",
                .attentionValue: "attention.v_proj", .attentionOutput: "attention.o_proj", .feedForwardNorm: "ffn_norm",
                .feedForwardGate: "feed_forward.gate_proj", .feedForwardUp: "feed_forward.up_proj",
                .feedForwardDown: "feed_forward.down_proj",
            ],
            globals: [.patchEmbedding: "patch_conv", .preNorm: "ln_pre"],
            projector: [.projectorIn: "linear_1", .projectorOut: "linear_2"], imageBreak: nil
        )
    }

    /// Mistral's `consolidated.safetensors` (`vision_encoder.`, `vision_language_adapter.`).
    public static let mistralNative = VisionTensorNaming(
        encoderPrefix: "vision_encoder.", projectorPrefix: "vision_language_adapter.",
        layerPrefix: "transformer.layers.",
        layerParts: [
            .attentionNorm: "attention_norm", .attentionQuery: "attention.wq", .attentionKey: "attention.wk",
            .attentionValue: "attention.wv", .attentionOutput: "attention.wo", .feedForwardNorm: "ffn_norm",
            .feedForwardGate: "feed_forward.w1", .feedForwardUp: "feed_forward.w3", .feedForwardDown: "feed_forward.w2",
        ],
        globals: [.patchEmbedding: "patch_conv", .preNorm: "ln_pre"],
        projector: [.projectorIn: "w_in", .projectorOut: "w_out"], imageBreak: nil
    )

    /// llama.cpp's mmproj names (`clip.cpp`, gguf-py's `MODEL_ARCH.MMPROJ`).
    public static let mmproj = VisionTensorNaming(
        encoderPrefix: "v.", projectorPrefix: "mm.",
        layerPrefix: "blk.",
        layerParts: [
            .attentionNorm: "ln1", .attentionQuery: "attn_q", .attentionKey: "attn_k", .attentionValue: "attn_v",
            .attentionOutput: "attn_out", .feedForwardNorm: "ln2", .feedForwardGate: "ffn_gate", .feedForwardUp: "ffn_up",
            .feedForwardDown: "ffn_down",
        ],
        globals: [.patchEmbedding: "patch_embd", .preNorm: "pre_ln"],
        projector: [.projectorIn: "1", .projectorOut: "2"], imageBreak: "v.token_embd.img_break"
    )

    /// The role of a tensor name, or nil when the name is not a vision tensor this naming knows.
    public func role(of name: String) -> VisionTensorRole? {
        if name == imageBreak { return VisionTensorRole(.imageBreakEmbedding) }
        guard let dot = name.lastIndex(of: ".") else { return nil }
        let stem = name[..<dot]
        let parameter = String(name[name.index(after: dot)...])
        guard parameter == "weight" || parameter == "bias" else { return nil }
        if stem.hasPrefix(projectorPrefix) {
            let part = stem.dropFirst(projectorPrefix.count)
            return projector.first { $0.value == part }.map { VisionTensorRole($0.key, parameter: parameter) }
        }
        guard stem.hasPrefix(encoderPrefix) else { return nil }
        let rest = stem.dropFirst(encoderPrefix.count)
        if let kind = globals.first(where: { $0.value == rest })?.key { return VisionTensorRole(kind, parameter: parameter) }
        guard rest.hasPrefix(layerPrefix) else { return nil }
        let inLayer = rest.dropFirst(layerPrefix.count)
        guard let layerDot = inLayer.firstIndex(of: "."), let layer = Int(inLayer[..<layerDot]), layer >= 0 else { return nil }
        let part = inLayer[inLayer.index(after: layerDot)...]
        return layerParts.first { $0.value == part }.map { VisionTensorRole($0.key, layer: layer, parameter: parameter) }
    }

    /// The name this layout gives a role. Layouts that keep `[IMG_BREAK]` inside the token embedding
    /// describe it rather than name it.
    public func name(of role: VisionTensorRole) -> String {
        if role.kind == .imageBreakEmbedding { return imageBreak ?? "[IMG_BREAK] row of the token embedding" }
        if let part = projector[role.kind] { return "\(projectorPrefix)\(part).\(role.parameter)" }
        if let part = globals[role.kind] { return "\(encoderPrefix)\(part).\(role.parameter)" }
        return "\(encoderPrefix)\(layerPrefix)\(role.layer ?? 0).\(layerParts[role.kind]!).\(role.parameter)"
    }
}
