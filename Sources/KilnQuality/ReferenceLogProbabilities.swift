/// One position's log-probabilities stored as llama-perplexity stores them in its
/// `--kl-divergence-base` file: a float scale and offset, then one u16 per vocabulary entry.
///
/// Storing the reference the same way makes Kiln's KL divergence agree with llama.cpp's, floor
/// included (the u16 rounding alone costs about 5e-4 nats on Llama-3).
public enum ReferenceLogProbabilities {
    /// u16 words per position: the values padded to an even count, plus 4 for the two floats.
    public static func wordCount(vocabularySize: Int) -> Int { 2 * ((vocabularySize + 1) / 2) + 4 }

    /// Encodes `logits` into `output` (``wordCount(vocabularySize:)`` words) and returns the
    /// negative log-likelihood of `token`.
    @discardableResult
    public static func encode(_ logits: UnsafeBufferPointer<Float>, token: Int, into output: UnsafeMutableBufferPointer<UInt16>) -> Double {
        var maxLogit = logits[0], minLogit = logits[0]
        for v in logits.dropFirst() {
            maxLogit = max(maxLogit, v)
            minLogit = min(minLogit, v)
        }
        minLogit = max(minLogit, maxLogit - 16)
        var sumExp = 0.0
        for v in logits { sumExp += Double(expf(v - maxLogit)) }
        let logSumExp = Float(log(sumExp))
        let minLogProb = minLogit - maxLogit - logSumExp
        let scale = (maxLogit - minLogit) / 65535
        let raw = UnsafeMutableRawBufferPointer(output)
        raw.storeBytes(of: scale, toByteOffset: 0, as: Float.self)
        raw.storeBytes(of: minLogProb, toByteOffset: 4, as: Float.self)
        let values = UnsafeMutableBufferPointer(rebasing: output[4...])
        if scale != 0 {
            let inverse = 1 / scale
            for i in logits.indices {
                values[i] = logits[i] > minLogit ? UInt16(truncatingIfNeeded: nearestInt(inverse * (logits[i] - minLogit))) : 0
            }
        } else {
            for i in logits.indices { values[i] = 0 }
        }
        return Double(maxLogit + logSumExp - logits[token])
    }

    /// Whether one position's words (``wordCount(vocabularySize:)`` of them) decode to a probability
    /// distribution as ``encode(_:token:into:)`` writes one: a finite scale and offset, log-probabilities
    /// at most 0, and probabilities summing to 1 within the u16 rounding, plus what clipping the values
    /// more than 16 nats below the top to the floor adds (at most the floor's probability per value).
    public static func isDistribution(_ words: UnsafeBufferPointer<UInt16>, vocabularySize: Int) -> Bool {
        let raw = UnsafeRawBufferPointer(words)
        let scale = raw.loadUnaligned(fromByteOffset: 0, as: Float.self)
        let floor = raw.loadUnaligned(fromByteOffset: 4, as: Float.self)
        guard scale.isFinite, floor.isFinite, scale >= 0, scale <= 16.0 / 65535 * 1.001, floor <= 0 else { return false }
        var sum = 0.0
        var top = -Float.infinity
        for value in words[(words.startIndex + 4)..<(words.startIndex + 4 + vocabularySize)] {
            let logProbability = floor + scale * Float(value)
            top = max(top, logProbability)
            sum += Double(expf(logProbability))
        }
        let rounding = 1e-3
        return top <= Float(rounding) && sum >= 1 - rounding && sum <= 1 + rounding + Double(vocabularySize) * Double(expf(floor))
    }

    /// ggml's `nearest_int`: round half to even through the float mantissa trick.
    @inline(__always)
    static func nearestInt(_ value: Float) -> Int32 {
        let bits = Int32(bitPattern: (value + 12582912).bitPattern)
        return (bits & 0x007f_ffff) - 0x0040_0000
    }
}

#if canImport(Glibc)
import Glibc
#endif
