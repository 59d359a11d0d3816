import KilnCore

extension SentencePieceModel.AddedToken {
    /// `added_tokens.json`: `{"<token>": id, …}` in file order; none without the file.
    public static func list(addedTokensJSON path: String?) throws -> [Self] {
        guard let path else { return [] }
        guard let members = try JSON.read(contentsOf: path, rejectDuplicateKeys: false).objectMembers else {
            throw TokenizerError(path: path, "is not a JSON object of token → id")
        }
        return try members.map { content, id in
            Self(id: try InvalidValue.checked(id.intValue, key: content, in: ValueLimits.tokenID, path: path), content: content, special: nil)
        }
    }

    /// tokenizer_config.json's `added_tokens_decoder`: `{"id": {"content": …, "special": …}, …}`.
    public static func decoder(of config: JSON?, path: String?) throws -> [Self] {
        guard let members = config?["added_tokens_decoder"]?.objectMembers, let path else { return [] }
        return try members.map { key, entry in
            guard let id = Int(key), ValueLimits.tokenID.contains(id), let content = entry["content"]?.stringValue else {
                throw TokenizerError(path: path, "added_tokens_decoder entry \"\(key)\" needs an id in \(ValueLimits.tokenID) and a content string")
            }
            return Self(id: id, content: content, special: entry["special"]?.boolValue)
        }
    }
}

extension SentencePieceModel {
    /// `Phi3MiniModel.set_vocab` on its SentencePiece path (``Phi3Vocabulary/sentencePiece``): the
    /// pieces with Phi-3's added-token rules over added_tokens.json, tokenizer_config.json's
    /// `added_tokens_decoder` then tokenizer.json's `added_tokens`.
    public func phi3Vocabulary(size: Int, addedTokensJSON: String?, tokenizerConfig: JSON?, tokenizerConfigPath: String?,
                               tokenizerJSON: String?) throws -> Vocabulary {
        let listed = try tokenizerJSON.map { try TokenizerJSON(path: $0).addedTokens } ?? []
        return try ggufVocabulary(
            size: size, addedTokens: try AddedToken.list(addedTokensJSON: addedTokensJSON),
            addedTokensDecoder: try AddedToken.decoder(of: tokenizerConfig, path: tokenizerConfigPath)
                + listed.map { AddedToken(id: $0.id, content: $0.content, special: $0.special) },
            rules: .phi3)
    }
}
