import Foundation
import KilnCheckpoints

/// RoPE as llama.cpp computes it (ggml's rope cache: θ_i = pos·base^(−2i/d), advanced by repeated
/// multiplication in Float, divided by llama3's per-frequency factors when the model has them).
///
/// The pairing follows the weights: GGUF and Mistral native rows rotate (2i, 2i+1); Hugging Face
/// rows were written for rotate-half and rotate (i, i+d/2). Both give the same model.
struct RotaryEmbedding: Sendable {
    let dimension: Int
    let base: Float
    let pairing: CheckpointLayout.RotaryPairing
    /// llama3 frequency divisors (`rope_freqs`) or Phi-3's long-rope ones, one per pair, or empty.
    let frequencyFactors: [Float]
    /// Multiplies cos and sin (Phi-3 long-rope's attention factor; ggml's `mscale`).
    let attentionFactor: Float

    init(dimension: Int, base: Double, pairing: CheckpointLayout.RotaryPairing, scaling: RopeScaling?, frequencyFactors: [Float]? = nil,
         attentionFactor: Double = 1) {
        self.dimension = dimension
        self.base = Float(base)
        self.pairing = pairing
        self.attentionFactor = Float(attentionFactor)
        if let frequencyFactors {
            self.frequencyFactors = frequencyFactors
        } else if let scaling, scaling.isLlama3 {
            self.frequencyFactors = scaling.llama3FrequencyFactors(dimension: dimension, base: base)
        } else {
            self.frequencyFactors = []
        }
    }

    /// cos and sin of every pair's angle at `position` (2 × dimension/2 floats).
    func table(position: Int, into cosSin: UnsafeMutablePointer<Float>) {
        let scale = powf(base, -2 / Float(dimension))
        var theta = Float(position)
        for i in 0..<dimension / 2 {
            let angle = frequencyFactors.isEmpty ? theta : theta / frequencyFactors[i]
            cosSin[2 * i] = cosf(angle) * attentionFactor
            cosSin[2 * i + 1] = sinf(angle) * attentionFactor
            theta *= scale
        }
    }

    /// cos and sin for Pixtral's axial 2-D position (`row`, `column`) of an image patch, as transformers'
    /// `PixtralVisionRotaryEmbedding` computes them: of the d/2 base frequencies base^(−2i/d), the even
    /// ones turn the first d/4 pairs by the row and the odd ones the last d/4 pairs by the column.
    /// (llama.cpp's `build_rope_2d` ropes the two halves of each head the same way.)
    func axialTable(row: Int, column: Int, into cosSin: UnsafeMutablePointer<Float>) {
        let quarter = dimension / 4
        for i in 0..<dimension / 2 {
            let (position, frequency) = i < quarter ? (row, 2 * i) : (column, 2 * (i - quarter) + 1)
            let angle = Float(position) * (1 / powf(base, Float(2 * frequency) / Float(dimension)))
            cosSin[2 * i] = cosf(angle)
            cosSin[2 * i + 1] = sinf(angle)
        }
    }

    /// Rotates `heads` consecutive head vectors of `dimension` floats in place.
    func apply(_ x: UnsafeMutablePointer<Float>, heads: Int, cosSin: UnsafePointer<Float>) {
        let half = dimension / 2
        for h in 0..<heads {
            let v = x + h * dimension
            for i in 0..<half {
                let c = cosSin[2 * i], s = cosSin[2 * i + 1]
                let (a, b) = pairing == .interleaved ? (2 * i, 2 * i + 1) : (i, i + half)
                let x0 = v[a], x1 = v[b]
                v[a] = x0 * c - x1 * s
                v[b] = x0 * s + x1 * c
            }
        }
    }
}
