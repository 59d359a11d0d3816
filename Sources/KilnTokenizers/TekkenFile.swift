import Foundation
import KilnCore

/// Mistral's `tekken.json`: a tiktoken-style ranked byte vocabulary preceded by special tokens.
public struct TekkenFile: Sendable {
    public let path: String
    /// The pre-tokenizer regex.
    public let pattern: String
    /// Special tokens by id (ids `0..<specialTokenCount`).
    public let specialTokens: [String]
    /// Ranked byte strings; rank r has id `specialTokenCount + r`.
    public let rankedBytes: [[UInt8]]
    /// The tokenizer version (`v3`, `v7`, …), which selects Mistral's chat format.
    public let version: String?

    public init(path: String) throws {
        self.path = path
        let json = try JSON.read(contentsOf: path, rejectDuplicateKeys: false)
        guard let config = json["config"], let pattern = config["pattern"]?.stringValue, let entries = json["vocab"]?.arrayValue else {
            throw TokenizerError(path: path, "is not a tekken tokenizer (needs config.pattern and vocab)")
        }
        let specialCount = try config.integer("default_num_special_tokens", in: 0...ValueLimits.vocabulary.upperBound, path: path,
                                              name: "config.default_num_special_tokens")
            ?? json["special_tokens"]?.arrayValue?.count ?? 0
        let vocabularySize = try config.integer("default_vocab_size", in: ValueLimits.vocabulary, path: path, name: "config.default_vocab_size")
            ?? (specialCount + entries.count)
        guard specialCount <= vocabularySize else {
            throw InvalidValue(path: path, key: "config.default_num_special_tokens", "is \(specialCount), more than the \(vocabularySize) tokens of the vocabulary")
        }
        var specials = (0..<specialCount).map { "<SPECIAL_\($0)>" }
        for special in json["special_tokens"]?.arrayValue ?? [] {
            guard let rank = special["rank"]?.intValue, let text = special["token_str"]?.stringValue, rank >= 0, rank < specialCount else {
                throw TokenizerError(path: path, "has a malformed special token \(special.serialized)")
            }
            specials[rank] = text
        }
        var ranked = [[UInt8]?](repeating: nil, count: max(0, min(entries.count, vocabularySize - specialCount)))
        for (index, entry) in entries.enumerated() {
            guard let encoded = entry["token_bytes"]?.stringValue, let bytes = Data(base64Encoded: encoded) else {
                throw TokenizerError(path: path, "has a malformed vocabulary entry \(entry.serialized)")
            }
            // Ranks past the vocabulary size are dropped, as mistral-common drops them.
            let rank = try InvalidValue.checked(entry["rank"]?.intValue, key: "vocab[\(index)].rank", in: ValueLimits.tokenID, path: path)
            if rank < ranked.count { ranked[rank] = Array(bytes) }
        }
        if let missing = ranked.firstIndex(where: { $0 == nil }) {
            throw TokenizerError(path: path, "vocabulary has no token of rank \(missing)")
        }
        self.pattern = pattern
        version = config["version"]?.stringValue ?? json["version"]?.stringValue
        specialTokens = specials
        rankedBytes = ranked.map { $0! }
    }

    /// The vocabulary as llama.cpp stores a tekken tokenizer: `gpt2` byte-level BPE, pre `tekken`,
    /// special tokens as control tokens, merges rebuilt from the ranks.
    public var ggufVocabulary: Vocabulary {
        let strings = rankedBytes.map { ByteLevelAlphabet.encode($0) }
        let rankOf = Dictionary(strings.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var merges: [String] = []
        for token in strings {
            let scalars = Array(token.unicodeScalars)
            var local: [(Int, Int, String)] = []
            for split in 1..<max(scalars.count, 1) {
                let left = String(String.UnicodeScalarView(scalars[..<split]))
                let right = String(String.UnicodeScalarView(scalars[split...]))
                if let l = rankOf[left], let r = rankOf[right] { local.append((l, r, "\(left) \(right)")) }
            }
            merges.append(contentsOf: local.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2))
        }
        return Vocabulary(
            model: "gpt2", preTokenizer: "tekken", tokens: specialTokens + strings,
            types: specialTokens.map { _ in .control } + strings.map { _ in .normal }, merges: merges
        )
    }
}
