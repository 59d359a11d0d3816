import KilnCheckpoints
import KilnCore

/// Keeps the memory maps a model's weights point into alive, and owns the zero buffers that stand
/// in for tensors a transform marked as zeros (an identity block of an upscaled model).
final class WeightStorage: @unchecked Sendable {
    private var files: [MappedFile] = []
    private var zeroBuffers: [UnsafeMutableRawBufferPointer] = []

    deinit { zeroBuffers.forEach { $0.deallocate() } }

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
            zeroBuffers.append(buffer)
            return UnsafeRawPointer(buffer.baseAddress!)
        }
    }
}
