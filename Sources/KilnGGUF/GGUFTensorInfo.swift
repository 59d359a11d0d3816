/// A tensor as GGUF describes it.
public struct GGUFTensorInfo: Sendable, Equatable {
    public let name: String
    /// Dimensions innermost first: `dimensions[0]` is the row length (ggml's `ne`).
    public let dimensions: [Int]
    public let type: GGMLType
    /// Offset of the tensor's bytes from the start of the data section.
    public let offset: Int

    public init(name: String, dimensions: [Int], type: GGMLType, offset: Int) {
        self.name = name
        self.dimensions = dimensions
        self.type = type
        self.offset = offset
    }

    public var elementCount: Int { dimensions.reduce(1, *) }
    public var rowCount: Int { dimensions.dropFirst().reduce(1, *) }
    /// Bytes of tensor data (the type must be known and the row length a whole number of blocks).
    public var byteCount: Int { (type.rowSize(dimensions.first ?? 1) ?? 0) * rowCount }
}

/// The GGUF format's fixed facts.
public enum GGUF {
    public static let magic: [UInt8] = Array("GGUF".utf8)
    public static let version: UInt32 = 3
    public static let defaultAlignment = 32
    /// llama.cpp's `GGML_MAX_NAME`: names must be shorter than this.
    public static let maximumNameLength = 64
    public static let maximumDimensions = 4

    public static func padded(_ offset: Int, to alignment: Int) -> Int {
        (offset + alignment - 1) / alignment * alignment
    }
}
