import KilnGGUF
import KilnTokenizers
import Testing

@Suite struct GGUFTokenizerTests {
    static let vocabulary = TestTokenizers.tekkenFile.ggufVocabulary

    static func metadata(pre: String) -> GGUFMetadata {
        var vocabulary = vocabulary
        vocabulary.preTokenizer = pre
        return TestTokenizers.metadata(vocabulary)
    }

    /// Every pre-tokenizer llama.cpp names and Kiln knows compiles and round-trips text.
    @Test(arguments: ["default", "gpt-2", "smollm", "llama-bpe", "dbrx", "tekken", "qwen2", "gpt-4o"])
    func namedPreTokenizersWork(_ pre: String) throws {
        let tokenizer = try GGUFTokenizer.load(Self.metadata(pre: pre), path: "x.gguf")
        let text = "Hello, World! It's 2024: 12345 apples\n\tand  café 😀"
        #expect(tokenizer.decode(tokenizer.encode(text, addBOS: false, parseSpecial: true)) == text)
    }

    /// llama.cpp adds BOS by default (no `add_bos_token` key) for Llama 3's and tekken's pre-tokenizers
    /// only (`llama_vocab::impl::load`): `dbrx` shares Llama 3's regex, not that default; `gpt-4o` adds none.
    @Test func defaultBOSFollowsThePreTokenizerName() throws {
        for (pre, adds) in [("llama-bpe", true), ("tekken", true), ("dbrx", false), ("qwen2", false), ("gpt-4o", false), ("gpt-2", false)] {
            #expect(try GGUFTokenizer.load(Self.metadata(pre: pre), path: "x.gguf").addsBOS == adds, "\(pre)")
        }
    }

    @Test func unknownPreTokenizerAndModelAreErrors() {
        #expect(throws: TokenizerError.self) { try GGUFTokenizer.load(Self.metadata(pre: "deepseek-llm"), path: "x.gguf") }
        var metadata = Self.metadata(pre: "tekken")
        metadata["tokenizer.ggml.model"] = .string("bert")
        #expect(throws: TokenizerError.self) { try GGUFTokenizer.load(metadata, path: "x.gguf") }
    }
}
