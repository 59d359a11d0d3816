import KilnCheckpoints

/// A Llama/Mistral decoder's weights as views over the memory maps of a ``ModelSpec``.
struct LlamaWeights: @unchecked Sendable {
    struct Layer {
        let attentionNorm: [Float]
        let query, key, value, output: WeightMatrix
        let feedForwardNorm: [Float]
        let gate, up, down: WeightMatrix
    }

    let embedding: WeightMatrix
    let layers: [Layer]
    let outputNorm: [Float]
    /// The output head; the embedding when the model ties them.
    let head: WeightMatrix
    /// llama3 RoPE divisors stored in a GGUF (`rope_freqs.weight`), when present.
    let ropeFrequencies: [Float]?
    let storage: WeightStorage

    init(_ spec: ModelSpec) throws {
        let storage = WeightStorage()
        var byRole: [TensorRole: ModelTensor] = [:]
        for tensor in spec.tensors where tensor.role.kind != .multimodal { byRole[tensor.role] = tensor }
        func tensor(_ kind: TensorRole.Kind, _ layer: Int? = nil) throws -> ModelTensor {
            let role = TensorRole(kind, layer: layer)
            guard let tensor = byRole[role] else { throw RuntimeError(path: spec.path, "tensor \(role) is missing") }
            if byRole[TensorRole(kind, layer: layer, parameter: "bias")] != nil {
                throw RuntimeError(path: spec.path, "tensor \(role) has a bias; the Llama runtime does not use biases")
            }
            return tensor
        }
        func matrix(_ kind: TensorRole.Kind, _ layer: Int? = nil) throws -> WeightMatrix {
            try WeightMatrix(tensor(kind, layer), storage: storage)
        }
        func vector(_ kind: TensorRole.Kind, _ layer: Int? = nil) throws -> [Float] {
            try WeightMatrix.vector(tensor(kind, layer), storage: storage)
        }
        embedding = try matrix(.tokenEmbedding)
        layers = try (0..<spec.text.layerCount).map { i in
            Layer(attentionNorm: try vector(.attentionNorm, i),
                  query: try matrix(.attentionQuery, i), key: try matrix(.attentionKey, i),
                  value: try matrix(.attentionValue, i), output: try matrix(.attentionOutput, i),
                  feedForwardNorm: try vector(.feedForwardNorm, i),
                  gate: try matrix(.feedForwardGate, i), up: try matrix(.feedForwardUp, i), down: try matrix(.feedForwardDown, i))
        }
        outputNorm = try vector(.outputNorm)
        head = byRole[TensorRole(.output)] == nil ? embedding : try matrix(.output)
        ropeFrequencies = try byRole[TensorRole(.ropeFrequencies)].map { try WeightMatrix.vector($0, storage: storage) }
        self.storage = storage
    }
}
