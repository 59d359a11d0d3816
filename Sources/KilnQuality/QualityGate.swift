/// The limits `kiln verify` enforces, and the verdict on a summary.
public struct QualityGate: Sendable {
    public struct Check: Sendable, Equatable {
        /// The option that set the limit, e.g. `max-kld`.
        public let name: String
        public let measured: Double
        public let limit: Double
        public let passed: Bool

        /// One line saying which threshold failed and by how much (or that it held).
        public var description: String {
            let relation = name.hasPrefix("min") ? (passed ? "≥" : "<") : (passed ? "≤" : ">")
            let margin = abs(measured - limit)
            return "\(name): \(format(measured)) \(relation) \(format(limit))" + (passed ? "" : " (off by \(format(margin)))")
        }

        private func format(_ v: Double) -> String { String(format: abs(v) < 0.01 && v != 0 ? "%.6f" : "%.4f", v) }
    }

    /// Largest acceptable mean KL divergence (nats).
    public var maxMeanKLD: Double?
    /// Largest acceptable perplexity increase, in percent of the reference's.
    public var maxPPLIncreasePercent: Double?
    /// Smallest acceptable fraction of positions with the same top token (0…1).
    public var minTop1Agreement: Double?

    public init(maxMeanKLD: Double? = nil, maxPPLIncreasePercent: Double? = nil, minTop1Agreement: Double? = nil) {
        self.maxMeanKLD = maxMeanKLD
        self.maxPPLIncreasePercent = maxPPLIncreasePercent
        self.minTop1Agreement = minTop1Agreement
    }

    /// The verdict on each limit; `scope` names what was measured (e.g. `vision `) before the option name.
    public func checks(_ summary: DivergenceSummary, scope: String = "") -> [Check] {
        var checks: [Check] = []
        if let limit = maxMeanKLD {
            checks.append(Check(name: scope + "max-kld", measured: summary.meanKLD, limit: limit, passed: summary.meanKLD <= limit))
        }
        if let limit = maxPPLIncreasePercent {
            let increase = (summary.pplRatio - 1) * 100
            checks.append(Check(name: scope + "max-ppl-increase", measured: increase, limit: limit, passed: increase <= limit))
        }
        if let limit = minTop1Agreement {
            checks.append(Check(name: scope + "min-top1", measured: summary.top1Agreement, limit: limit, passed: summary.top1Agreement >= limit))
        }
        return checks
    }
}
