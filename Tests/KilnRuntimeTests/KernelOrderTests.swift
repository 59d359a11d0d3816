import CMatrixProducts
import Foundation
import KilnCore
import KilnGGUF
import KilnQuantization
@testable import KilnRuntime
import KilnTestSupport
import Testing

/// `CMatrixProducts` returns the bits of llama.cpp's own CPU matrix product (native build, one
/// thread: Fixtures/goldens/kernel-order/ggml-mul-mat.json, from Scripts/oracle/make_kernel_order_goldens.sh)
/// on the same weights and activations, on every instruction set this CPU has: F16 from 2 tokens
/// (tinyBLAS; one token goes to `ggml_vec_dot_f16`, whose order depends on the ISA), Q8_0, Q5_0 and Q6_K
/// at every token count (Q8_0 and Q5_0 prompts go to tinyBLAS, whose order is their `vec_dot` order;
/// Q6_K prompts of 8 tokens or more its tiled kernel's), Q4_K below 8 tokens (`vec_dot`, for tensors
/// llama.cpp does not repack), and Q4_K repacked (the backend's CPU_REPACK buffer: its gemm for each
/// four tokens, its gemv for the rest) at every token count.
@Suite struct KernelOrderTests {
    static let golden: JSON? = {
        guard let data = FileManager.default.contents(atPath: "\(Fixtures.goldens)/kernel-order/ggml-mul-mat.json") else { return nil }
        return try? JSON.parse(Array(data))
    }()

    struct Case: CustomTestStringConvertible, Sendable {
        let type: GGMLType
        let kernel: kiln_row_type
        let rounding: ActivationRounding
        let tokenCounts: [Int]
        /// The golden's entry, when not `types[type.name]` (its weights are drawn after the activations).
        var goldenName: String?
        var testDescription: String { goldenName ?? type.name }
    }

    static let cases = [
        Case(type: .f16, kernel: KILN_ROWS_F16, rounding: .f16, tokenCounts: [2, 7, 8, 19]),
        Case(type: .q8_0, kernel: KILN_ROWS_Q8_0, rounding: .q8_0, tokenCounts: [1, 2, 7, 8, 19]),
        Case(type: .q5_0, kernel: KILN_ROWS_Q5_0, rounding: .q8_0, tokenCounts: [1, 2, 7, 8, 19]),
        Case(type: .q4_K, kernel: KILN_ROWS_Q4_K, rounding: .q8_K, tokenCounts: [1, 2, 7]),
        Case(type: .q6_K, kernel: KILN_ROWS_Q6_K, rounding: .q8_K, tokenCounts: [1, 2, 7, 8, 19]),
        Case(type: .q4_K, kernel: KILN_ROWS_Q4_K_REPACKED, rounding: .q8_K, tokenCounts: [1, 2, 3, 4, 5, 7, 8, 19], goldenName: "Q4_K_repacked"),
    ]

    /// The generator's integers in [-1000, 1000] (kernel_order_goldens.c draws the same).
    struct Values {
        var state: UInt64
        mutating func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % 2001) - 1000
        }
    }

    static func fnv1a(_ bytes: [UInt8]) -> String {
        var h: UInt64 = 14695981039346656037
        for b in bytes { h = (h ^ UInt64(b)) &* 1099511628211 }
        return String(h, radix: 16).leftPadded(to: 16)
    }

    @Test(arguments: cases)
    func productsEqualLlamaCpp(_ c: Case) throws {
        let golden = try #require(Self.golden)
        let columns = try #require(golden["columns"]?.intValue)
        let entry = try #require(c.goldenName.map { golden[$0] } ?? golden["types"]?[c.type.name])
        var rows = try #require(golden["rows"]?.intValue)
        var values = Values(state: UInt64(try #require(golden["seed"]?.intValue)))
        var weightValues = (0..<rows * columns).map { _ in Float(values.next()) / 16384 }
        let maxTokens = 19
        let x = (0..<maxTokens * columns).map { i in Float(values.next()) / 256 * (i % 97 == 0 ? 8 : 1) }
        if c.goldenName != nil {
            rows = try #require(entry["rows"]?.intValue)
            weightValues = (0..<rows * columns).map { _ in Float(values.next()) / 16384 }
        }

        // Weights through Kiln's quantizer: the same bytes as ggml_quantize_chunk's (checked by hash).
        let codec = try #require(BlockCodecs.codec(for: c.type))
        let rowBytes = try #require(c.type.rowSize(columns))
        var weights = [UInt8](repeating: 0, count: rows * rowBytes)
        weights.withUnsafeMutableBytes { out in
            weightValues.withUnsafeBufferPointer { v in
                for r in 0..<rows { codec.quantize(v.baseAddress! + r * columns, count: columns, into: out.baseAddress! + r * rowBytes, importance: nil) }
            }
        }
        #expect(Self.fnv1a(weights) == entry["weights_fnv1a"]?.stringValue, "\(c.type.name) weight bytes differ from ggml's")

        let (activations, activationBytes) = c.rounding.kernelRows(x, tokens: maxTokens, columns: columns)
        let blocks = switch c.type { case .q8_0, .q5_0: columns / 32; case .f16: columns; default: columns / 256 }
        for isa in [KILN_ISA_PORTABLE, KILN_ISA_AVX2, KILN_ISA_AVX512] where isa.rawValue <= kiln_best_isa().rawValue {
            for tokens in c.tokenCounts {
                let expected = try #require(entry["products"]?["\(tokens)"]?.arrayValue).compactMap { $0.intValue }.map { UInt32($0) }
                var out = [Float](repeating: .nan, count: rows * tokens)
                let status = kiln_quantized_product(isa, c.kernel, weights, rowBytes, Int32(rows), activations, activationBytes,
                                                    Int32(tokens), kiln_grouped_tokens(Int32(tokens)), Int32(blocks), &out, rows)
                #expect(status == 0)
                #expect(out.map(\.bitPattern) == expected, "\(c.type.name) isa \(isa.rawValue), \(tokens) tokens")
                // The same product in two calls, the first two tokens and the rest, each told how many of
                // its tokens the whole product's gemm takes (as for sequences sharing a micro-batch).
                guard c.kernel == KILN_ROWS_Q4_K_REPACKED, tokens > 2 else { continue }
                let grouped = Int(kiln_grouped_tokens(Int32(tokens)))
                var split = [Float](repeating: .nan, count: rows * tokens)
                activations.withUnsafeBytes { a in
                    split.withUnsafeMutableBufferPointer { o in
                        _ = kiln_quantized_product(isa, c.kernel, weights, rowBytes, Int32(rows), a.baseAddress!, activationBytes,
                                                   2, Int32(min(grouped, 2)), Int32(blocks), o.baseAddress!, rows)
                        _ = kiln_quantized_product(isa, c.kernel, weights, rowBytes, Int32(rows), a.baseAddress! + 2 * activationBytes, activationBytes,
                                                   Int32(tokens - 2), Int32(max(grouped - 2, 0)), Int32(blocks), o.baseAddress! + 2 * rows, rows)
                    }
                }
                #expect(split.map(\.bitPattern) == expected, "isa \(isa.rawValue), \(tokens) tokens in two calls")
            }
        }
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
