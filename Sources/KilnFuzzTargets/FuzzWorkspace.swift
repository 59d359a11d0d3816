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

/// A folder where one ``FuzzTarget`` reads input after input as `kiln` reads its files.
///
/// Each input is written where the reader expects its file, beside a copy of the small models of
/// `Fixtures/fuzz/` where the reader needs company. The models' shards are opened once: the config,
/// index and params targets run the real readers of those files over them (the shards themselves are
/// the safetensors target's). A thrown error is the expected outcome for a bad input; a trap, a
/// sanitizer report or a hang is a finding.
public final class FuzzWorkspace {
    public let target: FuzzTarget
    public let folder: String
    /// Shards of the small model by path, opened once.
    private let shards: [String: SafeTensorsFile]
    /// The small model's tensors, for the targets that read its configuration.
    private let shardSet: SafeTensorsShardSet?

    /// Makes `folder` ready for the target's inputs from `fuzzFixtures` (the `Fixtures/fuzz` folder).
    public init(_ target: FuzzTarget, folder: String, fuzzFixtures: String) throws {
        self.target = target
        self.folder = folder
        let fm = FileManager.default
        try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var shards: [String: SafeTensorsFile] = [:]
        func copy(_ model: String, to name: String, shards names: [String]) throws {
            try fm.copyItem(atPath: "\(fuzzFixtures)/\(model)", toPath: "\(folder)/\(name)")
            for shard in names { shards["\(folder)/\(name)/\(shard)"] = try SafeTensorsFile(path: "\(folder)/\(name)/\(shard)") }
        }
        switch target {
        case .index, .config: try copy("hf-model", to: "hf", shards: ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"])
        case .params: try copy("native-model", to: "native", shards: ["consolidated.safetensors"])
        default: break
        }
        self.shards = shards
        switch target {
        case .config: shardSet = try SafeTensorsShardSet(index: "\(folder)/hf/model.safetensors.index.json") { shards[$0] }
        case .params: shardSet = SafeTensorsShardSet(shards.values.first!)
        default: shardSet = nil
        }
    }

    /// Writes `input` to the target's file and reads it.
    public func run(_ input: UnsafeRawBufferPointer) throws {
        let path = "\(folder)/\(target.inputName)"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileError(.open, path: path, errno: errno) }
        defer { close(fd) }
        var written = 0
        while written < input.count {
            let n = write(fd, input.baseAddress! + written, input.count - written)
            guard n > 0 else { throw FileError(.write, path: path, errno: errno) }
            written += n
        }
        try read(path)
    }

    static let text = "Hello, world! 1234 ÀÉÎ 漢字 🙂 <s>[INST] don't\n\n  tabs\tand spaces  "

    private func read(_ path: String) throws {
        switch target {
        case .safetensors:
            let file = try SafeTensorsFile(path: path)
            for tensor in file.tensors { _ = file.bytes(of: tensor).count }
        case .index:
            // A shard the index names that is not one of the model's is looked for as the reader looks.
            let shardSet = try SafeTensorsShardSet(index: path) { shard in
                try shards[shard] ?? (FileManager.default.fileExists(atPath: shard) ? SafeTensorsFile(path: shard) : nil)
            }
            _ = try CheckpointReader.openHuggingFace(folder: "\(folder)/hf", configPath: "\(folder)/hf/config.json", shards: shardSet)
        case .config:
            let spec = try CheckpointReader.openHuggingFace(folder: "\(folder)/hf", configPath: path, shards: shardSet!)
            _ = try GGUFConversion.plan(spec, outputType: .auto)
        case .params:
            let spec = try CheckpointReader.openMistralNative(folder: "\(folder)/native", paramsPath: path, shards: shardSet!)
            _ = try GGUFConversion.plan(spec, outputType: .auto)
        case .tokenizerJSON:
            let tokenizer = try TokenizerJSON(path: path)
            // As `kiln convert` reads it for a model of 1,024 tokens (the seeds have 300).
            _ = try tokenizer.ggufVocabulary(size: 1024)
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
            // The tokenizer and the model are read independently, as `generate` and `quantize` do.
            if let tokenizer = try? GGUFTokenizer.load(file.metadata, path: path) {
                _ = tokenizer.decode(tokenizer.encode(Self.text, addBOS: true, parseSpecial: true))
            }
            _ = try GGUFConversion.plan(try CheckpointReader.open(path), outputType: .auto)
        case .imatrix:
            _ = try ImportanceMatrix(path: path)
        case .referenceCache:
            if case let .hit(cache) = ReferenceCache.load(path, key: FuzzTarget.cacheKey) {
                let positions = try cache.positions()
                for _ in 0..<6 { _ = try positions.next() }
            }
        case .image:
            _ = try RGBImage(contentsOf: path, maximumPixels: 1 << 22).pixels.count
        }
    }
}
