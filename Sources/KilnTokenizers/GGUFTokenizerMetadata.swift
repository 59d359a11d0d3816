import KilnGGUF

/// The `tokenizer.ggml.*` keys of a GGUF, checked, as llama.cpp's `llama_vocab::load` reads them.
struct GGUFTokenizerMetadata {
    let path: String
    let model: String
    let tokens: [String]
    let types: [Vocabulary.TokenType]
    let metadata: GGUFMetadata

    init(_ metadata: GGUFMetadata, path: String) throws {
        self.path = path
        self.metadata = metadata
        guard let model = metadata["tokenizer.ggml.model"]?.stringValue,
              case let .string(tokens)? = metadata["tokenizer.ggml.tokens"]?.arrayValue
        else { throw TokenizerError(path: path, "has no tokenizer (tokenizer.ggml.model and tokenizer.ggml.tokens)") }
        self.model = model
        self.tokens = tokens
        switch metadata["tokenizer.ggml.token_type"]?.arrayValue {
        case let .int32(raw)? where raw.count == tokens.count:
            // llama.cpp treats a type it does not know as undefined, which tokenizes as normal.
            types = raw.map { Vocabulary.TokenType(rawValue: $0) ?? .normal }
        case nil: types = tokens.map { _ in .normal }
        default: throw TokenizerError(path: path, "tokenizer.ggml.token_type is not \(tokens.count) int32 values")
        }
    }

    var preTokenizer: String { metadata["tokenizer.ggml.pre"]?.stringValue ?? "default" }

    func strings(_ key: String) throws -> [String] {
        switch metadata[key]?.arrayValue {
        case let .string(values)?: return values
        case nil: return []
        default: throw TokenizerError(path: path, "\(key) is not an array of strings")
        }
    }

    func scores() throws -> [Float] {
        guard case let .float32(values)? = metadata["tokenizer.ggml.scores"]?.arrayValue, values.count == tokens.count else {
            throw TokenizerError(path: path, "tokenizer.ggml.scores is not \(tokens.count) float32 values")
        }
        return values
    }

    /// A token id key, nil when absent or outside the vocabulary.
    func id(_ key: String) -> Int? {
        metadata["tokenizer.ggml.\(key)"]?.intValue.flatMap { tokens.indices.contains($0) ? $0 : nil }
    }

    func flag(_ key: String) -> Bool? { metadata["tokenizer.ggml.\(key)"]?.boolValue }

    /// Tokens cut out of the text whole: control and unknown ones when special tokens are parsed,
    /// user-defined ones always (llama.cpp's `cache_special_tokens`).
    var addedTokens: [AddedTokenSplitter.Token] {
        tokens.indices.compactMap { id in
            switch types[id] {
            case .control, .unknown: .init(text: tokens[id], id: id, special: true)
            case .userDefined: .init(text: tokens[id], id: id, special: false)
            default: nil
            }
        }
    }
}
