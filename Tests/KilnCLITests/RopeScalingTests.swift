import Foundation
import KilnCore
import KilnTestSupport
import Testing

/// The runtime's rope scaling against llama-perplexity: the trained wide fixture with linear, YaRN
/// and llama3 scaling in its config, converted by `kiln convert` (byte-identical to convert_hf_to_gguf.py's
/// file: ConverterRuleGoldenTests), evaluated by `kiln perplexity` within 0.1 % of llama.cpp's native
/// build with `-fa on` and `-fa off` (Fixtures/goldens/rope-scaling, Scripts/oracle/make_rope_perplexity_goldens.py).
/// The Mistral native case (params.json's yarn block) is also evaluated from the folder itself, which must
/// give the converted file's numbers.
@Suite struct RopeScalingTests {
    static let summary: JSON? = {
        guard let data = FileManager.default.contents(atPath: "\(Fixtures.goldens)/rope-scaling/summary.json") else { return nil }
        return try? JSON.parse(Array(data))
    }()

    static let cases: [String] = (summary?["cases"]?.objectMembers ?? []).map(\.key)

    func perplexity(_ model: String, _ options: String...) throws -> Double {
        let result = try KilnProcess.run(["perplexity", model, "--json", "--file", Fixtures.path("text/eval.txt"),
                                          "--ctx", "512", "--chunks", "4", "--threads", "2"] + options)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSON.parse(Array(result.stdout.utf8))["ppl"]?.doubleValue)
    }

    @Test(arguments: cases)
    func perplexityEqualsLlamaPerplexity(_ name: String) throws {
        let golden = try #require(Self.summary?["cases"]?[name])
        let folder = TemporaryDirectory()
        let model = folder.file(name)
        try SyntheticLlama.build(case: name, into: model)
        let path = folder.file("\(name).gguf")
        let convert = try KilnProcess.run(["convert", model, "-o", path])
        #expect(convert.status == 0, "\(convert.stderr)")
        var seen: [Double] = []
        for (fa, key) in [("on", "native_fa_on"), ("off", "native_fa_off")] {
            let expected = try #require(golden[key]?["ppl"]?.doubleValue)
            let ppl = try perplexity(path, "-fa", fa)
            #expect(abs(ppl / expected - 1) < 0.001, "\(name) -fa \(fa): kiln \(ppl), llama-perplexity \(expected)")
            seen.append(ppl)
        }
        // The scaling changes the model: the unscaled fixture's perplexity (wide-llama's 32.73) is far from these.
        var unscaled = try #require(AgreementTests.summary?["types"]?["BF16"]?["native_fa_on"]?["ppl"]?.doubleValue)
        if FileManager.default.fileExists(atPath: "\(model)/params.json") {
            // A folder runs in F32 over an F32 cache, with no -fa distinction: held to the -fa on figure.
            let expected = try #require(golden["native_fa_on"]?["ppl"]?.doubleValue)
            let ppl = try perplexity(model)
            #expect(abs(ppl / expected - 1) < 0.001, "\(name) folder: kiln \(ppl), llama-perplexity on the converted file \(expected)")
            seen.append(ppl)
            // The fixture folder the case's params.json overrides, without the yarn block.
            let base = try #require(try JSON.read(contentsOf: Fixtures.path("converter-rules/\(name)/case.json"))["folder"]?.stringValue)
            unscaled = try perplexity(Fixtures.path(base))
        }
        #expect(seen.allSatisfy { abs($0 / unscaled - 1) > 0.005 }, "\(name): \(seen) vs unscaled \(unscaled)")
    }
}
