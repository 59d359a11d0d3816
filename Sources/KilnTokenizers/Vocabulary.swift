/// A tokenizer's vocabulary as GGUF stores it (`tokenizer.ggml.*`).
public struct Vocabulary: Sendable, Equatable {
    /// llama.cpp's token types (`llama_token_type`).
    public enum TokenType: Int32, Sendable {
        case normal = 1, unknown = 2, control = 3, userDefined = 4, unused = 5, byte = 6
    }

    /// `gpt2` (byte-level BPE) or `llama` (SentencePiece).
    public var model: String
    /// The pre-tokenizer name llama.cpp selects behaviour by (`tekken`, `llama-bpe`, `default`, …).
    public var preTokenizer: String
    public var tokens: [String]
    public var types: [TokenType]
    /// SentencePiece scores; empty for BPE.
    public var scores: [Float]
    /// BPE merges, `"left right"`, by priority.
    public var merges: [String]

    public init(model: String, preTokenizer: String, tokens: [String], types: [TokenType], scores: [Float] = [], merges: [String] = []) {
        self.model = model
        self.preTokenizer = preTokenizer
        self.tokens = tokens
        self.types = types
        self.scores = scores
        self.merges = merges
    }
}
