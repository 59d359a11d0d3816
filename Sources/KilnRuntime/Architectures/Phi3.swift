import KilnCheckpoints
import KilnCore
import KilnTokenizers

/// What Phi-3's decoder does that Llama's does not; `LlamaModel` runs the blocks they share.
///
/// Phi-3 stores its projections fused, as llama.cpp does: `attn_qkv` holds the query, key and value
/// rows, `ffn_up` the gate rows then the up rows (llama.cpp's SwiGLU halves). The runtime takes each
/// part as a view of the rows where they lie. Long-rope models carry two sets of RoPE frequency
/// divisors; llama.cpp picks one for the whole context (`get_rope_factors`), and so does Kiln.
enum Phi3 {
    /// Query, key and value views of the fused matrix.
    static func attentionProjections(_ fused: WeightMatrix, _ p: TextModelParameters) -> (query: WeightMatrix, key: WeightMatrix, value: WeightMatrix) {
        let q = p.headCount * p.headDimension, kv = p.keyValueHeadCount * p.headDimension
        return (fused.rows(0..<q), fused.rows(q..<q + kv), fused.rows(q + kv..<q + 2 * kv))
    }

    /// Gate and up views of the fused feed-forward matrix.
    static func feedForwardProjections(_ fused: WeightMatrix, _ p: TextModelParameters) -> (gate: WeightMatrix, up: WeightMatrix) {
        (fused.rows(0..<p.intermediateSize), fused.rows(p.intermediateSize..<2 * p.intermediateSize))
    }

    /// Which inputs `kiln imatrix` records: the fused matrices, under their GGUF names.
    static let attentionInputs: [TensorRole.Kind] = [.attentionQKV]
    static let feedForwardInputs: [TensorRole.Kind] = [.feedForwardUp]

    /// A folder's tokenizer as llama.cpp converts it: tokenizer.model with the added tokens of
    /// added_tokens.json, tokenizer_config.json and tokenizer.json, BOS and EOS as tokenizer_config.json
    /// names them (else config.json's ids), BOS added unless `add_bos_token` is false, whitespace after
    /// the added tokens dropped as llama.cpp does for Phi-3 (and Phi-3's tokenizer.json marks them `rstrip`).
    static func tokenizer(_ spec: ModelSpec, files: TokenizerFiles) throws -> SentencePieceTokenizer {
        guard let model = files.sentencePieceModel else { throw RuntimeError(path: spec.path, "has no tokenizer.model (Phi-3's vocabulary)") }
        let config = try files.tokenizerConfig.map { try JSON.read(contentsOf: $0, rejectDuplicateKeys: false) }
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
    static func ropeFactors(_ spec: ModelSpec, contextLength: Int, tensors: (long: [Float]?, short: [Float]?)) throws -> [Float]? {
        let p = spec.text
        if let rotated = p.ropeDimensionCount {
            throw RuntimeError(path: spec.path, "RoPE turns \(rotated) of the \(p.headDimension) dimensions of each head; Kiln runs whole-head RoPE only")
        }
        let long = tensors.long ?? p.ropeScaling?.longFactors?.map { Float($0) }
        let short = tensors.short ?? p.ropeScaling?.shortFactors?.map { Float($0) }
        guard let long, let short else {
            if long != nil || short != nil { throw RuntimeError(path: spec.path, "has only one of the long and short RoPE factor sets") }
            return nil
        }
        for factors in [long, short] where factors.count != p.headDimension / 2 || factors.contains(where: { !($0 > 0) || !$0.isFinite }) {
            throw RuntimeError(path: spec.path, "RoPE factors must be \(p.headDimension / 2) positive numbers, one per rotary pair; found \(factors.count)")
        }
        return contextLength > p.originalContextLength ?? Int.max ? long : short
    }
}
