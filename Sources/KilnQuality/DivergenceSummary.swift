import Foundation
import KilnCore

/// What `kiln verify` reports, named and computed as `llama-perplexity --kl-divergence` prints it.
public struct DivergenceSummary: Sendable {
    public let tokens: Int
    public let candidatePPL: Double, candidatePPLError: Double
    public let referencePPL: Double, referencePPLError: Double
    /// ln(PPL(candidate)/PPL(reference)) and its error (covariance-corrected).
    public let logPPLRatio: Double, logPPLRatioError: Double
    public let meanKLD: Double, meanKLDError: Double
    public let medianKLD: Double, p90KLD: Double, p99KLD: Double, maxKLD: Double
    public let meanProbabilityDelta: Double, rmsProbabilityDelta: Double
    /// Fraction of positions where both models put the same token on top.
    public let top1Agreement: Double, top1AgreementError: Double

    public var pplRatio: Double { exp(logPPLRatio) }

    init(_ s: DivergenceStatistics) {
        let n = s.count
        tokens = n
        let logPPL = DivergenceStatistics.meanAndUncertainty(s.sumNLL, s.sumNLL2, n)
        let logReference = DivergenceStatistics.meanAndUncertainty(s.sumReferenceNLL, s.sumReferenceNLL2, n)
        candidatePPL = exp(logPPL.0)
        candidatePPLError = candidatePPL * logPPL.1
        referencePPL = exp(logReference.0)
        referencePPLError = referencePPL * logReference.1
        let covariance = n < 10 ? 0 : (s.sumNLLProduct / Double(n) - (s.sumNLL / Double(n)) * (s.sumReferenceNLL / Double(n))) / Double(n - 1)
        logPPLRatio = logPPL.0 - logReference.0
        logPPLRatioError = max(0, logPPL.1 * logPPL.1 + logReference.1 * logReference.1 - 2 * covariance).squareRoot()
        let kld = DivergenceStatistics.meanAndUncertainty(s.sumKLD, s.sumKLD2, n)
        (meanKLD, meanKLDError) = kld
        let sorted = s.divergences.sorted()
        medianKLD = Self.median(sorted)
        p90KLD = Self.percentile(sorted, 0.90)
        p99KLD = Self.percentile(sorted, 0.99)
        maxKLD = Double(sorted.last ?? 0)
        meanProbabilityDelta = DivergenceStatistics.meanAndUncertainty(s.sumProbabilityDelta, s.sumProbabilityDelta2, n).0
        rmsProbabilityDelta = DivergenceStatistics.meanAndUncertainty(s.sumProbabilityDelta2, s.sumProbabilityDelta4, n).0.squareRoot()
        top1Agreement = n > 0 ? Double(s.sameTopCount) / Double(n) : 0
        top1AgreementError = n > 1 ? (top1Agreement * (1 - top1Agreement) / Double(n - 1)).squareRoot() : 0
    }

    /// llama-perplexity's percentile: linear interpolation between neighbours, in Float.
    static func percentile(_ sorted: [Float], _ fraction: Float) -> Double {
        guard let first = sorted.first, let last = sorted.last else { return 0 }
        if fraction <= 0 { return Double(first) }
        if fraction >= 1 { return Double(last) }
        var p = fraction * Float(sorted.count - 1)
        let index = Int(p)
        p -= Float(index)
        return Double((1 - p) * sorted[index] + p * sorted[min(index + 1, sorted.count - 1)])
    }

    static func median(_ sorted: [Float]) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let mid = sorted.count / 2
        return Double(sorted.count % 2 == 0 ? 0.5 * (sorted[mid] + sorted[mid - 1]) : sorted[mid])
    }
}
