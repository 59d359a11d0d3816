import KilnCore

extension ByteLevelBPETokenizer {
    /// The tokenizer of a Hugging Face folder: `tokenizer.json`, with BOS/EOS and `add_bos_token`
    /// from its `tokenizer_config.json` (nil: no BOS added, none known).
    public init(tokenizerJSON tokenizer: TokenizerJSON, config: JSON?) throws {
        let size = (tokenizer.vocabulary.values.max() ?? -1) + 1
        var spellings = [[UInt8]](repeating: [], count: size)
        for (token, id) in tokenizer.vocabulary { spellings[id] = ByteLevelAlphabet.decode(token) ?? Array(token.utf8) }
        for token in tokenizer.addedTokens { spellings[token.id] = Array(token.content.utf8) }
        // Digits and ByteLevel come after Split in every pre-tokenizer llama.cpp knows.
        let patterns = tokenizer.splitPatterns.map(PreTokenizerKind.foldingLongS) + (tokenizer.splitsDigits ? [#"\p{N}"#] : [])
            + (tokenizer.byteLevelUsesRegex ? [PreTokenizerKind.gpt2Pattern] : [])
        func id(_ key: String) -> Int? {
            guard let value = config?[key], let text = value.stringValue ?? value["content"]?.stringValue else { return nil }
            return tokenizer.vocabulary[text]
        }
        try self.init(
            spellings: spellings,
            added: tokenizer.addedTokens.map { .init(text: $0.content, id: $0.id, special: $0.special) },
            merges: PairMerges(lines: tokenizer.merges, ids: tokenizer.vocabulary),
            ignoreMerges: tokenizer.ignoreMerges, patterns: patterns,
            bosID: id("bos_token"), eosID: id("eos_token"), addsBOS: config?["add_bos_token"]?.boolValue ?? false,
            path: tokenizer.path
        )
    }
}
