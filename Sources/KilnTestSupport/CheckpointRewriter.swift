import Foundation
import KilnSafeTensors

/// Copies a model folder's safetensors into one new `model.safetensors` (or another name), letting a
/// test rename or drop tensors, so layout variants and broken checkpoints are made from real weights.
public enum CheckpointRewriter {
    /// - Parameters:
    ///   - rename: the new name of each tensor, or nil to drop it.
    ///   - copyFiles: the non-weight files to copy alongside (config, tokenizer, …).
    public static func rewrite(
        from source: String, to destination: String, weightsFile: String = "model.safetensors",
        copyFiles: [String], rename: (String) -> String?
    ) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: destination, withIntermediateDirectories: true)
        for name in copyFiles where fm.fileExists(atPath: "\(source)/\(name)") {
            try fm.copyItem(atPath: "\(source)/\(name)", toPath: "\(destination)/\(name)")
        }
        let shards: SafeTensorsShardSet
        if fm.fileExists(atPath: "\(source)/model.safetensors.index.json") {
            shards = try SafeTensorsShardSet(index: "\(source)/model.safetensors.index.json")
        } else {
            let single = ["model.safetensors", "consolidated.safetensors"].first { fm.fileExists(atPath: "\(source)/\($0)") }!
            shards = try SafeTensorsShardSet(file: "\(source)/\(single)")
        }
        let kept = shards.entries.compactMap { entry in rename(entry.info.name).map { (entry, $0) } }
        let writer = try SafeTensorsWriter(path: "\(destination)/\(weightsFile)",
                                           tensors: kept.map { .init(name: $1, dtype: $0.info.dtype, shape: $0.info.shape) })
        for (entry, _) in kept { try writer.write(entry.bytes) }
        try writer.finish()
    }

    /// The files of the Hugging Face fixture other than its weights.
    public static let huggingFaceSideFiles = ["config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
                                              "generation_config.json", "preprocessor_config.json", "processor_config.json", "chat_template.jinja"]
}
