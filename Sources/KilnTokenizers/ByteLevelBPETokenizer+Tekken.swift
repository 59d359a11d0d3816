extension ByteLevelBPETokenizer {
    /// Mistral's tekken tokenizer as mistral-common runs it (tiktoken: a pair merges when its
    /// concatenation is a token, lowest rank first; a word that is a token is kept whole). BOS is
    /// `<s>` and is always added.
    public init(tekken: TekkenFile) throws {
        let specialCount = tekken.specialTokens.count
        let spellings = tekken.specialTokens.map { Array($0.utf8) } + tekken.rankedBytes
        let id = { (text: String) in tekken.specialTokens.firstIndex(of: text) }
        try self.init(
            spellings: spellings,
            added: tekken.specialTokens.enumerated().map { .init(text: $1, id: $0, special: true) },
            merges: PairMerges(spellings: spellings, priority: { $0 < specialCount ? nil : Double($0) }),
            ignoreMerges: true, patterns: [tekken.pattern],
            bosID: id("<s>"), eosID: id("</s>"), addsBOS: true, path: tekken.path
        )
    }
}
