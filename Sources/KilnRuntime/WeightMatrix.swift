import CMatrixProducts
import KilnCheckpoints
import KilnGGUF
import KilnQuantization

/// A 2-D weight as it lies in the memory map: `rows` rows of `columns` values in the stored encoding.
///
/// The runtime never holds a dequantized copy of a model: a few tokens multiply each stored row in
/// place (`dot`, or the kernels of `CMatrixProducts`), a batch of other types decodes a small
/// panel of rows at a time (`decodeRow`), so a Q4_K model stays a Q4_K model in memory.
struct WeightMatrix: @unchecked Sendable {
    enum RowFormat {
        case f32, bf16
        /// F16 and the block types multiplied by `CMatrixProducts` (blocks with integer activation blocks).
        case kernel(kiln_row_type)
        /// Other block types: decoded by their codec, then multiplied.
        case blocks
    }

    private(set) var name: String
    private(set) var rows: Int
    let columns: Int
    private(set) var base: UnsafeRawPointer
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
        case .safetensors(.f16), .ggml(.f16): format = .kernel(KILN_ROWS_F16); rowBytes = 2 * columns
        case .safetensors(.bf16), .ggml(.bf16): format = .bf16; rowBytes = 2 * columns
        case let .ggml(type):
            guard let codec = BlockCodecs.codec(for: type), let size = type.rowSize(columns) else {
                throw RuntimeError(path: tensor.name, "the runtime cannot read \(type.name) weights")
            }
            switch type {
            case .q8_0: format = .kernel(KILN_ROWS_Q8_0)
            // llama.cpp repacks a Q4_K tensor whose row count is divisible by 8 (on x86 with AVX2, where
            // users run it), and multiplies it in another float order than its other Q4_K tensors.
            case .q4_K: format = .kernel(rows % 8 == 0 ? KILN_ROWS_Q4_K_REPACKED : KILN_ROWS_Q4_K)
            case .q6_K: format = .kernel(KILN_ROWS_Q6_K)
            case .q5_0: format = .kernel(KILN_ROWS_Q5_0)
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

    /// Rows `range` as a matrix of their own, where they lie (Phi-3's fused projections).
    func rows(_ range: Range<Int>) -> WeightMatrix {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "rows \(range) of a \(rows)-row matrix")
        var part = self
        part.name = "\(name)[\(range.lowerBound)..<\(range.upperBound)]"
        part.rows = range.count
        part.base = base + range.lowerBound * rowBytes
        return part
    }

    /// Expands row `row` into `out` (`columns` floats).
    @inline(__always) @_optimize(speed)
    func decodeRow(_ row: Int, into out: UnsafeMutablePointer<Float>) {
        let source = base + row &* rowBytes
        switch format {
        case .f32:
            (UnsafeMutableRawPointer(out)).copyMemory(from: source, byteCount: rowBytes)
        case .kernel(KILN_ROWS_F16):
            for i in 0..<columns { out[i] = Float(Float16(bitPattern: source.loadUnaligned(fromByteOffset: 2 &* i, as: UInt16.self))) }
        case .bf16:
            for i in 0..<columns {
                out[i] = Float(bitPattern: UInt32(source.loadUnaligned(fromByteOffset: 2 &* i, as: UInt16.self)) << 16)
            }
        case .kernel, .blocks:
            codec!.dequantize(source, count: columns, into: out)
        }
    }

    /// W[row] · x, where `x` holds `columns` activations already rounded by `activationRounding`.
    /// - Parameter scratch: `columns` floats for rows that are decoded before multiplying.
    @inline(__always) @_optimize(speed)
    func dot(row: Int, _ x: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>) -> Float {
        let source = base + row &* rowBytes
        switch format {
        case .f32: return Kernels.dot(source.assumingMemoryBound(to: Float.self), x, columns)
        case .bf16, .kernel, .blocks:
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
