import Foundation
import KilnCheckpoints
import KilnCore
import KilnSafeTensors

/// Writes a ``ModelSpec`` back as a model folder in its own layout: safetensors weights sharded as the
/// source was, the configuration document, and every other file of the source folder.
///
/// Tensors stream one at a time from their memory maps (or from a small zero buffer), so memory does
/// not grow with the model, and a tensor that appears twice is written twice: the output has no
/// shared storage for a loader to trip on. The folder appears under its name only when complete.
public enum CheckpointFolderWriter {
    /// Progress of a long write: bytes written, bytes in all, the tensor just written.
    public typealias Progress = (_ doneBytes: Int, _ totalBytes: Int, _ name: String) -> Void

    /// Bytes handed to the writer at a time.
    private static let chunkBytes = 16 << 20
    private static let zeros = [UInt8](repeating: 0, count: 1 << 20)

    public static func write(_ spec: ModelSpec, to folder: String, progress: Progress? = nil) throws {
        let configName: String, singleName: String
        switch spec.layout.kind {
        case .huggingFace, .llava: (configName, singleName) = ("config.json", "model.safetensors")
        case .mistralNative: (configName, singleName) = ("params.json", "consolidated.safetensors")
        case .gguf: throw TransformError("\(spec.path) is a GGUF file; a model folder can only be written from a safetensors checkpoint (use `kiln convert --upscale` for GGUF output)")
        }
        guard let configuration = spec.configuration else {
            throw TransformError("\(spec.path) has no configuration document to write as \(configName)")
        }
        // Every tensor must be expressible in safetensors before anything is written.
        let descriptors = Dictionary(uniqueKeysWithValues: try spec.tensors.map { ($0.name, try descriptor($0)) })
        let shards = shards(spec.tensors, count: spec.layout.kind == .mistralNative ? 1 : sourceFileCount(spec))
        let names = shards.count == 1 ? [singleName]
            : (1...shards.count).map { String(format: "model-%05d-of-%05d.safetensors", $0, shards.count) }

        let output = try AtomicOutputFolder(path: folder)
        let total = spec.tensors.reduce(0) { $0 + $1.byteCount }
        var done = 0
        for (shard, name) in zip(shards, names) {
            let writer = try SafeTensorsWriter(path: output.file(name), tensors: shard.map { descriptors[$0.name]! })
            for tensor in shard {
                try copy(tensor, to: writer)
                done += tensor.byteCount
                progress?(done, total, tensor.name)
            }
            try writer.finish()
        }
        if shards.count > 1 {
            let weightMap = zip(shards, names).flatMap { shard, name in shard.map { ($0.name, JSON.string(name)) } }
                .sorted { $0.0.unicodeScalars.lexicographicallyPrecedes($1.0.unicodeScalars) }
            let index = JSON.object([
                ("metadata", .object([("total_size", .number(String(spec.tensors.reduce(0) { $0 + $1.byteCount })))])),
                ("weight_map", .object(weightMap)),
            ])
            try AtomicOutputFile.write(Array((index.indentedText + "\n").utf8), to: output.file("model.safetensors.index.json"))
        }
        try AtomicOutputFile.write(Array((configuration.indentedText + "\n").utf8), to: output.file(configName))
        for name in try sideFiles(of: spec.path, except: configName) {
            let source = try MappedFile(path: "\(spec.path)/\(name)")
            try AtomicOutputFile.write(source.bytes, to: output.file(name))
        }
        try output.commit()
    }

    /// Splits tensors, in order, into at most `count` shards of about `total / count` bytes, filled
    /// greedily as huggingface_hub fills shards up to its size limit; the last shard takes the rest.
    private static func shards(_ tensors: [ModelTensor], count: Int) -> [[ModelTensor]] {
        let limit = (tensors.reduce(0) { $0 + $1.byteCount } + count - 1) / max(count, 1)
        var shards: [[ModelTensor]] = [[]]
        var size = 0
        for tensor in tensors {
            if !shards[shards.count - 1].isEmpty, size + tensor.byteCount > limit, shards.count < count {
                shards.append([])
                size = 0
            }
            shards[shards.count - 1].append(tensor)
            size += tensor.byteCount
        }
        return shards
    }

    private static func descriptor(_ tensor: ModelTensor) throws -> SafeTensorsWriter.TensorDescriptor {
        guard case let .safetensors(dtype) = tensor.encoding else {
            throw TransformError("tensor \"\(tensor.name)\" is \(tensor.encoding), which safetensors cannot hold")
        }
        return .init(name: tensor.name, dtype: dtype, shape: tensor.shape)
    }

    /// How many files the tensors are read from: the source's shard count.
    private static func sourceFileCount(_ spec: ModelSpec) -> Int {
        Set(spec.tensors.compactMap { tensor -> String? in
            if case let .mapped(file, _) = tensor.source { return file.path }
            return nil
        }).count
    }

    private static func copy(_ tensor: ModelTensor, to writer: SafeTensorsWriter) throws {
        switch tensor.source {
        case let .mapped(file, range):
            for start in stride(from: range.lowerBound, to: range.upperBound, by: chunkBytes) {
                let chunk = start..<min(start + chunkBytes, range.upperBound)
                try writer.write(UnsafeRawBufferPointer(rebasing: file.bytes[chunk]))
                // Pages already written are not needed again (a repeated layer comes back from the
                // page cache); dropping them keeps RSS near one chunk, however large the tensor.
                file.adviseDone(chunk)
            }
        case .zeros:
            try zeros.withUnsafeBytes { zeros in
                for start in stride(from: 0, to: tensor.byteCount, by: zeros.count) {
                    try writer.write(UnsafeRawBufferPointer(rebasing: zeros[0..<min(zeros.count, tensor.byteCount - start)]))
                }
            }
        case let .values(bytes):
            try bytes.withUnsafeBytes { try writer.write($0) }
        }
    }

    /// The plain files of the source folder that describe the model rather than hold its weights:
    /// tokenizer files, chat template, generation and processor configs, model card. Hidden files,
    /// sub-folders, weights in any format and the configuration (rewritten) are left out.
    private static func sideFiles(of folder: String, except configName: String) throws -> [String] {
        let weightSuffixes = [".safetensors", ".safetensors.index.json", ".bin", ".bin.index.json", ".pt", ".pth", ".ckpt", ".gguf"]
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            throw FileError(.read, path: folder, errno: errno)
        }
        return names.sorted().filter { name in
            var isFolder: ObjCBool = false
            return !name.hasPrefix(".") && name != configName && !weightSuffixes.contains(where: name.hasSuffix)
                && FileManager.default.fileExists(atPath: "\(folder)/\(name)", isDirectory: &isFolder) && !isFolder.boolValue
        }
    }
}
