import KilnCheckpoints

/// A decoder's weights as views over the memory maps of a ``ModelSpec``, with the per-layer extras its
/// ``DecoderBlock`` names: Q/K/V biases, per-head Q/K norms, post-norms, and fused projections taken
/// apart into views of their rows.
struct DecoderWeights: @unchecked Sendable {
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
        /// The matrices whose inputs `kiln imatrix` records, under their GGUF names: the fused ones where
        /// the file fuses them.
        var attentionInputs: [TensorRole.Kind] = [.attentionQuery, .attentionKey, .attentionValue]
        var feedForwardInputs: [TensorRole.Kind] = [.feedForwardGate, .feedForwardUp]
    }

    let embedding: WeightMatrix
    let layers: [Layer]
    let outputNorm: [Float]
    /// The output head; the embedding when the model ties them.
    let head: WeightMatrix
    /// llama3 RoPE divisors stored in a GGUF (`rope_freqs.weight`), when present.
    let ropeFrequencies: [Float]?
    /// Phi-3's long-rope divisors stored in a GGUF (`rope_factors_long/short.weight`), when present.
    let ropeLongFactors, ropeShortFactors: [Float]?
    let storage: WeightStorage

    init(_ spec: ModelSpec, block: DecoderBlock) throws {
        let storage = WeightStorage()
        var byRole: [TensorRole: ModelTensor] = [:]
        for tensor in spec.tensors where tensor.role.kind != .multimodal { byRole[tensor.role] = tensor }
        /// Biases the family does not have must not be silently dropped.
        let biased: Set<TensorRole.Kind> = block.projectionBiases ? [.attentionQuery, .attentionKey, .attentionValue] : []
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
            guard block.queryKeyNorms else { return nil }
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
        let normOffset: Float = block.normsStoredAsOffsets && spec.layout.kind != .gguf ? 1 : 0
        func vector(_ kind: TensorRole.Kind, _ layer: Int? = nil) throws -> [Float] {
            let values = try WeightMatrix.vector(tensor(kind, layer), storage: storage)
            return TensorRole(kind).isNorm && normOffset != 0 ? values.map { $0 + normOffset } : values
        }
        embedding = try matrix(.tokenEmbedding)
        let p = spec.text
        let qWidth = p.headCount * p.headDimension, kvWidth = p.keyValueHeadCount * p.headDimension
        // Views of the fused matrices where the block stores them so (their shapes are checked on opening).
        func attentionProjections(_ i: Int) throws -> (query: WeightMatrix, key: WeightMatrix, value: WeightMatrix, inputs: [TensorRole.Kind]) {
            guard block.fusedProjections, byRole[TensorRole(.attentionQKV, layer: i)] != nil else {
                return (try matrix(.attentionQuery, i), try matrix(.attentionKey, i), try matrix(.attentionValue, i),
                        [.attentionQuery, .attentionKey, .attentionValue])
            }
            let fused = try matrix(.attentionQKV, i)
            return (fused.rows(0..<qWidth), fused.rows(qWidth..<qWidth + kvWidth), fused.rows(qWidth + kvWidth..<qWidth + 2 * kvWidth), [.attentionQKV])
        }
        func feedForwardProjections(_ i: Int) throws -> (gate: WeightMatrix, up: WeightMatrix, inputs: [TensorRole.Kind]) {
            guard block.fusedProjections else { return (try matrix(.feedForwardGate, i), try matrix(.feedForwardUp, i), [.feedForwardGate, .feedForwardUp]) }
            let fused = try matrix(.feedForwardUp, i), width = p.intermediateSize
            return (fused.rows(0..<width), fused.rows(width..<2 * width), [.feedForwardUp])
        }
        layers = try (0..<p.layerCount).map { i in
            let attention = try attentionProjections(i), feedForward = try feedForwardProjections(i)
            return Layer(attentionNorm: try vector(.attentionNorm, i),
                  query: attention.query, key: attention.key, value: attention.value, output: try matrix(.attentionOutput, i),
                  queryBias: try bias(.attentionQuery, i, width: qWidth), keyBias: try bias(.attentionKey, i, width: kvWidth),
                  valueBias: try bias(.attentionValue, i, width: kvWidth),
                  queryNorm: try headNorm(.attentionQueryNorm, i), keyNorm: try headNorm(.attentionKeyNorm, i),
                  postAttentionNorm: block.postNorms ? try vector(.postAttentionNorm, i) : nil,
                  postFeedForwardNorm: block.postNorms ? try vector(.postFeedForwardNorm, i) : nil,
                  feedForwardNorm: try vector(.feedForwardNorm, i),
                  gate: feedForward.gate, up: feedForward.up, down: try matrix(.feedForwardDown, i),
                  attentionInputs: attention.inputs, feedForwardInputs: feedForward.inputs)
        }
        outputNorm = try vector(.outputNorm)
        head = byRole[TensorRole(.output)] == nil ? embedding : try matrix(.output)
        ropeFrequencies = try byRole[TensorRole(.ropeFrequencies)].map { try WeightMatrix.vector($0, storage: storage) }
        ropeLongFactors = try byRole[TensorRole(.ropeLongFactors)].map { try WeightMatrix.vector($0, storage: storage) }
        ropeShortFactors = try byRole[TensorRole(.ropeShortFactors)].map { try WeightMatrix.vector($0, storage: storage) }
        self.storage = storage
    }
}
