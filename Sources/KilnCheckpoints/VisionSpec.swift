/// The vision tower and projector of a multimodal model, whatever it came from: a model folder
/// (Hugging Face Llava or Mistral native) or an mmproj GGUF.
///
/// The mmproj writer and the vision runtime work on this value, as the text pipeline works on
/// ``ModelSpec``.
public struct VisionSpec: Sendable {
    /// The folder or file the vision tower was read from.
    public var path: String
    public var parameters: VisionModelParameters
    /// How Q/K rows of the encoder's attention pair rotary dimensions: Hugging Face weights pair
    /// halves; Mistral native weights and mmproj files (permuted by the converter) interleave.
    public var rotaryPairing: CheckpointLayout.RotaryPairing
    /// Encoder and projector tensors, each with `role.vision` set.
    public var tensors: [ModelTensor]

    public init(path: String, parameters: VisionModelParameters, rotaryPairing: CheckpointLayout.RotaryPairing, tensors: [ModelTensor]) {
        self.path = path
        self.parameters = parameters
        self.rotaryPairing = rotaryPairing
        self.tensors = tensors
    }

    public func tensor(_ role: VisionTensorRole) -> ModelTensor? { tensors.first { $0.role.vision == role } }
}

extension ModelSpec {
    /// The vision tower of a multimodal checkpoint, nil for a text-only model.
    public var visionSpec: VisionSpec? {
        guard let vision else { return nil }
        return VisionSpec(path: path, parameters: vision, rotaryPairing: layout.rotaryPairing,
                          tensors: tensors.filter { $0.role.vision != nil })
    }
}
