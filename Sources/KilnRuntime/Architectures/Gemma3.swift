import Foundation

/// What Gemma 3's decoder computes that Llama's does not; `LlamaModel` runs the blocks they share.
enum Gemma3 {
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

    /// Logit soft-capping: `cap · tanh(l / cap)`.
    static func softcap(_ logits: UnsafeMutablePointer<Float>, count: Int, cap: Float) {
        for i in 0..<count { logits[i] = cap * tanhf(logits[i] / cap) }
    }
}
