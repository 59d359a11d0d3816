extension SentencePieceTokenizer {
    /// A SentencePiece `tokenizer.model`, as the `sentencepiece` package encodes with it (Llama's
    /// settings: a dummy "▁" prefix, BOS `<s>` added).
    public init(sentencePiece model: SentencePieceModel) {
        let id = { (text: String) in model.pieces.firstIndex { $0.type == .control && $0.text == text } }
        self.init(pieces: model.pieces, addsSpacePrefix: true, bosID: id("<s>"), eosID: id("</s>"), addsBOS: true)
    }

    /// Gemma's `tokenizer.model`: no dummy prefix, BOS `<bos>` added, EOS `<eos>` (what llama.cpp's
    /// converter records for it); a model trained with sentencepiece's default names has `<s>`, `</s>`.
    public init(gemmaSentencePiece model: SentencePieceModel) {
        let id = { (names: [String]) in model.pieces.firstIndex { $0.type == .control && names.contains($0.text) } }
        self.init(pieces: model.pieces, addsSpacePrefix: false, bosID: id(["<bos>", "<s>"]), eosID: id(["<eos>", "</s>"]), addsBOS: true)
    }
}

extension SentencePieceTokenizer {
    /// A vocabulary as llama.cpp's converter builds it (Phi-3's from its folder): its control and
    /// user-defined tokens are matched whole, like a GGUF's, with the whitespace after them dropped
    /// when `stripsAfterSpecialTokens` (Phi-3's).
    public init(vocabulary: Vocabulary, addsSpacePrefix: Bool, bosID: Int?, eosID: Int?, addsBOS: Bool, stripsAfterSpecialTokens: Bool) {
        self.init(pieces: vocabulary.tokens.indices.map { .init(text: vocabulary.tokens[$0], score: vocabulary.scores[$0], type: vocabulary.types[$0]) },
                  addsSpacePrefix: addsSpacePrefix, bosID: bosID, eosID: eosID, addsBOS: addsBOS, stripsAfterSpecialTokens: stripsAfterSpecialTokens)
    }
}
