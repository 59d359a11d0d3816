extension SentencePieceTokenizer {
    /// A SentencePiece `tokenizer.model`, as the `sentencepiece` package encodes with it (Llama's
    /// settings: a dummy "▁" prefix, BOS `<s>` added).
    public init(sentencePiece model: SentencePieceModel) {
        let id = { (text: String) in model.pieces.firstIndex { $0.type == .control && $0.text == text } }
        self.init(pieces: model.pieces, addsSpacePrefix: true, bosID: id("<s>"), eosID: id("</s>"), addsBOS: true)
    }
}
