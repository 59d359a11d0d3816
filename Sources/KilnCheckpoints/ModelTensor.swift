import KilnCore
import KilnGGUF
import KilnSafeTensors

/// How a tensor's bytes encode its values.
public enum TensorEncoding: Hashable, Sendable, CustomStringConvertible {
    case safetensors(SafeTensorsDType)
    case ggml(GGMLType)

    public var description: String {
        switch self {
        case let .safetensors(dtype): dtype.rawValue
        case let .ggml(type): type.name
        }
    }

    /// The GGUF type that stores these bytes unchanged, if there is one.
    public var ggmlEquivalent: GGMLType? {
        switch self {
        case let .ggml(type): type
        case .safetensors(.f32): .f32
        case .safetensors(.f16): .f16
        case .safetensors(.bf16): .bf16
        case .safetensors(.f64): .f64
        case .safetensors(.i8): .i8
        case .safetensors(.i16): .i16
        case .safetensors(.i32): .i32
        case .safetensors(.i64): .i64
        default: nil
        }
    }

    /// Bytes needed for `elements` values (nil when not a whole number of blocks).
    public func byteCount(elements: Int, rowLength: Int) -> Int? {
        switch self {
        case let .safetensors(dtype): elements * dtype.byteSize
        case let .ggml(type): type.rowSize(rowLength).map { $0 * (rowLength == 0 ? 0 : elements / rowLength) }
        }
    }
}

/// Where a tensor's bytes come from. Transforms never copy bytes; they re-point or zero a source.
public enum TensorSource: Sendable {
    /// A range of a memory-mapped file.
    case mapped(MappedFile, Range<Int>)
    /// All zeros (e.g. the projections of an identity block).
    case zeros
    /// Bytes computed from the configuration, held in memory (llama3's small `rope_freqs` vector).
    case values([UInt8])

    public var isZero: Bool {
        if case .zeros = self { return true }
        return false
    }
}

/// One tensor of a model: its layout name, role, shape, encoding and a lazy source of bytes.
public struct ModelTensor: Sendable {
    public var name: String
    public var role: TensorRole
    /// Row-major, outermost dimension first (PyTorch order). A GGUF tensor's `ne` is this reversed.
    public var shape: [Int]
    public var encoding: TensorEncoding
    public var source: TensorSource

    public init(name: String, role: TensorRole, shape: [Int], encoding: TensorEncoding, source: TensorSource) {
        self.name = name
        self.role = role
        self.shape = shape
        self.encoding = encoding
        self.source = source
    }

    public var elementCount: Int { shape.reduce(1, *) }
    public var rowLength: Int { shape.last ?? 1 }
    public var rowCount: Int { shape.dropLast().reduce(1, *) }
    public var byteCount: Int { encoding.byteCount(elements: elementCount, rowLength: rowLength) ?? 0 }

    /// Runs `body` over the tensor's bytes; a zero source lends a zero-filled buffer.
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch source {
        case let .mapped(file, range):
            return try body(UnsafeRawBufferPointer(rebasing: file.bytes[range]))
        case .zeros:
            let zeros = UnsafeMutableRawBufferPointer.allocate(byteCount: byteCount, alignment: 64)
            defer { zeros.deallocate() }
            zeros.initializeMemory(as: UInt8.self, repeating: 0)
            return try body(UnsafeRawBufferPointer(zeros))
        case let .values(bytes):
            return try bytes.withUnsafeBytes(body)
        }
    }
}
