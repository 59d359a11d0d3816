import KilnCheckpoints
import KilnGGUF
import KilnQuantization

/// A 2-D weight as it lies in the memory map: `rows` rows of `columns` values in the stored encoding.
///
/// The runtime never holds a dequantized copy of a model: a few tokens multiply each stored row in
/// place (`dot`), a batch decodes a small panel of rows at a time (`decodeRow`), so a Q4_K model stays
/// a Q4_K model in memory.
struct WeightMatrix: @unchecked Sendable {
    enum RowFormat {
        case f32, f16, bf16
        /// Block types whose rows `RowDot` multiplies in place.
        case q8_0, q5_0, q4_K, q6_K
        /// Other block types: decoded by their codec, then multiplied.
        case blocks
    }

    let name: String
    let rows: Int
    let columns: Int
    let base: UnsafeRawPointer
    let rowBytes: Int
    let format: RowFormat
    /// The codec of a block type.
    let codec: (any BlockCodec)?
    /// What llama.cpp does to activations before multiplying them with this weight.
    let activationRounding: ActivationRounding

    init(_ tensor: ModelTensor, storage: WeightStorage) throws {
        guard tensor.shape.count == 2 else {
            throw RuntimeError(path: tensor.name, "expected a matrix but the shape is \(tensor.shape)")
        }
        name = tensor.name
        activationRounding = ActivationRounding(tensor.encoding)
        rows = tensor.shape[0]
        columns = tensor.shape[1]
        var blockCodec: (any BlockCodec)?
        switch tensor.encoding {
        case .safetensors(.f32), .ggml(.f32): format = .f32; rowBytes = 4 * columns
        case .safetensors(.f16), .ggml(.f16): format = .f16; rowBytes = 2 * columns
        case .safetensors(.bf16), .ggml(.bf16): format = .bf16; rowBytes = 2 * columns
        case let .ggml(type):
            guard let codec = BlockCodecs.codec(for: type), let size = type.rowSize(columns) else {
                throw RuntimeError(path: tensor.name, "the runtime cannot read \(type.name) weights")
            }
            switch type {
            case .q8_0: format = .q8_0
            case .q5_0: format = .q5_0
            case .q4_K: format = .q4_K
            case .q6_K: format = .q6_K
            default: format = .blocks
            }
            blockCodec = codec
            rowBytes = size
        case let .safetensors(dtype):
            throw RuntimeError(path: tensor.name, "the runtime reads F32, F16 and BF16 safetensors weights, not \(dtype.rawValue); convert to GGUF first")
        }
        codec = blockCodec
        base = try storage.bytes(of: tensor, expected: rowBytes * rows)
    }

    /// Expands row `row` into `out` (`columns` floats).
    @inline(__always) @_optimize(speed)
    func decodeRow(_ row: Int, into out: UnsafeMutablePointer<Float>) {
        let source = base + row &* rowBytes
        switch format {
        case .f32:
            (UnsafeMutableRawPointer(out)).copyMemory(from: source, byteCount: rowBytes)
        case .f16:
            for i in 0..<columns { out[i] = Float(Float16(bitPattern: source.loadUnaligned(fromByteOffset: 2 &* i, as: UInt16.self))) }
        case .bf16:
            for i in 0..<columns {
                out[i] = Float(bitPattern: UInt32(source.loadUnaligned(fromByteOffset: 2 &* i, as: UInt16.self)) << 16)
            }
        case .q8_0, .q5_0, .q4_K, .q6_K, .blocks:
            codec!.dequantize(source, count: columns, into: out)
        }
    }

    /// Whether `dot` needs Σx over each 32 activations (see `RowDot.groupSums`).
    var needsGroupSums: Bool { if case .q4_K = format { true } else { false } }

    /// W[row] · x, where `x` holds `columns` activations already rounded by `activationRounding`.
    /// - Parameters:
    ///   - groupSums: `RowDot.groupSums(x)` when `needsGroupSums`.
    ///   - scratch: `columns` floats for rows that are decoded before multiplying.
    @inline(__always) @_optimize(speed)
    func dot(row: Int, _ x: UnsafePointer<Float>, groupSums: UnsafePointer<Float>?, scratch: UnsafeMutablePointer<Float>) -> Float {
        let source = base + row &* rowBytes
        switch format {
        case .f32: return Kernels.dot(source.assumingMemoryBound(to: Float.self), x, columns)
        case .f16: return RowDot.f16(source, x, columns)
        case .q8_0: return RowDot.q8_0(source, x, columns)
        case .q5_0: return RowDot.q5_0(source, x, columns)
        case .q4_K: return RowDot.q4_K(source, x, groupSums: groupSums!, columns)
        case .q6_K: return RowDot.q6_K(source, x, columns)
        case .bf16, .blocks:
            decodeRow(row, into: scratch)
            return Kernels.dot(scratch, x, columns)
        }
    }

    /// The whole (small) tensor as floats: norms, rope factors.
    static func vector(_ tensor: ModelTensor, storage: WeightStorage) throws -> [Float] {
        let flat = ModelTensor(name: tensor.name, role: tensor.role, shape: [1, tensor.elementCount], encoding: tensor.encoding, source: tensor.source)
        let matrix = try WeightMatrix(flat, storage: storage)
        return [Float](unsafeUninitializedCapacity: tensor.elementCount) { buffer, count in
            matrix.decodeRow(0, into: buffer.baseAddress!)
            count = tensor.elementCount
        }
    }
}
