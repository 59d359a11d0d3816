/// The data section of a tensor file, written one tensor at a time in declared order.
///
/// Each tensor's byte count is fixed up front (the header already promised it); a tensor may arrive in
/// pieces, and zero padding to `alignment` follows each one. Mistakes in the byte accounting are bugs
/// in Kiln, so they trap rather than throw.
public final class TensorStreamOutput {
    public let file: AtomicOutputFile
    private let sizes: [Int]
    private let alignment: Int
    private var current = 0
    private var writtenInCurrent = 0

    public init(file: AtomicOutputFile, tensorSizes: [Int], alignment: Int) throws {
        precondition(alignment > 0)
        self.file = file
        self.sizes = tensorSizes
        self.alignment = alignment
        try closeFinishedTensors()
    }

    /// Index of the tensor the next bytes belong to.
    public var currentTensor: Int { current }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        precondition(current < sizes.count, "more tensor bytes than declared")
        precondition(writtenInCurrent + bytes.count <= sizes[current], "tensor \(current) overflows its declared \(sizes[current]) bytes")
        try file.write(bytes)
        writtenInCurrent += bytes.count
        try closeFinishedTensors()
    }

    /// Checks that every tensor was written in full and moves the file into place.
    public func finish() throws {
        precondition(current == sizes.count, "tensor \(current) of \(sizes.count) was not written in full")
        try file.commit()
    }

    private func closeFinishedTensors() throws {
        while current < sizes.count, writtenInCurrent == sizes[current] {
            try file.writeZeros((alignment - sizes[current] % alignment) % alignment)
            current += 1
            writtenInCurrent = 0
        }
    }
}
