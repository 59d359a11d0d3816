import KilnCheckpoints
import KilnCore
import KilnRuntime
import KilnTestSupport
import Testing

/// The vision encoder + projector and image+text prompts against transformers'
/// `LlavaForConditionalGeneration` (float32 on the fixture's bf16 weights), from the Hugging Face
/// folder (rotate-half Q/K rows) and the Mistral native folder (interleaved rows).
@Suite struct PixtralVisionTests {
    struct GoldenImage {
        let pixels: [Float]
        let height, width, rows, columns: Int
        let features: [Float]
    }

    static func goldenImages() throws -> [GoldenImage] {
        let document = try RuntimeGoldens.json("transformers.json", in: RuntimeGoldens.visionFolder)
        return try #require(document["images"]?.arrayValue).map { image in
            GoldenImage(pixels: try RuntimeGoldens.floats(try #require(image["pixels"]?.stringValue), in: RuntimeGoldens.visionFolder),
                        height: try #require(image["height"]?.intValue), width: try #require(image["width"]?.intValue),
                        rows: try #require(image["rows"]?.intValue), columns: try #require(image["columns"]?.intValue),
                        features: try RuntimeGoldens.floats(try #require(image["features"]?.stringValue), in: RuntimeGoldens.visionFolder))
        }
    }

    static func tokens() throws -> PixtralImageTokens {
        let document = try RuntimeGoldens.json("transformers.json", in: RuntimeGoldens.visionFolder)
        let tokens = try #require(document["tokens"])
        return PixtralImageTokens(image: try #require(tokens["image"]?.intValue), imageBreak: try #require(tokens["break"]?.intValue),
                                  imageEnd: try #require(tokens["end"]?.intValue))
    }

    /// max |a − b| over max |b|.
    static func relativeError(_ ours: some Collection<Float>, _ reference: [Float]) -> Float {
        let scale = reference.map(abs).max()!
        return zip(ours, reference).map { abs($0 - $1) }.max()! / scale
    }

    static func vision(_ folder: String) throws -> PixtralVision {
        try PixtralVision(try #require(try CheckpointReader.open(folder).visionSpec), threads: 2)
    }

    static let folders = [Fixtures.tinyPixtral, Fixtures.tinyPixtralNative]

    @Test(arguments: folders)
    func featuresMatchTransformers(_ folder: String) throws {
        let images = try Self.goldenImages()
        let vision = try Self.vision(folder)
        // Both images in one batch, as the golden was made: attention must stay within each image.
        let batch = try vision.encode(images.map { ($0.pixels, $0.height, $0.width) })
        for (image, embedding) in zip(images, batch) {
            #expect(embedding.rows == image.rows && embedding.columns == image.columns && embedding.width == 64)
            let error = Self.relativeError(embedding.values, image.features)
            #expect(error < 1e-3, "\(image.height)×\(image.width): relative error \(error)")
            let alone = try vision.encode(image.pixels, height: image.height, width: image.width)
            #expect(Self.relativeError(alone.values, embedding.values) < 1e-5, "one image alone encodes as in a batch")
        }
    }

    @Test(arguments: [0, 1], folders)
    func imagePromptLogitsMatchTransformers(_ index: Int, _ folder: String) throws {
        let document = try RuntimeGoldens.json("transformers.json", in: RuntimeGoldens.visionFolder)
        let golden = try #require(document["cases"]?[index])
        let ids = try #require(golden["ids"]?.arrayValue).compactMap(\.intValue)
        let argmax = try #require(golden["argmax"]?.arrayValue).compactMap(\.intValue)
        let reference = try RuntimeGoldens.floats(try #require(golden["logits"]?.stringValue), in: RuntimeGoldens.visionFolder)
        let used = try #require(golden["parts"]?.arrayValue).compactMap(\.intValue)
        let images = try Self.goldenImages()
        let tokens = try Self.tokens()

        let vision = try Self.vision(folder)
        let embeddings = try used.map { try vision.encode(images[$0].pixels, height: images[$0].height, width: images[$0].width) }
        let inputs = try DecoderInput.scatter(embeddings, over: ids, imageToken: tokens.image)
        let model = try DecoderModel(try CheckpointReader.open(folder), contextLength: 64, threads: 2)
        let logits = try model.evaluate(inputs, logitsFrom: 0)
        let vocabulary = model.vocabularySize
        let ours = (0..<ids.count).map { t in (0..<vocabulary).max { logits[t * vocabulary + $0] < logits[t * vocabulary + $1] }! }
        #expect(ours == argmax, "argmax at every position")
        let last = logits[(ids.count - 1) * vocabulary..<ids.count * vocabulary]
        let error = Self.relativeError(last, reference)
        #expect(error < 1e-3, "last-position logits: relative error \(error)")

        // The image rows matter: the same prompt with the placeholder tokens' own embeddings is far off.
        model.reset()
        let textOnly = try model.evaluate(ids)
        #expect(Self.relativeError(textOnly, reference) > 1e-2)
    }

    /// The ids of an image's span are what PixtralProcessor wrote into the golden prompt, and the
    /// layout helper puts the patches where scattering over those ids does.
    @Test func imageTokenLayout() throws {
        let tokens = try Self.tokens()
        let document = try RuntimeGoldens.json("transformers.json", in: RuntimeGoldens.visionFolder)
        let ids = try #require(document["cases"]?[1]?["ids"]?.arrayValue).compactMap(\.intValue)
        let first = tokens.ids(rows: 4, columns: 4), second = tokens.ids(rows: 2, columns: 3)
        #expect(Array(ids[1...first.count]) == first)
        #expect(Array(ids[first.count + 2..<first.count + 2 + second.count]) == second)
        #expect(second == [10, 10, 10, 12, 10, 10, 10, 13])
        for folder in Self.folders {
            #expect(PixtralImageTokens(try #require(try CheckpointReader.open(folder).visionSpec).parameters) == tokens)
        }

        let embedding = ImageEmbedding(rows: 2, columns: 3, width: 2, values: (0..<12).map(Float.init))
        let inputs = tokens.inputs(for: embedding)
        #expect(inputs == (try DecoderInput.scatter([embedding], over: second, imageToken: tokens.image)))
        #expect(inputs[3] == .token(12) && inputs[7] == .token(13) && inputs[4] == .embedding([6, 7]))
    }

    @Test func tokenInputsMatchTheTokenPath() throws {
        let model = try DecoderModel(try CheckpointReader.open(Fixtures.tinyPixtral), contextLength: 16, threads: 2)
        let ids = [1, 93, 130, 278, 810]
        let direct = try model.evaluate(ids, logitsFrom: 0)
        model.reset()
        #expect(try model.evaluate(ids.map(DecoderInput.token), logitsFrom: 0) == direct)
    }

    @Test func badInputsAreRefused() throws {
        let vision = try Self.vision(Fixtures.tinyPixtral)
        #expect(throws: RuntimeError.self) { try vision.encode([Float](repeating: 0, count: 3 * 16 * 24), height: 16, width: 24) }
        #expect(throws: RuntimeError.self) { try vision.encode([Float](repeating: 0, count: 3 * 16 * 16 - 1), height: 16, width: 16) }
        #expect(throws: RuntimeError.self) { try vision.encode([Float](repeating: 0, count: 3 * 80 * 16), height: 80, width: 16) }
        let embedding = ImageEmbedding(rows: 1, columns: 2, width: 64, values: [Float](repeating: 0, count: 128))
        #expect(throws: RuntimeError.self) { try DecoderInput.scatter([embedding], over: [1, 10, 13], imageToken: 10) }
        let model = try DecoderModel(try CheckpointReader.open(Fixtures.tinyPixtral), contextLength: 16, threads: 2)
        #expect(throws: RuntimeError.self) { try model.evaluate([.token(1), .embedding([1, 2, 3])]) }
        #expect(throws: RuntimeError.self) { try model.evaluate([.token(5000)]) }
    }
}
