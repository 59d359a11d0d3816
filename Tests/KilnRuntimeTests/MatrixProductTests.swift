import Foundation
import KilnCheckpoints
import KilnCore
import KilnGGUF
import KilnQuantization
@testable import KilnRuntime
import KilnTestSupport
import Testing

/// `Kernels.matmul` against a plain double-precision product of the decoded rows, for every path: the
/// in-place row kernels (F16, Q8_0, Q5_0, Q4_K, Q6_K) and the decode-first fallback at a few tokens, and the
/// 4×3-tiled product at batch sizes that leave row and token remainders.
@Suite struct MatrixProductTests {
    static let types: [GGMLType] = [.f32, .f16, .bf16, .q8_0, .q5_0, .q4_K, .q6_K, .q5_K, .q4_0, .iq4_xs]

    @Test(arguments: types, [1, 2, 5, 7])
    func matchesDecodedRows(_ type: GGMLType, tokens: Int) throws {
        let rows = 11, columns = 512
        var generator = SplitMix64(seed: UInt64(type.rawValue) &* 31 &+ UInt64(tokens))
        let weights = (0..<rows * columns).map { _ in generator.normal() * 0.05 }
        let (matrix, _, _, mapping) = try Self.quantized(weights, type, rows: rows, columns: columns)
        defer { withExtendedLifetime(mapping) {} }

        let x = (0..<tokens * columns).map { _ in generator.normal() }
        var rounded = x
        rounded.withUnsafeMutableBufferPointer { r in
            for t in 0..<tokens { matrix.activationRounding.apply(r.baseAddress! + t * columns, count: columns) }
        }
        var decoded = [Float](repeating: 0, count: columns)
        var expected = [Double](repeating: 0, count: tokens * rows), scale = [Double](repeating: 0, count: tokens * rows)
        for r in 0..<rows {
            decoded.withUnsafeMutableBufferPointer { matrix.decodeRow(r, into: $0.baseAddress!) }
            for t in 0..<tokens {
                for i in 0..<columns {
                    expected[t * rows + r] += Double(decoded[i]) * Double(rounded[t * columns + i])
                    scale[t * rows + r] += abs(Double(decoded[i]) * Double(rounded[t * columns + i]))
                }
            }
        }
        var out = [Float](repeating: .nan, count: tokens * rows)
        x.withUnsafeBufferPointer { xs in
            out.withUnsafeMutableBufferPointer { Kernels.matmul(matrix, xs.baseAddress!, tokens: tokens, into: $0.baseAddress!, threads: 2) }
        }
        for i in 0..<tokens * rows {
            #expect(abs(Double(out[i]) - expected[i]) <= 1e-5 * scale[i], "\(type.name) tokens \(tokens) output \(i): \(out[i]) vs \(expected[i])")
        }
    }
}

extension MatrixProductTests {
    /// Q4_1 and Q5_1 as llama.cpp's `vec_dot_q4_1_q8_1`: each block's minimum m multiplies the
    /// activation block's stored sum F16(amax/127 · Σ levels), not the sum of the rounded values.
    @Test(arguments: [GGMLType.q4_1, .q5_1], [1, 6])
    func minimumsMultiplyTheF16BlockSum(_ type: GGMLType, tokens: Int) throws {
        let rows = 5, columns = 256
        var generator = SplitMix64(seed: UInt64(type.rawValue) &+ UInt64(tokens))
        // A positive offset makes the minimums large, so the sum's F16 rounding shows.
        let weights = (0..<rows * columns).map { _ in generator.normal() * 0.05 + 0.3 }
        let (matrix, bytes, rowBytes, mapping) = try Self.quantized(weights, type, rows: rows, columns: columns)
        defer { withExtendedLifetime(mapping) {} }
        let x = (0..<tokens * columns).map { _ in generator.normal() + 0.5 }
        var out = [Float](repeating: .nan, count: tokens * rows)
        x.withUnsafeBufferPointer { xs in
            out.withUnsafeMutableBufferPointer { Kernels.matmul(matrix, xs.baseAddress!, tokens: tokens, into: $0.baseAddress!, threads: 2) }
        }
        var decoded = [Float](repeating: 0, count: columns)
        let blockBytes = rowBytes / (columns / 32)
        for r in 0..<rows {
            decoded.withUnsafeMutableBufferPointer { matrix.decodeRow(r, into: $0.baseAddress!) }
            for t in 0..<tokens {
                var expected = 0.0, plain = 0.0
                for b in 0..<columns / 32 {
                    let block = Array(x[(t * columns + 32 * b)..<(t * columns + 32 * b + 32)])
                    let amax = block.map(abs).max()!
                    let d = amax / 127, levels = block.map { ($0 * (127 / amax)).rounded(.toNearestOrEven) }
                    let m = Double(Float(Float16(bitPattern: UInt16(bytes[r * rowBytes + b * blockBytes + 2]) | UInt16(bytes[r * rowBytes + b * blockBytes + 3]) << 8)))
                    let storedSum = Double(Float(Float16(d * levels.reduce(0, +))))
                    for j in 0..<32 {
                        let xr = Double(Float(Float16(d))) * Double(levels[j])
                        expected += (Double(decoded[32 * b + j]) - m) * xr
                        plain += Double(decoded[32 * b + j]) * xr
                    }
                    expected += m * storedSum
                }
                let i = t * rows + r
                #expect(abs(Double(out[i]) - expected) <= 1e-5 * abs(expected), "\(type.name) output \(i): \(out[i]) vs \(expected)")
                #expect(abs(Double(out[i]) - plain) > abs(Double(out[i]) - expected), "the F16 block sums make a difference")
            }
        }
    }
    /// `weights` quantized to `type` by Kiln's codec, as a memory-mapped weight matrix, with its bytes, row
    /// size and the mapped tensor, which must outlive the matrix.
    static func quantized(_ weights: [Float], _ type: GGMLType, rows: Int, columns: Int) throws -> (WeightMatrix, [UInt8], Int, ModelTensor) {
        let codec = try #require(BlockCodecs.codec(for: type))
        let rowBytes = try #require(type.rowSize(columns))
        var bytes = [UInt8](repeating: 0, count: rows * rowBytes)
        bytes.withUnsafeMutableBytes { out in
            weights.withUnsafeBufferPointer { w in
                for r in 0..<rows { codec.quantize(w.baseAddress! + r * columns, count: columns, into: out.baseAddress! + r * rowBytes, importance: nil) }
            }
        }
        let (matrix, tensor) = try mapped(bytes, type, rows: rows, columns: columns)
        return (matrix, bytes, rowBytes, tensor)
    }

    /// Stored rows of `type` as a memory-mapped weight matrix, with the mapped tensor, which must outlive it.
    static func mapped(_ bytes: [UInt8], _ type: GGMLType, rows: Int, columns: Int) throws -> (WeightMatrix, ModelTensor) {
        let folder = TemporaryDirectory()
        let path = folder.file("weights.bin")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let tensor = ModelTensor(name: "blk.0.attn_q.weight", role: TensorRole(.attentionQuery, layer: 0), shape: [rows, columns],
                                 encoding: .ggml(type), source: .mapped(try MappedFile(path: path), 0..<bytes.count))
        return (try WeightMatrix(tensor, storage: WeightStorage()), tensor)
    }
}

extension SplitMix64 {
    /// A standard normal value (Box–Muller), for test data.
    mutating func normal() -> Float {
        let u1 = Double(next() >> 11 + 1) / Double(1 << 53), u2 = Double(next() >> 11) / Double(1 << 53)
        return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }
}
