import KilnConversion
import Testing

@Suite struct RotaryPermutationTests {
    /// llama.cpp's `permute`: reshape(n_head, 2, hd/2, …).swapaxes(1, 2).reshape(…), written out as
    /// index arithmetic over the reshaped array: output (h, i, j) reads input (h, j, i).
    func llamaCppPermutation(rows: Int, heads: Int) -> [Int] {
        let half = rows / heads / 2
        var sources: [Int] = []
        for h in 0..<heads {
            for i in 0..<half {
                for j in 0..<2 { sources.append((h * 2 + j) * half + i) }
            }
        }
        return sources
    }

    @Test(arguments: [(128, 4), (64, 2), (4096, 32), (1024, 8), (6, 3)])
    func matchesLlamaCpp(rows: Int, heads: Int) {
        let permutation = RotaryPermutation(headDimension: rows / heads)
        #expect((0..<rows).map(permutation.sourceRow) == llamaCppPermutation(rows: rows, heads: heads))
    }

    @Test func isABijection() {
        let permutation = RotaryPermutation(headDimension: 32)
        #expect(Set((0..<256).map(permutation.sourceRow)) == Set(0..<256))
    }
}
