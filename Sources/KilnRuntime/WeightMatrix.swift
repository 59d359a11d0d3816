import KilnCheckpoints
import KilnGGUF
import KilnQuantization

/// A 2-D weight as it lies in the memory map: `rows` rows of `columns` values in the stored encoding.
///
/// The runtime never holds a dequantized copy of a model. Kernels decode one row at a time into a
/// small scratch buffer, so a Q4_K model stays a Q4_K model in memory.
struct WeightMatrix: @unchecked Sendable {
    enum RowFormat {
        case f32, f16, bf16
        case blocks(any BlockCodec)
    }

    let name: String
    let rows: Int
    let columns: Int
    let base: UnsafeRawPointer
    let rowBytes: Int
    let format: RowFormat
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
        switch tensor.encoding {
        case .safetensors(.f32), .ggml(.f32): format = .f32; rowBytes = 4 * columns
        case .safetensors(.f16), .ggml(.f16): format = .f16; rowBytes = 2 * columns
        case .safetensors(.bf16), .ggml(.bf16): format = .bf16; rowBytes = 2 * columns
        case let .ggml(type):
            guard let codec = BlockCodecs.codec(for: type), let size = type.rowSize(columns) else {
                throw RuntimeError(path: tensor.name, "the runtime cannot read \(type.name) weights")
            }
            format = .blocks(codec)
            rowBytes = size
        case let .safetensors(dtype):
            throw RuntimeError(path: tensor.name, "the runtime reads F32, F16 and BF16 safetensors weights, not \(dtype.rawValue); convert to GGUF first")
        }
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
        case let .blocks(codec):
            codec.dequantize(source, count: columns, into: out)
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
