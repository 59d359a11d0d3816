import KilnCore
import KilnGGUF

/// The unquantized element types, as codecs so callers can treat every output type alike.
/// F16 and BF16 round to nearest even exactly as ggml does (`FloatingPointFormats`).
public struct FloatCodec: BlockCodec {
    public let type: GGMLType

    public static let f32 = FloatCodec(type: .f32)
    public static let f16 = FloatCodec(type: .f16)
    public static let bf16 = FloatCodec(type: .bf16)

    private init(type: GGMLType) { self.type = type }

    public func quantize(_ row: UnsafePointer<Float>, count: Int, into output: UnsafeMutableRawPointer,
                         importance: UnsafePointer<Float>?) {
        switch type {
        case .f16:
            let out = output.assumingMemoryBound(to: UInt16.self)
            for i in 0..<count { out[i] = FloatingPointFormats.half(from: row[i]).littleEndian }
        case .bf16:
            let out = output.assumingMemoryBound(to: UInt16.self)
            for i in 0..<count { out[i] = FloatingPointFormats.bfloat(from: row[i]).littleEndian }
        default:
            output.copyMemory(from: row, byteCount: 4 * count)
        }
    }

    public func dequantize(_ blocks: UnsafeRawPointer, count: Int, into output: UnsafeMutablePointer<Float>) {
        switch type {
        case .f16:
            let bits = blocks.assumingMemoryBound(to: UInt16.self)
            for i in 0..<count { output[i] = FloatingPointFormats.float(fromHalf: UInt16(littleEndian: bits[i])) }
        case .bf16:
            let bits = blocks.assumingMemoryBound(to: UInt16.self)
            for i in 0..<count { output[i] = FloatingPointFormats.float(fromBFloat: UInt16(littleEndian: bits[i])) }
        default:
            UnsafeMutableRawPointer(output).copyMemory(from: blocks, byteCount: 4 * count)
        }
    }
}
