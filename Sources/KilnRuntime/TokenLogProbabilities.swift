import Foundation

/// The log-probabilities a distribution of logits gives its most likely tokens (`--logprobs`).
public enum TokenLogProbabilities {
    /// The `k` most likely ids of `logits` with their log-probabilities, most likely first (ties by id).
    public static func top(_ k: Int, of logits: ArraySlice<Float>) -> [(id: Int, logProbability: Double)] {
        guard k > 0, !logits.isEmpty else { return [] }
        let normalizer = logNormalizer(logits)
        var best: [(id: Int, logit: Float)] = []
        for (offset, logit) in logits.enumerated() where best.count < k || logit > best[best.count - 1].logit {
            let at = best.firstIndex { logit > $0.logit } ?? best.count
            best.insert((offset, logit), at: at)
            if best.count > k { best.removeLast() }
        }
        return best.map { ($0.id, Double($0.logit) - normalizer) }
    }

    /// The log-probability of `id` under `logits`.
    public static func of(_ id: Int, in logits: ArraySlice<Float>) -> Double {
        Double(logits[logits.startIndex + id]) - logNormalizer(logits)
    }

    /// log Σ exp(logit), from the maximum for stability.
    static func logNormalizer(_ logits: ArraySlice<Float>) -> Double {
        let maximum = logits.max() ?? 0
        var sum = 0.0
        for logit in logits { sum += exp(Double(logit - maximum)) }
        return Double(maximum) + log(sum)
    }
}
