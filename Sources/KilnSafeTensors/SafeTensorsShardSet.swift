import Foundation
import KilnCore

/// The tensors of a checkpoint stored in one or more safetensors files, each tensor found exactly once.
public struct SafeTensorsShardSet: Sendable {
    public struct Entry: Sendable {
        public let info: SafeTensorsTensorInfo
        public let file: SafeTensorsFile
        public var bytes: UnsafeRawBufferPointer { file.bytes(of: info) }
    }

    /// Shards in file-name order.
    public let files: [SafeTensorsFile]
    /// Every tensor: shards in file-name order, each shard's tensors in header order.
    public let entries: [Entry]
    /// `metadata` of the index (e.g. `total_size`), empty for a single file.
    public let indexMetadata: [(key: String, value: JSON)]

    /// A checkpoint held in one file.
    public init(file path: String) throws {
        self.init(try SafeTensorsFile(path: path))
    }

    /// A checkpoint held in one file already open.
    package init(_ file: SafeTensorsFile) {
        files = [file]
        entries = file.tensors.map { Entry(info: $0, file: file) }
        indexMetadata = []
    }

    /// A sharded checkpoint described by a `model.safetensors.index.json`.
    ///
    /// Shard names must be plain file names inside the index's folder; every tensor of the weight map
    /// must be in the shard it names, and every tensor of every shard must be in the weight map.
    public init(index indexPath: String) throws {
        try self.init(index: indexPath) { path in
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            return try SafeTensorsFile(path: path)
        }
    }

    /// The same, with the shards opened by `openShard` (nil: no such file), so that a fuzz target can
    /// read many indexes over shards it opened once.
    package init(index indexPath: String, openShard: (String) throws -> SafeTensorsFile?) throws {
        func fail(_ code: SafeTensorsError.Code, _ message: String) -> SafeTensorsError {
            SafeTensorsError(code, path: indexPath, message)
        }
        let folder = (indexPath as NSString).deletingLastPathComponent
        let json: JSON
        do { json = try JSON.read(contentsOf: indexPath) } catch let error as InvalidJSONFile {
            throw fail(.invalidIndex, error.message)
        }
        guard let weightMap = json["weight_map"]?.objectMembers else {
            throw fail(.invalidIndex, "has no \"weight_map\" object")
        }
        indexMetadata = json["metadata"]?.objectMembers ?? []

        var shardOf: [String: String] = [:]
        for (tensor, shard) in weightMap {
            guard let name = shard.stringValue else {
                throw fail(.invalidIndex, "weight_map entry for \"\(tensor)\" is not a file name")
            }
            guard !name.isEmpty, !name.contains("/"), !name.contains("\\"), name != ".", name != ".." else {
                throw fail(.shardEscapesFolder, "shard name \"\(name)\" for tensor \"\(tensor)\" is not a plain file name inside the model folder")
            }
            shardOf[tensor] = name
        }

        var files: [SafeTensorsFile] = []
        for name in Set(shardOf.values).sorted() {
            let path = folder.isEmpty ? name : "\(folder)/\(name)"
            guard let file = try openShard(path) else {
                throw fail(.missingShard, "shard \"\(name)\" named in the weight map does not exist")
            }
            files.append(file)
        }

        var entries: [Entry] = []
        var found = Set<String>()
        for file in files {
            let shardName = (file.path as NSString).lastPathComponent
            for info in file.tensors {
                guard shardOf[info.name] == shardName else {
                    let where_ = shardOf[info.name].map { "the index maps it to \"\($0)\"" } ?? "the index does not list it"
                    throw fail(.tensorInSeveralShards, "tensor \"\(info.name)\" is stored in \"\(shardName)\" but \(where_)")
                }
                found.insert(info.name)
                entries.append(Entry(info: info, file: file))
            }
        }
        if let missing = weightMap.first(where: { !found.contains($0.key) }) {
            throw fail(.tensorMissing, "tensor \"\(missing.key)\" is mapped to \"\(shardOf[missing.key]!)\" but no shard holds it")
        }
        self.files = files
        self.entries = entries
    }
}
