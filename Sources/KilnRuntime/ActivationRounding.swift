import CMatrixProducts
import KilnCheckpoints
import KilnCore
import KilnGGUF
import KilnQuantization

/// How llama.cpp's CPU backend rounds activations before a dot product with a GGUF weight: to the
/// weight type's `vec_dot_type` (F16 for F16, BF16 for BF16, Q8_0 for the 32-blocks, Q8_1 for Q4_1
/// and Q5_1 (whose minimums multiply the block's F16 sum: ``q8_1BlockSumCorrections``), Q8_K for the
/// K-quants, the i-quants but IQ4_NL, and the ternary types). Running a GGUF the same way makes Kiln's logits, perplexity and KL divergence
/// agree with llama.cpp's, which include that rounding noise. Safetensors weights are not rounded.
enum ActivationRounding: Sendable {
    case none, f16, bf16, q8_0, q8_1, q8_K

    init(_ encoding: TensorEncoding) {
        guard case let .ggml(type) = encoding else { self = .none; return }
        switch type {
        case .f16: self = .f16
        case .bf16: self = .bf16
        case .q4_0, .q5_0, .q8_0, .iq4_nl: self = .q8_0
        case .q4_1, .q5_1: self = .q8_1
        case .q2_K, .q3_K, .q4_K, .q5_K, .q6_K, .iq4_xs: self = .q8_K
        case .iq2_xxs, .iq2_xs, .iq2_s, .iq3_xxs, .iq3_s, .iq1_s, .iq1_m, .tq1_0, .tq2_0: self = .q8_K
        default: self = .none
        }
    }

    /// Rounds `count` activations in place, block by block.
    func apply(_ x: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .none:
            return
        case .f16:
            for i in 0..<count { x[i] = Float(Float16(x[i])) }
        case .bf16:
            for i in 0..<count { x[i] = FloatingPointFormats.float(fromBFloat: FloatingPointFormats.bfloat(from: x[i])) }
        case .q8_0, .q8_1:
            // Q8_1 rounds the values exactly as Q8_0 does; only its stored sum differs.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: blockBytes(count)) { blocks in
                quantize(x, count: count, into: blocks.baseAddress!)
                BlockCodecs.codec(for: .q8_0)!.dequantize(blocks.baseAddress!, count: count, into: x)
            }
        case .q8_K:
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.q8KBytes) { block in
                for start in stride(from: 0, to: count, by: 256) {
                    quantize(x + start, count: 256, into: block.baseAddress!)
                    let d = UnsafeRawPointer(block.baseAddress!).loadUnaligned(as: Float.self)
                    for j in 0..<256 { x[start + j] = d * Float(Int8(bitPattern: block[4 + j])) }
                }
            }
        }
    }

    /// Bytes of `count` activations as the blocks `quantize` writes (Q8_0 or Q8_K only).
    func blockBytes(_ count: Int) -> Int {
        self == .q8_K ? count / 256 * Self.q8KBytes : count / 32 * 34
    }

    /// ggml's Q8_K block: float d, 256 signed levels, and the sum of each 16 levels as Int16.
    static let q8KBytes = 292

    /// Writes `count` activations as the integer blocks llama.cpp multiplies weights with: Q8_0 blocks
    /// (x86 `quantize_row_q8_0`, whose levels round half to even where the portable reference rounds
    /// half away from zero; users run x86) or Q8_K blocks (`quantize_row_q8_K_ref`), by
    /// `CMatrixProducts`' quantizers (portable C and SIMD versions that write the same bytes).
    func quantize(_ x: UnsafePointer<Float>, count: Int, into blocks: UnsafeMutableRawPointer) {
        let type: kiln_activation_type
        switch self {
        case .q8_0, .q8_1: type = KILN_ACTIVATIONS_Q8_0
        case .q8_K: type = KILN_ACTIVATIONS_Q8_K
        case .none, .f16, .bf16: preconditionFailure("\(self) rounding has no integer blocks")
        }
        kiln_quantize_activations(Kernels.isa, type, x, Int32(count), blocks)
    }

    /// Q8_1 for Q4_1/Q5_1 weights: llama.cpp's `vec_dot_q4_1_q8_1` multiplies each weight block's
    /// minimum by the activation block's stored sum s = F16(d·Σq), with d = amax/127 before its F16
    /// rounding (x86 `quantize_row_q8_1`), not by the sum of the rounded values. Writes, per 32-value
    /// block of `x` (not yet rounded), s minus the sum of the block's rounded values, which the matrix
    /// product adds times each row's minimums.
    static func q8_1BlockSumCorrections(_ x: UnsafePointer<Float>, count: Int, into corrections: UnsafeMutablePointer<Float>) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 34) { block in
            for b in 0..<count / 32 {
                ActivationRounding.q8_0.quantize(x + 32 * b, count: 32, into: block.baseAddress!)
                var largest: Float = 0
                for j in 0..<32 { largest = max(largest, abs(x[32 * b + j])) }
                let stored = Float(Float16(bitPattern: UnsafeRawPointer(block.baseAddress!).loadUnaligned(as: UInt16.self)))
                var levels: Int32 = 0, rounded: Float = 0
                for j in 0..<32 {
                    let level = Int8(bitPattern: block[2 + j])
                    levels += Int32(level)
                    rounded += stored * Float(level)
                }
                corrections[b] = Float(Float16(largest / 127 * Float(levels))) - rounded
            }
        }
    }
}
