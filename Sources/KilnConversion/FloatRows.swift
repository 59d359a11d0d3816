import KilnCheckpoints
import KilnCore
import KilnGGUF
import KilnQuantization

/// Reads rows of any stored encoding as `Float`: safetensors element types directly, GGUF types
/// through their block codec (so already-quantized tensors can be requantized).
public enum FloatRows {
    public static func canDecode(_ encoding: TensorEncoding) -> Bool {
        switch encoding {
        case .safetensors(let dtype): dtype.isFloatingPoint
        case .ggml(let type): BlockCodecs.codec(for: type) != nil
        }
    }

    /// Adds `value` to each of `count` floats and rounds the sums to `encoding`'s precision, as torch
    /// adds a number to a tensor of that dtype.
    static func add(_ value: Float, to values: UnsafeMutablePointer<Float>, count: Int, roundingTo encoding: TensorEncoding) {
        for i in 0..<count {
            let sum = values[i] + value
            switch encoding {
            case .safetensors(.bf16), .ggml(.bf16): values[i] = FloatingPointFormats.float(fromBFloat: FloatingPointFormats.bfloat(from: sum))
            case .safetensors(.f16), .ggml(.f16): values[i] = FloatingPointFormats.float(fromHalf: FloatingPointFormats.half(from: sum))
            default: values[i] = sum
            }
        }
    }

    public static func decode(_ encoding: TensorEncoding, from source: UnsafeRawPointer, count: Int, into out: UnsafeMutablePointer<Float>) {
        switch encoding {
        case .ggml(let type):
            BlockCodecs.codec(for: type)!.dequantize(source, count: count, into: out)
        case .safetensors(.f32):
            for i in 0..<count { out[i] = Float(bitPattern: UInt32(littleEndian: source.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
        case .safetensors(.f16):
            for i in 0..<count { out[i] = FloatingPointFormats.float(fromHalf: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
        case .safetensors(.bf16):
            for i in 0..<count { out[i] = FloatingPointFormats.float(fromBFloat: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
        case .safetensors(.f64):
            for i in 0..<count { out[i] = Float(Double(bitPattern: source.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))) }
        case .safetensors(.f8E4M3):
            for i in 0..<count { out[i] = FloatingPointFormats.float(fromE4M3: source.load(fromByteOffset: i, as: UInt8.self)) }
        case .safetensors(.f8E5M2):
            for i in 0..<count { out[i] = FloatingPointFormats.float(fromE5M2: source.load(fromByteOffset: i, as: UInt8.self)) }
        default:
            preconditionFailure("\(encoding) is not a floating-point encoding")
        }
    }
}
