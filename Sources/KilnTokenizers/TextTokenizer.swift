/// Turns text into token ids and back, exactly as the model's reference tokenizer does.
///
/// Implementations: byte-level BPE from `tokenizer.json`, `tekken.json` or a GGUF's `gpt2`
/// vocabulary; SentencePiece BPE from `tokenizer.model` or a GGUF's `llama` vocabulary.
public protocol TextTokenizer: Sendable {
    /// Ids of `text`. Special tokens written in the text (`<s>`, `[INST]`) become their ids when
    /// `parseSpecial` is true; BOS is prepended when `addBOS` is true.
    func encode(_ text: String, addBOS: Bool, parseSpecial: Bool) -> [Int]
    /// The text of `ids`, special tokens included as written.
    func decode(_ ids: [Int]) -> String
    var vocabularySize: Int { get }
    var bosID: Int? { get }
    var eosID: Int? { get }
    /// Whether the model expects BOS at the start of a sequence (`add_bos_token`).
    var addsBOS: Bool { get }
}
