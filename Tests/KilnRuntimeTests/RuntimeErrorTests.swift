import KilnCheckpoints
import KilnRuntime
import KilnTestSupport
import Testing

@Suite struct RuntimeErrorTests {
    @Test func namesTheFile() {
        #expect(RuntimeError(path: "m.gguf", "no tokenizer").description == "m.gguf: no tokenizer")
    }

    /// A cache no machine holds (40 layers × 2^27 positions × 64 floats × 2 ≈ 2.7 TB) is refused
    /// before anything is allocated, even when the model states no trained context length.
    @Test func refusesACacheBeyondTheMachinesMemory() throws {
        var spec = try CheckpointReader.open(Fixtures.tinyPixtral)
        spec.text.contextLength = nil
        #expect {
            _ = try DecoderModel(spec, contextLength: 1 << 27)
        } throws: { error in
            "\(error)".contains("tiny-pixtral") && "\(error)".contains("MiB of memory")
        }
    }
}
