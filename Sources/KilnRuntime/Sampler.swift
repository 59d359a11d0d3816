import Foundation
import KilnCore

/// Picks the next token from logits: greedy at temperature 0, otherwise top-k, then top-p, then a
/// draw at the temperature from a seeded generator (the same seed gives the same text).
public struct Sampler: Sendable {
    public var temperature: Float
    public var topK: Int
    public var topP: Float
    private var generator: SplitMix64

    public init(temperature: Float = 0, topK: Int = 40, topP: Float = 0.95, seed: UInt64 = 0) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        generator = SplitMix64(seed: seed)
    }

    public mutating func sample(_ logits: ArraySlice<Float>) -> Int {
        let base = logits.startIndex
        if temperature <= 0 || topK == 1 {
            var best = base
            for i in logits.indices where logits[i] > logits[best] { best = i }
            return best - base
        }
        var candidates = logits.indices.map { (id: $0 - base, logit: logits[$0]) }
        candidates.sort { $0.logit > $1.logit || ($0.logit == $1.logit && $0.id < $1.id) }
        if topK > 0 && topK < candidates.count { candidates.removeLast(candidates.count - topK) }
        let maximum = candidates[0].logit
        var probabilities = candidates.map { Double(exp(($0.logit - maximum) / temperature)) }
        let total = probabilities.reduce(0, +)
        probabilities = probabilities.map { $0 / total }
        if topP < 1 {
            var cumulative = 0.0, keep = 0
            while keep < probabilities.count {
                cumulative += probabilities[keep]
                keep += 1
                if cumulative >= Double(topP) { break }
            }
            probabilities.removeLast(probabilities.count - keep)
            candidates.removeLast(candidates.count - keep)
        }
        let mass = probabilities.reduce(0, +)
        var draw = Double(generator.next() >> 11) / Double(1 << 53) * mass
        for (i, p) in probabilities.enumerated() {
            draw -= p
            if draw < 0 { return candidates[i].id }
        }
        return candidates[candidates.count - 1].id
    }
}
