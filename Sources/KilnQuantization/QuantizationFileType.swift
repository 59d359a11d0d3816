import KilnGGUF

/// A llama-quantize file type (`llama_ftype`): the default tensor type plus the mix rules that bump
/// sensitive tensors, and the number written to `general.file_type`.
public enum QuantizationFileType: String, CaseIterable, Sendable {
    case f32 = "F32", f16 = "F16", bf16 = "BF16"
    case q8_0 = "Q8_0", q6_K = "Q6_K", q5_K_M = "Q5_K_M", q5_K_S = "Q5_K_S"
    case q4_K_M = "Q4_K_M", q4_K_S = "Q4_K_S", q3_K_L = "Q3_K_L", q3_K_M = "Q3_K_M", q3_K_S = "Q3_K_S", q2_K = "Q2_K"
    case q4_0 = "Q4_0", q4_1 = "Q4_1", q5_0 = "Q5_0", q5_1 = "Q5_1", iq4_nl = "IQ4_NL", iq4_xs = "IQ4_XS"
    case iq3_m = "IQ3_M", iq3_s = "IQ3_S", iq3_xs = "IQ3_XS", iq3_xxs = "IQ3_XXS"
    case iq2_m = "IQ2_M", iq2_s = "IQ2_S", iq2_xs = "IQ2_XS", iq2_xxs = "IQ2_XXS", iq1_m = "IQ1_M", iq1_s = "IQ1_S"
    case tq2_0 = "TQ2_0", tq1_0 = "TQ1_0"

    /// Accepts the names llama-quantize prints, in any case.
    public init?(name: String) {
        guard let match = Self.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else { return nil }
        self = match
    }

    /// `LLAMA_FTYPE_*` (llama.h), the value of `general.file_type`.
    public var llamaFileType: UInt32 {
        switch self {
        case .f32: 0
        case .f16: 1
        case .q4_0: 2
        case .q4_1: 3
        case .q8_0: 7
        case .q5_0: 8
        case .q5_1: 9
        case .q2_K: 10
        case .q3_K_S: 11
        case .q3_K_M: 12
        case .q3_K_L: 13
        case .q4_K_S: 14
        case .q4_K_M: 15
        case .q5_K_S: 16
        case .q5_K_M: 17
        case .q6_K: 18
        case .iq2_xxs: 19
        case .iq2_xs: 20
        case .iq3_xs: 22
        case .iq3_xxs: 23
        case .iq1_s: 24
        case .iq4_nl: 25
        case .iq3_s: 26
        case .iq3_m: 27
        case .iq2_s: 28
        case .iq2_m: 29
        case .iq4_xs: 30
        case .iq1_m: 31
        case .bf16: 32
        case .tq1_0: 36
        case .tq2_0: 37
        }
    }

    /// `llama_ftype_get_default_type`: the type of every quantizable tensor the mix leaves alone.
    public var defaultType: GGMLType {
        switch self {
        case .f32: .f32
        case .f16: .f16
        case .bf16: .bf16
        case .q8_0: .q8_0
        case .q6_K: .q6_K
        case .q5_K_M, .q5_K_S: .q5_K
        case .q4_K_M, .q4_K_S: .q4_K
        case .q3_K_L, .q3_K_M, .q3_K_S: .q3_K
        case .q2_K: .q2_K
        case .q4_0: .q4_0
        case .q4_1: .q4_1
        case .q5_0: .q5_0
        case .q5_1: .q5_1
        case .iq4_nl: .iq4_nl
        case .iq4_xs: .iq4_xs
        case .iq3_m, .iq3_s, .iq3_xs: .iq3_s
        case .iq3_xxs: .iq3_xxs
        case .iq2_m: .iq2_s
        case .iq2_s, .iq2_xs: .iq2_xs
        case .iq2_xxs: .iq2_xxs
        case .iq1_m: .iq1_m
        case .iq1_s: .iq1_s
        case .tq2_0: .tq2_0
        case .tq1_0: .tq1_0
        }
    }
}
