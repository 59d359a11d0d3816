import KilnCheckpoints

/// A Llama/Mistral decoder's weights as views over the memory maps of a ``ModelSpec``, with the
/// per-layer extras of the Qwen families: Q/K/V biases (Qwen2) and per-head Q/K norms (Qwen3).
struct LlamaWeights: @unchecked Sendable {
    struct Layer {
        let attentionNorm: [Float]
        let query, key, value, output: WeightMatrix
        // Optional vars: the memberwise initializer lets decoders without them (Pixtral's tower) leave them out.
        var queryBias, keyBias, valueBias: [Float]?
        var queryNorm, keyNorm: [Float]?
        /// Gemma's norms of the attention and feed-forward outputs.
        var postAttentionNorm, postFeedForwardNorm: [Float]?
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
        /// Biases the family does not have must not be silently dropped.
        let biased: Set<TensorRole.Kind> = spec.family == .qwen2 ? [.attentionQuery, .attentionKey, .attentionValue] : []
        func tensor(_ kind: TensorRole.Kind, _ layer: Int? = nil) throws -> ModelTensor {
            let role = TensorRole(kind, layer: layer)
            guard let tensor = byRole[role] else { throw RuntimeError(path: spec.path, "tensor \(role) is missing") }
            if !biased.contains(kind), byRole[TensorRole(kind, layer: layer, parameter: "bias")] != nil {
                throw RuntimeError(path: spec.path, "tensor \(role) has a bias; the \(spec.family.ggufArchitecture) runtime does not use one there")
            }
            return tensor
        }
        func bias(_ kind: TensorRole.Kind, _ layer: Int, width: Int) throws -> [Float]? {
            guard biased.contains(kind) else { return nil }
            let role = TensorRole(kind, layer: layer, parameter: "bias")
            guard let tensor = byRole[role] else { throw RuntimeError(path: spec.path, "tensor \(role) is missing") }
            guard tensor.elementCount == width else {
                throw RuntimeError(path: spec.path, "tensor \(role) holds \(tensor.elementCount) values, not \(width)")
            }
            return try WeightMatrix.vector(tensor, storage: storage)
        }
        func headNorm(_ kind: TensorRole.Kind, _ layer: Int) throws -> [Float]? {
            guard spec.family.hasQueryKeyNorms else { return nil }
            let norm = try vector(kind, layer)
            guard norm.count == spec.text.headDimension else {
                throw RuntimeError(path: spec.path, "tensor \(TensorRole(kind, layer: layer)) holds \(norm.count) values, not the head dimension \(spec.text.headDimension)")
            }
            return norm
        }
        func matrix(_ kind: TensorRole.Kind, _ layer: Int? = nil) throws -> WeightMatrix {
            try WeightMatrix(tensor(kind, layer), storage: storage)
        }
        // A Gemma folder stores its norms as w for the 1 + w the model multiplies by (a GGUF holds 1 + w).
        let normOffset: Float = spec.family.isGemma && spec.layout.kind != .gguf ? 1 : 0
        func vector(_ kind: TensorRole.Kind, _ layer: Int? = nil) throws -> [Float] {
            let values = try WeightMatrix.vector(tensor(kind, layer), storage: storage)
            return TensorRole(kind).isNorm && normOffset != 0 ? values.map { $0 + normOffset } : values
        }
        embedding = try matrix(.tokenEmbedding)
        let qWidth = spec.text.headCount * spec.text.headDimension, kvWidth = spec.text.keyValueHeadCount * spec.text.headDimension
        layers = try (0..<spec.text.layerCount).map { i in
            Layer(attentionNorm: try vector(.attentionNorm, i),
                  query: try matrix(.attentionQuery, i), key: try matrix(.attentionKey, i),
                  value: try matrix(.attentionValue, i), output: try matrix(.attentionOutput, i),
                  queryBias: try bias(.attentionQuery, i, width: qWidth), keyBias: try bias(.attentionKey, i, width: kvWidth),
                  valueBias: try bias(.attentionValue, i, width: kvWidth),
                  queryNorm: try headNorm(.attentionQueryNorm, i), keyNorm: try headNorm(.attentionKeyNorm, i),
                  postAttentionNorm: spec.family.hasPostNorms ? try vector(.postAttentionNorm, i) : nil,
                  postFeedForwardNorm: spec.family.hasPostNorms ? try vector(.postFeedForwardNorm, i) : nil,
                  feedForwardNorm: try vector(.feedForwardNorm, i),
                  gate: try matrix(.feedForwardGate, i), up: try matrix(.feedForwardUp, i), down: try matrix(.feedForwardDown, i))
        }
        outputNorm = try vector(.outputNorm)
        head = byRole[TensorRole(.output)] == nil ? embedding : try matrix(.output)
        ropeFrequencies = try byRole[TensorRole(.ropeFrequencies)].map { try WeightMatrix.vector($0, storage: storage) }
        self.storage = storage
    }
}
