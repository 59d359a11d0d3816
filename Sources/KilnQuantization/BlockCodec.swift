import KilnGGUF

/// One GGUF block type: how a row of floats becomes blocks of bytes and back.
///
/// Each conforming type lives in its own file with its layout, quantizer and dequantizer. Without an
/// importance matrix, `quantize` must produce exactly the bytes of llama.cpp's reference quantizer.
public protocol BlockCodec: Sendable {
    /// The GGUF type this codec writes.
    var type: GGMLType { get }

    /// Quantizes one row of `count` values (a multiple of the block size) into `type.rowSize(count)` bytes.
    /// - Parameter importance: per-column weights from an importance matrix (`count` values), or nil.
    func quantize(_ row: UnsafePointer<Float>, count: Int, into output: UnsafeMutableRawPointer, importance: UnsafePointer<Float>?)

    /// Expands one row of blocks back to `count` floats.
    func dequantize(_ blocks: UnsafeRawPointer, count: Int, into output: UnsafeMutablePointer<Float>)

    /// Whether llama.cpp refuses to write this type without an importance matrix
    /// (`ggml_quantize_requires_imatrix`); callers must refuse too.
    var requiresImportance: Bool { get }
}

extension BlockCodec {
    public var requiresImportance: Bool { false }
}
