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
