import Foundation
import KilnCheckpoints
import KilnConversion
import KilnCore
import KilnGGUF
import KilnQuantization
import KilnTestSupport
import Testing

/// The other families' tiny checkpoints (Fixtures/tiny-FAMILY) through convert and quantize, against
/// convert_hf_to_gguf.py and llama-quantize (Scripts/oracle/make_family_goldens.py).
@Suite struct FamilyConversionTests {
    static let families = ["qwen2", "qwen3", "gemma3", "gemma2", "gemma2-softcap", "phi3", "phi4", "phi4-mini"]

    struct ConvertCase: CustomTestStringConvertible, Sendable {
        let family: String
        let outputType: OutputType
        var testDescription: String { "\(family) \(outputType.rawValue)" }
    }

    static let convertCases = families.flatMap { family in [OutputType.f16, .auto].map { ConvertCase(family: family, outputType: $0) } }

    @Test(arguments: convertCases)
    func convertMatchesLlamaCppsConverter(_ c: ConvertCase) throws {
        let folder = TemporaryDirectory()
        let path = folder.file("out.gguf")
        try GGUFConversion.write(try GGUFConversion.plan(try CheckpointReader.open(Fixtures.path("tiny-\(c.family)")), outputType: c.outputType), to: path)
        try ConverterGoldenTests.expectIdentical(try GGUFFile(path: path), toGoldenAt: "families/\(c.family)/convert-\(c.outputType.rawValue)")
    }

    struct QuantizeCase: CustomTestStringConvertible, Sendable {
        let family: String
        let type: String
        var testDescription: String { "\(family) \(type)" }
    }

    static let quantizeCases = families.flatMap { family in QuantizeFileGoldenTests.fileTypes.map { QuantizeCase(family: family, type: $0) } }

    /// Every type's whole file equals llama-quantize's from the converter's F16 file, which Kiln's equals.
    @Test(arguments: quantizeCases)
    func quantizeMatchesLlamaQuantize(_ c: QuantizeCase) throws {
        let golden = try JSON.parse(Array(try Data(contentsOf: URL(fileURLWithPath: "\(Fixtures.goldens)/families/\(c.family)/quantize.json"))))
        let expected = try #require(golden["types"]?[c.type])
        let folder = TemporaryDirectory()
        let input = folder.file("f16.gguf")
        try GGUFConversion.write(try GGUFConversion.plan(try CheckpointReader.open(Fixtures.path("tiny-\(c.family)")), outputType: .f16), to: input)
        let spec = try CheckpointReader.open(input)
        let request = QuantizationRequest(fileType: try #require(QuantizationFileType(name: c.type)))
        let plan = try GGUFQuantization.plan(try GGUFConversion.plan(spec, outputType: .auto), layerCount: spec.text.layerCount,
                                             headCount: spec.text.headCount, headCountKV: spec.text.keyValueHeadCount,
                                             request: request, inputPath: input)
        try GGUFConversion.write(plan, to: folder.file("out.gguf"), threads: 2)
        let output = try GGUFFile(path: folder.file("out.gguf"))
        let tensors = try #require(expected["tensors"]?.arrayValue).map { ($0[0]?.stringValue ?? "", $0[1]?.stringValue ?? "") }
        #expect(output.tensors.map(\.name) == tensors.map(\.0), "tensor order")
        #expect(output.tensors.map(\.type.name) == tensors.map(\.1), "each tensor's type")
        #expect(SHA256.hex(output.mapping.bytes) == expected["file_sha256"]?.stringValue, "whole file byte-identical")
    }
}
