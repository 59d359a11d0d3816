import Foundation
import KilnCheckpoints
import KilnCore
@testable import KilnRuntime
import KilnTestSupport
import Testing

/// `ImagePrompter` lays out image+text prompts as transformers' `PixtralProcessor` does
/// (Fixtures/goldens/vision/prompt-ids.json, from Scripts/oracle/make_prompt_goldens.py).
@Suite struct ImagePromptTests {
    static let cases: [JSON] = {
        let golden = try! JSON.read(contentsOf: Fixtures.path("goldens/vision/prompt-ids.json"))
        return golden["cases"]!.arrayValue!
    }()

    @Test(arguments: 0..<2)
    func promptsMatchThePixtralProcessor(_ index: Int) throws {
        let golden = Self.cases[index]
        let spec = try CheckpointReader.open(Fixtures.tinyPixtral)
        let tokenizer = try TokenizerLoader.load(spec)
        let prompter = try ImagePrompter(vision: try #require(spec.visionSpec), tokenizer: tokenizer,
                                         preprocessorConfig: spec.preprocessorConfig, threads: 2)
        let images = try #require(golden["images"]?.arrayValue).map { Fixtures.path("images/\($0.stringValue!)") }
        let prompt = try #require(golden["prompt"]?.stringValue)
        let inputs = try prompter.inputs(try prompter.placeImages(in: prompt, imageCount: images.count), images: images,
                                         tokenizer: tokenizer, addBOS: tokenizer.addsBOS, parseSpecial: false)
        let expected = try #require(golden["input_ids"]?.arrayValue).compactMap(\.intValue)
        // Patches and the vision tower's [IMG_BREAK] row are embedding rows; every other position is a token.
        let embedded: Set<Int> = [prompter.imageTokens.image, prompter.imageTokens.imageBreak]
        #expect(inputs.count == expected.count)
        for (position, (input, id)) in zip(inputs, expected).enumerated() {
            switch input {
            case let .token(token): #expect(token == id, "position \(position)")
            case .embedding: #expect(embedded.contains(id), "position \(position) holds \(id), not an image row")
            }
        }
    }

    /// From a folder the `[IMG_BREAK]` row is the text embedding's own row, so transformers' sequence is
    /// reproduced value for value.
    @Test func imageBreakRowIsTheTokenEmbeddingRow() throws {
        let spec = try CheckpointReader.open(Fixtures.tinyPixtral)
        let tokenizer = try TokenizerLoader.load(spec)
        let prompter = try ImagePrompter(vision: try #require(spec.visionSpec), tokenizer: tokenizer, preprocessorConfig: nil, threads: 2)
        let row = try #require(prompter.imageBreakRow)
        let embedding = try WeightMatrix(try #require(spec.tensor(TensorRole(.tokenEmbedding))), storage: WeightStorage())
        var expected = [Float](repeating: 0, count: row.count)
        expected.withUnsafeMutableBufferPointer { embedding.decodeRow(prompter.imageTokens.imageBreak, into: $0.baseAddress!) }
        #expect(Array(row) == expected)
    }
}
