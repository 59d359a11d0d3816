/// The decoder architectures Kiln reads, each under its Hugging Face class names and its llama.cpp
/// architecture name (`general.architecture`).
public enum ModelFamily: String, Sendable, CaseIterable {
    /// Llama, Mistral and the text model of Llava/Pixtral.
    case llama
    /// Qwen2 and Qwen2.5: Q/K/V biases.
    case qwen2
    /// Qwen3: per-head RMSNorm of queries and keys, no biases.
    case qwen3
    /// Phi-3: fused query/key/value and gate/up projections, long-rope factor tensors.
    case phi3

    /// The family of a `config.json` `architectures` entry.
    public init?(huggingFaceArchitecture name: String) {
        switch name {
        case "LlamaForCausalLM", "MistralForCausalLM", "LlavaForConditionalGeneration": self = .llama
        case "Qwen2ForCausalLM": self = .qwen2
        case "Qwen3ForCausalLM": self = .qwen3
        case "Phi3ForCausalLM": self = .phi3
        default: return nil
        }
    }

    /// The family of a GGUF's `general.architecture`.
    public init?(ggufArchitecture name: String) { self.init(rawValue: name) }

    public static let huggingFaceArchitectures = ["LlamaForCausalLM", "MistralForCausalLM", "LlavaForConditionalGeneration",
                                                  "Qwen2ForCausalLM", "Qwen3ForCausalLM", "Phi3ForCausalLM"]

    /// `general.architecture` of the GGUF llama.cpp's converter writes.
    public var ggufArchitecture: String { rawValue }

    /// Whether llama.cpp's converter reorders Hugging Face Q/K rows into interleaved rotary pairs
    /// (`LlamaModel.permute`); the other families keep rotate-half rows and llama.cpp runs them with
    /// NEOX-style RoPE.
    public var permutesRotaryRows: Bool { self == .llama }

    /// How the rotary pairs lie in the Q/K rows of a model of this family stored in `layout`.
    public func rotaryPairing(in layout: CheckpointLayout) -> CheckpointLayout.RotaryPairing {
        permutesRotaryRows ? layout.rotaryPairing : .halves
    }
}
