import Foundation
import KilnCheckpoints
import KilnCore
import KilnRuntime
import KilnTestSupport
import Testing

/// GGUF files of each type against llama.cpp on the same files (Fixtures/goldens/runtime/llama.json).
///
/// Debug builds run the forward pass slowly, so the tests score the first chunks and compare with
/// llama-perplexity's running estimate after as many chunks; `kiln perplexity` on a release build
/// checks whole files (see the report in make_runtime_goldens.py's goldens).
@Suite struct LlamaCppTests {
    static let types = ["f16", "q8_0", "q4_k_m"]

    @Test(arguments: types)
    func perplexityMatchesLlamaPerplexity(_ type: String) throws {
        let document = try RuntimeGoldens.json("llama.json")
        let golden = try #require(document["perplexity"]?["\(type)-c128"])
        let running = try #require(golden["running"]?.arrayValue).compactMap { $0.doubleValue }
        let path = try #require(RuntimeGoldens.models.paths[type])
        let spec = try CheckpointReader.open(path)
        let tokenizer = try TokenizerLoader.load(spec)
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("text/eval.txt"))), as: UTF8.self)
        let tokens = tokenizer.encode(text, addBOS: tokenizer.addsBOS, parseSpecial: false)
        let model = try DecoderModel(spec, contextLength: 128, threads: 2)
        let chunks = 2
        let result = try Perplexity.evaluate(model, tokens: tokens, context: 128, maxChunks: chunks, bos: tokenizer.bosID)
        #expect(result.scoredTokens == chunks * 63)
        let expected = running[chunks - 1]
        #expect(abs(result.perplexity / expected - 1) < 0.001, "\(type): ours \(result.perplexity), llama-perplexity \(expected)")
    }

    @Test(arguments: types)
    func greedyTextMatchesLlamaCompletion(_ type: String) throws {
        let document = try RuntimeGoldens.json("llama.json")
        let cases = try #require(document["greedy"]?[type]?.arrayValue)
        let path = try #require(RuntimeGoldens.models.paths[type])
        let spec = try CheckpointReader.open(path)
        let tokenizer = try TokenizerLoader.load(spec)
        for golden in cases {
            let prompt = try #require(golden["prompt"]?.stringValue)
            let ids = try #require(golden["prompt_ids"]?.arrayValue).compactMap { $0.intValue }
            #expect(tokenizer.encode(prompt, addBOS: true, parseSpecial: true) == ids, "prompt ids as llama-tokenize")
            // llama-completion ends its output with newlines of its own.
            var printed = try #require(golden["text"]?.stringValue)
            while printed.hasSuffix("\n") { printed.removeLast() }

            let model = try DecoderModel(spec, contextLength: 64, threads: 2)
            var generator = TextGenerator(model: model, sampler: Sampler(temperature: 0), eos: tokenizer.eosID)
            let result = try generator.generate(prompt: ids, maxTokens: 24)
            var ours = tokenizer.decode(result.generated)
            while ours.hasSuffix("\n") { ours.removeLast() }
            #expect(ours == printed, "\(type): \(prompt)")
        }
    }
}
