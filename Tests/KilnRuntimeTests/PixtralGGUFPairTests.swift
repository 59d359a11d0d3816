import KilnCheckpoints
import KilnConversion
import KilnCore
import KilnRuntime
import KilnTestSupport
import Testing

/// The GGUF pair: Kiln's text GGUF and its mmproj (any type Kiln writes), read where they lie,
/// against the same transformers goldens as the folder.
@Suite struct PixtralGGUFPairTests {
    /// Projector files of both layouts, written once per test run by Kiln's mmproj writer.
    static let projectors: (folder: TemporaryDirectory, paths: [String: String]) = {
        let folder = TemporaryDirectory()
        var paths: [String: String] = [:]
        for (layout, model) in [("hf", Fixtures.tinyPixtral), ("native", Fixtures.tinyPixtralNative)] {
            let spec = try! CheckpointReader.open(model)
            for type in [MMProjOutputType.f32, .f16, .bf16, .q8_0] {
                let path = folder.file("\(layout)-\(type.rawValue).mmproj.gguf")
                try! GGUFConversion.write(try! MMProjConversion.plan(spec, outputType: type), to: path, threads: 2)
                paths["\(layout)-\(type.rawValue)"] = path
            }
        }
        return (folder, paths)
    }()

    static func vision(_ name: String) throws -> PixtralVision {
        try PixtralVision(try CheckpointReader.openProjector(try #require(projectors.paths[name])), threads: 2)
    }

    /// Tolerances (largest difference over the largest feature) per projector type. F32 holds the bf16
    /// weights exactly; F16 and BF16 round activations before each product as llama.cpp does (BF16 keeps
    /// 8 bits of mantissa), Q8_0 also rounds weights.
    static let cases: [(String, Float)] = [
        ("hf-f32", 1e-5), ("hf-f16", 1e-3), ("hf-bf16", 4e-3), ("hf-q8_0", 1.5e-2),
        ("native-f32", 1e-5), ("native-f16", 1e-3), ("native-bf16", 4e-3), ("native-q8_0", 1.5e-2),
    ]

    @Test(arguments: cases)
    func projectorFeaturesMatchTransformers(_ name: String, _ tolerance: Float) throws {
        let images = try PixtralVisionTests.goldenImages()
        let embeddings = try Self.vision(name).encode(images.map { ($0.pixels, $0.height, $0.width) })
        for (image, embedding) in zip(images, embeddings) {
            let error = PixtralVisionTests.relativeError(embedding.values, image.features)
            #expect(error < tolerance, "\(name) \(image.height)×\(image.width): relative error \(error)")
        }
    }

    /// Kiln's F16 text GGUF + F16 mmproj run the image+text prompts within 1e-3 of transformers.
    @Test(arguments: [0, 1])
    func f16PairLogitsMatchTransformers(_ index: Int) throws {
        let document = try RuntimeGoldens.json("transformers.json", in: RuntimeGoldens.visionFolder)
        let golden = try #require(document["cases"]?[index])
        let ids = try #require(golden["ids"]?.arrayValue).compactMap(\.intValue)
        let reference = try RuntimeGoldens.floats(try #require(golden["logits"]?.stringValue), in: RuntimeGoldens.visionFolder)
        let used = try #require(golden["parts"]?.arrayValue).compactMap(\.intValue)
        let images = try PixtralVisionTests.goldenImages()

        let vision = try Self.vision("hf-f16")
        let embeddings = try used.map { try vision.encode(images[$0].pixels, height: images[$0].height, width: images[$0].width) }
        let model = try LlamaModel(try CheckpointReader.open(try #require(RuntimeGoldens.models.paths["f16"])), contextLength: 64, threads: 2)
        let logits = try model.evaluate(try DecoderInput.scatter(embeddings, over: ids, imageToken: try PixtralVisionTests.tokens().image))
        let error = PixtralVisionTests.relativeError(logits, reference)
        #expect(error < 1e-3, "last-position logits: relative error \(error)")
    }
}
