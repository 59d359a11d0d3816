import KilnCheckpoints
import KilnCore
import KilnGGUF
import KilnQuantization

/// Streams one planned tensor into a GGUF writer in bounded memory.
///
/// Bytes that need no change go straight from the memory map to the file; otherwise rows are decoded,
/// re-encoded by the target type's block codec and reordered in batches, the rows of a batch split
/// across threads. Rows are independent, so the bytes do not depend on the thread count.
struct TensorTranscoder {
    let tensor: PlannedTensor
    let threads: Int
    /// Upper bound on the bytes of one converted batch.
    static let batchBytes = 16 << 20

    func write(to writer: GGUFWriter) throws { try write { try writer.write($0) } }

    /// Hands the tensor's bytes, in order and in pieces, to `sink`.
    func write(_ sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        let source = tensor.source
        let target = tensor.descriptor.type
        let rowLength = source.rowLength
        let rows = source.rowCount
        try source.withBytes { bytes in
            if source.encoding.ggmlEquivalent == target && tensor.rotaryPermutation == nil && tensor.valueShift == nil {
                try copyVerbatim(bytes, to: sink)
                return
            }
            let inRowBytes = source.byteCount / max(rows, 1)
            let outRowBytes = target.rowSize(rowLength)!
            let batchRows = max(1, min(rows, TensorTranscoder.batchBytes / max(outRowBytes, 1)))
            let output = UnsafeMutableRawBufferPointer.allocate(byteCount: batchRows * outRowBytes, alignment: 64)
            defer { output.deallocate() }
            let sameEncoding = source.encoding.ggmlEquivalent == target && tensor.valueShift == nil
            let shift = tensor.valueShift
            let codec = BlockCodecs.codec(for: target)!
            let importance = tensor.importance
            var start = 0
            while start < rows {
                let count = min(batchRows, rows - start)
                let first = start
                parallelChunks(count, threads: threads, minimumChunk: 16) { chunk in
                    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: rowLength)
                    defer { scratch.deallocate() }
                    for i in chunk {
                        let row = first + i
                        let sourceRow = tensor.rotaryPermutation?.sourceRow(row) ?? row
                        let input = bytes.baseAddress! + sourceRow * inRowBytes
                        let out = output.baseAddress! + i * outRowBytes
                        if sameEncoding {
                            out.copyMemory(from: input, byteCount: outRowBytes)
                        } else {
                            FloatRows.decode(source.encoding, from: input, count: rowLength, into: scratch)
                            if let shift { FloatRows.add(shift, to: scratch, count: rowLength, roundingTo: source.encoding) }
                            importance.withOptionalBufferPointer { weights in
                                codec.quantize(scratch, count: rowLength, into: out, importance: weights)
                            }
                        }
                    }
                }
                try sink(UnsafeRawBufferPointer(rebasing: output[0..<count * outRowBytes]))
                start += count
            }
        }
        // Pages already written are not needed again; dropping them keeps RSS near one tensor.
        if case let .mapped(file, range) = source.source { file.adviseDone(range) }
    }

    private func copyVerbatim(_ bytes: UnsafeRawBufferPointer, to sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + TensorTranscoder.batchBytes * 4)
            try sink(UnsafeRawBufferPointer(rebasing: bytes[offset..<end]))
            offset = end
        }
    }
}

extension PlannedTensor {
    /// `tensor` encoded as `type` row by row, in its own row order, exactly as a file would hold it
    /// (for measuring one tensor's quantization in the runtime).
    public static func encode(_ tensor: ModelTensor, as type: GGMLType, importance: [Float]?, threads: Int) throws -> [UInt8] {
        let planned = PlannedTensor(descriptor: GGUFTensorDescriptor(name: tensor.name, dimensions: tensor.shape.reversed(), type: type),
                                    source: tensor, importance: importance)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(planned.descriptor.byteCount)
        try TensorTranscoder(tensor: planned, threads: threads).write { bytes.append(contentsOf: $0) }
        return bytes
    }
}

private extension Optional where Wrapped == [Float] {
    func withOptionalBufferPointer<R>(_ body: (UnsafePointer<Float>?) -> R) -> R {
        guard let array = self else { return body(nil) }
        return array.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}
