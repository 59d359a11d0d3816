/// The decoder architectures Kiln reads, each under its Hugging Face class names and its llama.cpp
/// architecture name (`general.architecture`).
public enum ModelFamily: String, Sendable, CaseIterable {
    /// Llama, Mistral and the text model of Llava/Pixtral.
    case llama
    /// Qwen2 and Qwen2.5: Q/K/V biases.
    case qwen2
    /// Qwen3: per-head RMSNorm of queries and keys, no biases.
    case qwen3
    /// Gemma 3 (and the text model of Gemma 3 with vision): Q/K norms, norms around attention and MLP
    /// storing w where the model multiplies by 1 + w, √d embedding scale, GELU-tanh, 5:1 sliding window.
    case gemma3
    /// Gemma 2: Gemma 3 without Q/K norms, with attention logits soft-capped and sliding-window layers
    /// alternating with global ones.
    case gemma2

    /// The family of a `config.json` `architectures` entry.
    public init?(huggingFaceArchitecture name: String) {
        switch name {
        case "LlamaForCausalLM", "MistralForCausalLM", "LlavaForConditionalGeneration": self = .llama
        case "Qwen2ForCausalLM": self = .qwen2
        case "Qwen3ForCausalLM": self = .qwen3
        case "Gemma3ForCausalLM", "Gemma3ForConditionalGeneration": self = .gemma3
        case "Gemma2ForCausalLM": self = .gemma2
        default: return nil
        }
    }

    /// The family of a GGUF's `general.architecture`.
    public init?(ggufArchitecture name: String) { self.init(rawValue: name) }

    public static let huggingFaceArchitectures = ["LlamaForCausalLM", "MistralForCausalLM", "LlavaForConditionalGeneration",
                                                  "Qwen2ForCausalLM", "Qwen3ForCausalLM", "Gemma3ForCausalLM", "Gemma3ForConditionalGeneration",
                                                  "Gemma2ForCausalLM"]

    /// `general.architecture` of the GGUF llama.cpp's converter writes.
    public var ggufArchitecture: String { rawValue }

    /// Whether llama.cpp's converter reorders Hugging Face Q/K rows into interleaved rotary pairs
    /// (`LlamaModel.permute`); the other families keep rotate-half rows and llama.cpp runs them with
    /// NEOX-style RoPE.
    public var permutesRotaryRows: Bool { self == .llama }

    /// Whether the model has per-head RMSNorm of queries and keys.
    public var hasQueryKeyNorms: Bool { self == .qwen3 || self == .gemma3 }

    /// Whether each layer also normalizes the attention and feed-forward outputs (Gemma).
    public var hasPostNorms: Bool { isGemma }

    /// Gemma 2 and 3: RMSNorms multiply by 1 + w with w stored (llama.cpp's converter writes 1 + w),
    /// embeddings are scaled by √hidden and the MLP is GELU-tanh gated.
    public var isGemma: Bool { self == .gemma2 || self == .gemma3 }

    /// Every how many layers llama.cpp places a global-attention layer among sliding-window ones
    /// (`set_swa_pattern`): the last layer of each group is global.
    public var slidingWindowPattern: Int? {
        switch self {
        case .gemma3: 6
        case .gemma2: 2
        case .llama, .qwen2, .qwen3: nil
        }
    }

    /// How the rotary pairs lie in the Q/K rows of a model of this family stored in `layout`.
    public func rotaryPairing(in layout: CheckpointLayout) -> CheckpointLayout.RotaryPairing {
        permutesRotaryRows ? layout.rotaryPairing : .halves
    }
}
