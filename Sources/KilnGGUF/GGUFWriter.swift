import KilnCore

/// The shape and type of a tensor to be written.
public struct GGUFTensorDescriptor: Sendable, Equatable {
    public let name: String
    /// Dimensions innermost first (ggml's `ne`).
    public let dimensions: [Int]
    public let type: GGMLType

    public init(name: String, dimensions: [Int], type: GGMLType) {
        self.name = name
        self.dimensions = dimensions
        self.type = type
    }

    public var byteCount: Int { (type.rowSize(dimensions.first ?? 1) ?? 0) * dimensions.dropFirst().reduce(1, *) }
}

/// Writes a GGUF v3 file as a stream: header, metadata and tensor infos first, then each tensor's
/// bytes in order, padded to the alignment. Bytes depend only on the inputs.
///
/// The output appears under its final name only after ``finish()``; on any failure, or if the writer
/// is dropped unfinished, nothing is left behind.
public final class GGUFWriter {
    public let path: String
    public let tensors: [GGUFTensorDescriptor]
    private let stream: TensorStreamOutput

    public init(path: String, metadata: GGUFMetadata, tensors: [GGUFTensorDescriptor]) throws {
        self.path = path
        self.tensors = tensors
        var alignment = GGUF.defaultAlignment
        if let value = metadata["general.alignment"] {
            guard case let .uint32(a) = value, a > 0, a & (a - 1) == 0 else {
                throw GGUFError(.invalidAlignment, path: path, "general.alignment must be a u32 power of two")
            }
            alignment = Int(a)
        }
        var names = Set<String>()
        for tensor in tensors {
            guard tensor.name.utf8.count < GGUF.maximumNameLength else {
                throw GGUFError(.invalidRequest, path: path, "tensor name \"\(tensor.name)\" is too long for GGUF (at most \(GGUF.maximumNameLength - 1) bytes)")
            }
            guard names.insert(tensor.name).inserted else {
                throw GGUFError(.duplicateTensor, path: path, "tensor \"\(tensor.name)\" would be written twice")
            }
            guard (1...GGUF.maximumDimensions).contains(tensor.dimensions.count), tensor.type.isKnown,
                  tensor.dimensions[0] % tensor.type.blockSize == 0
            else {
                throw GGUFError(.invalidRequest, path: path, "tensor \"\(tensor.name)\" with dimensions \(tensor.dimensions) cannot be stored as \(tensor.type)")
            }
        }

        let file = try AtomicOutputFile(path: path)
        try file.write(Self.header(metadata: metadata, tensors: tensors, alignment: alignment))
        stream = try TensorStreamOutput(file: file, tensorSizes: tensors.map(\.byteCount), alignment: alignment)
    }

    /// The bytes of a file's header, padded to the alignment: what precedes the first tensor's bytes.
    public static func header(metadata: GGUFMetadata, tensors: [GGUFTensorDescriptor], alignment: Int = GGUF.defaultAlignment) -> [UInt8] {
        var header = GGUFEncoder()
        header.bytes.append(contentsOf: GGUF.magic)
        header.append(GGUF.version)
        header.append(Int64(tensors.count))
        header.append(Int64(metadata.count))
        for (key, value) in metadata {
            header.append(key)
            header.append(value.type.rawValue)
            header.append(value)
        }
        var offset = 0
        for tensor in tensors {
            header.append(tensor.name)
            header.append(UInt32(tensor.dimensions.count))
            for size in tensor.dimensions { header.append(Int64(size)) }
            header.append(tensor.type.rawValue)
            header.append(UInt64(offset))
            offset = GGUF.padded(offset + tensor.byteCount, to: alignment)
        }
        header.bytes.append(contentsOf: [UInt8](repeating: 0, count: GGUF.padded(header.bytes.count, to: alignment) - header.bytes.count))
        return header.bytes
    }

    /// The size of the file a writer with these arguments writes (default alignment).
    public static func fileSize(metadata: GGUFMetadata, tensors: [GGUFTensorDescriptor]) -> Int {
        header(metadata: metadata, tensors: tensors).count + tensors.reduce(0) { $0 + GGUF.padded($1.byteCount, to: GGUF.defaultAlignment) }
    }

    /// Index of the tensor the next bytes belong to.
    public var currentTensor: Int { stream.currentTensor }

    /// Appends bytes to the current tensor; a tensor may arrive in pieces.
    public func write(_ bytes: UnsafeRawBufferPointer) throws { try stream.write(bytes) }

    /// Checks every tensor was written in full and moves the file into place.
    public func finish() throws { try stream.finish() }
}

/// Little-endian serialization of GGUF header fields.
struct GGUFEncoder {
    var bytes: [UInt8] = []

    mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ string: String) {
        append(UInt64(string.utf8.count))
        bytes.append(contentsOf: string.utf8)
    }

    mutating func append(_ value: GGUFValue) {
        switch value {
        case let .uint8(v): append(v)
        case let .int8(v): append(v)
        case let .uint16(v): append(v)
        case let .int16(v): append(v)
        case let .uint32(v): append(v)
        case let .int32(v): append(v)
        case let .float32(v): append(v.bitPattern)
        case let .bool(v): append(UInt8(v ? 1 : 0))
        case let .string(v): append(v)
        case let .uint64(v): append(v)
        case let .int64(v): append(v)
        case let .float64(v): append(v.bitPattern)
        case let .array(array):
            append(array.elementType.rawValue)
            append(UInt64(array.count))
            switch array {
            case let .uint8(a): bytes.append(contentsOf: a)
            case let .int8(a): a.forEach { append($0) }
            case let .uint16(a): a.forEach { append($0) }
            case let .int16(a): a.forEach { append($0) }
            case let .uint32(a): a.forEach { append($0) }
            case let .int32(a): a.forEach { append($0) }
            case let .float32(a): a.forEach { append($0.bitPattern) }
            case let .bool(a): a.forEach { append(UInt8($0 ? 1 : 0)) }
            case let .string(a): a.forEach { append($0) }
            case let .uint64(a): a.forEach { append($0) }
            case let .int64(a): a.forEach { append($0) }
            case let .float64(a): a.forEach { append($0.bitPattern) }
            }
        }
    }
}
