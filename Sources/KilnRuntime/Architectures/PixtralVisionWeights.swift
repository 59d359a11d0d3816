import KilnCheckpoints

/// A Pixtral vision tower's and Llava projector's weights as views over the memory maps of a
/// ``VisionSpec`` (a model folder or an mmproj GGUF).
struct PixtralVisionWeights: @unchecked Sendable {
    /// A vision layer holds what a decoder layer holds: two RMSNorms, Q/K/V/O and a gated MLP.
    typealias Layer = LlamaWeights.Layer

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

    init(_ spec: VisionSpec) throws {
        let storage = WeightStorage()
        let p = spec.parameters
        var byRole: [VisionTensorRole: ModelTensor] = [:]
        for tensor in spec.tensors { if let role = tensor.role.vision { byRole[role] = tensor } }
        func tensor(_ role: VisionTensorRole, shape: [Int]) throws -> ModelTensor {
            guard let tensor = byRole[role] else { throw RuntimeError(path: spec.path, "tensor \(role) is missing") }
            guard tensor.shape == shape else {
                throw RuntimeError(path: spec.path, "tensor \"\(tensor.name)\" has shape \(tensor.shape) but the vision parameters imply \(shape)")
            }
            return tensor
        }
        func matrix(_ kind: VisionTensorRole.Kind, _ layer: Int? = nil, _ rows: Int, _ columns: Int) throws -> WeightMatrix {
            try WeightMatrix(tensor(VisionTensorRole(kind, layer: layer), shape: [rows, columns]), storage: storage)
        }
        func vector(_ kind: VisionTensorRole.Kind, _ layer: Int?, _ count: Int, parameter: String = "weight") throws -> [Float] {
            try WeightMatrix.vector(tensor(VisionTensorRole(kind, layer: layer, parameter: parameter), shape: [count]), storage: storage)
        }
        let hidden = p.hiddenSize, inner = p.intermediateSize
        let patchInputs = p.channelCount * p.patchSize * p.patchSize
        var convolution = try tensor(VisionTensorRole(.patchEmbedding), shape: [hidden, p.channelCount, p.patchSize, p.patchSize])
        convolution.shape = [hidden, patchInputs]
        patchEmbedding = try WeightMatrix(convolution, storage: storage)
        preNorm = try vector(.preNorm, nil, hidden)
        layers = try (0..<p.layerCount).map { i in
            Layer(attentionNorm: try vector(.attentionNorm, i, hidden),
                  query: try matrix(.attentionQuery, i, hidden, hidden), key: try matrix(.attentionKey, i, hidden, hidden),
                  value: try matrix(.attentionValue, i, hidden, hidden), output: try matrix(.attentionOutput, i, hidden, hidden),
                  feedForwardNorm: try vector(.feedForwardNorm, i, hidden),
                  gate: try matrix(.feedForwardGate, i, inner, hidden), up: try matrix(.feedForwardUp, i, inner, hidden),
                  down: try matrix(.feedForwardDown, i, hidden, inner))
        }
        // The projector's width is the text model's hidden size, which the vision parameters do not hold.
        guard let projection = byRole[VisionTensorRole(.projectorIn)]?.shape.first else {
            throw RuntimeError(path: spec.path, "tensor \(VisionTensorRole(.projectorIn)) is missing")
        }
        projectorIn = try matrix(.projectorIn, nil, projection, hidden)
        projectorOut = try matrix(.projectorOut, nil, projection, projection)
        func bias(_ kind: VisionTensorRole.Kind) throws -> [Float]? {
            byRole[VisionTensorRole(kind, parameter: "bias")] == nil ? nil : try vector(kind, nil, projection, parameter: "bias")
        }
        projectorInBias = try bias(.projectorIn)
        projectorOutBias = try bias(.projectorOut)
        self.storage = storage
    }
}
