import KilnCheckpoints
import KilnRuntime
import KilnTestSupport
import KilnTransforms
import Testing

/// The promise of the identity method: the upscaled model computes exactly what the original did,
/// because each inserted block's attention output and MLP down projection are zero.
@Suite struct IdentityUpscaleLogitsTests {
    @Test(arguments: [Fixtures.tinyPixtral, Fixtures.tinyPixtralNative])
    func identityUpscaleGivesTheOriginalLogits(_ model: String) throws {
        let original = try CheckpointReader.open(model)
        let upscaled = try UpscalePlan(method: .identity, sourceLayerCount: 40, layerCount: 48).apply(to: original)
        #expect(upscaled.text.layerCount == 48)
        let tokens = [1, 57, 300, 713, 20, 999, 42, 512, 8, 101]
        let before = try DecoderModel(original, contextLength: 32, threads: 2).evaluate(tokens, logitsFrom: 0)
        let after = try DecoderModel(upscaled, contextLength: 32, threads: 2).evaluate(tokens, logitsFrom: 0)
        #expect(before.count == after.count && !before.isEmpty)
        let scale = before.map(abs).max() ?? 1
        let worst = zip(before, after).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst <= 1e-6 * scale, "largest logit difference \(worst)")
    }

    @Test func solarUpscaleChangesTheFunction() throws {
        let original = try CheckpointReader.open(Fixtures.tinyPixtral)
        let upscaled = try UpscalePlan(method: .solar, sourceLayerCount: 40, layerCount: 48).apply(to: original)
        let tokens = [1, 57, 300, 713]
        let before = try DecoderModel(original, contextLength: 8, threads: 2).evaluate(tokens, logitsFrom: 0)
        let after = try DecoderModel(upscaled, contextLength: 8, threads: 2).evaluate(tokens, logitsFrom: 0)
        #expect(zip(before, after).contains { abs($0 - $1) > 1e-3 }, "duplicated layers without zeroing do change the output")
    }
}
