import Foundation

/// The element-wise pieces the architectures pick from: gated MLP activations, soft-capping, scaling.
extension Kernels {
    /// `gate ← SiLU(gate) · up` (SwiGLU).
    static func gatedSiLU(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, count: Int) {
        for i in 0..<count {
            let g = gate[i]
            gate[i] = g / (1 + Foundation.exp(-g)) * up[i]
        }
    }

    /// `gate ← GELU-tanh(gate) · up`. With `asLlamaCpp`, GELU is ggml's: a table of F16 results indexed
    /// by the F16-rounded input, 0 below −10 and the identity above 10 (`ggml_vec_geglu_f32`).
    static func gatedGELU(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, count: Int, asLlamaCpp: Bool) {
        for i in 0..<count {
            let x = gate[i]
            let g: Float
            if !asLlamaCpp {
                g = gelu(x)
            } else if x <= -10 {
                g = 0
            } else if x >= 10 {
                g = x
            } else {
                g = Float(Float16(gelu(Float(Float16(x)))))
            }
            gate[i] = g * up[i]
        }
    }

    /// ggml's `ggml_gelu_f32` (transformers' `gelu_pytorch_tanh`).
    @inline(__always)
    static func gelu(_ x: Float) -> Float {
        0.5 * x * (1 + tanhf(0.797_884_560_802_865_4 * x * (1 + 0.044_715 * x * x)))
    }

    /// Soft-capping, `cap · tanh(v / cap)`, as llama.cpp's graph computes it: scaled by 1/cap, tanh,
    /// scaled by cap. With `prescaled` the values were already scaled by 1/cap (flash attention folds
    /// it into the score scale).
    static func softcap(_ values: UnsafeMutablePointer<Float>, count: Int, cap: Float, prescaled: Bool = false) {
        let inverse = prescaled ? 1 : 1 / cap
        for i in 0..<count { values[i] = cap * tanhf(values[i] * inverse) }
    }

    /// `values[i] *= factor` for `count` values.
    static func scale(_ values: UnsafeMutablePointer<Float>, count: Int, by factor: Float) {
        for i in 0..<count { values[i] *= factor }
    }
}
