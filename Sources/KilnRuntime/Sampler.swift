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
        var candidates = topK > 0 && topK < logits.count
            ? Self.first(topK, of: logits) : logits.indices.map { (id: $0 - base, logit: logits[$0]) }
        candidates.sort(by: Self.precedes)
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

    typealias Candidate = (id: Int, logit: Float)

    /// The sampling order: larger logits first, then lower ids.
    static func precedes(_ a: Candidate, _ b: Candidate) -> Bool {
        a.logit > b.logit || (a.logit == b.logit && a.id < b.id)
    }

    /// The `k` candidates that come first in `precedes` order, in no particular order: a heap whose
    /// root comes last keeps them, so a 262k-token vocabulary is not sorted for every token.
    static func first(_ k: Int, of logits: ArraySlice<Float>) -> [Candidate] {
        var heap: [Candidate] = []
        heap.reserveCapacity(k)
        func siftDown(_ start: Int) {
            var i = start
            while true {
                let left = 2 * i + 1, right = left + 1
                var last = i
                if left < heap.count && precedes(heap[last], heap[left]) { last = left }
                if right < heap.count && precedes(heap[last], heap[right]) { last = right }
                if last == i { return }
                heap.swapAt(i, last)
                i = last
            }
        }
        for i in logits.indices {
            let candidate = (id: i - logits.startIndex, logit: logits[i])
            if heap.count < k {
                heap.append(candidate)
                var j = heap.count - 1
                while j > 0 && precedes(heap[(j - 1) / 2], heap[j]) {
                    heap.swapAt(j, (j - 1) / 2)
                    j = (j - 1) / 2
                }
            } else if precedes(candidate, heap[0]) {
                heap[0] = candidate
                siftDown(0)
            }
        }
        return heap
    }
}
