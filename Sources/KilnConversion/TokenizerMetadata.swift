import Foundation
import KilnCheckpoints
import KilnCore
import KilnGGUF
import KilnTokenizers

/// The `tokenizer.*` GGUF keys for a checkpoint's tokenizer files, as llama.cpp's converter writes them.
enum TokenizerMetadata {
    static func entries(for files: TokenizerFiles, vocabularySize: Int) throws -> [(key: String, value: GGUFValue)] {
        let vocabulary: Vocabulary
        var tokenIDs: [String: Int] = [:]
        if let path = files.tokenizerJSON {
            let tokenizer = try TokenizerJSON(path: path)
            vocabulary = try tokenizer.ggufVocabulary(size: vocabularySize)
            tokenIDs = tokenizer.vocabulary
        } else if let path = files.sentencePieceModel {
            vocabulary = try SentencePieceModel(path: path).ggufVocabulary
        } else if let path = files.tekken {
            vocabulary = try TekkenFile(path: path).ggufVocabulary
        } else {
            throw ConversionError(path: files.folder, "has no tokenizer (tokenizer.json, tokenizer.model or tekken.json)")
        }
        if tokenIDs.isEmpty {
            for (id, token) in vocabulary.tokens.enumerated() where tokenIDs[token] == nil { tokenIDs[token] = id }
        }

        var entries: [(key: String, value: GGUFValue)] = [
            ("tokenizer.ggml.model", .string(vocabulary.model)),
            ("tokenizer.ggml.pre", .string(vocabulary.preTokenizer)),
            ("tokenizer.ggml.tokens", .array(.string(vocabulary.tokens))),
        ]
        if !vocabulary.scores.isEmpty { entries.append(("tokenizer.ggml.scores", .array(.float32(vocabulary.scores)))) }
        entries.append(("tokenizer.ggml.token_type", .array(.int32(vocabulary.types.map(\.rawValue)))))
        if !vocabulary.merges.isEmpty { entries.append(("tokenizer.ggml.merges", .array(.string(vocabulary.merges)))) }

        let config = try files.tokenizerConfig.map(readJSON) ?? .object([])
        for (name, key) in [("bos", "bos_token_id"), ("eos", "eos_token_id"), ("unk", "unknown_token_id"), ("pad", "padding_token_id")] {
            let field = config["\(name)_token"]
            guard let text = field?.stringValue ?? field?["content"]?.stringValue, let id = tokenIDs[text] else { continue }
            entries.append(("tokenizer.ggml.\(key)", .uint32(UInt32(id))))
        }
        for flag in ["add_bos_token", "add_eos_token"] {
            if let value = config[flag]?.boolValue { entries.append(("tokenizer.ggml.\(flag)", .bool(value))) }
        }
        if let template = try chatTemplate(files, config: config) {
            entries.append(("tokenizer.chat_template", .string(template)))
        }
        return entries
    }

    private static func chatTemplate(_ files: TokenizerFiles, config: JSON) throws -> String? {
        if let path = files.chatTemplate {
            if path.hasSuffix(".jinja") {
                return try String(contentsOfFile: path, encoding: .utf8)
            }
            return try readJSON(path)["chat_template"]?.stringValue
        }
        if let template = config["chat_template"]?.stringValue { return template }
        // A list of named templates: llama.cpp keeps the default one.
        return config["chat_template"]?.arrayValue?.first { $0["name"]?.stringValue == "default" }?["template"]?.stringValue
    }

    private static func readJSON(_ path: String) throws -> JSON {
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return try data.withUnsafeBytes { try JSON.parse($0, rejectDuplicateKeys: false) }
        } catch {
            throw ConversionError(path: path, "cannot read: \(error)")
        }
    }
}
