import KilnCheckpoints
import KilnCore

/// Keeps the memory maps a model's weights point into alive, and owns the buffers that stand
/// in for tensors a transform marked as zeros (an identity block of an upscaled model) or computed.
final class WeightStorage: @unchecked Sendable {
    private var files: [MappedFile] = []
    private var ownedBuffers: [UnsafeMutableRawBufferPointer] = []

    deinit { ownedBuffers.forEach { $0.deallocate() } }

    /// The first byte of `tensor`, after checking that the source holds `expected` bytes.
    func bytes(of tensor: ModelTensor, expected: Int) throws -> UnsafeRawPointer {
        switch tensor.source {
        case let .mapped(file, range):
            guard range.count >= expected, range.upperBound <= file.count else {
                throw RuntimeError(path: file.path, "tensor \"\(tensor.name)\" holds \(range.count) bytes but \(expected) are needed")
            }
            files.append(file)
            return file.bytes.baseAddress! + range.lowerBound
        case .zeros:
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(expected, 1), alignment: 64)
            buffer.initializeMemory(as: UInt8.self, repeating: 0)
            ownedBuffers.append(buffer)
            return UnsafeRawPointer(buffer.baseAddress!)
        case let .values(bytes):
            guard bytes.count >= expected else {
                throw RuntimeError(path: tensor.name, "tensor \"\(tensor.name)\" holds \(bytes.count) bytes but \(expected) are needed")
            }
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 64)
            bytes.withUnsafeBytes { buffer.copyMemory(from: $0) }
            ownedBuffers.append(buffer)
            return UnsafeRawPointer(buffer.baseAddress!)
        }
    }
}
