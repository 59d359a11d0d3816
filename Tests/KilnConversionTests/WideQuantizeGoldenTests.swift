import Foundation
import KilnCheckpoints
import KilnConversion
import KilnCore
import KilnGGUF
import KilnTestSupport
import Testing

/// The i-quant and ternary file types on the wide fixture (rows of 256 and 768, so their 256-value
/// blocks are written rather than fallbacks) against llama-quantize, with the importance matrix
/// llama-imatrix made for it and, where llama-quantize allows, without one; recorded by
/// Scripts/oracle/make_wide_quantize_goldens.py in Fixtures/goldens/quantize-wide/.
@Suite struct WideQuantizeGoldenTests {
    static let folder = "\(Fixtures.goldens)/quantize-wide"
    static let goldens: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
        .filter { $0.hasSuffix(".json") && $0 != "refusals.json" }.map { String($0.dropLast(5)) }.sorted()

    /// The fixture converted to F16 (equal to convert_hf_to_gguf's: Fixtures/goldens/convert/wide-f16.json).
    static let input: (folder: TemporaryDirectory, path: String) = {
        let folder = TemporaryDirectory()
        let path = folder.file("wide-f16.gguf")
        try! GGUFConversion.write(try! GGUFConversion.plan(try! CheckpointReader.open(Fixtures.wideLlama), outputType: .f16), to: path)
        return (folder, path)
    }()

    static func golden(_ name: String) throws -> JSON {
        try JSON.parse(Array(try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(name).json"))))
    }

    @Test(arguments: goldens)
    func matchesLlamaQuantizeByteForByte(_ name: String) throws {
        let golden = try Self.golden(name)
        let type = try #require(golden["type"]?.stringValue)
        let output = TemporaryDirectory()
        // The imatrix path is given relative to the repository root, as llama-quantize recorded it.
        let imatrix = golden["imatrix"]?.stringValue.map { ["--imatrix", $0] } ?? []
        let result = try KilnProcess.run(["quantize", Self.input.path, "-o", output.file("out.gguf"), "--type", type] + imatrix,
                                         in: Fixtures.repositoryRoot)
        #expect(result.status == 0, "\(result.stderr)")
        let file = try GGUFFile(path: output.file("out.gguf"))
        let digests = golden["tensor_sha256"]?.objectMembers ?? []
        #expect(file.tensors.map(\.name) == digests.map(\.key), "tensor order")
        for (tensor, digest) in zip(file.tensors, digests) where SHA256.hex(file.bytes(of: tensor)) != digest.value.stringValue {
            Issue.record("\(tensor.name) (\(tensor.type)) differs from llama-quantize")
        }
        #expect(SHA256.hex(file.mapping.bytes) == golden["file_sha256"]?.stringValue, "whole file byte-identical")
    }

    static let refusals: [String] = {
        guard let json = try? golden("refusals") else { return [] }
        return (json.objectMembers ?? []).map(\.key)
    }()

    /// Where llama-quantize refuses for want of an importance matrix, so does Kiln, before writing anything.
    @Test(arguments: refusals)
    func refusesWithoutAnImportanceMatrix(_ type: String) throws {
        let output = TemporaryDirectory()
        let result = try KilnProcess.run(["quantize", Self.input.path, "-o", output.file("out.gguf"), "--type", type])
        #expect(result.status == 2)
        #expect(result.stderr.contains("needs an importance matrix"), "\(result.stderr)")
        #expect(output.contents.isEmpty)
    }
}
