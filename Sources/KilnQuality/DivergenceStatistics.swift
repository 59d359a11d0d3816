import Foundation

/// Running sums over scored positions, comparing a candidate's logits with reference
/// log-probabilities, with the definitions of `llama-perplexity --kl-divergence`.
public struct DivergenceStatistics: Sendable {
    public private(set) var count = 0
    var sumNLL = 0.0, sumNLL2 = 0.0
    var sumReferenceNLL = 0.0, sumReferenceNLL2 = 0.0, sumNLLProduct = 0.0
    var sumKLD = 0.0, sumKLD2 = 0.0
    var sumProbabilityDelta = 0.0, sumProbabilityDelta2 = 0.0, sumProbabilityDelta4 = 0.0
    public private(set) var sameTopCount = 0
    /// Per position, for percentiles.
    public private(set) var divergences: [Float] = []
    public private(set) var probabilityDeltas: [Float] = []

    public init() {}

    /// Adds one position: the candidate's `logits`, the reference's encoded log-probabilities
    /// (see ``ReferenceLogProbabilities``) and the token that actually came next.
    public mutating func add(candidate logits: UnsafeBufferPointer<Float>, reference: UnsafeBufferPointer<UInt16>, token: Int) {
        var maxLogit = logits[0]
        var topCandidate = 0
        for i in 1..<logits.count where logits[i] > maxLogit {
            maxLogit = logits[i]
            topCandidate = i
        }
        var sumExp = 0.0
        for v in logits { sumExp += Double(expf(v - maxLogit)) }
        let logSumExp = Float(log(sumExp))
        let raw = UnsafeRawBufferPointer(reference)
        let scale = raw.load(fromByteOffset: 0, as: Float.self)
        let minLogProb = raw.load(fromByteOffset: 4, as: Float.self)
        let base = UnsafeBufferPointer(rebasing: reference[4...])

        let nll = maxLogit + logSumExp - logits[token]
        sumNLL += Double(nll)
        sumNLL2 += Double(nll * nll)
        let referenceNLL = -(scale * Float(base[token]) + minLogProb)
        sumReferenceNLL += Double(referenceNLL)
        sumReferenceNLL2 += Double(referenceNLL * referenceNLL)
        sumNLLProduct += Double(nll * referenceNLL)

        let logNormalizer = maxLogit + logSumExp
        var kld = 0.0
        var topReference = -1
        var topReferenceLogProb: Float = 0
        for i in 0..<logits.count {
            let referenceLogProb = scale * Float(base[i]) + minLogProb
            if i == 0 || referenceLogProb > topReferenceLogProb {
                topReferenceLogProb = referenceLogProb
                topReference = i
            }
            if referenceLogProb > -16 {
                kld += Double(expf(referenceLogProb) * (referenceLogProb - logits[i] + logNormalizer))
            }
        }
        sumKLD += kld
        sumKLD2 += kld * kld
        count += 1
        if topCandidate == topReference { sameTopCount += 1 }

        let delta = expf(-nll) - expf(-referenceNLL)
        sumProbabilityDelta += Double(delta)
        let delta2 = Double(delta * delta)
        sumProbabilityDelta2 += delta2
        sumProbabilityDelta4 += delta2 * delta2
        divergences.append(Float(kld))
        probabilityDeltas.append(delta)
    }

    /// Mean and its standard error, as llama-perplexity reports them (no error under 11 samples).
    static func meanAndUncertainty(_ sum: Double, _ sum2: Double, _ count: Int) -> (Double, Double) {
        guard count >= 1 else { return (0, 0) }
        let mean = sum / Double(count)
        let variance = sum2 / Double(count) - mean * mean
        return (mean, variance > 0 && count > 10 ? (variance / Double(count - 1)).squareRoot() : 0)
    }

    public var summary: DivergenceSummary { DivergenceSummary(self) }

    /// The mean KL divergence so far, without the percentiles ``summary`` sorts for (for progress).
    var meanKLD: Double { count > 0 ? sumKLD / Double(count) : 0 }
}
