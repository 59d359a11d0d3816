/// Reorders Q/K projection rows from Hugging Face's rotate-half pairing to GGUF's interleaved pairs.
///
/// Within each head of `headDimension` rows, output row `2i + j` takes input row `j * headDimension/2 + i`
/// (the inverse of transformers' `permute_for_rope`).
public struct RotaryPermutation: Sendable, Equatable {
    public let headDimension: Int

    public init(headDimension: Int) { self.headDimension = headDimension }

    /// The input row that output row `row` reads.
    @inlinable
    public func sourceRow(_ row: Int) -> Int {
        let head = row / headDimension
        let within = row % headDimension
        let half = headDimension / 2
        return head * headDimension + (within % 2) * half + within / 2
    }
}
