import KilnGGUF

extension SentencePieceTokenizer {
    /// The `llama` (SentencePiece) tokenizer a GGUF embeds. `path` names the file in errors.
    public init(gguf metadata: GGUFMetadata, path: String) throws {
        let vocabulary = try GGUFTokenizerMetadata(metadata, path: path)
        guard vocabulary.model == "llama" else {
            throw TokenizerError(path: path, "tokenizer.ggml.model is \(vocabulary.model), not llama (SentencePiece)")
        }
        let scores = try vocabulary.scores()
        self.init(
            pieces: vocabulary.tokens.indices.map { .init(text: vocabulary.tokens[$0], score: scores[$0], type: vocabulary.types[$0]) },
            addsSpacePrefix: vocabulary.flag("add_space_prefix") ?? true,
            bosID: vocabulary.id("bos_token_id"), eosID: vocabulary.id("eos_token_id"),
            addsBOS: vocabulary.flag("add_bos_token") ?? true,
            // llama.cpp recognises Phi-3 by its name, whatever the architecture says.
            stripsAfterSpecialTokens: ["phi-3", "phi3"].contains { metadata["general.name"]?.stringValue?.lowercased().contains($0) == true }
        )
    }
}
