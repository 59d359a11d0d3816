import KilnCore
import KilnQuantization
import Testing

/// The multiple-choice knapsack behind `kiln quantize --budget`: the budget is never exceeded, no
/// single change of one item's option could still lower the cost within it, and the result is at
/// least as good as giving every item the same option, on seeded random instances.
@Suite struct MixSolverTests {
    /// Items shaped like tensors at types: more bytes, less cost, with diminishing returns.
    static func instance(seed: UInt64, items: Int, options: Int) -> [[MixSolver.Option]] {
        var random = SplitMix64(seed: seed)
        return (0..<items).map { _ in
            let size = Int.random(in: 100...5000, using: &random)
            let sensitivity = Double.random(in: 0.001...1, using: &random)
            return (0..<options).map { j in
                let bits = 2 + j + Int.random(in: 0...1, using: &random)
                return MixSolver.Option(bytes: size * bits, cost: sensitivity * pow2(-Double(bits)) * Double.random(in: 0.8...1.2, using: &random))
            }
        }
    }

    static func pow2(_ x: Double) -> Double { (0..<Int(-x)).reduce(1.0) { v, _ in v / 2 } }

    /// Sizes with no common factor and large budgets take the Lagrangian relaxation and its repair.
    @Test(arguments: 0..<20)
    func honoursTheBudgetExactlyAndIsLocallyOptimal(_ seed: Int) throws {
        let items = Self.instance(seed: UInt64(seed), items: 30, options: 6)
        let smallest = items.reduce(0) { $0 + $1.map(\.bytes).min()! }
        let largest = items.reduce(0) { $0 + $1.map(\.bytes).max()! }
        for step in 0...10 {
            let budget = smallest + (largest - smallest) * step / 10
            let solution = try MixSolver.solve(items, budget: budget)
            let bytes = zip(items, solution.choices).reduce(0) { $0 + $1.0[$1.1].bytes }
            let cost = zip(items, solution.choices).reduce(0.0) { $0 + $1.0[$1.1].cost }
            #expect(bytes == solution.bytes && bytes <= budget, "budget \(budget): \(bytes) bytes")
            #expect(abs(cost - solution.cost) < 1e-12)
            for (i, options) in items.enumerated() {
                for option in options where option.cost < options[solution.choices[i]].cost {
                    #expect(bytes - options[solution.choices[i]].bytes + option.bytes > budget, "item \(i) could still improve")
                }
            }
            for j in 0..<6 {
                let uniformBytes = items.reduce(0) { $0 + $1[j].bytes }
                if uniformBytes <= budget { #expect(solution.cost <= items.reduce(0.0) { $0 + $1[j].cost } + 1e-12) }
            }
        }
    }

    /// Small budgets take the exact dynamic program.
    @Test func matchesExhaustiveSearchOnSmallInstances() throws {
        for seed in 0..<30 {
            let items = Self.instance(seed: UInt64(1000 + seed), items: 5, options: 4)
            let smallest = items.reduce(0) { $0 + $1.map(\.bytes).min()! }
            let largest = items.reduce(0) { $0 + $1.map(\.bytes).max()! }
            let budget = (smallest + largest) / 2
            var best = Double.infinity
            for code in 0..<(4 * 4 * 4 * 4 * 4) {
                var rest = code, bytes = 0, cost = 0.0
                for options in items { bytes += options[rest % 4].bytes; cost += options[rest % 4].cost; rest /= 4 }
                if bytes <= budget { best = min(best, cost) }
            }
            let solution = try MixSolver.solve(items, budget: budget)
            #expect(solution.bytes <= budget)
            #expect(abs(solution.cost - best) <= 1e-12, "seed \(seed): \(solution.cost) vs optimum \(best)")
        }
    }

    @Test func refusesABudgetBelowTheSmallestMix() throws {
        let items = [[MixSolver.Option(bytes: 10, cost: 1), MixSolver.Option(bytes: 20, cost: 0.5)],
                     [MixSolver.Option(bytes: 7, cost: 2)]]
        #expect(throws: MixSolver.Infeasible.self) { try MixSolver.solve(items, budget: 16) }
        #expect(try MixSolver.solve(items, budget: 17).choices == [0, 0])
        #expect(try MixSolver.solve(items, budget: 27).choices == [1, 0])
    }
}
