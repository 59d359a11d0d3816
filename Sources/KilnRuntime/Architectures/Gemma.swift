import Foundation

/// What Gemma 2's and Gemma 3's decoders compute that Llama's does not; `LlamaModel` runs the blocks
/// they share (Gemma 3 adds Q/K norms, Qwen3's; Gemma 2 soft-caps attention scores).
enum Gemma {
    /// Token embeddings are multiplied by √hidden (llama.cpp: `ggml_scale(inpL, sqrtf(n_embd))`).
    static func scaleEmbeddings(_ x: UnsafeMutablePointer<Float>, count: Int, hiddenSize: Int) {
        let scale = Float(hiddenSize).squareRoot()
        for i in 0..<count { x[i] *= scale }
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
}
