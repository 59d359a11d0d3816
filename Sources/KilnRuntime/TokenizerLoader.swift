import KilnCheckpoints
import KilnCore
import KilnTokenizers

/// Picks the tokenizer a model came with: the GGUF's embedded vocabulary, or a folder's
/// `tokenizer.json` (+ `tokenizer_config.json`), `tekken.json` or `tokenizer.model`, in that order.
public enum TokenizerLoader {
    public static func load(_ spec: ModelSpec) throws -> any TextTokenizer {
        if let metadata = spec.ggufMetadata { return try GGUFTokenizer.load(metadata, path: spec.path) }
        guard let files = spec.tokenizerFiles, !files.isEmpty else {
            throw RuntimeError(path: spec.path, "has no tokenizer (tokenizer.json, tekken.json or tokenizer.model)")
        }
        let config = try files.tokenizerConfig.map { try JSON.read(contentsOf: $0, rejectDuplicateKeys: false) }
        // Phi-3's tokenizer.json is SentencePiece's BPE with byte fallback; Phi-4's is a byte-level BPE.
        if spec.family == .phi3 {
            switch try Phi3Vocabulary(tokenizerConfig: config, path: files.tokenizerConfig) {
            case .sentencePiece: return try Phi3.tokenizer(spec, files: files, config: config)
            case .gpt2: if files.tokenizerJSON == nil { throw RuntimeError(path: spec.path, "has no tokenizer.json (Phi-4's GPT2Tokenizer vocabulary)") }
            }
        }
        // Gemma's tokenizer.json is SentencePiece's BPE with byte fallback, not a byte-level BPE.
        if spec.family.isGemma, let model = files.sentencePieceModel {
            return SentencePieceTokenizer(gemmaSentencePiece: try SentencePieceModel(path: model))
        }
        if let json = files.tokenizerJSON {
            let tokenizer = try TokenizerJSON(path: json)
            try tokenizer.checkIDs(below: spec.text.vocabularySize)
            return try ByteLevelBPETokenizer(tokenizerJSON: tokenizer, config: config)
        }
        if let tekken = files.tekken { return try ByteLevelBPETokenizer(tekken: TekkenFile(path: tekken)) }
        return SentencePieceTokenizer(sentencePiece: try SentencePieceModel(path: files.sentencePieceModel!))
    }
}
