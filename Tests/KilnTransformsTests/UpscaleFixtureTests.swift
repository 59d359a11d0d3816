import Foundation
import KilnCheckpoints
import KilnConversion
import KilnCore
import KilnGGUF
import KilnSafeTensors
import KilnTestSupport
import KilnTransforms
import Testing

/// The fixture in each layout `kiln upscale` accepts.
enum FixtureLayout: String, CaseIterable, Sendable {
    case llava, mistralNative, huggingFace

    /// The model folder; the Hugging Face `MistralForCausalLM` one is made from the Llava fixture in `scratch`.
    func folder(in scratch: TemporaryDirectory) throws -> String {
        switch self {
        case .llava: return Fixtures.tinyPixtral
        case .mistralNative: return Fixtures.tinyPixtralNative
        case .huggingFace:
            let folder = scratch.file("mistral")
            try CheckpointRewriter.rewrite(from: Fixtures.tinyPixtral, to: folder,
                                           copyFiles: ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json"]) { name in
                if name == "language_model.lm_head.weight" { return "lm_head.weight" }
                return name.hasPrefix("language_model.model.") ? "model." + name.dropFirst("language_model.model.".count) : nil
            }
            let config = try Data(contentsOf: URL(fileURLWithPath: "\(Fixtures.tinyPixtral)/config.json"))
            let textConfig = try config.withUnsafeBytes { try JSON.parse($0) }["text_config"]!
            try Data(textConfig.serialized.utf8).write(to: URL(fileURLWithPath: "\(folder)/config.json"))
            return folder
        }
    }
}

@Suite struct UpscaleFixtureTests {
    static let methods = UpscaleMethod.allCases

    func upscale(_ layout: FixtureLayout, _ method: UpscaleMethod, in scratch: TemporaryDirectory) throws -> (source: ModelSpec, plan: UpscalePlan, output: String) {
        let source = try CheckpointReader.open(try layout.folder(in: scratch))
        let plan = try UpscalePlan(method: method, sourceLayerCount: source.text.layerCount, layerCount: 48)
        let output = scratch.file("upscaled")
        try CheckpointFolderWriter.write(try plan.apply(to: source), to: output)
        return (source, plan, output)
    }

    @Test(arguments: FixtureLayout.allCases, methods)
    func everyOutputTensorIsItsPlannedSource(_ layout: FixtureLayout, _ method: UpscaleMethod) throws {
        let scratch = TemporaryDirectory()
        let (source, plan, output) = try upscale(layout, method, in: scratch)
        let upscaled = try CheckpointReader.open(output)
        #expect(upscaled.layout == source.layout)
        #expect(upscaled.text.layerCount == 48)
        #expect(upscaled.tensors.count == source.tensors.count + 8 * 9)
        let sourceByRole = Dictionary(uniqueKeysWithValues: source.tensors.map { ($0.role, $0) })
        var zeroedCount = 0
        for tensor in upscaled.tensors {
            var role = tensor.role
            var zeroed = false
            if let layer = role.layer {
                role.layer = plan.layers[layer].source
                zeroed = plan.layers[layer].zeroed.contains(role.kind)
            }
            let original = try #require(sourceByRole[role], "\(tensor.name)")
            #expect(tensor.encoding == original.encoding && tensor.shape == original.shape, "\(tensor.name)")
            let equal = tensor.withBytes { bytes in
                zeroed ? bytes.allSatisfy { $0 == 0 } : original.withBytes { bytes.elementsEqual($0) }
            }
            #expect(equal, "\(tensor.name) should be \(zeroed ? "zeros" : "a copy of \(original.name)")")
            if zeroed { zeroedCount += 1 }
        }
        #expect(zeroedCount == (method == .identity ? 16 : 0))
    }

    @Test(arguments: FixtureLayout.allCases)
    func writesTheInputsFilesShardsAndConfiguration(_ layout: FixtureLayout) throws {
        let scratch = TemporaryDirectory()
        let (source, _, output) = try upscale(layout, .solar, in: scratch)
        let inputFiles = try FileManager.default.contentsOfDirectory(atPath: source.path).sorted()
        #expect(try FileManager.default.contentsOfDirectory(atPath: output).sorted() == inputFiles, "same files, same shard names")
        let configName = layout == .mistralNative ? "params.json" : "config.json"
        for name in inputFiles where !name.hasSuffix(".safetensors") && name != configName && name != "model.safetensors.index.json" {
            #expect(FileManager.default.contentsEqual(atPath: "\(source.path)/\(name)", andPath: "\(output)/\(name)"), "\(name) copied")
        }
        // The configuration changes in the layer count and nowhere else; Python's indented layout is kept.
        let key = layout == .mistralNative ? "\"n_layers\"" : "\"num_hidden_layers\""
        let original = try String(contentsOfFile: "\(source.path)/\(configName)", encoding: .utf8)
        let rewritten = try String(contentsOfFile: "\(output)/\(configName)", encoding: .utf8)
        func compact(_ text: String) throws -> String { try JSON.parse(text).serialized }
        #expect(try compact(rewritten) == compact(original).replacingOccurrences(of: "\(key):40", with: "\(key):48"))
        if layout != .huggingFace {
            #expect(rewritten == original.replacingOccurrences(of: "\(key): 40", with: "\(key): 48"))
        }
        if layout == .llava {
            let index = try SafeTensorsShardSet(index: "\(output)/model.safetensors.index.json")
            let total: Int = index.entries.reduce(0) { $0 + $1.info.byteRange.count }
            let declared = index.indexMetadata.first { $0.key == "total_size" }?.value
            #expect(declared == .number(String(total)))
            #expect(index.files.count == 2)
            let sizes: [Int] = index.files.map { $0.mapping.count }
            #expect(abs(sizes[0] - sizes[1]) < total / 10, "shards of about equal size: \(sizes)")
        }
    }
}

/// Gemma places its global-attention layers by index; inserted layers would move them.
@Suite struct GemmaUpscaleTests {
    @Test(arguments: [("tiny-gemma3", ["Gemma 3", "every sixth"]), ("tiny-gemma2", ["Gemma 2", "every second"])])
    func refusesGemma(_ fixture: String, mentions: [String]) throws {
        let spec = try CheckpointReader.open(Fixtures.path(fixture))
        let plan = try UpscalePlan(method: .identity, sourceLayerCount: spec.text.layerCount, layerCount: spec.text.layerCount + 2)
        let error = #expect(throws: TransformError.self) { try plan.apply(to: spec) }
        for word in mentions { #expect(error?.message.contains(word) == true, "\(word) in \(error?.message ?? "")") }
    }
}

@Suite struct UpscaleToGGUFTests {
    func gguf(_ spec: ModelSpec, _ path: String) throws -> GGUFFile {
        try GGUFConversion.write(try GGUFConversion.plan(spec, outputType: .auto), to: path, threads: 2)
        return try GGUFFile(path: path)
    }

    /// The upscaled folder converts to a 48-block GGUF, and converting with the plan applied in
    /// memory (`kiln convert --upscale`) gives the same tensors without the folder.
    @Test(arguments: [FixtureLayout.llava, .mistralNative])
    func anUpscaledModelConvertsWithOrWithoutAnIntermediateFolder(_ layout: FixtureLayout) throws {
        let scratch = TemporaryDirectory()
        let source = try CheckpointReader.open(try layout.folder(in: scratch))
        let upscaled = try UpscalePlan(method: .identity, sourceLayerCount: 40, layerCount: 48).apply(to: source)
        try CheckpointFolderWriter.write(upscaled, to: scratch.file("folder"))
        let viaFolder = try gguf(try CheckpointReader.open(scratch.file("folder")), scratch.file("via-folder.gguf"))
        let direct = try gguf(upscaled, scratch.file("direct.gguf"))
        #expect(viaFolder.metadata["llama.block_count"] == .uint32(48))
        #expect(direct.metadata["llama.block_count"] == .uint32(48))
        #expect(Set(viaFolder.tensors.map(\.name)) == Set(direct.tensors.map(\.name)))
        #expect(direct.tensors.contains { $0.name == "blk.47.ffn_down.weight" })
        for a in viaFolder.tensors {
            let b = try #require(direct.tensor(named: a.name))
            #expect(a.type == b.type && a.dimensions == b.dimensions && viaFolder.bytes(of: a).elementsEqual(direct.bytes(of: b)), "\(a.name)")
        }
        #expect(direct.bytes(of: try #require(direct.tensor(named: "blk.5.attn_output.weight"))).allSatisfy { $0 == 0 })
    }
}

@Suite struct CheckpointFolderWriterTests {
    @Test func refusesAFolderThatHoldsSomethingAndLeavesItAlone() throws {
        let scratch = TemporaryDirectory()
        let output = scratch.file("taken")
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: false)
        try Data("keep".utf8).write(to: URL(fileURLWithPath: "\(output)/notes.txt"))
        let spec = try UpscalePlan(method: .solar, sourceLayerCount: 40, layerCount: 48).apply(to: try CheckpointReader.open(Fixtures.tinyPixtral))
        let error = #expect(throws: TransformError.self) { try CheckpointFolderWriter.write(spec, to: output) }
        #expect(error?.message.contains("already exists") == true)
        #expect(scratch.contents == ["taken"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: output) == ["notes.txt"])
    }

    @Test func fillsAnEmptyFolder() throws {
        let scratch = TemporaryDirectory()
        let spec = try UpscalePlan(map: "0-39,39", sourceLayerCount: 40).apply(to: try CheckpointReader.open(Fixtures.tinyPixtralNative))
        try CheckpointFolderWriter.write(spec, to: scratch.path + "/")
        #expect(scratch.contents == ["consolidated.safetensors", "params.json", "tekken.json"])
        #expect(try CheckpointReader.open(scratch.path).text.layerCount == 41)
    }

    @Test func refusesAGGUFModelAndWritesNothing() throws {
        let scratch = TemporaryDirectory()
        try GGUFConversion.write(try GGUFConversion.plan(try CheckpointReader.open(Fixtures.tinyPixtral), outputType: .auto), to: scratch.file("m.gguf"))
        let gguf = try CheckpointReader.open(scratch.file("m.gguf"))
        let upscaled = try UpscalePlan(method: .interleave, sourceLayerCount: 40, layerCount: 48).apply(to: gguf)
        #expect(upscaled.tensors.contains { $0.name == "blk.47.attn_q.weight" }, "the plan itself works on any layout")
        let error = #expect(throws: TransformError.self) { try CheckpointFolderWriter.write(upscaled, to: scratch.file("out")) }
        #expect(error?.message.contains("GGUF") == true)
        #expect(scratch.contents == ["m.gguf"])
    }

    @Test func addsALayerCountTheConfigurationLeftToTheDefault() throws {
        var spec = try CheckpointReader.open(Fixtures.tinyPixtral)
        spec.configuration = .object([("model_type", .string("llava")), ("text_config", .object([("model_type", .string("mistral"))]))])
        let upscaled = try UpscalePlan(method: .solar, sourceLayerCount: 40, layerCount: 48).apply(to: spec)
        #expect(upscaled.configuration == .object([
            ("model_type", .string("llava")),
            ("text_config", .object([("model_type", .string("mistral")), ("num_hidden_layers", .number("48"))])),
        ]))
    }

    @Test func refusesAPlanMadeForAnotherLayerCount() throws {
        let plan = try UpscalePlan(method: .solar, sourceLayerCount: 32, layerCount: 48)
        let error = #expect(throws: TransformError.self) { try plan.apply(to: try CheckpointReader.open(Fixtures.tinyPixtral)) }
        #expect(error?.message.contains("32") == true)
    }
}
