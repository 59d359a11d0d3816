import Foundation
import KilnCore
import KilnTestSupport
import Testing

/// What a llama.cpp user types works: llama-quantize's positional form, its type aliases and numbers,
/// the short flags of llama.cpp's tools, one case rule for type names, and "did you mean" for a slip.
@Suite(.serialized) struct LlamaHabitsTests {
    /// The fixture as F16, made once, in a folder of its own (the positional form writes next to it).
    static let files: (folder: TemporaryDirectory, f16: String) = {
        let folder = TemporaryDirectory()
        let f16 = folder.file("f16.gguf")
        _ = try! KilnProcess.run(["convert", Fixtures.tinyPixtral, "--outtype", "f16", "-o", f16])
        return (folder, f16)
    }()

    func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    /// `kiln quantize IN OUT TYPE THREADS`, `IN TYPE` (default output name) and the flag form write the
    /// same bytes, whatever spelling of the type.
    @Test(arguments: [("Q4_K_M", ["q4_k_m", "Q4_K", "q4_k", "15"]), ("Q8_0", ["q8_0", "7"]), ("Q5_K_M", ["Q5_K", "17"])])
    func positionalFormEqualsFlagForm(_ type: String, _ spellings: [String]) throws {
        let folder = TemporaryDirectory()
        let flagged = folder.file("flags.gguf")
        let reference = try KilnProcess.run(["quantize", Self.files.f16, "-o", flagged, "--type", type, "-t", "2"])
        #expect(reference.status == 0, "\(reference.stderr)")
        let expected = try bytes(flagged)
        for (index, spelling) in spellings.enumerated() {
            let out = folder.file("positional-\(index).gguf")
            let result = try KilnProcess.run(["quantize", Self.files.f16, out, spelling, "2"])
            #expect(result.status == 0, "\(spelling): \(result.stderr)")
            #expect(try bytes(out) == expected, "kiln quantize IN OUT \(spelling) 2 writes what --type \(type) writes")
        }
        // Without an output, llama-quantize's name in the input's folder.
        let defaultName = Self.files.folder.file("ggml-model-\(type).gguf")
        defer { try? FileManager.default.removeItem(atPath: defaultName) }
        let named = try KilnProcess.run(["quantize", Self.files.f16, spellings.last!])
        #expect(named.status == 0, "\(named.stderr)")
        #expect(named.stdout.contains(defaultName), "\(named.stdout)")
        #expect(try bytes(defaultName) == expected)
    }

    @Test(arguments: [
        (["quantize", "IN", "Q4_K_X"], "did you mean 'Q4_K_M'?"),
        (["quantize", "IN", "OUT.gguf", "q8_O"], "did you mean 'Q8_0'?"),
        (["quantize", "IN", "-o", "OUT.gguf", "--type", "Q4KM"], "did you mean 'Q4_K_M'?"),
        (["quantize", "IN", "-o", "OUT.gguf", "--type", "Q4_K_M", "--output-tensor-type", "q6k"], "did you mean 'Q6_K'?"),
        (["quantise", "IN", "Q4_K_M"], "did you mean 'quantize'?"),
        (["converr", "IN"], "did you mean 'convert'?"),
        (["quantize", "IN", "-o", "OUT.gguf", "--tpye", "Q4_K_M"], "Did you mean '--type'?"),
        (["convert", "IN", "-o", "OUT.gguf", "--outtype", "f61"], "did you mean 'f16'?"),
        (["convert", "IN", "-o", "OUT.gguf", "--outtype", "q8_0"], "kiln quantize"),
        (["quantize", "IN", "-o", "OUT.gguf"], "give the type"),
        (["quantize", "IN", "OUT.gguf", "Q4_K_M", "-o", "OTHER.gguf"], "given twice"),
        (["quantize", "IN", "OUT.gguf", "Q4_K_M", "four"], "must be a number"),
    ])
    func slipsGetOneLineAndTheNearestName(_ arguments: [String], _ expected: String) throws {
        let folder = TemporaryDirectory()
        let resolved = arguments.map { $0 == "IN" ? Self.files.f16 : $0.hasSuffix(".gguf") ? folder.file($0) : $0 }
        let result = try KilnProcess.run(resolved)
        #expect(result.status == 2, "\(arguments): \(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains(expected), "\(arguments): \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
        #expect(folder.contents.isEmpty, "nothing written")
    }

    /// Type names in any case: `--outtype F16` is `--outtype f16`, `--mmproj-type Q8_0` is `q8_0`.
    @Test func typeNamesAreReadInAnyCase() throws {
        let folder = TemporaryDirectory()
        let lower = folder.file("lower.gguf"), upper = folder.file("upper.gguf")
        #expect(try KilnProcess.run(["convert", Fixtures.tinyPixtral, "-o", lower, "--outtype", "f16", "--mmproj", folder.file("a.gguf"),
                                     "--mmproj-type", "q8_0"]).status == 0)
        let result = try KilnProcess.run(["convert", Fixtures.tinyPixtral, "-o", upper, "--outtype", "F16", "--mmproj", folder.file("b.gguf"),
                                          "--mmproj-type", "Q8_0"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try bytes(lower) == bytes(upper))
        #expect(try bytes(folder.file("a.gguf")) == bytes(folder.file("b.gguf")))
    }

    /// `-m -f -c -t` for perplexity and `-m -p -n -s -t` for generate mean what llama.cpp's tools mean.
    @Test func llamaCppShortFlagsEqualTheLongOnes() throws {
        let text = Fixtures.path("text/eval.txt")
        let long = try KilnProcess.run(["perplexity", Self.files.f16, "--file", text, "--ctx", "64", "--chunks", "2", "--threads", "2", "--json"])
        let short = try KilnProcess.run(["perplexity", "-m", Self.files.f16, "-f", text, "-c", "64", "--chunks", "2", "-t", "2", "--json"])
        #expect(long.status == 0 && short.status == 0, "\(long.stderr)\(short.stderr)")
        let (a, b) = (try JSON.parse(long.stdout), try JSON.parse(short.stdout))
        #expect(a["ppl"] != nil && a["ppl"] == b["ppl"] && a["ctx"] == b["ctx"] && b["ctx"]?.intValue == 64)

        let generated = try KilnProcess.run(["generate", Self.files.f16, "--prompt", "The sea", "-n", "6", "--temp", "0.7", "--seed", "3",
                                             "--threads", "2", "--json"])
        let shortGenerated = try KilnProcess.run(["generate", "-m", Self.files.f16, "-p", "The sea", "--n-predict", "6", "--temp", "0.7",
                                                  "-s", "3", "-t", "2", "--json"])
        #expect(generated.status == 0 && shortGenerated.status == 0, "\(generated.stderr)\(shortGenerated.stderr)")
        let (g, h) = (try JSON.parse(generated.stdout), try JSON.parse(shortGenerated.stdout))
        #expect(g["text"] != nil && g["text"] == h["text"] && g["generated_tokens"] == h["generated_tokens"])

        let twice = try KilnProcess.run(["generate", Self.files.f16, "-m", Self.files.f16, "-p", "x"])
        #expect(twice.status == 2 && twice.stderr.contains("given twice"))
    }
}
