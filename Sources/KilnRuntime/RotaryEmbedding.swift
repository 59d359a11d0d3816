import Foundation
import KilnCheckpoints

/// RoPE as llama.cpp computes it (ggml's rope cache: θ_i = pos·base^(−2i/d), advanced by repeated
/// multiplication in Float, divided by llama3's per-frequency factors when the model has them, then
/// scaled as `rope_yarn` does: linear scaling multiplies every angle by 1/factor; YaRN blends the
/// scaled and unscaled angle over its correction dimensions and enlarges cos and sin).
///
/// The pairing follows the weights: GGUF and Mistral native rows rotate (2i, 2i+1); Hugging Face
/// rows were written for rotate-half and rotate (i, i+d/2). Both give the same model. With partial
/// rotary (Phi-4-mini turns 96 of 128), d is the turned dimensions, the first of each head, and the
/// rest pass through, as ggml_rope_ext with n_dims below the head size and transformers' `rotary_dim`.
struct RotaryEmbedding: Sendable {
    /// The dimensions turned, at the start of each head.
    let dimension: Int
    /// The head's width, `dimension` or more.
    let headWidth: Int
    let base: Float
    let pairing: CheckpointLayout.RotaryPairing
    /// llama3 frequency divisors (`rope_freqs`) or Phi-3's long-rope ones, one per pair, or empty.
    let frequencyFactors: [Float]
    /// llama.cpp's `freq_scale` (1/factor for linear and YaRN scaling), `ext_factor` (1 for YaRN),
    /// `attn_factor` and the YaRN correction dimensions.
    let frequencyScale: Float, extrapolationFactor: Float, magnitude: Float
    let correction: (low: Float, high: Float)

    /// - Parameters:
    ///   - contextLength: the trained context, YaRN's original context when the scaling names none.
    ///   - attentionFactor: multiplies the magnitude (Phi-3 long-rope's `rope.scaling.attn_factor`, as
    ///     llama_context multiplies `yarn_attn_factor` by it).
    init(dimension: Int, headWidth: Int? = nil, base: Double, pairing: CheckpointLayout.RotaryPairing, scaling: RopeScaling?,
         contextLength: Int = 0, frequencyFactors: [Float]? = nil, attentionFactor: Double = 1) {
        self.dimension = dimension
        self.headWidth = headWidth ?? dimension
        self.base = Float(base)
        self.pairing = pairing
        if let frequencyFactors {
            self.frequencyFactors = frequencyFactors
        } else if let scaling, scaling.isLlama3 {
            self.frequencyFactors = scaling.llama3FrequencyFactors(dimension: dimension, base: base)
        } else {
            self.frequencyFactors = []
        }
        let type = scaling?.type.lowercased()
        frequencyScale = type == "linear" || type == "yarn" ? 1 / Float(scaling!.factor) : 1
        guard type == "yarn", let scaling else {
            (extrapolationFactor, magnitude, correction) = (0, Float(attentionFactor), (0, 0))
            return
        }
        // llama_context: YaRN's magnitude 0.1·ln(factor) + 1, cancelled by the factor rope_yarn applies again.
        extrapolationFactor = 1
        let factor = 1 / frequencyScale
        let enlarged: Float = factor <= 1 ? 1 : 0.1 * logf(factor) + 1
        magnitude = enlarged * (1 / (1 + 0.1 * logf(factor))) * Float(attentionFactor)
        // ggml_rope_yarn_corr_dims with llama's β_fast 32 and β_slow 1.
        let original = Float(scaling.originalContextLength ?? contextLength)
        func correctionDimension(_ rotations: Float) -> Float {
            Float(dimension) * logf(original / (rotations * 2 * Float.pi)) / (2 * logf(Float(base)))
        }
        correction = (max(0, floorf(correctionDimension(32))), min(Float(dimension - 1), ceilf(correctionDimension(1))))
    }

    /// cos and sin of every pair's angle at `position` (2 × dimension/2 floats).
    func table(position: Int, into cosSin: UnsafeMutablePointer<Float>) {
        let scale = powf(base, -2 / Float(dimension))
        var theta = Float(position)
        for i in 0..<dimension / 2 {
            let extrapolated = frequencyFactors.isEmpty ? theta : theta / frequencyFactors[i]
            var angle = frequencyScale * extrapolated, size = magnitude
            if extrapolationFactor != 0 {
                let ramp = 1 - min(1, max(0, (Float(i) - correction.low) / max(0.001, correction.high - correction.low)))
                let mix = ramp * extrapolationFactor
                angle = angle * (1 - mix) + extrapolated * mix
                size *= 1 + 0.1 * logf(1 / frequencyScale)
            }
            cosSin[2 * i] = cosf(angle) * size
            cosSin[2 * i + 1] = sinf(angle) * size
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

    /// Rotates `heads` consecutive head vectors of `headWidth` floats in place.
    func apply(_ x: UnsafeMutablePointer<Float>, heads: Int, cosSin: UnsafePointer<Float>) {
        let half = dimension / 2
        for h in 0..<heads {
            let v = x + h * headWidth
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
