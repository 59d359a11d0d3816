import KilnCheckpoints
import KilnCore
import KilnGGUF

/// Row-at-a-time conversion between stored element encodings and `Float`.
///
/// These are the only loops a plain conversion runs per element, so they work on raw pointers.
enum FloatRows {
    /// Whether ``decode(_:from:count:into:)`` can read this encoding.
    static func canDecode(_ encoding: TensorEncoding) -> Bool {
        switch encoding {
        case .safetensors(let dtype): dtype.isFloatingPoint
        case .ggml(let type): type == .f32 || type == .f16 || type == .bf16 || type == .f64
        }
    }

    static func decode(_ encoding: TensorEncoding, from source: UnsafeRawPointer, count: Int, into out: UnsafeMutablePointer<Float>) {
        switch encoding {
        case .safetensors(.f32), .ggml(.f32):
            for i in 0..<count { out[i] = Float(bitPattern: UInt32(littleEndian: source.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
        case .safetensors(.f16), .ggml(.f16):
            for i in 0..<count { out[i] = FloatingPointFormats.float(fromHalf: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
        case .safetensors(.bf16), .ggml(.bf16):
            for i in 0..<count { out[i] = FloatingPointFormats.float(fromBFloat: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
        case .safetensors(.f64), .ggml(.f64):
            for i in 0..<count { out[i] = Float(Double(bitPattern: source.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))) }
        case .safetensors(.f8E4M3):
            for i in 0..<count { out[i] = FloatingPointFormats.float(fromE4M3: source.load(fromByteOffset: i, as: UInt8.self)) }
        case .safetensors(.f8E5M2):
            for i in 0..<count { out[i] = FloatingPointFormats.float(fromE5M2: source.load(fromByteOffset: i, as: UInt8.self)) }
        default:
            preconditionFailure("\(encoding) is not a floating-point encoding")
        }
    }

    static func encode(_ values: UnsafePointer<Float>, count: Int, as type: GGMLType, into out: UnsafeMutableRawPointer) {
        switch type {
        case .f32:
            for i in 0..<count { out.storeBytes(of: values[i].bitPattern.littleEndian, toByteOffset: 4 * i, as: UInt32.self) }
        case .f16:
            for i in 0..<count { out.storeBytes(of: FloatingPointFormats.half(from: values[i]).littleEndian, toByteOffset: 2 * i, as: UInt16.self) }
        case .bf16:
            for i in 0..<count { out.storeBytes(of: FloatingPointFormats.bfloat(from: values[i]).littleEndian, toByteOffset: 2 * i, as: UInt16.self) }
        default:
            preconditionFailure("\(type) is not a plain float type")
        }
    }
}
