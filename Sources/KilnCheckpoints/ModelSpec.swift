import KilnCore
import KilnGGUF

/// The tokenizer files that came with a checkpoint.
public struct TokenizerFiles: Sendable, Equatable {
    public var folder: String
    /// Hugging Face `tokenizer.json`.
    public var tokenizerJSON: String?
    /// SentencePiece `tokenizer.model`.
    public var sentencePieceModel: String?
    /// `added_tokens.json`: tokens added over a SentencePiece model.
    public var addedTokens: String?
    /// Mistral `tekken.json`.
    public var tekken: String?
    /// `tokenizer_config.json` (special tokens, add_bos, chat template).
    public var tokenizerConfig: String?
    /// `chat_template.jinja` or `chat_template.json`, when the template lives outside tokenizer_config.json.
    public var chatTemplate: String?
    /// `special_tokens_map.json`, `generation_config.json`.
    public var specialTokensMap: String?
    public var generationConfig: String?

    public init(folder: String) { self.folder = folder }

    public var isEmpty: Bool { tokenizerJSON == nil && sentencePieceModel == nil && tekken == nil }
}

/// One description of a model, whatever it came from.
///
/// Readers produce it, transforms map it to another, writers consume it. Tensor bytes stay in the
/// memory maps until a writer or the runtime asks for them.
public struct ModelSpec: Sendable {
    /// The folder or file the model was read from.
    public var path: String
    public var layout: CheckpointLayout
    /// The architecture as the source names it (`LlavaForConditionalGeneration`, `llama`, …).
    public var architecture: String
    /// The decoder architecture, which decides GGUF names and keys and the runtime's forward pass.
    public var family: ModelFamily
    public var text: TextModelParameters
    public var vision: VisionModelParameters?
    public var tokenizerFiles: TokenizerFiles?
    /// A GGUF source's own metadata (tokenizer and all), nil for safetensors checkpoints.
    public var ggufMetadata: GGUFMetadata?
    /// The source's configuration document (`config.json` or `params.json`).
    public var configuration: JSON?
    public var tensors: [ModelTensor]

    public init(path: String, layout: CheckpointLayout, architecture: String, family: ModelFamily = .llama, text: TextModelParameters,
                vision: VisionModelParameters? = nil, tokenizerFiles: TokenizerFiles? = nil,
                ggufMetadata: GGUFMetadata? = nil, configuration: JSON? = nil, tensors: [ModelTensor]) {
        self.path = path
        self.layout = layout
        self.architecture = architecture
        self.family = family
        self.text = text
        self.vision = vision
        self.tokenizerFiles = tokenizerFiles
        self.ggufMetadata = ggufMetadata
        self.configuration = configuration
        self.tensors = tensors
    }

    /// How the rotary pairs lie in the Q/K rows of this model's tensors.
    public var rotaryPairing: CheckpointLayout.RotaryPairing { family.rotaryPairing(in: layout) }

    public func tensor(_ role: TensorRole) -> ModelTensor? { tensors.first { $0.role == role } }

    /// Tensors of the text decoder (everything but the vision tower and projector).
    public var textTensors: [ModelTensor] { tensors.filter { $0.role.kind != .multimodal } }

    public var parameterCount: Int { tensors.reduce(0) { $0 + $1.elementCount } }
}
