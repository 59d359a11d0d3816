import Foundation
import KilnCore
import KilnTestSupport
import Testing

/// `kiln quantize` says how many tensors fell back to another type, as llama-quantize warns
/// ("WARNING: N of M tensor(s) required fallback quantization"): the same count as llama-quantize's
/// own log on the fixture (`Fixtures/goldens/quantize/TYPE.json`, hidden size 64, so 256-blocks
/// do not fit), and to what, on stderr and in the JSON.
@Suite(.serialized) struct QuantizeFallbackTests {
    static let files: (folder: TemporaryDirectory, f16: String) = {
        let folder = TemporaryDirectory()
        let f16 = folder.file("f16.gguf")
        _ = try! KilnProcess.run(["convert", Fixtures.tinyPixtral, "--outtype", "f16", "-o", f16])
        return (folder, f16)
    }()

    /// llama-quantize's count from its log, nil when it warned of none.
    func llamaFallbacks(_ type: String) throws -> Int? {
        let golden = try JSON.parse(Array(try Data(contentsOf: URL(fileURLWithPath: "\(Fixtures.goldens)/quantize/\(type).json"))))
        let line = golden["log"]?.arrayValue?.compactMap(\.stringValue).first { $0.contains("required fallback quantization") }
        return line.flatMap { Int($0.components(separatedBy: "WARNING: ")[1].split(separator: " ")[0]) }
    }

    @Test(arguments: ["Q4_K_M", "Q2_K", "Q6_K", "Q4_0", "Q8_0", "IQ4_NL", "IQ4_XS", "F16"])
    func countsFallbacksAsLlamaQuantizeDoes(_ type: String) throws {
        let folder = TemporaryDirectory()
        let text = try KilnProcess.run(["quantize", Self.files.f16, folder.file("a.gguf"), type])
        let json = try KilnProcess.run(["quantize", Self.files.f16, folder.file("b.gguf"), type, "--json"])
        #expect(text.status == 0 && json.status == 0, "\(text.stderr)\(json.stderr)")
        let expected = try llamaFallbacks(type)
        let notes = text.stderr.split(separator: "\n").filter { $0.contains("fell back") }
        let counted = try JSON.parse(json.stdout)["fallbacks"]?.arrayValue?.reduce(0) { $0 + ($1["tensors"]?.intValue ?? 0) }
        if let expected {
            #expect(notes.count == 1 && notes[0].hasPrefix("kiln: note: \(expected) of 363 tensors fell back"), "\(text.stderr)")
            #expect(counted == expected)
        } else {
            #expect(notes.isEmpty, "\(text.stderr)")
            #expect(counted == 0)
        }
    }

    /// The note names the replacement: Q4_K_M's Q4_K rows of 64 become Q5_0, its Q6_K ones Q8_0.
    @Test func namesWhatFellBackToWhat() throws {
        let folder = TemporaryDirectory()
        let result = try KilnProcess.run(["quantize", Self.files.f16, folder.file("q.gguf"), "Q4_K_M", "--json"])
        let groups = try #require(try JSON.parse(result.stdout)["fallbacks"]?.arrayValue)
        let pairs = Set(groups.compactMap { group in group["from"]?.stringValue.flatMap { from in group["to"]?.stringValue.map { "\(from)>\($0)" } } })
        #expect(pairs == ["Q4_K>Q5_0", "Q6_K>Q8_0"], "\(groups)")
        #expect(result.stderr.contains("Q4_K → Q5_0") && result.stderr.contains("Q6_K → Q8_0"))
    }
}
