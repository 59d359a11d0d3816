import Foundation
import KilnCheckpoints
import KilnConversion
import KilnCore
import KilnGGUF
import KilnTestSupport
import Testing

/// `CheckpointReader.openProjector` on the projector files Kiln writes: the same vision tower as the
/// model folder it came from, and one clear error for anything else.
@Suite struct ProjectorReaderTests {
    static let models = [Fixtures.tinyPixtral, Fixtures.tinyPixtralNative]

    /// F32 holds bf16 weights exactly, so every value must come back, with Q/K rows of Hugging Face
    /// weights in the converter's interleaved order.
    @Test(arguments: models)
    func readsTheFoldersVisionTowerBack(_ model: String) throws {
        let folder = try #require(try CheckpointReader.open(model).visionSpec)
        let temporary = TemporaryDirectory()
        let file = try MMProjGoldenTests.write(model, .f32, in: temporary)
        let projector = try CheckpointReader.openProjector(file.path)

        var expected = folder.parameters
        (expected.imageTokenId, expected.imageBreakTokenId, expected.imageEndTokenId) = (nil, nil, nil)
        expected.layerNormEpsilon = Double(Float(expected.layerNormEpsilon))
        expected.imageMean = expected.imageMean.map { Double(Float($0)) }
        expected.imageStd = expected.imageStd.map { Double(Float($0)) }
        #expect(projector.parameters == expected)
        #expect(projector.rotaryPairing == .interleaved)
        #expect(Set(projector.tensors.compactMap(\.role.vision)) == Set(folder.tensors.compactMap(\.role.vision)))

        for tensor in projector.tensors {
            let role = try #require(tensor.role.vision)
            let source = try #require(folder.tensor(role))
            #expect(tensor.shape == source.shape, "\(role)")
            let permutation = folder.rotaryPairing == .halves && [.attentionQuery, .attentionKey].contains(role.kind)
                ? RotaryPermutation(headDimension: folder.parameters.headDimension) : nil
            let rowLength = source.rowLength
            let original = values(source)
            let read = values(tensor)
            let unpermuted = (0..<source.rowCount).flatMap { row -> ArraySlice<Float> in
                let from = permutation?.sourceRow(row) ?? row
                return original[from * rowLength..<(from + 1) * rowLength]
            }
            #expect(read == unpermuted, "\(role) values")
        }
    }

    @Test(arguments: models)
    func readsEveryTypeKilnWrites(_ model: String) throws {
        let folder = TemporaryDirectory()
        for type in MMProjOutputType.allCases {
            let file = try MMProjGoldenTests.write(model, type, in: folder)
            let projector = try CheckpointReader.openProjector(file.path)
            #expect(projector.tensors.count == 25)
            #expect(projector.imageBreakEmbedding?.encoding == .ggml(.f32))
        }
    }

    struct Broken: CustomTestStringConvertible, Sendable {
        let name: String
        let mentions: String
        let edit: @Sendable (inout ConversionPlan) -> Void
        var testDescription: String { name }
    }

    static let broken: [Broken] = [
        Broken(name: "text GGUF", mentions: "architecture \"llama\"") { $0.metadata[GGUFKey.General.architecture] = .string("llama") },
        Broken(name: "other projector", mentions: "projector type \"llava\"") { $0.metadata[GGUFKey.Clip.projectorType] = .string("llava") },
        Broken(name: "huge block count", mentions: "clip.vision.block_count") { $0.metadata[GGUFKey.Clip.Vision.blockCount] = .uint32(4_000_000_000) },
        Broken(name: "block count beyond the tensors", mentions: "missing") { $0.metadata[GGUFKey.Clip.Vision.blockCount] = .uint32(3) },
        Broken(name: "heads that do not divide", mentions: "heads") { $0.metadata[GGUFKey.Clip.Vision.headCount] = .uint32(3) },
        Broken(name: "two image std values", mentions: "clip.vision.image_std") { $0.metadata[GGUFKey.Clip.Vision.imageStd] = .array(.float32([0.5, 0.5])) },
        Broken(name: "negative epsilon", mentions: "layer_norm_epsilon") { $0.metadata[GGUFKey.Clip.Vision.layerNormEpsilon] = .float32(-1) },
        Broken(name: "no activation", mentions: "clip.use_silu") { $0.metadata[GGUFKey.Clip.useSilu] = .bool(false) },
        Broken(name: "missing tensor", mentions: "attentionKey.weight is missing") { $0.tensors.removeAll { $0.descriptor.name == "v.blk.1.attn_k.weight" } },
        Broken(name: "wrong projection width", mentions: "shape") { $0.metadata[GGUFKey.Clip.Vision.projectionDimension] = .uint32(32) },
    ]

    @Test(arguments: broken)
    func rejectsABrokenProjectorWithOneClearError(_ broken: Broken) throws {
        let folder = TemporaryDirectory()
        var plan = try MMProjConversion.plan(try CheckpointReader.open(Fixtures.tinyPixtralNative), outputType: .f16)
        broken.edit(&plan)
        let path = folder.file("broken.gguf")
        try GGUFConversion.write(plan, to: path)
        // A CheckpointError, or an InvalidValue for a number out of range: both input errors naming the file.
        let error = try #require(throws: (any Error).self) { try CheckpointReader.openProjector(path) }
        #expect(error is InputError)
        #expect("\(error)".hasPrefix(path))
        #expect("\(error)".contains(broken.mentions), "\(error)")
        #expect(!"\(error)".contains("\n"))
    }

    @Test func rejectsATextModel() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("text.gguf")
        try GGUFConversion.write(try GGUFConversion.plan(try CheckpointReader.open(Fixtures.tinyPixtral), outputType: .auto), to: path)
        let error = try #require(throws: CheckpointError.self) { try CheckpointReader.openProjector(path) }
        #expect(error.code == .unsupportedArchitecture)
        #expect(error.description.contains("not a projector (mmproj) file"))
    }

    /// A vision tensor Kiln does not know (here a patch merger, as Mistral Small 3.1 has) is refused
    /// rather than left out of the projector.
    @Test func refusesToDropAnUnknownVisionTensor() throws {
        let folder = TemporaryDirectory()
        try CheckpointRewriter.rewrite(from: Fixtures.tinyPixtralNative, to: folder.path, weightsFile: "consolidated.safetensors",
                                       copyFiles: ["params.json", "tekken.json"]) {
            $0 == "vision_language_adapter.w_in.bias" ? "patch_merger.merging_layer.weight" : $0
        }
        let error = try #require(throws: ConversionError.self) {
            try MMProjConversion.plan(try CheckpointReader.open(folder.path), outputType: .f16)
        }
        #expect(error.message.contains("patch_merger.merging_layer.weight"))
    }

    private func values(_ tensor: ModelTensor) -> [Float] {
        tensor.withBytes { bytes in
            var out = [Float](repeating: 0, count: tensor.elementCount)
            out.withUnsafeMutableBufferPointer { FloatRows.decode(tensor.encoding, from: bytes.baseAddress!, count: tensor.elementCount, into: $0.baseAddress!) }
            return out
        }
    }
}
