import KilnCheckpoints
import KilnConversion
import KilnGGUF
import KilnTestSupport
import Testing

/// A GGUF source's hyper-parameter keys are written from its ModelSpec; everything else is copied.
@Suite struct GGUFSourceMetadataTests {
    /// The fixture converted, then rewritten without `llama.vocab_size` (which llama.cpp's
    /// `--mistral-format` path leaves out too): the vocabulary size then follows from the tokens.
    static let source: (folder: TemporaryDirectory, path: String) = {
        let folder = TemporaryDirectory()
        let converted = try! GGUFConversion.plan(try! CheckpointReader.open(Fixtures.tinyPixtral), outputType: .f16)
        try! GGUFConversion.write(converted, to: folder.file("full.gguf"))
        let full = try! GGUFFile(path: folder.file("full.gguf"))
        var metadata = full.metadata
        metadata["llama.vocab_size"] = nil
        let path = folder.file("source.gguf")
        let writer = try! GGUFWriter(path: path, metadata: metadata,
                                     tensors: full.tensors.map { GGUFTensorDescriptor(name: $0.name, dimensions: $0.dimensions, type: $0.type) })
        for tensor in full.tensors { try! writer.write(full.bytes(of: tensor)) }
        try! writer.finish()
        return (folder, path)
    }()

    @Test func anUnchangedSpecKeepsTheMetadataAsItIs() throws {
        let spec = try CheckpointReader.open(Self.source.path)
        let metadata = try #require(spec.ggufMetadata)
        #expect(metadata["llama.vocab_size"] == nil)
        #expect(try GGUFConversion.plan(spec, outputType: .auto).metadata == metadata)
    }

    @Test func changedParametersReplaceTheirKeysInPlace() throws {
        var spec = try CheckpointReader.open(Self.source.path)
        let source = try #require(spec.ggufMetadata)
        spec.text.layerCount = 41
        spec.text.ropeTheta = 5e5
        let metadata = try GGUFConversion.plan(spec, outputType: .auto).metadata
        #expect(metadata.keys == source.keys, "same keys in the same places; vocab_size still follows from the tokens")
        #expect(metadata["llama.block_count"] == .uint32(41))
        #expect(metadata["llama.rope.freq_base"] == .float32(5e5))
        #expect(metadata["tokenizer.ggml.tokens"] == source["tokenizer.ggml.tokens"])
    }

    @Test func aChangedDefaultIsWrittenOut() throws {
        var spec = try CheckpointReader.open(Self.source.path)
        let source = try #require(spec.ggufMetadata)
        spec.text.vocabularySize = 2048
        let metadata = try GGUFConversion.plan(spec, outputType: .auto).metadata
        #expect(metadata["llama.vocab_size"] == .uint32(2048), "the token count no longer gives the vocabulary size")
        #expect(Array(metadata.keys.prefix(source.count)) == source.keys)
    }
}
