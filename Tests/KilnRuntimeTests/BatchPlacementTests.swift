@testable import KilnRuntime
import Testing

/// llama-perplexity's batching as the runtime reproduces it (its defaults, -b 2048 and a micro-batch
/// of 512): at -c 512 it decodes four chunks at once, each micro-batch holding 128 positions of each,
/// one sequence after another; a last group of three chunks takes ⌊512 / 3⌋ = 170 positions of each,
/// and a repacked Q4_K product over such a micro-batch (510 rows) takes 508 rows in its gemm order:
/// all 170 of the first two sequences, 168 of the third's.
@Suite struct BatchPlacementTests {
    @Test func chunksShareMicroBatchesAsLlamaPerplexity() {
        let chunks = 23
        let placements = (0..<chunks).map { Perplexity.batchPlacement(context: 512, chunk: $0, chunks: chunks) }
        #expect(placements[..<20].allSatisfy { $0.count == 4 })
        #expect(placements[..<20].map(\.index) == (0..<20).map { $0 % 4 })
        #expect(placements[20...].map { [$0.index, $0.count] } == [[0, 3], [1, 3], [2, 3]])
        let micro = (0..<chunks).map { Perplexity.microBatch(context: 512, chunk: $0, chunks: chunks) }
        #expect(micro == Array(repeating: 128, count: 20) + [170, 170, 170])
        // A context of the whole batch or more is one sequence.
        #expect(Perplexity.batchPlacement(context: 2048, chunk: 5, chunks: 9) == BatchPlacement())
    }

    @Test(arguments: [
        (BatchPlacement(index: 0, count: 3), 170, 170), (BatchPlacement(index: 1, count: 3), 170, 170),
        (BatchPlacement(index: 2, count: 3), 170, 168),
        // The last micro-batch of such a group: 2 positions of each, 6 rows, the gemm takes 4.
        (BatchPlacement(index: 0, count: 3), 2, 2), (BatchPlacement(index: 1, count: 3), 2, 2), (BatchPlacement(index: 2, count: 3), 2, 0),
        // Alone: all but rows % 4.
        (BatchPlacement(), 7, 4), (BatchPlacement(), 3, 0), (BatchPlacement(), 128, 128),
        (BatchPlacement(index: 3, count: 4), 128, 128),
    ])
    func repackedGemmRowsFollowTheSequencesPlace(_ placement: BatchPlacement, rows: Int, grouped: Int) {
        #expect(placement.groupedRows(rows) == grouped)
    }
}
