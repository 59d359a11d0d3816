import KilnQuality

/// One reader of untrusted files, driven with arbitrary bytes: by libFuzzer in `Fuzz/` (sanitized), and
/// by the test suite over the committed corpus in `Fixtures/fuzz/` (the smoke pass CI runs). A
/// ``FuzzWorkspace`` writes each input where the reader expects its file and runs the reader.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case safetensors, index, config, params
    case tokenizerJSON = "tokenizer-json"
    case tekken, sentencepiece, gguf, imatrix
    case referenceCache = "reference-cache"
    case image

    /// Where the input is written, relative to the workspace folder.
    public var inputName: String {
        switch self {
        case .safetensors: "input.safetensors"
        case .index: "hf/model.safetensors.index.json"
        case .config: "hf/config.json"
        case .params: "native/params.json"
        case .tokenizerJSON: "tokenizer.json"
        case .tekken: "tekken.json"
        case .sentencepiece: "tokenizer.model"
        case .gguf: "input.gguf"
        case .imatrix: "input.imatrix"
        case .referenceCache: "input.kref"
        case .image: "input.image"
        }
    }

    /// The key the reference-cache target looks its input up with (two chunks of 8 positions, 4 tokens).
    public static let cacheKey = ReferenceCacheKey(model: "fuzz", textDigest: "0", contextLength: 8, chunkCount: 2, vocabularySize: 4)
}
