import Foundation
import KilnCore
import KilnGGUF
import KilnTestSupport
import KilnTokenizers

/// The fixture tokenizers, loaded once, through every initializer the runtime uses.
enum TestTokenizers {
    static let tokenizerJSON = try! ByteLevelBPETokenizer(tokenizerJSON: TokenizerJSON(path: Fixtures.path("tiny-pixtral/tokenizer.json")),
                                                          config: json(Fixtures.path("tiny-pixtral/tokenizer_config.json")))
    static let tekkenFile = try! TekkenFile(path: Fixtures.path("tiny-pixtral-native/tekken.json"))
    static let tekken = try! ByteLevelBPETokenizer(tekken: tekkenFile)
    /// The GGUF vocabularies `kiln convert` writes for the Hugging Face and the native fixture.
    static let ggufFromTokenizerJSON = try! GGUFTokenizer.load(
        metadata(try! TokenizerJSON(path: Fixtures.path("tiny-pixtral/tokenizer.json")).ggufVocabulary(size: 1024)), path: "hf.gguf")
    static let ggufFromTekken = try! GGUFTokenizer.load(metadata(tekkenFile.ggufVocabulary), path: "native.gguf")
    /// tiny-phi4's tokenizer.json (Phi-4's cl100k Split regex) as the runtime reads the folder, and the
    /// `dbrx` vocabulary `kiln convert` writes for it.
    static let phi4TokenizerJSON = try! ByteLevelBPETokenizer(tokenizerJSON: TokenizerJSON(path: Fixtures.path("tiny-phi4/tokenizer.json")),
                                                              config: json(Fixtures.path("tiny-phi4/tokenizer_config.json")))
    static let ggufPhi4 = try! GGUFTokenizer.load(
        metadata(try! TokenizerJSON(path: Fixtures.path("tiny-phi4/tokenizer.json")).ggufVocabulary(size: 1024, llama3: .dbrx)), path: "phi4.gguf")
    /// tiny-phi4-mini's tokenizer.json (Phi-4-mini's o200k Split regex, ids with gaps) as the runtime reads
    /// the folder, and the `gpt-4o` vocabulary `kiln convert` writes for it.
    static let phi4MiniTokenizerJSON = try! ByteLevelBPETokenizer(
        tokenizerJSON: TokenizerJSON(path: Fixtures.path("tiny-phi4-mini/tokenizer.json")),
        config: json(Fixtures.path("tiny-phi4-mini/tokenizer_config.json")))
    static let ggufPhi4Mini = try! GGUFTokenizer.load(
        metadata(try! TokenizerJSON(path: Fixtures.path("tiny-phi4-mini/tokenizer.json")).ggufVocabulary(size: 1024)), path: "phi4-mini.gguf")
    /// BPEs trained until every piece of their golden texts is one token (make_tokenizer_goldens.py), with
    /// o200k's regex (`gpt-4o`), Llama 3's (`llama-bpe`) and tekken's, each as the runtime reads the
    /// tokenizer.json (the file's regex, as HF) and as the vocabulary a GGUF holds (as llama.cpp runs it).
    static let splitBPEs = ["o200k-bpe", "llama3-bpe", "tekken-bpe"]
    static let splitBPEJSONs = Dictionary(uniqueKeysWithValues: splitBPEs.map {
        ($0, try! TokenizerJSON(path: Fixtures.path("tokenizers/\($0).json")))
    })
    static let splitBPEFolders = splitBPEJSONs.mapValues { try! ByteLevelBPETokenizer(tokenizerJSON: $0, config: nil) }
    static let splitBPEGGUFs = splitBPEJSONs.mapValues {
        try! GGUFTokenizer.load(metadata(try! $0.ggufVocabulary(size: $0.vocabulary.count)), path: "\($0.path).gguf")
    }
    static let sentencePieceModel = try! SentencePieceModel(path: Fixtures.path("tokenizers/sentencepiece-bpe.model"))
    static let sentencePiece = SentencePieceTokenizer(sentencePiece: sentencePieceModel)
    static let ggufSentencePiece = try! GGUFTokenizer.load(metadata(sentencePieceModel.ggufVocabulary(size: sentencePieceModel.pieces.count, addedTokens: [], addedTokensDecoder: [])), path: "spm.gguf")

    static func json(_ path: String) throws -> JSON {
        try Data(contentsOf: URL(fileURLWithPath: path)).withUnsafeBytes { try JSON.parse($0, rejectDuplicateKeys: false) }
    }

    /// The `tokenizer.*` keys of a GGUF holding `vocabulary`, BOS `<s>` and EOS `</s>` when it has them.
    static func metadata(_ vocabulary: Vocabulary) -> GGUFMetadata {
        var entries: [(key: String, value: GGUFValue)] = [
            ("tokenizer.ggml.model", .string(vocabulary.model)),
            ("tokenizer.ggml.pre", .string(vocabulary.preTokenizer)),
            ("tokenizer.ggml.tokens", .array(.string(vocabulary.tokens))),
            ("tokenizer.ggml.token_type", .array(.int32(vocabulary.types.map(\.rawValue)))),
        ]
        for (key, token) in [("bos", "<s>"), ("eos", "</s>")] {
            if let id = vocabulary.tokens.firstIndex(of: token) { entries.append(("tokenizer.ggml.\(key)_token_id", .uint32(UInt32(id)))) }
        }
        if !vocabulary.scores.isEmpty { entries.append(("tokenizer.ggml.scores", .array(.float32(vocabulary.scores)))) }
        if !vocabulary.merges.isEmpty { entries.append(("tokenizer.ggml.merges", .array(.string(vocabulary.merges)))) }
        return GGUFMetadata(entries)
    }
}
