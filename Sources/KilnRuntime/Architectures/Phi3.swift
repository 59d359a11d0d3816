import KilnCheckpoints
import KilnCore
import KilnTokenizers

/// Phi-3: Llama's block with its projections stored fused and queries scaled before attention (as
/// llama.cpp's graph scales them by 1/√(head dimension)).
///
/// llama.cpp's converter stores the projections fused: `attn_qkv` holds the query, key and value rows,
/// `ffn_up` the gate rows then the up rows (llama.cpp's SwiGLU halves); the runtime takes each part as
/// a view of the rows where they lie. llama.cpp also loads a Phi-3 GGUF whose query, key and value are
/// separate (`create_tensor_qkv`), and so does Kiln; it loads no separate `ffn_gate`. Long-rope models
/// carry two sets of RoPE frequency divisors; llama.cpp picks one for the whole context
/// (`get_rope_factors`), and so does Kiln. Phi-4-mini turns only the first 3/4 of each head
/// (`partial_rotary_factor`, `rope.dimension_count`), with one factor per turned pair.
enum Phi3: DecoderArchitecture {
    static func block(_ spec: ModelSpec) -> DecoderBlock {
        var block = Llama.block(spec)
        block.fusedProjections = true
        block.queryScale = 1 / Float(spec.text.headDimension).squareRoot()
        return block
    }

    /// A folder's SentencePiece tokenizer (``Phi3Vocabulary/sentencePiece``; `config` is its
    /// tokenizer_config.json) as llama.cpp converts it: tokenizer.model with the added tokens of
    /// added_tokens.json, tokenizer_config.json and tokenizer.json, BOS and EOS as tokenizer_config.json
    /// names them (else config.json's ids), BOS added unless `add_bos_token` is false, whitespace after
    /// the added tokens dropped as llama.cpp does for Phi-3 (and Phi-3's tokenizer.json marks them `rstrip`).
    static func tokenizer(_ spec: ModelSpec, files: TokenizerFiles, config: JSON?) throws -> SentencePieceTokenizer {
        guard let model = files.sentencePieceModel else { throw RuntimeError(path: spec.path, "has no tokenizer.model (Phi-3's vocabulary)") }
        let vocabulary = try SentencePieceModel(path: model).phi3Vocabulary(
            size: spec.text.vocabularySize, addedTokensJSON: files.addedTokens, tokenizerConfig: config,
            tokenizerConfigPath: files.tokenizerConfig, tokenizerJSON: files.tokenizerJSON)
        func id(_ name: String) -> Int? {
            let token = config?[name]
            if let text = token?.stringValue ?? token?["content"]?.stringValue, let id = vocabulary.tokens.firstIndex(of: text) { return id }
            let stated = spec.configuration?["\(name)_id"]
            return (stated?.intValue ?? stated?.arrayValue?.first?.intValue).flatMap { (0..<vocabulary.tokens.count).contains($0) ? $0 : nil }
        }
        return SentencePieceTokenizer(vocabulary: vocabulary, addsSpacePrefix: true, bosID: id("bos_token"), eosID: id("eos_token"),
                                      addsBOS: config?["add_bos_token"]?.boolValue ?? true, stripsAfterSpecialTokens: true)
    }

    /// The RoPE divisors for a context of `contextLength`: the long factors when it exceeds the original
    /// context, else the short ones; from a GGUF's `rope_factors_long/short` or the folder's config.
    static func ropeFactors(_ spec: ModelSpec, contextLength: Int, weights: DecoderWeights) throws -> [Float]? {
        let p = spec.text
        let rotated = p.ropeDimensionCount ?? p.headDimension
        guard rotated > 0, rotated <= p.headDimension, rotated.isMultiple(of: 2) else {
            throw RuntimeError(path: spec.path, "RoPE turns \(rotated) of the \(p.headDimension) dimensions of each head; it must turn an even number of them, at least 2")
        }
        let long = weights.ropeLongFactors ?? p.ropeScaling?.longFactors?.map { Float($0) }
        let short = weights.ropeShortFactors ?? p.ropeScaling?.shortFactors?.map { Float($0) }
        guard let long, let short else {
            if long != nil || short != nil { throw RuntimeError(path: spec.path, "has only one of the long and short RoPE factor sets") }
            return nil
        }
        for factors in [long, short] where factors.count != rotated / 2 || factors.contains(where: { !($0 > 0) || !$0.isFinite }) {
            throw RuntimeError(path: spec.path, "RoPE factors must be \(rotated / 2) positive numbers, one per rotary pair; found \(factors.count)")
        }
        return contextLength > p.originalContextLength ?? Int.max ? long : short
    }
}
