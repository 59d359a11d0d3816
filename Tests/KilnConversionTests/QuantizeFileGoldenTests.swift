import Foundation
import KilnCheckpoints
import KilnConversion
import KilnCore
import KilnGGUF
import KilnQuantization
import KilnTestSupport
import Testing

/// Whole quantized files against llama-quantize's, recorded by Scripts/oracle/make_quantize_goldens.py
/// from convert_hf_to_gguf's F16 conversion of the fixture (which our F16 conversion equals byte for byte).
@Suite struct QuantizeFileGoldenTests {
    static let fileTypes = ["Q8_0", "Q6_K", "Q5_K_M", "Q5_K_S", "Q4_K_M", "Q4_K_S", "Q3_K_L", "Q3_K_M", "Q3_K_S",
                            "Q2_K", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "IQ4_NL", "IQ4_XS", "F16", "BF16"]

    /// The fixture converted to F16, once for all cases.
    static let input: (folder: TemporaryDirectory, path: String) = {
        let folder = TemporaryDirectory()
        let path = folder.file("f16.gguf")
        try! GGUFConversion.write(try! GGUFConversion.plan(try! CheckpointReader.open(Fixtures.tinyPixtral), outputType: .f16), to: path)
        return (folder, path)
    }()

    @Test(arguments: fileTypes)
    func matchesLlamaQuantizeByteForByte(_ name: String) throws {
        let golden = try JSON.parse(Array(try Data(contentsOf: URL(fileURLWithPath: "\(Fixtures.goldens)/quantize/\(name).json"))))
        let input = try MappedFile(path: Self.input.path)
        #expect(SHA256.hex(input.bytes) == golden["input_sha256"]?.stringValue, "the F16 input equals llama.cpp's")

        let spec = try CheckpointReader.open(Self.input.path)
        let request = QuantizationRequest(fileType: try #require(QuantizationFileType(name: name)))
        let plan = try GGUFQuantization.plan(try GGUFConversion.plan(spec, outputType: .auto), layerCount: spec.text.layerCount,
                                             headCount: spec.text.headCount, headCountKV: spec.text.keyValueHeadCount,
                                             request: request, inputPath: Self.input.path)
        let folder = TemporaryDirectory()
        try GGUFConversion.write(plan, to: folder.file("out.gguf"), threads: 2)
        let output = try GGUFFile(path: folder.file("out.gguf"))
        let tensorDigests = golden["tensor_sha256"]?.objectMembers ?? []
        #expect(output.tensors.map(\.name) == tensorDigests.map(\.key), "tensor order")
        for (tensor, digest) in zip(output.tensors, tensorDigests) where SHA256.hex(output.bytes(of: tensor)) != digest.value.stringValue {
            Issue.record("\(tensor.name) (\(tensor.type)) differs from llama-quantize")
        }
        #expect(output.mapping.count == golden["file_size"]?.intValue)
        #expect(SHA256.hex(output.mapping.bytes) == golden["file_sha256"]?.stringValue, "whole file byte-identical")
    }

    struct ImatrixCase: CustomTestStringConvertible, Sendable {
        let imatrix: String
        let type: String
        let sha256: String
        var testDescription: String { "\(type) with \((imatrix as NSString).pathExtension)" }
    }

    static let imatrixCases: [ImatrixCase] = {
        let golden = try! JSON.parse(Array(try! Data(contentsOf: URL(fileURLWithPath: "\(Fixtures.goldens)/imatrix/quantize.json"))))
        return golden["outputs"]!.arrayValue!.map {
            ImatrixCase(imatrix: $0["imatrix"]!.stringValue!, type: $0["type"]!.stringValue!, sha256: $0["file_sha256"]!.stringValue!)
        }
    }()

    /// llama-imatrix's own matrices (GGUF and legacy .dat) through llama-quantize --imatrix, recorded by
    /// Scripts/oracle/make_imatrix_goldens.sh; paths are relative to the repository root, as recorded.
    @Test(arguments: imatrixCases)
    func matchesLlamaQuantizeWithAnImportanceMatrix(_ c: ImatrixCase) throws {
        let folder = TemporaryDirectory()
        let result = try KilnProcess.run(["quantize", Self.input.path, "-o", folder.file("out.gguf"), "--type", c.type, "--imatrix", c.imatrix],
                                         in: Fixtures.repositoryRoot)
        #expect(result.status == 0, "\(result.stderr)")
        let output = try MappedFile(path: folder.file("out.gguf"))
        #expect(SHA256.hex(output.bytes) == c.sha256, "byte-identical to llama-quantize --imatrix")
    }

    @Test func refusesToRequantizeWithoutPermission() throws {
        let folder = TemporaryDirectory()
        let q8 = folder.file("q8.gguf")
        #expect(try KilnProcess.run(["quantize", Self.input.path, "-o", q8, "--type", "Q8_0"]).status == 0)
        let again = try KilnProcess.run(["quantize", q8, "-o", folder.file("q4.gguf"), "--type", "Q4_0"])
        #expect(again.status == 2)
        #expect(again.stderr.contains("already quantized") && again.stderr.contains("--allow-requantize"))
        #expect(!FileManager.default.fileExists(atPath: folder.file("q4.gguf")))
        #expect(try KilnProcess.run(["quantize", q8, "-o", folder.file("q4.gguf"), "--type", "Q4_0", "--allow-requantize"]).status == 0)
    }

    @Test(arguments: [["--type", "Q9_K"], ["--type", "Q4_K_M", "--tensor-type", "attn_v"], ["--type", "Q4_K_M", "--output-tensor-type", "Q7"]])
    func rejectsABadRequestBeforeAnyWork(_ options: [String]) throws {
        let folder = TemporaryDirectory()
        let result = try KilnProcess.run(["quantize", Self.input.path, "-o", folder.file("out.gguf")] + options)
        #expect(result.status == 2)
        #expect(!result.stderr.isEmpty)
        #expect(folder.contents.isEmpty)
    }

    @Test func quantizesAModelFolderInOnePassAsConvertThenQuantize() throws {
        let folder = TemporaryDirectory()
        #expect(try KilnProcess.run(["convert", Fixtures.tinyPixtral, "-o", folder.file("auto.gguf")]).status == 0)
        #expect(try KilnProcess.run(["quantize", folder.file("auto.gguf"), "-o", folder.file("two-step.gguf"), "--type", "Q4_K_M"]).status == 0)
        let direct = try KilnProcess.run(["quantize", Fixtures.tinyPixtral, "-o", folder.file("one-pass.gguf"), "--type", "Q4_K_M", "--json"])
        #expect(direct.status == 0, "\(direct.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.file("two-step.gguf"))) == Data(contentsOf: URL(fileURLWithPath: folder.file("one-pass.gguf"))))
        let summary = try JSON.parse(direct.stdout)
        #expect(summary["types"]?["Q6_K"]?.intValue == 20)
        #expect((summary["bits_per_weight"]?.doubleValue ?? 0) > 4)
    }
}
