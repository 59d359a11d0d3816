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
/// (Scripts/oracle/make_family_goldens.py → Fixtures/goldens/families/FAMILY/). gemma2-softcap is
/// tiny-gemma2 with caps small enough to bend its scores (Scripts/fixtures/make_family_fixtures.py).
@Suite struct FamilyRuntimeTests {
    static let families = ["qwen2", "qwen3", "gemma3", "gemma2", "gemma2-softcap", "phi3", "phi4", "phi4-mini"]
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
            let (logits, error) = try Self.logits(spec, golden, family: family)
            let vocabulary = logits.count / ids.count
            let argmax = (0..<ids.count).map { t in (0..<vocabulary).max { logits[t * vocabulary + $0] < logits[t * vocabulary + $1] }! }
            #expect(argmax == golden["argmax"]?.arrayValue?.compactMap(\.intValue), "argmax at every position")
            #expect(error < 1e-3, "\(family): largest difference \(error) of the logits' largest magnitude")
        }
    }

    /// The logits of a transformers golden's prompt at every position, and the largest difference of the
    /// last position's from transformers', relative to their largest magnitude.
    static func logits(_ spec: ModelSpec, _ golden: JSON, family: String) throws -> (logits: [Float], error: Float) {
        let ids = try #require(golden["ids"]?.arrayValue).compactMap { $0.intValue }
        let reference = try RuntimeGoldens.floats(try #require(golden["logits"]?.stringValue), in: folder(family))
        // Within Phi-3's original context of 64, as transformers runs these short prompts: the short factors.
        let model = try DecoderModel(spec, contextLength: 64, threads: 2)
        let logits = try model.evaluate(ids, logitsFrom: 0)
        let vocabulary = model.vocabularySize
        #expect(vocabulary == reference.count)
        let last = logits[(ids.count - 1) * vocabulary..<ids.count * vocabulary]
        let worst = zip(last, reference).map { abs($0 - $1) }.max()!
        return (logits, worst / reference.map(abs).max()!)
    }

    /// Perplexity of the evaluation text at a context of 128, as llama-perplexity runs it.
    static func perplexity(_ spec: ModelSpec) throws -> PerplexityResult {
        let tokenizer = try TokenizerLoader.load(spec)
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("text/eval.txt"))), as: UTF8.self)
        let tokens = tokenizer.encode(text, addBOS: tokenizer.addsBOS, parseSpecial: false)
        let model = try DecoderModel(spec, contextLength: 128, threads: 2)
        return try Perplexity.evaluate(model, tokens: tokens, context: 128, bos: tokenizer.addsBOS ? tokenizer.bosID : nil)
    }

    /// The whole evaluation text at a context of 128, as llama-perplexity runs it.
    @Test(arguments: cases)
    func perplexityMatchesLlamaPerplexity(_ c: Case) throws {
        let golden = try #require(try RuntimeGoldens.json("llama.json", in: Self.folder(c.family))["perplexity"]?["\(c.type)-c128"])
        let result = try Self.perplexity(try CheckpointReader.open(try #require(Self.models.paths["\(c.family) \(c.type)"])))
        let expected = try #require(golden["ppl"]?.doubleValue)
        #expect(golden["running"]?.arrayValue?.count == result.chunks, "the same number of chunks")
        #expect(abs(result.perplexity / expected - 1) < 0.001, "\(c): ours \(result.perplexity), llama-perplexity \(expected)")
    }

    /// A user turn in the family's chat format, from the F16 file and the folder, against the template's
    /// rendering and llama-completion's ids for it (families with a chat golden).
    @Test(arguments: families)
    func chatPromptMatchesLlamaCompletion(_ family: String) throws {
        guard let chat = try RuntimeGoldens.json("llama.json", in: Self.folder(family))["chat"] else { return }
        let expected = try #require(chat["prompt_ids"]?.arrayValue).compactMap(\.intValue)
        for spec in [try CheckpointReader.open(try #require(Self.models.paths["\(family) F16"])), try CheckpointReader.open(Fixtures.path("tiny-\(family)"))] {
            let format = try ChatFormat(spec)
            let wrapped = format.wrap(try #require(chat["message"]?.stringValue))
            #expect(wrapped == chat["rendered"]?.stringValue, "as the chat template renders it")
            let tokenizer = try TokenizerLoader.load(spec)
            #expect(tokenizer.encode(wrapped, addBOS: tokenizer.addsBOS, parseSpecial: true) == expected, "\(spec.layout): ids as llama-completion's")
        }
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
            // llama-completion's context: Phi-3 picks its long-rope factors by it.
            let model = try DecoderModel(spec, contextLength: 128, threads: 2)
            var generator = TextGenerator(model: model, sampler: Sampler(temperature: 0), eos: tokenizer.eosID)
            // The text after the prompt's: a SentencePiece decode drops the space of the first piece it decodes.
            let generated = try generator.generate(prompt: ids, maxTokens: 24).generated
            var ours = String(tokenizer.decode(ids + generated).dropFirst(tokenizer.decode(ids).count))
            while ours.hasSuffix("\n") { ours.removeLast() }
            #expect(ours == printed, "\(c): \(prompt)")
        }
    }

    /// The tests above see gemma2-softcap's caps: without either one, its logits leave transformers' by
    /// more than ten times their tolerance (8.7 % without the attention cap) and its perplexity leaves
    /// llama-perplexity's by more than three times theirs (0.54 %).
    @Test(arguments: ["attention", "final"])
    func softcapsBendTheVariantsResults(_ cap: String) throws {
        let family = "gemma2-softcap"
        func uncapped(_ path: String) throws -> ModelSpec {
            var spec = try CheckpointReader.open(path)
            #expect(spec.text.attentionLogitSoftcap == 1 && spec.text.finalLogitSoftcap == 3, "the variant's caps")
            if cap == "attention" { spec.text.attentionLogitSoftcap = nil } else { spec.text.finalLogitSoftcap = nil }
            return spec
        }
        let goldens = try #require(try RuntimeGoldens.json("transformers.json", in: Self.folder(family))["cases"]?.arrayValue)
        let error = try goldens.map { try Self.logits(try uncapped(Fixtures.path("tiny-\(family)")), $0, family: family).error }.max()!
        #expect(error > 1e-2, "without the \(cap) cap the logits differ by \(error)")
        let expected = try #require(try RuntimeGoldens.json("llama.json", in: Self.folder(family))["perplexity"]?["F16-c128"]?["ppl"]?.doubleValue)
        let perplexity = try Self.perplexity(try uncapped(try #require(Self.models.paths["\(family) F16"]))).perplexity
        #expect(abs(perplexity / expected - 1) > 0.003, "without the \(cap) cap: \(perplexity) against llama-perplexity's \(expected)")
    }

    /// A Phi-4 folder (GPT2Tokenizer) without its tokenizer.json is refused by name, in convert and in
    /// the runtime, rather than read through a tokenizer.model it might also hold.
    @Test func phi4WithoutTokenizerJSONIsRefused() throws {
        let folder = TemporaryDirectory()
        for name in ["config.json", "model.safetensors", "tokenizer_config.json"] {
            try FileManager.default.copyItem(atPath: Fixtures.path("tiny-phi4/\(name)"), toPath: folder.file(name))
        }
        try FileManager.default.copyItem(atPath: Fixtures.path("tiny-phi3/tokenizer.model"), toPath: folder.file("tokenizer.model"))
        let spec = try CheckpointReader.open(folder.path)
        #expect { _ = try GGUFConversion.plan(spec, outputType: .f16) } throws: { "\($0)".contains("has no tokenizer.json (Phi-4's GPT2Tokenizer vocabulary)") }
        #expect { _ = try TokenizerLoader.load(spec) } throws: { "\($0)".contains("has no tokenizer.json (Phi-4's GPT2Tokenizer vocabulary)") }
    }

    /// A Phi-3 GGUF with separate attn_q/k/v (gguf-py's rewrite of llama-quantize's Q8_0 file,
    /// Scripts/oracle/make_split_qkv_goldens.py) runs as the fused file does, and as llama-perplexity runs it.
    @Test func phi3WithSeparateQueryKeyValue() throws {
        let golden = try RuntimeGoldens.json("split-qkv.json", in: Self.folder("phi3"))
        let split = try CheckpointReader.open("\(Self.folder("phi3"))/\(try #require(golden["file"]?.stringValue))")
        #expect(split.tensors.contains { $0.role == TensorRole(.attentionQuery, layer: 0) } && !split.tensors.contains { $0.role.kind == .attentionQKV })
        let fused = try CheckpointReader.open(try #require(Self.models.paths["phi3 Q8_0"]))
        let ids = Array(0..<40).map { $0 * 37 % 1000 }
        let logits = try [split, fused].map { try DecoderModel($0, contextLength: 128, threads: 2).evaluate(ids, logitsFrom: 0) }
        #expect(logits[0] == logits[1], "the split file's logits are the fused file's")
        let expected = try #require(golden["perplexity"]?["Q8_0-c128"]?["ppl"]?.doubleValue)
        let result = try Self.perplexity(split)
        #expect(abs(result.perplexity / expected - 1) < 0.001, "ours \(result.perplexity), llama-perplexity \(expected)")
    }
}
