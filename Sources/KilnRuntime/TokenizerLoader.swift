import Foundation
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
        if let json = files.tokenizerJSON {
            let config = try files.tokenizerConfig.map(readJSON)
            return try ByteLevelBPETokenizer(tokenizerJSON: TokenizerJSON(path: json), config: config)
        }
        if let tekken = files.tekken { return try ByteLevelBPETokenizer(tekken: TekkenFile(path: tekken)) }
        return SentencePieceTokenizer(sentencePiece: try SentencePieceModel(path: files.sentencePieceModel!))
    }

    private static func readJSON(_ path: String) throws -> JSON {
        guard let data = FileManager.default.contents(atPath: path) else { throw RuntimeError(path: path, "cannot be read") }
        do { return try data.withUnsafeBytes { try JSON.parse($0) } } catch {
            throw RuntimeError(path: path, "is not valid JSON: \(error)")
        }
    }
}
