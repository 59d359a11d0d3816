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

    /// Adds `value` to each of `count` floats as llama.cpp's converter adds it to a tensor of
    /// `encoding`: it widens every dtype but F16 to F32 first (`prepare_tensors`), so only an F16
    /// tensor's sums are rounded back to F16.
    static func add(_ value: Float, to values: UnsafeMutablePointer<Float>, count: Int, roundingTo encoding: TensorEncoding) {
        let halfPrecision = encoding == .safetensors(.f16) || encoding == .ggml(.f16)
        for i in 0..<count {
            let sum = values[i] + value
            values[i] = halfPrecision ? FloatingPointFormats.float(fromHalf: FloatingPointFormats.half(from: sum)) : sum
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
