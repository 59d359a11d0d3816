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

    /// llama.cpp's clip (`llama-mtmd-cli`) on a 64×64 image with the same projector files: its rows are
    /// the patches row by row with the mmproj's `[IMG_BREAK]` embedding after each row but the last.
    /// The differences are llama.cpp's tanh GELU in an F16 table, and its F16 rounding in the F16 file.
    @Test(arguments: [("hf-f32", "llama-f32.bin", Float(5e-4)), ("hf-f16", "llama-f16.bin", 5e-4)])
    func projectorMatchesLlamaCpp(_ name: String, _ golden: String, _ tolerance: Float) throws {
        let pixels = try RuntimeGoldens.floats("llama-pixels.bin", in: RuntimeGoldens.visionFolder)
        let reference = try RuntimeGoldens.floats(golden, in: RuntimeGoldens.visionFolder)
        let embedding = try Self.vision(name).encode(pixels, height: 64, width: 64)
        let width = embedding.width
        #expect(reference.count == (embedding.rows * (embedding.columns + 1) - 1) * width)
        var patchRows: [Float] = []
        for patch in 0..<embedding.patchCount {
            let row: Int = patch + patch / embedding.columns  // one [IMG_BREAK] row after each full patch row
            patchRows += reference[row * width..<(row + 1) * width]
        }
        let error = PixtralVisionTests.relativeError(embedding.values, patchRows)
        #expect(error < tolerance, "\(name): relative error \(error) against llama.cpp")
    }

    /// Kiln's F16 text GGUF + F16 mmproj run the image+text prompts within 1e-3 of transformers;
    /// quantized pairs run them too, further off as their types imply.
    @Test(arguments: [(0, "f16", "hf-f16", Float(1e-3)), (1, "f16", "hf-f16", 1e-3), (1, "f16", "native-f16", 1e-3),
                      (1, "q8_0", "hf-q8_0", 2e-2), (1, "q4_k_m", "native-q8_0", 4e-2)])
    func pairLogitsMatchTransformers(_ index: Int, _ text: String, _ projector: String, _ tolerance: Float) throws {
        let document = try RuntimeGoldens.json("transformers.json", in: RuntimeGoldens.visionFolder)
        let golden = try #require(document["cases"]?[index])
        let ids = try #require(golden["ids"]?.arrayValue).compactMap(\.intValue)
        let reference = try RuntimeGoldens.floats(try #require(golden["logits"]?.stringValue), in: RuntimeGoldens.visionFolder)
        let used = try #require(golden["parts"]?.arrayValue).compactMap(\.intValue)
        let images = try PixtralVisionTests.goldenImages()

        let vision = try Self.vision(projector)
        let embeddings = try used.map { try vision.encode(images[$0].pixels, height: images[$0].height, width: images[$0].width) }
        let model = try DecoderModel(try CheckpointReader.open(try #require(RuntimeGoldens.models.paths[text])), contextLength: 64, threads: 2)
        let logits = try model.evaluate(try DecoderInput.scatter(embeddings, over: ids, imageToken: try PixtralVisionTests.tokens().image))
        let error = PixtralVisionTests.relativeError(logits, reference)
        #expect(error < tolerance, "\(text) + \(projector) last-position logits: relative error \(error)")
    }
}
