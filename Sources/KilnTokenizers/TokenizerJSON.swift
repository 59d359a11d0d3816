import Foundation
import KilnCore

/// A Hugging Face `tokenizer.json` holding a byte-level BPE model.
public struct TokenizerJSON: Sendable {
    public struct AddedToken: Sendable, Equatable {
        public let id: Int
        public let content: String
        public let special: Bool
    }

    public let path: String
    /// Token string → id, added tokens included.
    public let vocabulary: [String: Int]
    /// Merges as `"left right"`, by priority.
    public let merges: [String]
    public let addedTokens: [AddedToken]
    /// tekken-style BPE: a word already in the vocabulary is not merged further.
    public let ignoreMerges: Bool
    /// The regular expressions of the pre-tokenizer's Split steps, in order.
    public let splitPatterns: [String]
    /// Whether a ByteLevel pre-tokenizer applies its own GPT-2 regex.
    public let byteLevelUsesRegex: Bool
    /// Whether a Digits pre-tokenizer splits numbers into single digits.
    public let splitsDigits: Bool

    public init(path: String) throws {
        self.path = path
        let json = try JSON.read(contentsOf: path, rejectDuplicateKeys: false)
        guard let model = json["model"], model["type"]?.stringValue ?? "BPE" == "BPE",
              let vocab = model["vocab"]?.objectMembers
        else {
            throw TokenizerError(path: path, "is not a BPE tokenizer (Kiln reads byte-level BPE tokenizer.json files)")
        }
        var vocabulary: [String: Int] = [:]
        for (token, id) in vocab {
            vocabulary[token] = try InvalidValue.checked(id.intValue, key: "model.vocab.\(token)", in: ValueLimits.tokenID, path: path)
        }
        var merges: [String] = []
        for merge in model["merges"]?.arrayValue ?? [] {
            if let text = merge.stringValue {
                merges.append(text)
            } else if let pair = merge.arrayValue, pair.count == 2, let a = pair[0].stringValue, let b = pair[1].stringValue {
                merges.append("\(a) \(b)")
            } else {
                throw TokenizerError(path: path, "has a malformed merge \(merge.serialized)")
            }
        }
        var added: [AddedToken] = []
        for entry in json["added_tokens"]?.arrayValue ?? [] {
            guard let content = entry["content"]?.stringValue else {
                throw TokenizerError(path: path, "has a malformed added token \(entry.serialized)")
            }
            let id = try InvalidValue.checked(entry["id"]?.intValue, key: "added_tokens[\(added.count)].id", in: ValueLimits.tokenID, path: path)
            added.append(AddedToken(id: id, content: content, special: entry["special"]?.boolValue ?? false))
            vocabulary[content] = id
        }
        self.vocabulary = vocabulary
        self.merges = merges
        self.addedTokens = added
        ignoreMerges = model["ignore_merges"]?.boolValue ?? false

        var patterns: [String] = []
        var usesRegex = false
        var digits = false
        func visit(_ step: JSON) {
            switch step["type"]?.stringValue {
            case "Sequence": (step["pretokenizers"]?.arrayValue ?? []).forEach(visit)
            case "Split":
                if let regex = step["pattern"]?["Regex"]?.stringValue ?? step["pattern"]?["String"]?.stringValue { patterns.append(regex) }
            case "ByteLevel": usesRegex = usesRegex || (step["use_regex"]?.boolValue ?? true)
            case "Digits": digits = digits || (step["individual_digits"]?.boolValue ?? false)
            default: break
            }
        }
        if let pre = json["pre_tokenizer"], !pre.isNull { visit(pre) }
        splitPatterns = patterns
        byteLevelUsesRegex = usesRegex
        splitsDigits = digits
    }

    /// Refuses a token id at or above the model's vocabulary size (its embedding rows), as llama.cpp's
    /// converter asserts: tables indexed by id are then sized by the model, not by a number in this file.
    public func checkIDs(below size: Int) throws {
        if let (token, id) = vocabulary.max(by: { $0.value < $1.value }), id >= size {
            throw TokenizerError(path: path, "token \"\(token.prefix(64))\" has id \(id), outside the model's vocabulary of \(size)")
        }
    }

    /// The GGUF vocabulary of `size` tokens (the model's vocabulary size): ids the file does not define
    /// become unused `[PADn]`. `llama3` names Llama 3's Split regex (see ``PreTokenizerKind``).
    public func ggufVocabulary(size vocabularySize: Int, llama3: PreTokenizerKind = .llamaBPE) throws -> Vocabulary {
        try checkIDs(below: vocabularySize)
        var byID = [String?](repeating: nil, count: vocabularySize)
        for (token, id) in vocabulary { byID[id] = token }
        let added = Dictionary(addedTokens.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        var tokens: [String] = []
        var types: [Vocabulary.TokenType] = []
        tokens.reserveCapacity(vocabularySize)
        for id in 0..<vocabularySize {
            guard let token = byID[id] else {
                tokens.append("[PAD\(id)]")
                types.append(.unused)
                continue
            }
            if let entry = added[id] {
                if entry.special || PreTokenizerKind.looksSpecial(token) {
                    tokens.append(token)
                    types.append(.control)
                } else {
                    // User-defined tokens are stored pre-normalized: SentencePiece's ▁ becomes a space.
                    tokens.append(token.replacingOccurrences(of: "\u{2581}", with: " "))
                    types.append(.userDefined)
                }
            } else {
                tokens.append(token)
                types.append(.normal)
            }
        }
        return Vocabulary(model: "gpt2", preTokenizer: try PreTokenizerKind.identify(self, llama3: llama3).rawValue,
                          tokens: tokens, types: types, merges: merges)
    }
}
