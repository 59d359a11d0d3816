import Foundation
import KilnCore
import KilnQuality
import KilnTestSupport
import Testing

@Suite struct DivergenceStatisticsTests {
    /// Deterministic pseudo-random logits.
    static func logits(_ seed: Int, vocabulary: Int = 50) -> [Float] {
        var state = UInt64(seed) &* 6364136223846793005 &+ 1442695040888963407
        return (0..<vocabulary).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int(state >> 40) % 2000) / 200 - 5
        }
    }

    func encode(_ logits: [Float], token: Int) -> [UInt16] {
        var words = [UInt16](repeating: 0, count: ReferenceLogProbabilities.wordCount(vocabularySize: logits.count))
        logits.withUnsafeBufferPointer { l in words.withUnsafeMutableBufferPointer { _ = ReferenceLogProbabilities.encode(l, token: token, into: $0) } }
        return words
    }

    /// Exact KL divergence in Double, for comparison with the u16-quantized reference.
    func exactKLD(_ p: [Float], _ q: [Float]) -> Double {
        func logSoftmax(_ x: [Float]) -> [Double] {
            let m = Double(x.max()!)
            let lse = m + log(x.reduce(0.0) { $0 + exp(Double($1) - m) })
            return x.map { Double($0) - lse }
        }
        let lp = logSoftmax(p), lq = logSoftmax(q)
        return zip(lp, lq).reduce(0.0) { $0 + exp($1.0) * ($1.0 - $1.1) }
    }

    @Test func identicalModelsHaveOnlyTheStorageFloor() {
        var stats = DivergenceStatistics()
        for position in 0..<40 {
            let l = Self.logits(position)
            let reference = encode(l, token: position % 50)
            l.withUnsafeBufferPointer { c in reference.withUnsafeBufferPointer { stats.add(candidate: c, reference: $0, token: position % 50) } }
        }
        let s = stats.summary
        #expect(s.tokens == 40)
        #expect(abs(s.meanKLD) < 1e-4, "u16 storage rounds log-probabilities by ~1e-4, a first-order floor as in llama.cpp")
        #expect(s.top1Agreement == 1)
        #expect(abs(s.pplRatio - 1) < 1e-4)
        #expect(abs(s.candidatePPL - s.referencePPL) / s.referencePPL < 1e-4)
    }

    @Test func divergenceMatchesTheExactDefinition() {
        var stats = DivergenceStatistics()
        var exact: [Double] = []
        for position in 0..<30 {
            let reference = Self.logits(position)
            let candidate = zip(reference, Self.logits(position + 1000)).map { $0 + 0.3 * $1 }
            exact.append(exactKLD(reference, candidate))
            let encoded = encode(reference, token: 3)
            candidate.withUnsafeBufferPointer { c in encoded.withUnsafeBufferPointer { stats.add(candidate: c, reference: $0, token: 3) } }
        }
        let mean = exact.reduce(0, +) / Double(exact.count)
        let s = stats.summary
        #expect(abs(s.meanKLD - mean) / mean < 0.01, "\(s.meanKLD) vs exact \(mean)")
        #expect(s.maxKLD >= s.p99KLD && s.p99KLD >= s.p90KLD && s.p90KLD >= s.medianKLD)
        #expect(s.meanKLD > 0.01)
    }

    @Test func gateReportsWhichThresholdFailedAndByHowMuch() {
        var stats = DivergenceStatistics()
        for position in 0..<20 {
            let reference = Self.logits(position)
            let candidate = Self.logits(position + 500)
            let encoded = encode(reference, token: 1)
            candidate.withUnsafeBufferPointer { c in encoded.withUnsafeBufferPointer { stats.add(candidate: c, reference: $0, token: 1) } }
        }
        let summary = stats.summary
        let loose = QualityGate(maxMeanKLD: summary.meanKLD + 1, maxPPLIncreasePercent: 1e9, minTop1Agreement: 0)
        #expect(loose.checks(summary).allSatisfy { $0.passed })
        let tight = QualityGate(maxMeanKLD: summary.meanKLD / 2, minTop1Agreement: 1.01)
        let failed = tight.checks(summary).filter { !$0.passed }
        #expect(failed.map(\.name) == ["max-kld", "min-top1"])
        #expect(failed[0].description.contains("off by"))
    }
}
