import KilnCheckpoints

/// A Pixtral vision tower's and Llava projector's weights as views over the memory maps of a
/// ``VisionSpec`` (a model folder or an mmproj GGUF).
struct PixtralVisionWeights: @unchecked Sendable {
    /// A vision layer holds what a decoder layer holds: two RMSNorms, Q/K/V/O and a gated MLP.
    typealias Layer = DecoderWeights.Layer

    /// The patch convolution as a matrix: one row per hidden channel over `channels × patch × patch`
    /// inputs, in the order the convolution kernel stores them.
    let patchEmbedding: WeightMatrix
    let preNorm: [Float]
    let layers: [Layer]
    let projectorIn: WeightMatrix
    let projectorInBias: [Float]?
    let projectorOut: WeightMatrix
    let projectorOutBias: [Float]?
    let storage: WeightStorage

    /// Views of `spec`'s tensors, whose shapes `VisionSpec.validate()` has checked.
    init(_ spec: VisionSpec) throws {
        let storage = WeightStorage()
        let p = spec.parameters
        func tensor(_ role: VisionTensorRole) throws -> ModelTensor {
            guard let tensor = spec.tensor(role) else { throw RuntimeError(path: spec.path, "tensor \(role) is missing") }
            return tensor
        }
        func matrix(_ kind: VisionTensorRole.Kind, _ layer: Int? = nil) throws -> WeightMatrix {
            try WeightMatrix(tensor(VisionTensorRole(kind, layer: layer)), storage: storage)
        }
        func vector(_ kind: VisionTensorRole.Kind, _ layer: Int? = nil) throws -> [Float] {
            try WeightMatrix.vector(tensor(VisionTensorRole(kind, layer: layer)), storage: storage)
        }
        func bias(_ kind: VisionTensorRole.Kind) throws -> [Float]? {
            try spec.tensor(VisionTensorRole(kind, parameter: "bias")).map { try WeightMatrix.vector($0, storage: storage) }
        }
        var convolution = try tensor(VisionTensorRole(.patchEmbedding))
        convolution.shape = [p.hiddenSize, p.channelCount * p.patchSize * p.patchSize]
        patchEmbedding = try WeightMatrix(convolution, storage: storage)
        preNorm = try vector(.preNorm)
        layers = try (0..<p.layerCount).map { i in
            Layer(attentionNorm: try vector(.attentionNorm, i),
                  query: try matrix(.attentionQuery, i), key: try matrix(.attentionKey, i),
                  value: try matrix(.attentionValue, i), output: try matrix(.attentionOutput, i),
                  feedForwardNorm: try vector(.feedForwardNorm, i),
                  gate: try matrix(.feedForwardGate, i), up: try matrix(.feedForwardUp, i), down: try matrix(.feedForwardDown, i))
        }
        projectorIn = try matrix(.projectorIn)
        projectorInBias = try bias(.projectorIn)
        projectorOut = try matrix(.projectorOut)
        projectorOutBias = try bias(.projectorOut)
        self.storage = storage
    }
}
