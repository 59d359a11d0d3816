import KilnCheckpoints
import KilnCore
import KilnRuntime
import KilnTestSupport
import Testing

/// The safetensors folder (bf16, rotate-half Q/K rows) against transformers' float32 forward pass.
@Suite struct TransformersLogitsTests {
    @Test(arguments: 0..<3)
    func logitsMatchTransformers(_ index: Int) throws {
        let document = try RuntimeGoldens.json("transformers.json")
        let golden = try #require(document["cases"]?[index])
        let ids = try #require(golden["ids"]?.arrayValue).compactMap { $0.intValue }
        let argmax = try #require(golden["argmax"]?.arrayValue).compactMap { $0.intValue }
        let file = try #require(golden["logits"]?.stringValue)
        let reference = try RuntimeGoldens.floats(file)

        let model = try DecoderModel(try CheckpointReader.open(Fixtures.tinyPixtral), contextLength: 64, threads: 2)
        let logits = try model.evaluate(ids, logitsFrom: 0)
        let vocabulary = model.vocabularySize
        #expect(vocabulary == reference.count)
        let ours = (0..<ids.count).map { t in (0..<vocabulary).max { logits[t * vocabulary + $0] < logits[t * vocabulary + $1] }! }
        #expect(ours == argmax, "argmax at every position")

        let last = Array(logits[(ids.count - 1) * vocabulary..<ids.count * vocabulary])
        let scale = reference.map(abs).max()!
        let worst = zip(last, reference).map { abs($0 - $1) }.max()!
        #expect(worst / scale < 1e-3, "largest difference \(worst) against logits up to \(scale)")
    }

    /// Mistral's native layout stores Q/K rows interleaved: the runtime rotates (2i, 2i+1) pairs there
    /// and (i, i+d/2) pairs in the Hugging Face folder, and both are the same model.
    @Test func nativeLayoutMatchesHuggingFaceLayout() throws {
        let ids = [1, 93, 130, 278, 810, 285, 130]
        let hf = try DecoderModel(try CheckpointReader.open(Fixtures.tinyPixtral), contextLength: 16, threads: 2).evaluate(ids, logitsFrom: 0)
        let native = try DecoderModel(try CheckpointReader.open(Fixtures.tinyPixtralNative), contextLength: 16, threads: 2).evaluate(ids, logitsFrom: 0)
        let scale = hf.map(abs).max()!
        #expect(zip(hf, native).map { abs($0 - $1) }.max()! / scale < 1e-5)
    }

    @Test func batchedAndStepwiseAgree() throws {
        let model = try DecoderModel(try CheckpointReader.open(Fixtures.tinyPixtral), contextLength: 16, threads: 2)
        let ids = [1, 93, 130, 278, 810]
        let batched = try model.evaluate(ids)
        model.reset()
        var stepwise: [Float] = []
        for id in ids { stepwise = try model.evaluate([id]) }
        #expect(zip(batched, stepwise).allSatisfy { abs($0 - $1) < 1e-4 })
        #expect(throws: RuntimeError.self) { try model.evaluate(Array(repeating: 5, count: 12)) }
    }
}
