import Foundation
import KilnCheckpoints
import KilnConversion
import KilnCore
import KilnQuantization
import KilnRuntime
import KilnTestSupport
import Testing

/// The other families' tiny checkpoints in the runtime: the folder against transformers' float32
/// forward pass, and Kiln's F16/Q8_0/Q4_K_M files (byte-identical to llama.cpp's, see
/// FamilyConversionTests) against llama-perplexity and llama-completion on the same files
/// (Scripts/oracle/make_family_goldens.py → Fixtures/goldens/families/FAMILY/).
@Suite struct FamilyRuntimeTests {
    static let families = ["qwen2", "qwen3", "gemma3", "gemma2"]
    static let types = ["F16", "Q8_0", "Q4_K_M"]

    struct Case: CustomTestStringConvertible, Sendable {
        let family: String
        let type: String
        var testDescription: String { "\(family) \(type)" }
    }

    static let cases = families.flatMap { family in types.map { Case(family: family, type: $0) } }

    static func folder(_ family: String) -> String { "\(Fixtures.goldens)/families/\(family)" }

    /// Each family's F16 conversion and its quantizations, made once per test run.
    static let models: (folder: TemporaryDirectory, paths: [String: String]) = {
        let folder = TemporaryDirectory()
        var paths: [String: String] = [:]
        for family in families {
            let f16 = folder.file("\(family)-F16.gguf")
            try! GGUFConversion.write(try! GGUFConversion.plan(try! CheckpointReader.open(Fixtures.path("tiny-\(family)")), outputType: .f16), to: f16, threads: 2)
            paths["\(family) F16"] = f16
            for type in types.dropFirst() {
                let spec = try! CheckpointReader.open(f16)
                let plan = try! GGUFQuantization.plan(try! GGUFConversion.plan(spec, outputType: .auto), layerCount: spec.text.layerCount,
                                                      headCount: spec.text.headCount, headCountKV: spec.text.keyValueHeadCount,
                                                      request: QuantizationRequest(fileType: QuantizationFileType(name: type)!), inputPath: f16)
                try! GGUFConversion.write(plan, to: folder.file("\(family)-\(type).gguf"), threads: 2)
                paths["\(family) \(type)"] = folder.file("\(family)-\(type).gguf")
            }
        }
        return (folder, paths)
    }()

    @Test(arguments: families)
    func folderLogitsMatchTransformers(_ family: String) throws {
        let document = try RuntimeGoldens.json("transformers.json", in: Self.folder(family))
        let spec = try CheckpointReader.open(Fixtures.path("tiny-\(family)"))
        let tokenizer = try TokenizerLoader.load(spec)
        for golden in try #require(document["cases"]?.arrayValue) {
            let ids = try #require(golden["ids"]?.arrayValue).compactMap { $0.intValue }
            #expect(tokenizer.encode(try #require(golden["prompt"]?.stringValue), addBOS: tokenizer.addsBOS, parseSpecial: false) == ids,
                    "prompt ids as transformers' tokenizer")
            let reference = try RuntimeGoldens.floats(try #require(golden["logits"]?.stringValue), in: Self.folder(family))
            let model = try LlamaModel(spec, contextLength: 64, threads: 2)
            let logits = try model.evaluate(ids, logitsFrom: 0)
            let vocabulary = model.vocabularySize
            #expect(vocabulary == reference.count)
            let argmax = (0..<ids.count).map { t in (0..<vocabulary).max { logits[t * vocabulary + $0] < logits[t * vocabulary + $1] }! }
            #expect(argmax == golden["argmax"]?.arrayValue?.compactMap(\.intValue), "argmax at every position")
            let last = Array(logits[(ids.count - 1) * vocabulary..<ids.count * vocabulary])
            let scale = reference.map(abs).max()!
            let worst = zip(last, reference).map { abs($0 - $1) }.max()!
            #expect(worst / scale < 1e-3, "\(family): largest difference \(worst) against logits up to \(scale)")
        }
    }

    /// The whole evaluation text at a context of 128, as llama-perplexity runs it.
    @Test(arguments: cases)
    func perplexityMatchesLlamaPerplexity(_ c: Case) throws {
        let golden = try #require(try RuntimeGoldens.json("llama.json", in: Self.folder(c.family))["perplexity"]?["\(c.type)-c128"])
        let spec = try CheckpointReader.open(try #require(Self.models.paths["\(c.family) \(c.type)"]))
        let tokenizer = try TokenizerLoader.load(spec)
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("text/eval.txt"))), as: UTF8.self)
        let tokens = tokenizer.encode(text, addBOS: tokenizer.addsBOS, parseSpecial: false)
        let model = try LlamaModel(spec, contextLength: 128, threads: 2)
        let result = try Perplexity.evaluate(model, tokens: tokens, context: 128, bos: tokenizer.addsBOS ? tokenizer.bosID : nil)
        let expected = try #require(golden["ppl"]?.doubleValue)
        #expect(golden["running"]?.arrayValue?.count == result.chunks, "the same number of chunks")
        #expect(abs(result.perplexity / expected - 1) < 0.001, "\(c): ours \(result.perplexity), llama-perplexity \(expected)")
    }

    @Test(arguments: cases)
    func greedyTextMatchesLlamaCompletion(_ c: Case) throws {
        let goldens = try #require(try RuntimeGoldens.json("llama.json", in: Self.folder(c.family))["greedy"]?[c.type]?.arrayValue)
        let spec = try CheckpointReader.open(try #require(Self.models.paths["\(c.family) \(c.type)"]))
        let tokenizer = try TokenizerLoader.load(spec)
        for golden in goldens {
            let prompt = try #require(golden["prompt"]?.stringValue)
            let ids = tokenizer.encode(prompt, addBOS: tokenizer.addsBOS, parseSpecial: true)
            #expect(ids == golden["prompt_ids"]?.arrayValue?.compactMap(\.intValue), "prompt ids as llama-completion's")
            var printed = try #require(golden["text"]?.stringValue)
            while printed.hasSuffix("\n") { printed.removeLast() }
            let model = try LlamaModel(spec, contextLength: 64, threads: 2)
            var generator = TextGenerator(model: model, sampler: Sampler(temperature: 0), eos: tokenizer.eosID)
            var ours = tokenizer.decode(try generator.generate(prompt: ids, maxTokens: 24).generated)
            while ours.hasSuffix("\n") { ours.removeLast() }
            #expect(ours == printed, "\(c): \(prompt)")
        }
    }
}
