import KilnCheckpoints

/// Gemma 2: Gemma's block (``Gemma``) with attention scores and final logits soft-capped, and
/// sliding-window layers alternating with global ones.
enum Gemma2: DecoderArchitecture {
    static func block(_ spec: ModelSpec) -> DecoderBlock {
        var block = Gemma.block(spec)
        block.attentionSoftcap = spec.text.attentionLogitSoftcap.map(Float.init)
        block.finalLogitSoftcap = spec.text.finalLogitSoftcap.map(Float.init)
        return block
    }
}
