import KilnCore
import KilnGGUF

extension TextModelParameters {
    /// Reads the `{architecture}.*` hyper-parameter keys of a GGUF, each checked against
    /// ``ValueLimits``, with llama.cpp's defaults for the keys a file may leave out.
    ///
    /// - Parameter tensors: the file's tensors, which give the vocabulary size when neither
    ///   `vocab_size` nor the token list does, and whether the embeddings are tied.
    public init(gguf metadata: GGUFMetadata, architecture: String, tensors: [ModelTensor], path: String) throws {
        func int(_ key: String, _ range: ClosedRange<Int>) throws -> Int? {
            try metadata.integer("\(architecture).\(key)", in: range, path: path)
        }
        func required(_ key: String, _ range: ClosedRange<Int>) throws -> Int {
            guard let v = try int(key, range) else { throw CheckpointError(.invalidConfig, path: path, "GGUF lacks \(architecture).\(key)") }
            return v
        }
        let heads = try required("attention.head_count", ValueLimits.heads)
        let kvHeads = try int("attention.head_count_kv", ValueLimits.heads) ?? heads
        guard heads % kvHeads == 0 else {
            throw CheckpointError(.invalidConfig, path: path, "\(heads) attention heads cannot be grouped over \(kvHeads) key/value heads")
        }
        let tokenCount = metadata["tokenizer.ggml.tokens"]?.arrayValue?.count
        let embeddingRows = tensors.first { $0.role.kind == .tokenEmbedding }?.shape.first
        self.init(
            layerCount: try required("block_count", ValueLimits.layers), hiddenSize: try required("embedding_length", ValueLimits.width),
            intermediateSize: try required("feed_forward_length", ValueLimits.width), headCount: heads, keyValueHeadCount: kvHeads,
            explicitHeadDimension: try int("attention.key_length", ValueLimits.width),
            vocabularySize: try int("vocab_size", ValueLimits.vocabulary) ?? tokenCount ?? embeddingRows ?? 0,
            contextLength: try required("context_length", ValueLimits.contextLength),
            rmsNormEpsilon: try metadata.positiveNumber("\(architecture).attention.layer_norm_rms_epsilon", below: 1, path: path) ?? 1e-5,
            ropeTheta: try metadata.positiveNumber("\(architecture).rope.freq_base", path: path) ?? 10000,
            ropeScaling: try RopeScaling(gguf: metadata, architecture: architecture, path: path),
            tiedEmbeddings: !tensors.contains { $0.role.kind == .output }
        )
        var wholeHeadKeys = ["attention.value_length", "rope.dimension_count"]
        // llama.cpp's defaults for the Gemma keys a file may leave out (llama_model_gemma2/3::load_arch_hparams).
        // Queries are scaled by the head dimension, except in the 27B models (46 layers for Gemma 2, 62 for
        // Gemma 3), whose scale is hidden/heads.
        switch ModelFamily(ggufArchitecture: architecture) {
        case .gemma3:
            if let window = try int("attention.sliding_window", ValueLimits.contextLength), window > 0 {
                slidingWindow = window
                slidingWindowPattern = ModelFamily.gemma3.slidingWindowPattern
                slidingRopeTheta = try metadata.positiveNumber("\(architecture).rope.freq_base_swa", path: path) ?? 10000
            }
            queryScale = Double(layerCount == 62 ? hiddenSize / max(headCount, 1) : headDimension)
            finalLogitSoftcap = try metadata.positiveNumber("\(architecture).final_logit_softcapping", path: path)
        case .gemma2:
            slidingWindow = try int("attention.sliding_window", ValueLimits.contextLength) ?? 4096
            slidingWindowPattern = ModelFamily.gemma2.slidingWindowPattern
            queryScale = Double(layerCount == 46 ? hiddenSize / max(headCount, 1) : headDimension)
            attentionLogitSoftcap = try metadata.positiveNumber("\(architecture).attn_logit_softcapping", path: path) ?? 50
            finalLogitSoftcap = try metadata.positiveNumber("\(architecture).final_logit_softcapping", path: path) ?? 30
        case .phi3:
            originalContextLength = try int("rope.scaling.original_context_length", ValueLimits.contextLength)
            recordedSlidingWindow = try int("attention.sliding_window", 0...Int(Int32.max))
            ropeAttentionFactor = try metadata.positiveNumber("\(architecture).rope.scaling.attn_factor", path: path)
            // Phi-4-mini's partial rotary share (the runtime checks the count against the head).
            if let dimensions = try int("rope.dimension_count", ValueLimits.width), dimensions != headDimension { ropeDimensionCount = dimensions }
            wholeHeadKeys = ["attention.value_length"]
        default: break
        }
        // Kiln models full rotary embeddings over whole heads; another value would be computed wrongly.
        for key in wholeHeadKeys {
            if let v = try int(key, ValueLimits.width), v != headDimension {
                throw CheckpointError(.unsupportedArchitecture, path: path, "\(architecture).\(key) is \(v) but the head dimension is \(headDimension); Kiln reads models where they are equal")
            }
        }
    }
}
