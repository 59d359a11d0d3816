/// The element types a safetensors header may name.
public enum SafeTensorsDType: String, CaseIterable, Sendable {
    case bool = "BOOL"
    case u8 = "U8", i8 = "I8"
    case f8E4M3 = "F8_E4M3", f8E5M2 = "F8_E5M2"
    case i16 = "I16", u16 = "U16", f16 = "F16", bf16 = "BF16"
    case i32 = "I32", u32 = "U32", f32 = "F32"
    case f64 = "F64", i64 = "I64", u64 = "U64"

    public var byteSize: Int {
        switch self {
        case .bool, .u8, .i8, .f8E4M3, .f8E5M2: 1
        case .i16, .u16, .f16, .bf16: 2
        case .i32, .u32, .f32: 4
        case .f64, .i64, .u64: 8
        }
    }

    /// Element types that hold real numbers Kiln can convert to `Float`.
    public var isFloatingPoint: Bool {
        switch self {
        case .f8E4M3, .f8E5M2, .f16, .bf16, .f32, .f64: true
        default: false
        }
    }
}
