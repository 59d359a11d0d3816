import Foundation
import KilnCheckpoints
import KilnCore
import KilnGGUF
import KilnTokenizers

/// The `tokenizer.*` GGUF keys of a checkpoint, as llama.cpp's converter writes them.
enum TokenizerMetadata {
    /// A Hugging Face folder: the vocabulary (tokenizer.json or tokenizer.model), then what gguf-py's
    /// `SpecialVocab` adds.
    static func huggingFace(_ files: TokenizerFiles, configuration: JSON?, vocabularySize: Int) throws -> [(key: String, value: GGUFValue)] {
        let vocabulary: Vocabulary
        if let path = files.tokenizerJSON {
            vocabulary = try TokenizerJSON(path: path).ggufVocabulary(size: vocabularySize)
        } else if let path = files.sentencePieceModel {
            vocabulary = try SentencePieceModel(path: path).ggufVocabulary
        } else {
            throw ConversionError(path: files.folder, "has no tokenizer (tokenizer.json or tokenizer.model)")
        }
        var entries: [(key: String, value: GGUFValue)] = [
            ("tokenizer.ggml.model", .string(vocabulary.model)),
            ("tokenizer.ggml.pre", .string(vocabulary.preTokenizer)),
            ("tokenizer.ggml.tokens", .array(.string(vocabulary.tokens))),
        ]
        if !vocabulary.scores.isEmpty { entries.append(("tokenizer.ggml.scores", .array(.float32(vocabulary.scores)))) }
        entries.append(("tokenizer.ggml.token_type", .array(.int32(vocabulary.types.map(\.rawValue)))))
        let special = try SpecialTokens(files: files, configuration: configuration, vocabularySize: vocabulary.tokens.count,
                                        loadMerges: vocabulary.model == "gpt2")
        return entries + special.entries
    }

    /// A Mistral native folder's `tekken.json`, in the order of llama.cpp's `--mistral-format` path:
    /// the vocabulary size sits between the token arrays and the add-BOS/EOS flags.
    static func tekken(_ path: String, vocabularySizeKey: String) throws -> [(key: String, value: GGUFValue)] {
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
        // llama.cpp names a built-in template for the tokenizer versions it knows.
        switch tekken.version {
        case "v3": entries.append(("tokenizer.chat_template", .string("mistral-v3-tekken")))
        case "v7": entries.append(("tokenizer.chat_template", .string("mistral-v7-tekken")))
        default: break
        }
        return entries
    }
}
