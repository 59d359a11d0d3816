/// Chooses one option per item so that the summed cost is least while the summed bytes stay within a
/// budget: a multiple-choice knapsack (one type per tensor, the cost its measured ΔKLD).
///
/// Lagrangian relaxation first: for a price λ per byte every item independently takes the option of
/// least `cost + λ·bytes`; the bytes that choice needs fall as λ rises, so bisection finds the
/// cheapest price whose choice fits. A greedy repair then spends the bytes left over on the moves
/// that lower the cost most per byte, until none fits. The result never exceeds the budget.
public enum MixSolver {
    public struct Option: Sendable, Equatable {
        public var bytes: Int
        public var cost: Double

        public init(bytes: Int, cost: Double) {
            self.bytes = bytes
            self.cost = cost
        }
    }

    public struct Solution: Sendable, Equatable {
        /// Per item, the index of its chosen option.
        public var choices: [Int]
        public var bytes: Int
        public var cost: Double
    }

    public struct Infeasible: Error, CustomStringConvertible {
        public let smallestBytes: Int
        public let budget: Int
        public var description: String {
            "the smallest mix needs \(smallestBytes) bytes, more than the budget of \(budget)"
        }
    }

    public static func solve(_ items: [[Option]], budget: Int) throws -> Solution {
        precondition(items.allSatisfy { !$0.isEmpty }, "every item needs an option")
        let smallest = items.reduce(0) { $0 + $1.map(\.bytes).min()! }
        guard smallest <= budget else { throw Infeasible(smallestBytes: smallest, budget: budget) }

        func choose(price: Double) -> [Int] {
            items.map { options in
                options.indices.min { a, b in
                    let (x, y) = (options[a].cost + price * Double(options[a].bytes), options[b].cost + price * Double(options[b].bytes))
                    return x != y ? x < y : options[a].bytes < options[b].bytes
                }!
            }
        }
        func bytes(_ choices: [Int]) -> Int { zip(items, choices).reduce(0) { $0 + $1.0[$1.1].bytes } }

        var choices = choose(price: 0)
        if bytes(choices) > budget {
            // Raise the price until the choice fits: past the largest cost gap per byte every item
            // takes its smallest option, which fits.
            var low = 0.0, high = 1.0
            while bytes(choose(price: high)) > budget { high *= 2 }
            for _ in 0..<100 {
                let middle = (low + high) / 2
                if bytes(choose(price: middle)) > budget { low = middle } else { high = middle }
            }
            choices = choose(price: high)
        }
        choices = repaired(items, choices, budget: budget)
        let cost = zip(items, choices).reduce(0.0) { $0 + $1.0[$1.1].cost }
        return Solution(choices: choices, bytes: bytes(choices), cost: cost)
    }

    /// Spends the slack: repeatedly takes the move (one item to another option) with the largest cost
    /// reduction per extra byte that still fits; a move that saves bytes and cost is taken first.
    static func repaired(_ items: [[Option]], _ start: [Int], budget: Int) -> [Int] {
        var choices = start
        var slack = budget - zip(items, choices).reduce(0) { $0 + $1.0[$1.1].bytes }
        while true {
            var best: (item: Int, option: Int, gain: Double)?
            for (i, options) in items.enumerated() {
                let current = options[choices[i]]
                for (j, option) in options.enumerated() where option.cost < current.cost {
                    let extra = option.bytes - current.bytes
                    guard extra <= slack else { continue }
                    let saved = current.cost - option.cost
                    let gain = extra <= 0 ? .infinity : saved / Double(extra)
                    if best == nil || gain > best!.gain { best = (i, j, gain) }
                }
            }
            guard let move = best else { return choices }
            slack -= items[move.item][move.option].bytes - items[move.item][choices[move.item]].bytes
            choices[move.item] = move.option
        }
    }
}
