import CMatrixProducts
import Foundation
import KilnCore
import KilnGGUF
@testable import KilnRuntime
import KilnTestSupport
import Testing

/// Gemma 3 270M's real weight rows times its real, heavy-tailed layer-0 activations (a largest |x| of
/// 139 over a median of 0.07 for ffn_down), against llama.cpp's CPU backend (native build) as
/// `Scripts/oracle/make_gemma3_product_goldens.py` recorded it: the activations as its `from_float`
/// writes them (Q8_K or Q8_0 blocks) and the products as its `vec_dot` returns them; and Q4_K rows as
/// llama.cpp multiplies the tensors it repacks (`make_gemma3_repack_goldens.py`: a mul_mat in its
/// CPU_REPACK buffer), which is every Q4_K tensor of this model.
@Suite struct GemmaProductGoldenTests {
    static let folder = "\(Fixtures.goldens)/products-gemma3"

    @Test(arguments: [GGMLType.q6_K, .q4_K, .q8_0, .q5_0])
    func productsEqualLlamaCpp(_ type: GGMLType) throws {
        let manifest = try JSON.read(contentsOf: "\(Self.folder)/manifest.json")
        let entry = try #require(manifest["types"]?[type.name])
        let rows = try #require(manifest["rows"]?.intValue), tokens = try #require(manifest["tokens"]?.intValue)
        let columns = try #require(entry["columns"]?.intValue)
        func file(_ suffix: String) throws -> [UInt8] {
            [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(Self.folder)/\(type.name).\(suffix)")))
        }
        func floats(_ bytes: [UInt8]) -> [Float] { bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) } }
        let (matrix, tensor) = try MatrixProductTests.mapped(try file("bin"), type, rows: rows, columns: columns)
        defer { withExtendedLifetime(tensor) {} }
        let x = floats(try file("x.f32")), llamaBlocks = try file("q8"), llama = floats(try file("out.f32"))
        #expect(x.count == tokens * columns && llama.count == tokens * rows)

        let rounding = matrix.activationRounding, blockBytes = rounding.blockBytes(columns)
        var blocks = [UInt8](repeating: 0, count: tokens * blockBytes)
        x.withUnsafeBufferPointer { xs in
            blocks.withUnsafeMutableBytes { b in
                for t in 0..<tokens { rounding.quantize(xs.baseAddress! + t * columns, count: columns, into: b.baseAddress! + t * blockBytes) }
            }
        }
        #expect(blocks == llamaBlocks, "\(type.name): activation blocks differ from llama.cpp's")

        var out = [Float](repeating: .nan, count: tokens * rows)
        if case let .kernel(kernel) = matrix.format, kernel == KILN_ROWS_Q4_K_REPACKED {
            // These 8 rows would be repacked; the golden is `vec_dot`'s, llama.cpp's Q4_K order for other row counts.
            let status = kiln_quantized_product(Kernels.isa, KILN_ROWS_Q4_K, matrix.base, matrix.rowBytes, Int32(rows), blocks, blockBytes,
                                                Int32(tokens), 0, Int32(columns / 256), &out, rows)
            #expect(status == 0)
        } else {
            x.withUnsafeBufferPointer { xs in
                out.withUnsafeMutableBufferPointer { Kernels.matmul(matrix, xs.baseAddress!, tokens: tokens, into: $0.baseAddress!, threads: 2) }
            }
        }
        for i in 0..<tokens * rows {
            #expect(out[i].bitPattern == llama[i].bitPattern, "\(type.name) output \(i): \(out[i]) vs llama.cpp's \(llama[i])")
        }
    }

    /// 32 rows of the Q4_K attn_output times 7 real tokens: in one product (tokens 0–3 in llama.cpp's
    /// repacked gemm order, 4–6 in its gemv order) and one token at a time (all gemv).
    @Test func repackedQ4_KEqualsLlamaCpp() throws {
        let manifest = try JSON.read(contentsOf: "\(Self.folder)/manifest.json")
        let entry = try #require(manifest["repacked"])
        let rows = try #require(entry["rows"]?.intValue), tokens = try #require(entry["tokens"]?.intValue)
        let columns = try #require(entry["columns"]?.intValue)
        func floats(_ suffix: String) throws -> [Float] {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(Self.folder)/Q4_K-repacked.\(suffix)"))
            return bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        }
        let weights = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(Self.folder)/Q4_K-repacked.bin")))
        let (matrix, tensor) = try MatrixProductTests.mapped(weights, .q4_K, rows: rows, columns: columns)
        defer { withExtendedLifetime(tensor) {} }
        guard case let .kernel(kernel) = matrix.format else { Issue.record("Q4_K rows are not multiplied by a kernel"); return }
        #expect(kernel == KILN_ROWS_Q4_K_REPACKED)
        let x = try floats("x.f32"), together = try floats("out7.f32"), alone = try floats("out1.f32")
        #expect(x.count == tokens * columns && together.count == tokens * rows && alone.count == tokens * rows)
        var out = [Float](repeating: .nan, count: tokens * rows)
        x.withUnsafeBufferPointer { xs in
            out.withUnsafeMutableBufferPointer { Kernels.matmul(matrix, xs.baseAddress!, tokens: tokens, into: $0.baseAddress!, threads: 2) }
        }
        #expect(out.map(\.bitPattern) == together.map(\.bitPattern), "\(tokens) tokens at once")
        for t in 0..<tokens {
            var one = [Float](repeating: .nan, count: rows)
            x.withUnsafeBufferPointer { xs in
                one.withUnsafeMutableBufferPointer { Kernels.matmul(matrix, xs.baseAddress! + t * columns, tokens: 1, into: $0.baseAddress!, threads: 2) }
            }
            #expect(one.map(\.bitPattern) == alone[t * rows..<(t + 1) * rows].map(\.bitPattern), "token \(t) alone")
        }
    }
}
