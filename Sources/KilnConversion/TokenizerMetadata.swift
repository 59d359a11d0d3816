import Foundation
import KilnCheckpoints
import KilnCore
import KilnGGUF
import KilnTokenizers

/// The `tokenizer.*` GGUF keys of a checkpoint, as llama.cpp's converter writes them.
enum TokenizerMetadata {
    /// A Hugging Face folder, as `DecoderModel.set_vocab` converts it: `add_prefix_space`, the vocabulary
    /// (tokenizer.model first, then tokenizer.json), what gguf-py's `SpecialVocab` adds, then the
    /// rules for CodeLlama's (32016) and SmolLM/Granite-small's (49152) vocabulary sizes. Other
    /// families take the plain `TextModel` path (Qwen2's `set_vocab`), Phi-3 its own (``Phi3Vocabulary``).
    static func huggingFace(_ files: TokenizerFiles, configuration: JSON?, vocabularySize: Int,
                            family: ModelFamily = .llama) throws -> [(key: String, value: GGUFValue)] {
        let llamaRules = family == .llama
        // Every token gets a string: a hostile vocab_size must not become a huge allocation.
        guard ValueLimits.vocabulary.contains(vocabularySize) else {
            throw ConversionError(path: files.folder, "vocab_size \(vocabularySize) is out of range (\(ValueLimits.vocabulary))")
        }
        let config = try files.tokenizerConfig.map { try JSON.read(contentsOf: $0, rejectDuplicateKeys: false) }
        var entries: [(key: String, value: GGUFValue)] = []
        if llamaRules, let addPrefixSpace = config?["add_prefix_space"]?.boolValue {
            entries.append(("tokenizer.ggml.add_space_prefix", .bool(addPrefixSpace)))
        }
        let vocabulary: Vocabulary
        let phi3 = family == .phi3 ? try Phi3Vocabulary(tokenizerConfig: config, path: files.tokenizerConfig) : nil
        if phi3 == .gpt2 {
            guard let path = files.tokenizerJSON else { throw ConversionError(path: files.folder, "has no tokenizer.json (Phi-4's GPT2Tokenizer vocabulary)") }
            vocabulary = try TokenizerJSON(path: path).ggufVocabulary(size: vocabularySize, llama3: .dbrx)
        } else if phi3 == .sentencePiece {
            guard let model = files.sentencePieceModel else { throw ConversionError(path: files.folder, "has no tokenizer.model (Phi-3's vocabulary)") }
            vocabulary = try SentencePieceModel(path: model).phi3Vocabulary(
                size: vocabularySize, addedTokensJSON: files.addedTokens, tokenizerConfig: config, tokenizerConfigPath: files.tokenizerConfig,
                tokenizerJSON: files.tokenizerJSON)
        } else if let path = files.sentencePieceModel {
            vocabulary = try SentencePieceModel(path: path).ggufVocabulary(
                size: vocabularySize, addedTokens: try SentencePieceModel.AddedToken.list(addedTokensJSON: files.addedTokens),
                addedTokensDecoder: try SentencePieceModel.AddedToken.decoder(of: config, path: files.tokenizerConfig))
        } else if let path = files.tokenizerJSON {
            vocabulary = try TokenizerJSON(path: path).ggufVocabulary(size: vocabularySize)
        } else {
            throw ConversionError(path: files.folder, "has no tokenizer (tokenizer.json or tokenizer.model)")
        }
        entries += [
            ("tokenizer.ggml.model", .string(vocabulary.model)),
            ("tokenizer.ggml.pre", .string(vocabulary.preTokenizer)),
            ("tokenizer.ggml.tokens", .array(.string(vocabulary.tokens))),
        ]
        if !vocabulary.scores.isEmpty { entries.append(("tokenizer.ggml.scores", .array(.float32(vocabulary.scores)))) }
        entries.append(("tokenizer.ggml.token_type", .array(.int32(vocabulary.types.map(\.rawValue)))))
        // gguf-py's GPT-2 path builds its SpecialVocab without n_vocab, so it keeps any id.
        let bpe = vocabulary.model == "gpt2"
        entries += try SpecialTokens(files: files, configuration: configuration, vocabularySize: bpe ? nil : vocabulary.tokens.count,
                                     loadMerges: bpe).entries
        // A key the converter sets twice keeps its first place and takes the second value.
        func set(_ key: String, _ value: GGUFValue) {
            if let i = entries.firstIndex(where: { $0.key == key }) { entries[i].value = value } else { entries.append((key, value)) }
        }
        guard llamaRules else { return entries }
        if vocabularySize == 32016 {
            // CodeLlama's infill tokens: a second SpecialVocab whose only id with a GGUF key is eot.
            var infill = try SpecialTokens(files: files, configuration: configuration, vocabularySize: nil, loadMerges: false,
                                           types: ["prefix", "suffix", "middle", "eot"])
            for (type, id) in [("prefix", 32007), ("suffix", 32008), ("middle", 32009), ("eot", 32010)] { infill.setID(type, id) }
            for (key, value) in infill.entries { set(key, value) }
        }
        if vocabularySize == 49152 { set("tokenizer.ggml.add_bos_token", .bool(false)) }
        return entries
    }

    /// A Mistral native folder's `tekken.json`, in the order of llama.cpp's `--mistral-format` path:
    /// the vocabulary size sits between the token arrays and the add-BOS/EOS flags.
    static func tekken(_ path: String, chatTemplateFile: String?, vocabularySizeKey: String) throws -> [(key: String, value: GGUFValue)] {
        let tekken = try TekkenFile(path: path)
        let vocabulary = tekken.ggufVocabulary
        func id(_ token: String) throws -> GGUFValue {
            guard let id = vocabulary.tokens.firstIndex(of: token) else {
                throw ConversionError(path: path, "has no \(token) token")
            }
            return .uint32(UInt32(id))
        }
        var entries: [(key: String, value: GGUFValue)] = [
            ("tokenizer.ggml.model", .string(vocabulary.model)),
            ("tokenizer.ggml.pre", .string(vocabulary.preTokenizer)),
            ("tokenizer.ggml.merges", .array(.string(vocabulary.merges))),
            ("tokenizer.ggml.bos_token_id", try id("<s>")),
            ("tokenizer.ggml.eos_token_id", try id("</s>")),
            ("tokenizer.ggml.unknown_token_id", try id("<unk>")),
            ("tokenizer.ggml.padding_token_id", try id("<pad>")),
            ("tokenizer.ggml.tokens", .array(.string(vocabulary.tokens))),
            // mistral-common gives every token score 0 and gguf-py stores the Python ints as INT32.
            ("tokenizer.ggml.scores", .array(.int32([Int32](repeating: 0, count: vocabulary.tokens.count)))),
            ("tokenizer.ggml.token_type", .array(.int32(vocabulary.types.map(\.rawValue)))),
            (vocabularySizeKey, .uint32(UInt32(vocabulary.tokens.count))),
            ("tokenizer.ggml.add_bos_token", .bool(true)),
            ("tokenizer.ggml.add_eos_token", .bool(false)),
        ]
        // The folder's own chat_template.jinja wins (Ministral 3 and later); otherwise llama.cpp
        // names a built-in template for the tokenizer versions it knows.
        if let chatTemplateFile, chatTemplateFile.hasSuffix(".jinja") {
            entries.append(("tokenizer.chat_template", .string(try String(contentsOfFile: chatTemplateFile, encoding: .utf8))))
        } else {
            switch tekken.version {
            case "v3": entries.append(("tokenizer.chat_template", .string("mistral-v3-tekken")))
            case "v7": entries.append(("tokenizer.chat_template", .string("mistral-v7-tekken")))
            default: break
            }
        }
        return entries
    }
}
