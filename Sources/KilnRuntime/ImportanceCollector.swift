import KilnCheckpoints
import KilnCore
import KilnQuantization

/// Collects llama-imatrix's statistics while the runtime evaluates text: for every decoder matrix,
/// Σx² of each input column over the tokens it multiplied, and the number of those tokens.
///
/// Set as a model's ``DecoderModel/importanceCollector``. Sums are accumulated in Float, one token
/// after another, as `IMatrixCollector::collect_imatrix` accumulates them, so the two differ only by
/// the rounding of the activations themselves. As there, evaluations of fewer than 16 tokens are
/// skipped and the output head is not collected (its activations are not the decoder's).
public final class ImportanceCollector: @unchecked Sendable {
    /// llama-imatrix ignores matrix products over fewer tokens than this.
    public static let minimumTokens = 16

    private var sums: [TensorRole: [Float]] = [:]
    private var counts: [TensorRole: Int] = [:]

    public init() {}

    /// Adds `tokens` rows of `columns` inputs that every weight in `kinds` of `layer` multiplies.
    func observe(layer: Int, _ kinds: [TensorRole.Kind], _ x: UnsafePointer<Float>, tokens: Int, columns: Int, threads: Int) {
        guard tokens >= Self.minimumTokens, let first = kinds.first else { return }
        let role = TensorRole(first, layer: layer)
        var sum = sums[role] ?? [Float](repeating: 0, count: columns)
        sums[role] = nil
        precondition(sum.count == columns, "\(role) multiplied rows of \(columns) after rows of \(sum.count)")
        sum.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let acc = buffer.baseAddress!, x = x
            parallelChunks(columns, threads: threads, minimumChunk: 64) { range in
                for t in 0..<tokens {
                    let row = x + t &* columns
                    for j in range { acc[j] += row[j] * row[j] }
                }
            }
        }
        // The weights that share this input share its sums.
        for kind in kinds {
            let role = TensorRole(kind, layer: layer)
            sums[role] = sum
            counts[role, default: 0] += tokens
        }
    }

    /// What was collected, under GGUF tensor names.
    public func statistics(datasets: [String], chunkCount: Int, chunkSize: Int) -> ImportanceStatistics {
        var entries: [String: ImportanceStatistics.Entry] = [:]
        for (role, sum) in sums {
            entries[CheckpointLayout.gguf.name(of: role)] = .init(sums: sum, count: counts[role] ?? 0)
        }
        return ImportanceStatistics(entries: entries, datasets: datasets, chunkCount: chunkCount, chunkSize: chunkSize)
    }
}
