import Foundation

/// RoPE frequency scaling from a config's `rope_scaling` (or transformers 5's `rope_parameters`).
public struct RopeScaling: Sendable, Equatable {
    /// `llama3`, `linear`, `yarn`, … as the config names it.
    public var type: String
    public var factor: Double
    public var lowFrequencyFactor: Double?
    public var highFrequencyFactor: Double?
    public var originalContextLength: Int?
    /// YaRN's `extrapolation_factor`, `attention_factor` (or `attn_factor`), `beta_fast`, `beta_slow`.
    public var extrapolationFactor: Double?
    public var attentionFactor: Double?
    public var betaFast: Double?
    public var betaSlow: Double?
    /// Phi-3 long-rope (`longrope`, `su`): the frequency divisors past the original context and
    /// within it, one per rotary pair.
    public var longFactors: [Double]?
    public var shortFactors: [Double]?

    public init(type: String, factor: Double, lowFrequencyFactor: Double? = nil, highFrequencyFactor: Double? = nil,
                originalContextLength: Int? = nil, extrapolationFactor: Double? = nil, attentionFactor: Double? = nil,
                betaFast: Double? = nil, betaSlow: Double? = nil) {
        self.type = type
        self.factor = factor
        self.lowFrequencyFactor = lowFrequencyFactor
        self.highFrequencyFactor = highFrequencyFactor
        self.originalContextLength = originalContextLength
        self.extrapolationFactor = extrapolationFactor
        self.attentionFactor = attentionFactor
        self.betaFast = betaFast
        self.betaSlow = betaSlow
    }

    /// llama3 scaling divides each frequency by its own factor (GGUF `rope_freqs`).
    public var isLlama3: Bool { type.lowercased() == "llama3" }

    /// llama3's per-frequency divisors, one per pair of a head: 1 for high frequencies, `factor` for
    /// low ones, a smooth blend between. Computed step by step in Float as convert_hf_to_gguf's
    /// `generate_extra_tensors` does in float32 torch (each Python number meets a float32 tensor
    /// as a Float), so the bytes match its `rope_freqs`. torch's scalar `pow` is libm's `powf`;
    /// its vectorized loop (≥ 16 pairs on AVX-512, 8 on AVX2) uses Sleef's powf, which may differ in
    /// the last bit for some bases (Llama 3's 500000 with 64 or 128 dimensions agrees).
    public func llama3FrequencyFactors(dimension: Int, base: Double) -> [Float] {
        let factor = Float(self.factor)
        let low = lowFrequencyFactor ?? 1, high = highFrequencyFactor ?? 4
        let original = Double(originalContextLength ?? 8192)
        let lowWavelength = Float(original / low), highWavelength = Float(original / high)
        let twoPi = Float(2 * Double.pi), span = Float(high - low)
        return stride(from: 0, to: dimension, by: 2).map { i in
            let frequency = 1 / powf(Float(base), Float(i) / Float(dimension))
            let wavelength = (1 / frequency) * twoPi
            if wavelength < highWavelength { return 1 }
            if wavelength > lowWavelength { return factor }
            let smooth = ((1 / wavelength) * Float(original) - Float(low)) / span
            return 1 / ((1 - smooth) / factor + smooth)
        }
    }
}
