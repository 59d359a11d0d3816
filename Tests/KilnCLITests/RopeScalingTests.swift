import Foundation
import KilnCore
import KilnTestSupport
import Testing

/// The runtime's rope scaling against llama-perplexity: the trained wide fixture with linear, YaRN
/// and llama3 scaling in its config, converted by `kiln convert` (byte-identical to convert_hf_to_gguf.py's
/// file: ConverterRuleGoldenTests), evaluated by `kiln perplexity` within 0.1 % of llama.cpp's native
/// build with `-fa on` and `-fa off` (Fixtures/goldens/rope-scaling, Scripts/oracle/make_rope_perplexity_goldens.py).
@Suite struct RopeScalingTests {
    static let summary: JSON? = {
        guard let data = FileManager.default.contents(atPath: "\(Fixtures.goldens)/rope-scaling/summary.json") else { return nil }
        return try? JSON.parse(Array(data))
    }()

    static let cases: [String] = (summary?["cases"]?.objectMembers ?? []).map(\.key)

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
            let result = try KilnProcess.run(["perplexity", path, "--json", "-fa", fa, "--file", Fixtures.path("text/eval.txt"),
                                              "--ctx", "512", "--chunks", "4", "--threads", "2"])
            #expect(result.status == 0, "\(result.stderr)")
            let ppl = try #require(try JSON.parse(Array(result.stdout.utf8))["ppl"]?.doubleValue)
            #expect(abs(ppl / expected - 1) < 0.001, "\(name) -fa \(fa): kiln \(ppl), llama-perplexity \(expected)")
            seen.append(ppl)
        }
        // The scaling changes the model: the unscaled fixture's perplexity (32.73) is far from these.
        let unscaled = try #require(AgreementTests.summary?["types"]?["BF16"]?["native_fa_on"]?["ppl"]?.doubleValue)
        #expect(seen.allSatisfy { abs($0 / unscaled - 1) > 0.005 }, "\(name): \(seen) vs unscaled \(unscaled)")
    }
}
