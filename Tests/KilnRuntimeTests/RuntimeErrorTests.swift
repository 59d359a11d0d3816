import KilnRuntime
import Testing

@Suite struct RuntimeErrorTests {
    @Test func namesTheFile() {
        #expect(RuntimeError(path: "m.gguf", "no tokenizer").description == "m.gguf: no tokenizer")
    }
}
