import KilnCore
import KilnGGUF

/// The raw statistics behind an importance matrix: per weight, Σx² of each input column over the
/// tokens it multiplied, and how many tokens that was. Written as llama-imatrix writes them, in its
/// GGUF format or its legacy `.dat` format; ``importanceMatrix(path:)`` gives the weights
/// llama-quantize derives from them.
public struct ImportanceStatistics: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        /// Σx² per input column.
        public var sums: [Float]
        /// Tokens the sums were taken over.
        public var count: Int

        public init(sums: [Float], count: Int) {
            self.sums = sums
            self.count = count
        }
    }

    public enum Format: String, Sendable, CaseIterable {
        case gguf, dat
    }

    /// Per GGUF tensor name (`blk.0.attn_q.weight`).
    public var entries: [String: Entry]
    /// The calibration texts, as llama-imatrix records its `-f` argument.
    public var datasets: [String]
    public var chunkCount: Int
    /// Tokens per chunk (llama-imatrix's `n_ctx`).
    public var chunkSize: Int

    public init(entries: [String: Entry], datasets: [String], chunkCount: Int, chunkSize: Int) {
        self.entries = entries
        self.datasets = datasets
        self.chunkCount = chunkCount
        self.chunkSize = chunkSize
    }

    /// The mean of x² per column, as llama-quantize reads it from either format.
    public func importanceMatrix(path: String) -> ImportanceMatrix {
        let means = entries.mapValues { entry in
            entry.count > 0 ? entry.sums.map { $0 / Float(entry.count) } : [Float](repeating: 1, count: entry.sums.count)
        }
        return ImportanceMatrix(path: path, entries: means, datasets: datasets, chunkCount: chunkCount)
    }

    public func write(to path: String, format: Format) throws {
        switch format {
        case .gguf: try writeGGUF(to: path)
        case .dat: try AtomicOutputFile.write(legacyBytes(), to: path)
        }
    }

    /// llama-imatrix's `save_imatrix`: names sorted, `<name>.in_sum2` (the columns) and `<name>.counts`
    /// (one value) as F32, keys in its order. ggml drops trailing dimensions of 1, so a dense weight's
    /// tensors are 1-D.
    private func writeGGUF(to path: String) throws {
        let names = entries.keys.sorted()
        var metadata = GGUFMetadata()
        metadata[GGUFKey.General.type] = .string(GGUFKey.Imatrix.fileType)
        metadata[GGUFKey.Imatrix.datasets] = .array(.string(datasets))
        metadata[GGUFKey.Imatrix.chunkCount] = .uint32(UInt32(clamping: chunkCount))
        metadata[GGUFKey.Imatrix.chunkSize] = .uint32(UInt32(clamping: chunkSize))
        let tensors = names.flatMap { name in
            [GGUFTensorDescriptor(name: name + GGUFKey.Imatrix.sumSuffix, dimensions: [entries[name]!.sums.count], type: .f32),
             GGUFTensorDescriptor(name: name + GGUFKey.Imatrix.countSuffix, dimensions: [1], type: .f32)]
        }
        let writer = try GGUFWriter(path: path, metadata: metadata, tensors: tensors)
        for name in names {
            let entry = entries[name]!
            try entry.sums.withUnsafeBytes { try writer.write($0) }
            try withUnsafeBytes(of: Float(entry.count)) { try writer.write($0) }
        }
        try writer.finish()
    }

    /// llama-imatrix's `save_imatrix_legacy`: per sorted name, the call count (chunks, rounded up) and
    /// the means times that count; then the chunk count and the first dataset's name.
    func legacyBytes() -> [UInt8] {
        var bytes: [UInt8] = []
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        func append(_ string: String) {
            append(Int32(string.utf8.count))
            bytes.append(contentsOf: string.utf8)
        }
        let names = entries.keys.sorted().filter { entries[$0]!.count > 0 }
        append(Int32(names.count))
        for name in names {
            let entry = entries[name]!
            let calls = (entry.count + chunkSize - 1) / max(chunkSize, 1)
            append(name)
            append(Int32(clamping: calls))
            append(Int32(entry.sums.count))
            for sum in entry.sums { append((sum / Float(entry.count) * Float(calls)).bitPattern) }
        }
        append(Int32(clamping: chunkCount))
        append(datasets.last ?? "")
        return bytes
    }
}
