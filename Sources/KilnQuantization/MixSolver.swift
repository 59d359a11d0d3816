/// Chooses one option per item so that the summed cost is least while the summed bytes stay within a
/// budget: a multiple-choice knapsack (one type per tensor, the cost its measured ΔKLD).
///
/// When the budget counted in the sizes' common unit (tensor sizes share a factor of 32 or more) is
/// small enough, dynamic programming over the bytes gives the exact optimum. Otherwise: Lagrangian relaxation first: for a price λ per byte every item independently takes the option of
/// least `cost + λ·bytes`; the bytes that choice needs fall as λ rises, so bisection finds the
/// cheapest price whose choice fits. A greedy repair then spends the bytes left over on the moves
/// that lower the cost most per byte, and exchanges (one item down, another up) close most of the
/// gap the relaxation leaves when items are few. The result never exceeds the budget.
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
        func solution(_ choices: [Int]) -> Solution {
            Solution(choices: choices, bytes: zip(items, choices).reduce(0) { $0 + $1.0[$1.1].bytes },
                     cost: zip(items, choices).reduce(0.0) { $0 + $1.0[$1.1].cost })
        }
        if let choices = exact(items, budget: budget) { return solution(choices) }

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
        return solution(repaired(items, choices, budget: budget))
    }

    /// The optimum by dynamic programming over the budget in units of the sizes' greatest common
    /// divisor, or nil when that table would exceed `work` cells.
    static func exact(_ items: [[Option]], budget: Int, work: Int = 20_000_000) -> [Int]? {
        func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
        let unit = items.joined().reduce(0) { gcd($0, $1.bytes) }
        guard unit > 0, items.allSatisfy({ $0.count <= Int(UInt8.max) }) else { return nil }
        let capacity = budget / unit
        let options = items.map(\.count).max() ?? 0
        let (cells, overflow) = (capacity + 1).multipliedReportingOverflow(by: items.count * max(options, 1))
        guard !overflow, cells <= work else { return nil }
        // best[b]: least cost of the items so far taking exactly b units; pick: the option that got there.
        var best = [Double](repeating: .infinity, count: capacity + 1)
        best[0] = 0
        var pick = [UInt8](repeating: 0, count: (capacity + 1) * items.count)
        for (i, item) in items.enumerated() {
            var next = [Double](repeating: .infinity, count: capacity + 1)
            for b in 0...capacity where best[b] < .infinity {
                for (j, option) in item.enumerated() {
                    let n = b + option.bytes / unit
                    guard n <= capacity, best[b] + option.cost < next[n] else { continue }
                    next[n] = best[b] + option.cost
                    pick[i * (capacity + 1) + n] = UInt8(j)
                }
            }
            best = next
        }
        guard var b = best.indices.min(by: { best[$0] < best[$1] }), best[b] < .infinity else { return nil }
        var choices = [Int](repeating: 0, count: items.count)
        for i in items.indices.reversed() {
            choices[i] = Int(pick[i * (capacity + 1) + b])
            b -= items[i][choices[i]].bytes / unit
        }
        return choices
    }

    /// Spends the slack: repeatedly takes the move (one item to another option) with the largest cost
    /// reduction per extra byte that still fits, a move that saves bytes and cost first; when no single
    /// move helps, the exchange of two items' options that lowers the cost most within the budget.
    static func repaired(_ items: [[Option]], _ start: [Int], budget: Int) -> [Int] {
        var choices = start
        while true {
            choices = greedy(items, choices, budget: budget)
            guard let (first, second) = bestExchange(items, choices, budget: budget) else { return choices }
            choices[first.item] = first.option
            choices[second.item] = second.option
        }
    }

    /// The pair of moves on two different items that lowers the cost most while the total fits.
    static func bestExchange(_ items: [[Option]], _ choices: [Int], budget: Int) -> ((item: Int, option: Int), (item: Int, option: Int))? {
        let slack = budget - zip(items, choices).reduce(0) { $0 + $1.0[$1.1].bytes }
        var moves: [(item: Int, option: Int, bytes: Int, cost: Double)] = []
        for (i, options) in items.enumerated() {
            let current = options[choices[i]]
            for (j, option) in options.enumerated() where j != choices[i] {
                moves.append((i, j, option.bytes - current.bytes, option.cost - current.cost))
            }
        }
        var best: (Int, Int, Double)?
        for a in moves.indices {
            for b in (a + 1)..<moves.count where moves[a].item != moves[b].item {
                let cost = moves[a].cost + moves[b].cost
                guard cost < -1e-15, moves[a].bytes + moves[b].bytes <= slack else { continue }
                if best == nil || cost < best!.2 { best = (a, b, cost) }
            }
        }
        return best.map { ((moves[$0.0].item, moves[$0.0].option), (moves[$0.1].item, moves[$0.1].option)) }
    }

    /// Single moves, best cost reduction per extra byte first, until none fits.
    static func greedy(_ items: [[Option]], _ start: [Int], budget: Int) -> [Int] {
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
