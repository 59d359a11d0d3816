import KilnCore
@testable import KilnRuntime
import Testing

@Suite struct SamplerTests {
    let logits: [Float] = [0.5, 2.0, -1.0, 1.9, 0.0]

    @Test func greedyPicksTheLargestLogit() {
        var sampler = Sampler(temperature: 0)
        #expect(sampler.sample(logits[...]) == 1)
        var topOne = Sampler(temperature: 1, topK: 1)
        #expect(topOne.sample(logits[...]) == 1)
    }

    @Test func sameSeedSameDraws() {
        var a = Sampler(temperature: 1, topK: 0, topP: 1, seed: 42), b = Sampler(temperature: 1, topK: 0, topP: 1, seed: 42)
        let drawsA = (0..<50).map { _ in a.sample(logits[...]) }
        let drawsB = (0..<50).map { _ in b.sample(logits[...]) }
        #expect(drawsA == drawsB)
        #expect(Set(drawsA).count > 2, "temperature 1 over all tokens varies")
    }

    @Test func topKAndTopPLimitTheCandidates() {
        var k = Sampler(temperature: 5, topK: 2, topP: 1, seed: 7)
        #expect(Set((0..<100).map { _ in k.sample(logits[...]) }).isSubset(of: [1, 3]))
        var p = Sampler(temperature: 1, topK: 0, topP: 0.3, seed: 7)
        #expect(Set((0..<100).map { _ in p.sample(logits[...]) }) == [1])
    }

    /// The top-k selection keeps what sorting every candidate and cutting after k keeps (ties broken
    /// by the lower id), on a vocabulary-sized slice with many equal logits.
    @Test(arguments: [1, 2, 40, 999, 1000])
    func topKSelectionEqualsFullSort(_ k: Int) {
        var generator = SplitMix64(seed: UInt64(k))
        let values = (0..<1000).map { _ in Float(generator.next() % 50) / 4 }
        let slice = ([Float(7)] + values)[1...]
        let selected = Sampler.first(k, of: slice).sorted(by: Sampler.precedes)
        let sorted = slice.indices.map { (id: $0 - 1, logit: slice[$0]) }.sorted(by: Sampler.precedes).prefix(k)
        #expect(selected.map(\.id) == sorted.map(\.id))
    }

    @Test func negativeLogLikelihoodIsLogSoftmax() {
        let nll = logits.withUnsafeBufferPointer { Perplexity.negativeLogLikelihood($0.baseAddress!, count: 5, target: 3) }
        let expected = -(1.9 - log(logits.map { exp(Double($0)) }.reduce(0, +)))
        #expect(abs(nll - expected) < 1e-6)
    }
}

import Foundation
