import KilnCore

/// Writes a safetensors file as a stream: the header first, then each tensor's bytes in order.
///
/// Only one tensor's bytes pass through at a time, and the file appears under its final name only
/// after ``finish()``.
public final class SafeTensorsWriter {
    public struct TensorDescriptor: Sendable {
        public let name: String
        public let dtype: SafeTensorsDType
        public let shape: [Int]
        public init(name: String, dtype: SafeTensorsDType, shape: [Int]) {
            self.name = name
            self.dtype = dtype
            self.shape = shape
        }
        public var byteCount: Int { shape.reduce(1, *) * dtype.byteSize }
    }

    private let stream: TensorStreamOutput

    /// Writes the header at once; tensors are then written in the given order.
    public init(path: String, tensors: [TensorDescriptor], metadata: [(key: String, value: String)] = [("format", "pt")]) throws {
        var members: [(key: String, value: JSON)] = []
        if !metadata.isEmpty {
            members.append(("__metadata__", .object(metadata.map { ($0.key, .string($0.value)) })))
        }
        var offset = 0
        for tensor in tensors {
            let end = offset + tensor.byteCount
            members.append((tensor.name, .object([
                ("dtype", .string(tensor.dtype.rawValue)),
                ("shape", .array(tensor.shape.map { .number(String($0)) })),
                ("data_offsets", .array([.number(String(offset)), .number(String(end))])),
            ])))
            offset = end
        }
        var header = Array(JSON.object(members).serialized.utf8)
        // Pad with spaces so the data buffer starts 8-byte aligned, as the reference writer does.
        header.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8))
        let output = try AtomicOutputFile(path: path)
        var length = UInt64(header.count).littleEndian
        try withUnsafeBytes(of: &length) { try output.write($0) }
        try output.write(header)
        stream = try TensorStreamOutput(file: output, tensorSizes: tensors.map(\.byteCount), alignment: 1)
    }

    /// Appends bytes to the current tensor; a tensor may arrive in several pieces.
    public func write(_ bytes: UnsafeRawBufferPointer) throws { try stream.write(bytes) }

    /// Checks every tensor was written in full and moves the file into place.
    public func finish() throws { try stream.finish() }
}
