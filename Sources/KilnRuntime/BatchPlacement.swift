/// Where a sequence sits among the sequences llama.cpp decodes together, one after another in each
/// micro-batch (llama-perplexity runs `batch / context` chunks so: `split_equal`).
///
/// llama.cpp multiplies a repacked Q4_K tensor with the first n − n % 4 rows of a micro-batch's product
/// in its gemm order and the rest in its gemv order, so which of one sequence's rows take which order
/// depends on its place.
public struct BatchPlacement: Sendable, Equatable {
    /// This sequence's place, from 0.
    public var index: Int
    /// The sequences in the micro-batch, each with as many rows.
    public var count: Int

    public init(index: Int = 0, count: Int = 1) {
        precondition(count >= 1 && (0..<count).contains(index), "sequence \(index) of \(count)")
        self.index = index
        self.count = count
    }

    /// Of this sequence's `rows` rows of a product, how many llama.cpp's repacked Q4_K gemm takes.
    public func groupedRows(_ rows: Int) -> Int {
        let total = count * rows
        return min(max(total - total % 4 - index * rows, 0), rows)
    }
}
