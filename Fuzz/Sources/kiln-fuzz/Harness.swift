import Foundation
import KilnCheckpoints
import KilnConversion
import KilnCore
import KilnGGUF
import KilnImages
import KilnQuality
import KilnQuantization
import KilnSafeTensors
import KilnTokenizers

/// One reader of untrusted files, driven with whatever bytes libFuzzer makes. The input is written
/// where the reader expects its file (beside real fixture files where the reader needs company), and
/// the reader runs as `kiln` runs it; thrown errors are the expected outcome, a trap or a sanitizer
/// report is a finding.
enum Harness: String, CaseIterable {
    case safetensors, index, config, params
    case tokenizerJSON = "tokenizer-json"
    case tekken, sentencepiece, gguf, imatrix
    case referenceCache = "reference-cache"
    case image

    /// Where the input is written, relative to the work folder.
    var inputName: String {
        switch self {
        case .safetensors: "input.safetensors"
        case .index: "hf/model.safetensors.index.json"
        case .config: "hf/config.json"
        case .params: "native/params.json"
        case .tokenizerJSON: "tokenizer/tokenizer.json"
        case .tekken: "tekken/tekken.json"
        case .sentencepiece: "tokenizer.model"
        case .gguf: "input.gguf"
        case .imatrix: "input.imatrix"
        case .referenceCache: "input.kref"
        case .image: "input.image"
        }
    }

    /// Links the fixture files a reader needs next to its input into `work`.
    func prepare(_ work: String, fixtures: String) throws {
        let fm = FileManager.default
        func link(_ folder: String, from source: String, _ names: [String]) throws {
            try fm.createDirectory(atPath: "\(work)/\(folder)", withIntermediateDirectories: true)
            for name in names { try fm.createSymbolicLink(atPath: "\(work)/\(folder)/\(name)", withDestinationPath: "\(fixtures)/\(source)/\(name)") }
        }
        try fm.createDirectory(atPath: work, withIntermediateDirectories: true)
        let shards = ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"]
        switch self {
        case .index: try link("hf", from: "tiny-pixtral", shards + ["config.json"])
        case .config: try link("hf", from: "tiny-pixtral", shards + ["model.safetensors.index.json", "tokenizer.json", "tokenizer_config.json"])
        case .params: try link("native", from: "tiny-pixtral-native", ["consolidated.safetensors", "tekken.json"])
        case .tokenizerJSON: try fm.createDirectory(atPath: "\(work)/tokenizer", withIntermediateDirectories: true)
        case .tekken: try fm.createDirectory(atPath: "\(work)/tekken", withIntermediateDirectories: true)
        default: break
        }
    }

    static let text = "Hello, world! 1234 ÀÉÎ 漢字 🙂 <s>[INST] don't\n\n  tabs\tand spaces  "
    static let cacheKey = ReferenceCacheKey(model: "fuzz", textDigest: "0", contextLength: 8, chunkCount: 2, vocabularySize: 4)

    /// Runs the reader over the input at `path` (inside `work`).
    func run(_ path: String, work: String) throws {
        switch self {
        case .safetensors:
            let file = try SafeTensorsFile(path: path)
            for tensor in file.tensors { _ = file.bytes(of: tensor).count }
        case .index, .config:
            let spec = try CheckpointReader.open("\(work)/hf")
            _ = try GGUFConversion.plan(spec, outputType: .auto)
        case .params:
            let spec = try CheckpointReader.open("\(work)/native")
            _ = try GGUFConversion.plan(spec, outputType: .auto)
        case .tokenizerJSON:
            let tokenizer = try TokenizerJSON(path: path)
            _ = try tokenizer.ggufVocabulary(size: 0)
            let bpe = try ByteLevelBPETokenizer(tokenizerJSON: tokenizer, config: nil)
            _ = bpe.decode(bpe.encode(Self.text, addBOS: true, parseSpecial: true))
        case .tekken:
            let tekken = try TekkenFile(path: path)
            _ = tekken.ggufVocabulary
            let bpe = try ByteLevelBPETokenizer(tekken: tekken)
            _ = bpe.decode(bpe.encode(Self.text, addBOS: true, parseSpecial: true))
        case .sentencepiece:
            let tokenizer = SentencePieceTokenizer(sentencePiece: try SentencePieceModel(path: path))
            _ = tokenizer.decode(tokenizer.encode(Self.text, addBOS: true, parseSpecial: true))
        case .gguf:
            let file = try GGUFFile(path: path)
            for tensor in file.tensors { _ = file.bytes(of: tensor).count }
            let spec = try CheckpointReader.open(path)
            _ = try GGUFConversion.plan(spec, outputType: .auto)
            let tokenizer = try GGUFTokenizer.load(file.metadata, path: path)
            _ = tokenizer.decode(tokenizer.encode(Self.text, addBOS: true, parseSpecial: true))
        case .imatrix:
            _ = try ImportanceMatrix(path: path)
        case .referenceCache:
            if case let .hit(cache) = ReferenceCache.load(path, key: Self.cacheKey) {
                let positions = try cache.positions()
                for _ in 0..<6 { _ = try positions.next() }
            }
        case .image:
            let image = try RGBImage(contentsOf: path, maximumPixels: 1 << 22)
            _ = image.pixels.count
        }
    }
}
