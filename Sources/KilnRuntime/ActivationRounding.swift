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
                    Self.quantizeQ8K(x + start, into: block.baseAddress!)
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
    /// (`quantize_row_q8_0_ref`) or Q8_K blocks (`quantize_row_q8_K_ref`).
    func quantize(_ x: UnsafePointer<Float>, count: Int, into blocks: UnsafeMutableRawPointer) {
        switch self {
        case .q8_0, .q8_1:
            for b in 0..<count / 32 { Self.quantizeQ8_0(x + 32 * b, into: blocks + 34 * b) }
        case .q8_K:
            for b in 0..<count / 256 { Self.quantizeQ8K(x + 256 * b, into: blocks + Self.q8KBytes * b) }
        case .none, .f16, .bf16:
            preconditionFailure("\(self) rounding has no integer blocks")
        }
    }

    /// ggml's x86 `quantize_row_q8_0` (AVX/AVX2, and the repacked Q4_0/IQ4_NL kernels' `quantize_mat_q8_0`)
    /// for one 32-value block: d = amax/127 stored as F16, levels x·(127/amax) rounded half to even. The
    /// portable reference quantizer multiplies by 1/d and rounds half away from zero instead, which moves
    /// a few levels in a million by one step; the x86 build is what users run.
    static func quantizeQ8_0(_ x: UnsafePointer<Float>, into block: UnsafeMutableRawPointer) {
        var largest: Float = 0
        for j in 0..<32 { largest = max(largest, abs(x[j])) }
        let inverse: Float = largest != 0 ? 127 / largest : 0
        block.storeBytes(of: Float16(largest / 127).bitPattern, as: UInt16.self)
        for j in 0..<32 { block.storeBytes(of: Int8((x[j] * inverse).rounded(.toNearestOrEven)), toByteOffset: 2 + j, as: Int8.self) }
    }

    /// Q8_1 for Q4_1/Q5_1 weights: llama.cpp's `vec_dot_q4_1_q8_1` multiplies each weight block's
    /// minimum by the activation block's stored sum s = F16(d·Σq), with d = amax/127 before its F16
    /// rounding (x86 `quantize_row_q8_1`), not by the sum of the rounded values. Writes, per 32-value
    /// block of `x` (not yet rounded), s minus the sum of the block's rounded values, which the matrix
    /// product adds times each row's minimums.
    static func q8_1BlockSumCorrections(_ x: UnsafePointer<Float>, count: Int, into corrections: UnsafeMutablePointer<Float>) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 34) { block in
            for b in 0..<count / 32 {
                quantizeQ8_0(x + 32 * b, into: block.baseAddress!)
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

    /// ggml's `quantize_row_q8_K_ref` for one 256-value block.
    static func quantizeQ8K(_ x: UnsafePointer<Float>, into block: UnsafeMutableRawPointer) {
        var largest: Float = 0, signed: Float = 0
        for j in 0..<256 where abs(x[j]) > largest {
            largest = abs(x[j])
            signed = x[j]
        }
        guard largest > 0 else {
            block.initializeMemory(as: UInt8.self, repeating: 0, count: q8KBytes)
            return
        }
        let inverse = -127 / signed
        block.storeBytes(of: 1 / inverse, as: Float.self)
        for g in 0..<16 {
            var sum: Int16 = 0
            for j in 16 * g..<16 * g + 16 {
                let bits = Int32(bitPattern: (inverse * x[j] + 12582912).bitPattern)
                let level = Int8(clamping: min(127, (bits & 0x007f_ffff) - 0x0040_0000))
                block.storeBytes(of: level, toByteOffset: 4 + j, as: Int8.self)
                sum &+= Int16(level)
            }
            block.storeBytes(of: sum, toByteOffset: 260 + 2 * g, as: Int16.self)
        }
    }
}
