import Foundation
import KilnCore
import KilnGGUF

/// An importance matrix as `llama-imatrix` writes it: per tensor, the mean squared activation of each
/// input column. Reads the GGUF format (`<name>.in_sum2` / `<name>.counts`) and the legacy `.dat`
/// format, normalizing both exactly as llama-quantize does.
public struct ImportanceMatrix: Sendable {
    public let path: String
    /// Per tensor name, the weights of its `ne[0]` columns (times experts).
    public let entries: [String: [Float]]
    public let datasets: [String]
    /// Chunks the statistics were collected over (0 when the file does not say).
    public let chunkCount: Int

    /// Weights computed in memory (``ImportanceStatistics/importanceMatrix(path:)``); `path` names their source.
    public init(path: String, entries: [String: [Float]], datasets: [String], chunkCount: Int) {
        self.path = path
        self.entries = entries
        self.datasets = datasets
        self.chunkCount = chunkCount
    }

    public init(path: String) throws {
        self.path = path
        let file = try MappedFile(path: path)
        if file.count >= 4, Array(file.bytes[0..<4]) == GGUF.magic {
            (entries, datasets, chunkCount) = try Self.readGGUF(path)
        } else {
            (entries, datasets, chunkCount) = try Self.readLegacy(file)
        }
        if let (name, _) = entries.first(where: { $0.value.contains { !$0.isFinite } }) {
            throw QuantizationError(path: path, "importance matrix for \(name) holds a non-finite value")
        }
    }

    private static func readGGUF(_ path: String) throws -> ([String: [Float]], [String], Int) {
        let file = try GGUFFile(path: path)
        guard file.metadata[GGUFKey.Imatrix.datasets] != nil, file.metadata[GGUFKey.Imatrix.chunkCount] != nil,
              file.metadata[GGUFKey.Imatrix.chunkSize] != nil
        else {
            throw QuantizationError(path: path, "is a GGUF but not an importance matrix (imatrix.datasets, chunk_count and chunk_size are missing)")
        }
        var sums: [String: [Float]] = [:], counts: [String: [Float]] = [:]
        for tensor in file.tensors {
            guard tensor.type == .f32 else { throw QuantizationError(path: path, "tensor \(tensor.name) must be F32") }
            let values = Array(file.bytes(of: tensor).bindMemory(to: Float.self))
            if tensor.name.hasSuffix(GGUFKey.Imatrix.sumSuffix) { sums[String(tensor.name.dropLast(GGUFKey.Imatrix.sumSuffix.count))] = values }
            if tensor.name.hasSuffix(GGUFKey.Imatrix.countSuffix) { counts[String(tensor.name.dropLast(GGUFKey.Imatrix.countSuffix.count))] = values }
        }
        var entries: [String: [Float]] = [:]
        for (name, sum) in sums {
            guard let count = counts[name], !count.isEmpty, sum.count % count.count == 0 else {
                throw QuantizationError(path: path, "sums and counts for \(name) do not match")
            }
            // Each expert's slice is divided by that expert's count; an unseen expert gets ones.
            let columns = sum.count / count.count
            var normalized = [Float](repeating: 1, count: sum.count)
            for expert in count.indices {
                // llama-quantize rounds the count to an integer; NaN, infinite and negative counts are damage.
                let n = count[expert].rounded(.toNearestOrAwayFromZero)
                guard n.isFinite, n >= 0 else {
                    throw InvalidValue(path: path, key: "\(name).counts", "holds \(count[expert]); counts are finite and not negative")
                }
                guard n > 0 else { continue }
                for i in 0..<columns { normalized[expert * columns + i] = sum[expert * columns + i] / n }
            }
            entries[name] = normalized
        }
        if let name = counts.keys.first(where: { sums[$0] == nil }) {
            throw QuantizationError(path: path, "counts for \(name) have no sums")
        }
        let datasets: [String] = if case let .string(list)? = file.metadata[GGUFKey.Imatrix.datasets]?.arrayValue { list } else { [] }
        return (entries, datasets, try file.metadata.integer(GGUFKey.Imatrix.chunkCount, in: 0...Int(Int32.max), path: path) ?? 0)
    }

    private static func readLegacy(_ file: MappedFile) throws -> ([String: [Float]], [String], Int) {
        var reader = ByteReader(file.bytes)
        func fail(_ message: String) -> QuantizationError { QuantizationError(path: file.path, message) }
        guard let count = reader.read(Int32.self), count >= 1 else { throw fail("is not an importance matrix (no entries)") }
        var entries: [String: [Float]] = [:]
        for index in 0..<Int(count) {
            guard let length = reader.read(Int32.self), length >= 0, let name = reader.readBytes(Int(length)),
                  let calls = reader.read(Int32.self), let values = reader.read(Int32.self), values >= 1,
                  let data = reader.readBytes(Int(values) * 4)
            else { throw fail("entry \(index + 1) of \(count) is truncated or malformed") }
            // Legacy sums are (raw / count) * calls: dividing by the call count gives the mean.
            var weights = (0..<Int(values)).map { data.loadUnaligned(fromByteOffset: 4 * $0, as: Float.self) }
            if calls > 0 { weights = weights.map { $0 / Float(calls) } }
            entries[String(decoding: name, as: UTF8.self)] = weights
        }
        var chunks = 0
        var datasets: [String] = []
        if let n = reader.read(Int32.self) {
            chunks = max(0, Int(n))
            if let length = reader.read(Int32.self), length > 0, let name = reader.readBytes(Int(length)) {
                datasets = [String(decoding: name, as: UTF8.self)]
            }
        }
        return (entries, datasets, chunks)
    }
}
