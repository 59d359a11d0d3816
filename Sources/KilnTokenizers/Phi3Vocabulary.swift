import KilnCore

/// The vocabulary llama.cpp's `Phi3MiniModel.set_vocab` converts for a `Phi3ForCausalLM` folder:
/// Phi-3's SentencePiece tokenizer.model, or, when tokenizer_config.json names GPT2Tokenizer (Phi-4),
/// the GPT-2 path's byte-level BPE tokenizer.json, whose cl100k Split regex the converter's chkhsh
/// table names `dbrx`.
public enum Phi3Vocabulary: Sendable, Equatable {
    case sentencePiece
    case gpt2

    /// `config` is tokenizer_config.json, read from `path`; without the file the converter takes the
    /// SentencePiece path, and with it the file must name a tokenizer class.
    public init(tokenizerConfig config: JSON?, path: String?) throws {
        guard let path else {
            self = .sentencePiece
            return
        }
        guard let tokenizerClass = config?["tokenizer_class"]?.stringValue else {
            throw TokenizerError(path: path, "has no tokenizer_class (llama.cpp's Phi-3 conversion needs it)")
        }
        self = tokenizerClass == "GPT2Tokenizer" ? .gpt2 : .sentencePiece
    }
}
