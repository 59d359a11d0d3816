import KilnGGUF
import KilnQuantization
import Testing

/// llama-quantize's type choices, checked against the rules of `llama-quant.cpp` and the published
/// Llama-3-8B Q4_K_M tensor counts (f32 65, q4_K 193, q6_K 33).
@Suite struct QuantizationMixTests {
    /// A Llama-3-8B-shaped tensor list (32 layers, 32 query / 8 key-value heads, bf16 weights).
    static func llama3(layers: Int = 32, hidden: Int = 4096, tied: Bool = false) -> [QuantizationMix.Tensor] {
        var tensors = [QuantizationMix.Tensor(name: "token_embd.weight", dimensions: [hidden, 128_256], type: .bf16),
                       QuantizationMix.Tensor(name: "output_norm.weight", dimensions: [hidden], type: .f32)]
        if !tied { tensors.append(QuantizationMix.Tensor(name: "output.weight", dimensions: [hidden, 128_256], type: .bf16)) }
        for i in 0..<layers {
            let shapes: [(String, [Int])] = [
                ("attn_norm", [hidden]), ("ffn_norm", [hidden]), ("attn_q", [hidden, hidden]), ("attn_k", [hidden, hidden / 4]),
                ("attn_v", [hidden, hidden / 4]), ("attn_output", [hidden, hidden]), ("ffn_gate", [hidden, 14_336]),
                ("ffn_up", [hidden, 14_336]), ("ffn_down", [14_336, hidden]),
            ]
            for (name, shape) in shapes {
                tensors.append(QuantizationMix.Tensor(name: "blk.\(i).\(name).weight", dimensions: shape, type: shape.count == 1 ? .f32 : .bf16))
            }
        }
        return tensors
    }

    static let llama3Model = QuantizationMix.Model(layerCount: 32, headCount: 32, headCountKV: 8)

    func types(_ fileType: QuantizationFileType, imatrix: Bool = false, overrides: QuantizationMix.Overrides = .init(),
               tensors: [QuantizationMix.Tensor] = llama3(), model: QuantizationMix.Model = llama3Model) throws -> [String: GGMLType] {
        try QuantizationMix(fileType: fileType, model: model, hasImportanceMatrix: imatrix, overrides: overrides).types(for: tensors)
    }

    /// Layers that `use_more_bits` picks for 32 layers.
    static let moreBitsLayers: Set<Int> = [0, 1, 2, 3, 6, 9, 12, 15, 18, 21, 24, 27, 28, 29, 30, 31]

    @Test func q4_K_MMatchesLlama3Counts() throws {
        let chosen = try types(.q4_K_M)
        let counts = Dictionary(grouping: chosen.values, by: { $0 }).mapValues(\.count)
        #expect(counts == [.f32: 65, .q4_K: 193, .q6_K: 33])
        for i in 0..<32 {
            let bumped: GGMLType = Self.moreBitsLayers.contains(i) ? .q6_K : .q4_K
            #expect(chosen["blk.\(i).attn_v.weight"] == bumped)
            #expect(chosen["blk.\(i).ffn_down.weight"] == bumped)
        }
        #expect(chosen["output.weight"] == .q6_K)
        #expect(chosen["token_embd.weight"] == .q4_K, "untied embeddings keep the default type")
    }

    struct Expectation: Sendable, CustomTestStringConvertible {
        let fileType: QuantizationFileType
        let imatrix: Bool
        let layer: Int
        let attnV: GGMLType
        let ffnDown: GGMLType
        let attnOutput: GGMLType
        var testDescription: String { "\(fileType.rawValue) layer \(layer)\(imatrix ? " imatrix" : "")" }
    }

    static let expectations: [Expectation] = [
        .init(fileType: .q2_K, imatrix: false, layer: 5, attnV: .q4_K, ffnDown: .q3_K, attnOutput: .q3_K),
        .init(fileType: .q3_K_S, imatrix: false, layer: 0, attnV: .q3_K, ffnDown: .q3_K, attnOutput: .q3_K),
        .init(fileType: .q3_K_M, imatrix: false, layer: 1, attnV: .q5_K, ffnDown: .q5_K, attnOutput: .q4_K),
        .init(fileType: .q3_K_M, imatrix: false, layer: 2, attnV: .q4_K, ffnDown: .q4_K, attnOutput: .q4_K),
        .init(fileType: .q3_K_L, imatrix: false, layer: 9, attnV: .q5_K, ffnDown: .q5_K, attnOutput: .q5_K),
        .init(fileType: .q4_K_S, imatrix: false, layer: 3, attnV: .q5_K, ffnDown: .q5_K, attnOutput: .q4_K),
        .init(fileType: .q4_K_S, imatrix: false, layer: 4, attnV: .q4_K, ffnDown: .q4_K, attnOutput: .q4_K),
        .init(fileType: .q5_K_S, imatrix: false, layer: 0, attnV: .q5_K, ffnDown: .q5_K, attnOutput: .q5_K),
        .init(fileType: .q5_K_M, imatrix: false, layer: 6, attnV: .q6_K, ffnDown: .q6_K, attnOutput: .q5_K),
        .init(fileType: .q5_K_M, imatrix: false, layer: 7, attnV: .q5_K, ffnDown: .q5_K, attnOutput: .q5_K),
        .init(fileType: .q6_K, imatrix: false, layer: 0, attnV: .q6_K, ffnDown: .q6_K, attnOutput: .q6_K),
        .init(fileType: .q8_0, imatrix: false, layer: 0, attnV: .q8_0, ffnDown: .q8_0, attnOutput: .q8_0),
        .init(fileType: .q4_0, imatrix: false, layer: 0, attnV: .q4_0, ffnDown: .q4_0, attnOutput: .q4_0),
        .init(fileType: .q4_0, imatrix: true, layer: 3, attnV: .q4_0, ffnDown: .q4_1, attnOutput: .q4_0),
        .init(fileType: .q4_0, imatrix: true, layer: 4, attnV: .q4_0, ffnDown: .q4_0, attnOutput: .q4_0),
        .init(fileType: .q5_0, imatrix: true, layer: 0, attnV: .q5_0, ffnDown: .q5_1, attnOutput: .q5_0),
        .init(fileType: .q5_1, imatrix: true, layer: 0, attnV: .q5_1, ffnDown: .q5_1, attnOutput: .q5_1),
        .init(fileType: .iq4_xs, imatrix: false, layer: 0, attnV: .q5_K, ffnDown: .q5_K, attnOutput: .iq4_xs),
        .init(fileType: .iq4_xs, imatrix: true, layer: 0, attnV: .q5_K, ffnDown: .iq4_xs, attnOutput: .iq4_xs),
        .init(fileType: .iq4_nl, imatrix: false, layer: 4, attnV: .q5_K, ffnDown: .iq4_nl, attnOutput: .iq4_nl),
    ]

    @Test(arguments: expectations)
    func mixRules(_ e: Expectation) throws {
        let chosen = try types(e.fileType, imatrix: e.imatrix)
        #expect(chosen["blk.\(e.layer).attn_v.weight"] == e.attnV)
        #expect(chosen["blk.\(e.layer).ffn_down.weight"] == e.ffnDown)
        #expect(chosen["blk.\(e.layer).attn_output.weight"] == e.attnOutput)
        #expect(chosen["blk.\(e.layer).attn_q.weight"] == e.fileType.defaultType)
        #expect(chosen["blk.\(e.layer).attn_norm.weight"] == .f32)
        #expect(chosen["output.weight"] == (e.fileType == .q8_0 ? .q8_0 : .q6_K))
    }

    @Test func floatFileTypesConvertEveryMatrix() throws {
        for fileType in [QuantizationFileType.f16, .bf16, .f32] {
            let chosen = try types(fileType)
            #expect(chosen["blk.0.attn_v.weight"] == fileType.defaultType)
            #expect(chosen["output.weight"] == fileType.defaultType)
            #expect(chosen["blk.0.ffn_norm.weight"] == .f32)
        }
    }

    @Test func tiedEmbeddingsFollowTheOutputRules() throws {
        let chosen = try types(.q4_K_M, tensors: Self.llama3(tied: true))
        #expect(chosen["token_embd.weight"] == .q6_K)
        #expect(chosen["output.weight"] == nil)
    }

    @Test func overridesTakePrecedence() throws {
        var overrides = QuantizationMix.Overrides()
        overrides.outputTensorType = .q8_0
        overrides.tokenEmbeddingType = .q6_K
        overrides.tensorTypes = [(pattern: "ATTN_V", type: .q8_0), (pattern: "blk\\.1\\.ffn_down", type: .f16)]
        let chosen = try types(.q4_K_M, overrides: overrides)
        #expect(chosen["output.weight"] == .q8_0)
        #expect(chosen["token_embd.weight"] == .q6_K)
        #expect(chosen["blk.5.attn_v.weight"] == .q8_0, "patterns are lowercased")
        #expect(chosen["blk.1.ffn_down.weight"] == .f16)
        #expect(chosen["blk.0.ffn_down.weight"] == .q6_K)
        // A manual override skips llama-quantize's ffn_down counter, so layer 4 is judged as the fourth (bumped).
        #expect(chosen["blk.4.ffn_down.weight"] == .q6_K)
    }

    @Test func pureAndLeaveOutputTensor() throws {
        var overrides = QuantizationMix.Overrides()
        overrides.pure = true
        let pure = try types(.q4_K_M, overrides: overrides)
        #expect(pure["output.weight"] == .q4_K)
        #expect(pure["blk.0.attn_v.weight"] == .q4_K)
        overrides = .init()
        overrides.leaveOutputTensor = true
        #expect(try types(.q4_K_M, overrides: overrides)["output.weight"] == .bf16)
    }

    @Test func invalidPatternIsAnError() {
        var overrides = QuantizationMix.Overrides()
        overrides.tensorTypes = [(pattern: "attn_(v", type: .q8_0)]
        #expect(throws: QuantizationMixError.self) { try QuantizationMix(fileType: .q4_K_M, model: Self.llama3Model, hasImportanceMatrix: false, overrides: overrides) }
    }

    /// The tiny Pixtral fixture's shape (hidden 64): 256-blocks do not fit, so the fallbacks apply.
    @Test func rowLengthFallbacks() throws {
        let tensors = Self.llama3(layers: 8, hidden: 64)
        let model = QuantizationMix.Model(layerCount: 8, headCount: 4, headCountKV: 2)
        let q4km = try types(.q4_K_M, tensors: tensors, model: model)
        #expect(q4km["blk.1.attn_q.weight"] == .q5_0)
        #expect(q4km["blk.0.attn_v.weight"] == .q8_0)
        #expect(q4km["output.weight"] == .q8_0)
        #expect(try types(.q2_K, tensors: tensors, model: model)["blk.1.attn_q.weight"] == .q4_0)
        #expect(try types(.q5_K_S, tensors: tensors, model: model)["blk.1.attn_q.weight"] == .q5_1)
        #expect(try types(.iq4_xs, tensors: tensors, model: model)["blk.1.attn_q.weight"] == .iq4_nl)
        let odd = [QuantizationMix.Tensor(name: "blk.0.attn_q.weight", dimensions: [100, 64], type: .bf16)]
        #expect(try types(.q4_K_M, tensors: odd, model: model)["blk.0.attn_q.weight"] == .f16)
    }

    @Test func fileTypeNumbers() {
        let expected: [QuantizationFileType: UInt32] = [
            .f32: 0, .f16: 1, .q4_0: 2, .q4_1: 3, .q8_0: 7, .q5_0: 8, .q5_1: 9, .q2_K: 10, .q3_K_S: 11, .q3_K_M: 12,
            .q3_K_L: 13, .q4_K_S: 14, .q4_K_M: 15, .q5_K_S: 16, .q5_K_M: 17, .q6_K: 18, .iq4_nl: 25, .iq4_xs: 30, .bf16: 32,
            .iq2_xxs: 19, .iq2_xs: 20, .iq3_xs: 22, .iq3_xxs: 23, .iq1_s: 24, .iq3_s: 26, .iq3_m: 27, .iq2_s: 28, .iq2_m: 29,
            .iq1_m: 31, .tq1_0: 36, .tq2_0: 37,
        ]
        for fileType in QuantizationFileType.allCases { #expect(fileType.llamaFileType == expected[fileType], "\(fileType)") }
        #expect(QuantizationFileType(name: "q4_k_m") == .q4_K_M)
    }

    @Test func processingOrderIsLlamaQuantizes() {
        let names = ["blk.10.attn_k.weight", "token_embd.weight", "blk.2.ffn_down.weight", "output.weight", "output_norm.weight", "blk.2.attn_v.weight"]
        let ordered = QuantizationMix.processingOrder(names.map { QuantizationMix.Tensor(name: $0, dimensions: [1], type: .f32) }).map(\.name)
        #expect(ordered == ["output.weight", "output_norm.weight", "token_embd.weight", "blk.2.attn_v.weight", "blk.2.ffn_down.weight", "blk.10.attn_k.weight"])
    }
}
