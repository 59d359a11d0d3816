extension SentencePieceTokenizer {
    /// A SentencePiece `tokenizer.model`, as the `sentencepiece` package encodes with it (Llama's
    /// settings: a dummy "▁" prefix, BOS `<s>` added).
    public init(sentencePiece model: SentencePieceModel) {
        let id = { (text: String) in model.pieces.firstIndex { $0.type == .control && $0.text == text } }
        self.init(pieces: model.pieces, addsSpacePrefix: true, bosID: id("<s>"), eosID: id("</s>"), addsBOS: true)
    }

    /// Gemma's `tokenizer.model`: no dummy prefix, BOS `<bos>` added, EOS `<eos>` (what llama.cpp's
    /// converter records for it).
    public init(gemmaSentencePiece model: SentencePieceModel) {
        let id = { (text: String) in model.pieces.firstIndex { $0.type == .control && $0.text == text } }
        self.init(pieces: model.pieces, addsSpacePrefix: false, bosID: id("<bos>"), eosID: id("<eos>"), addsBOS: true)
    }
}
