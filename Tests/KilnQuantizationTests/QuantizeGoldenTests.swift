import Foundation
import KilnCore
import KilnGGUF
import KilnQuantization
import KilnTestSupport
import Testing

/// The mix against the tensor types llama-quantize chose for the tiny Pixtral fixture, recorded by
/// `Scripts/oracle/make_quantize_goldens.py` in `Fixtures/goldens/quantize/` (hidden size 64, so the
/// row-length fallbacks are exercised as much as the mix rules).
@Suite struct QuantizeGoldenTests {
    static let folder = "\(Fixtures.goldens)/quantize"
    static let fileTypes: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
        .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()

    /// Every file type but F32 (which the oracle script does not record) has a golden: on this fixture, or
    /// for the i-quant and ternary types on the wide one (whose rows fit their 256-value blocks;
    /// KilnConversionTests.WideQuantizeGoldenTests).
    @Test func everyFileTypeHasAGolden() {
        let wide = ((try? FileManager.default.contentsOfDirectory(atPath: "\(Fixtures.goldens)/quantize-wide")) ?? [])
            .filter { $0.hasSuffix(".imatrix.json") }.map { String($0.dropLast(".imatrix.json".count)) }
        #expect(Set(Self.fileTypes).union(wide) == Set(QuantizationFileType.allCases.filter { $0 != .f32 }.map(\.rawValue)))
    }

    @Test(arguments: fileTypes)
    func choosesTheTypesLlamaQuantizeChose(_ name: String) throws {
        let golden = try JSON.parse(Array(try Data(contentsOf: URL(fileURLWithPath: "\(Self.folder)/\(name).json"))))
        let fileType = try #require(QuantizationFileType(name: name))
        let kv = try #require(golden["kv_values_scalar"])
        let model = QuantizationMix.Model(layerCount: try #require(kv["llama.block_count"]?.intValue),
                                          headCount: try #require(kv["llama.attention.head_count"]?.intValue),
                                          headCountKV: try #require(kv["llama.attention.head_count_kv"]?.intValue))
        // The input file's tensors, as llama-quantize saw them.
        let tensors = try (golden["input_tensors"]?.arrayValue ?? []).map { entry -> QuantizationMix.Tensor in
            let typeName = try #require(entry[2]?.stringValue)
            return QuantizationMix.Tensor(name: try #require(entry[0]?.stringValue), dimensions: try #require(entry[1]?.arrayValue).compactMap(\.intValue),
                                          type: try #require(GGMLType(name: typeName)))
        }
        let expected = golden["tensors"]?.arrayValue ?? []
        #expect(tensors.count == expected.count)
        let chosen = try QuantizationMix(fileType: fileType, model: model, hasImportanceMatrix: false).types(for: tensors)
        for entry in expected {
            let tensorName = try #require(entry[0]?.stringValue)
            #expect(chosen[tensorName]?.name == entry[1]?.stringValue, "\(tensorName)")
        }
        #expect(QuantizationMix.processingOrder(tensors).map(\.name) == expected.compactMap { $0[0]?.stringValue })
    }
}
