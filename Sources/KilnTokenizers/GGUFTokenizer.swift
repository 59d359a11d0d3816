import KilnGGUF

/// Picks the tokenizer a GGUF embeds by `tokenizer.ggml.model`.
public enum GGUFTokenizer {
    public static func load(_ metadata: GGUFMetadata, path: String) throws -> any TextTokenizer {
        switch metadata["tokenizer.ggml.model"]?.stringValue {
        case "gpt2": try ByteLevelBPETokenizer(gguf: metadata, path: path)
        case "llama": try SentencePieceTokenizer(gguf: metadata, path: path)
        case let model: throw TokenizerError(path: path, "tokenizer.ggml.model \(model ?? "(missing)") is not supported; Kiln reads gpt2 and llama")
        }
    }
}
