import Foundation
import KilnCore
import KilnTestSupport
import Testing

/// `kiln perplexity` on the i-quant and ternary files of the wide fixture equals llama-perplexity on
/// llama-quantize's identical files within 0.1 % (Fixtures/goldens/perplexity-wide, from
/// Scripts/oracle/make_wide_perplexity_goldens.sh): the runtime decodes every new block type and rounds
/// its activations to Q8_K as llama.cpp's CPU dot products do.
@Suite struct IQuantPerplexityTests {
    static let summary: [(type: String, ppl: Double)] = {
        guard let data = FileManager.default.contents(atPath: "\(Fixtures.goldens)/perplexity-wide/summary.json"),
              let json = try? JSON.parse(Array(data)) else { return [] }
        return (json.objectMembers ?? []).compactMap { entry in entry.value["ppl"]?.doubleValue.map { (entry.key, $0) } }
    }()

    static let input: (folder: TemporaryDirectory, path: String) = {
        let folder = TemporaryDirectory()
        let path = folder.file("wide-f16.gguf")
        _ = try? KilnProcess.run(["convert", Fixtures.wideLlama, "-o", path, "--outtype", "f16"])
        return (folder, path)
    }()

    @Test(arguments: summary.map(\.type))
    func perplexityEqualsLlamaPerplexity(_ type: String) throws {
        let expected = try #require(Self.summary.first { $0.type == type }?.ppl)
        let folder = TemporaryDirectory()
        let model = folder.file("\(type).gguf")
        let quantize = try KilnProcess.run(["quantize", Self.input.path, "-o", model, "--type", type,
                                            "--imatrix", "\(Fixtures.goldens)/quantize-wide/wide-llama.imatrix.gguf"])
        #expect(quantize.status == 0, "\(quantize.stderr)")
        let result = try KilnProcess.run(["perplexity", model, "--file", Fixtures.path("text/eval.txt"), "--ctx", "128",
                                          "--chunks", "24", "--json", "--threads", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        let ppl = try #require(try JSON.parse(Array(result.stdout.utf8))["ppl"]?.doubleValue)
        #expect(abs(ppl / expected - 1) < 0.001, "kiln \(ppl), llama-perplexity \(expected)")
    }
}
