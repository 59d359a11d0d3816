import KilnCheckpoints
import KilnGGUF

/// `--outtype` of `kiln convert`: the type of every 2-D weight (1-D tensors and norms stay F32).
public enum OutputType: String, Sendable, CaseIterable {
    /// Keep bf16 and f16 weights losslessly; anything else becomes F16.
    case auto, f32, f16, bf16

    /// The GGUF type for a tensor of this model.
    func ggmlType(for tensor: ModelTensor, firstMatrixEncoding: TensorEncoding?) -> GGMLType {
        if tensor.shape.count < 2 || tensor.role.isNorm { return .f32 }
        switch self {
        case .f32: return .f32
        case .f16: return .f16
        case .bf16: return .bf16
        case .auto:
            switch firstMatrixEncoding {
            case .safetensors(.bf16)?, .ggml(.bf16)?: return .bf16
            default: return .f16
            }
        }
    }

    /// `general.file_type` (llama_ftype) for a file whose matrices are of `type`.
    static func fileType(_ type: GGMLType) -> UInt32 {
        switch type {
        case .f32: 0
        case .bf16: 32
        default: 1
        }
    }
}
