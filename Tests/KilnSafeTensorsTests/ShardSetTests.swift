import Foundation
import KilnSafeTensors
import KilnTestSupport
import Testing

@Suite struct ShardSetTests {
    /// Two shards of the valid corpus file plus an index, in a fresh folder.
    func shardedFolder(weightMap: String) throws -> TemporaryDirectory {
        let folder = TemporaryDirectory()
        try RawSafeTensors.valid().write(to: folder.file("model-00001-of-00002.safetensors"))
        let second = RawSafeTensors(header: #"{"c":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}"#, data: [0, 60, 0, 64])
        try second.write(to: folder.file("model-00002-of-00002.safetensors"))
        try Data(#"{"metadata":{"total_size":28},"weight_map":\#(weightMap)}"#.utf8).write(to: URL(fileURLWithPath: folder.file("model.safetensors.index.json")))
        return folder
    }

    let goodMap = #"{"a":"model-00001-of-00002.safetensors","b":"model-00001-of-00002.safetensors","c":"model-00002-of-00002.safetensors"}"#

    @Test func readsEveryTensorOnce() throws {
        let folder = try shardedFolder(weightMap: goodMap)
        let set = try SafeTensorsShardSet(index: folder.file("model.safetensors.index.json"))
        #expect(set.entries.map(\.info.name) == ["a", "b", "c"])
        #expect(set.files.count == 2)
        #expect(Array(set.entries[2].bytes) == [0, 60, 0, 64])
    }

    @Test(arguments: ["../model-00002-of-00002.safetensors", "sub/model.safetensors", "..", "/etc/passwd"])
    func rejectsShardNamesEscapingTheFolder(_ name: String) throws {
        let folder = try shardedFolder(weightMap: #"{"a":"model-00001-of-00002.safetensors","b":"model-00001-of-00002.safetensors","c":"\#(name)"}"#)
        let error = #expect(throws: SafeTensorsError.self) { try SafeTensorsShardSet(index: folder.file("model.safetensors.index.json")) }
        #expect(error?.code == .shardEscapesFolder)
        #expect(error?.message.contains(name) == true)
    }

    @Test func rejectsATensorMissingFromEveryShard() throws {
        let folder = try shardedFolder(weightMap: #"{"a":"model-00001-of-00002.safetensors","b":"model-00001-of-00002.safetensors","c":"model-00002-of-00002.safetensors","d":"model-00002-of-00002.safetensors"}"#)
        let error = #expect(throws: SafeTensorsError.self) { try SafeTensorsShardSet(index: folder.file("model.safetensors.index.json")) }
        #expect(error?.code == .tensorMissing)
        #expect(error?.message.contains("\"d\"") == true)
    }

    @Test func rejectsATensorStoredInAShardTheIndexDoesNotName() throws {
        let folder = try shardedFolder(weightMap: #"{"a":"model-00001-of-00002.safetensors","b":"model-00002-of-00002.safetensors","c":"model-00002-of-00002.safetensors"}"#)
        let error = #expect(throws: SafeTensorsError.self) { try SafeTensorsShardSet(index: folder.file("model.safetensors.index.json")) }
        #expect(error?.code == .tensorInSeveralShards)
    }

    @Test func rejectsAMissingShardFile() throws {
        let folder = try shardedFolder(weightMap: goodMap)
        try FileManager.default.removeItem(atPath: folder.file("model-00002-of-00002.safetensors"))
        let error = #expect(throws: SafeTensorsError.self) { try SafeTensorsShardSet(index: folder.file("model.safetensors.index.json")) }
        #expect(error?.code == .missingShard)
    }
}
