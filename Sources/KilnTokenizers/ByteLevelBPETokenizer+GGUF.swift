import KilnGGUF

extension ByteLevelBPETokenizer {
    /// The `gpt2` tokenizer a GGUF embeds, with the pre-tokenizer `tokenizer.ggml.pre` names
    /// (`tekken`, `llama-bpe`, `dbrx`, `qwen2`, `gpt-4o`, `gpt-2`, `smollm`, or llama.cpp's `default`). `path` names the file
    /// in errors.
    public init(gguf metadata: GGUFMetadata, path: String) throws {
        let vocabulary = try GGUFTokenizerMetadata(metadata, path: path)
        guard vocabulary.model == "gpt2" else {
            throw TokenizerError(path: path, "tokenizer.ggml.model is \(vocabulary.model), not gpt2 (byte-level BPE)")
        }
        let kind = PreTokenizerKind(rawValue: vocabulary.preTokenizer)
        guard kind != nil || vocabulary.preTokenizer == "default" else {
            throw TokenizerError(path: path, "pre-tokenizer \(vocabulary.preTokenizer) is not supported; Kiln knows default, \(PreTokenizerKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let spellings = zip(vocabulary.tokens, vocabulary.types).map { token, type in
            type == .normal ? ByteLevelAlphabet.decode(token) ?? Array(token.utf8) : Array(token.utf8)
        }
        let ids = Dictionary(vocabulary.tokens.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        // llama.cpp: tekken and Llama 3 keep whole words that are tokens, and add BOS by default.
        let wholeWords = kind == .tekken || kind == .llamaBPE
        try self.init(
            spellings: spellings, added: vocabulary.addedTokens,
            merges: PairMerges(lines: try vocabulary.strings("tokenizer.ggml.merges"), ids: ids),
            ignoreMerges: wholeWords, patterns: kind?.splitPatterns ?? PreTokenizerKind.defaultPatterns, llamaCppUnicode: true,
            bosID: vocabulary.id("bos_token_id"), eosID: vocabulary.id("eos_token_id"),
            addsBOS: vocabulary.flag("add_bos_token") ?? wholeWords, path: path
        )
    }
}
