import Foundation
import KilnCore
import KilnGGUF
import KilnSafeTensors

/// Opens a model folder (Hugging Face, Llava or Mistral native layout) or a GGUF file as a ``ModelSpec``.
public enum CheckpointReader {
    /// The decoder's tensors outside the layers and in each layer, each list in the order the first
    /// missing one is reported.
    static let globalKinds: [TensorRole.Kind] = [.tokenEmbedding, .outputNorm, .output].sorted { $0.rawValue < $1.rawValue }
    static let layerKinds: [TensorRole.Kind] = [.attentionNorm, .attentionQuery, .attentionKey, .attentionValue, .attentionOutput,
                                                .feedForwardNorm, .feedForwardGate, .feedForwardUp, .feedForwardDown].sorted { $0.rawValue < $1.rawValue }
    /// Phi-3's layers: fused query/key/value, gate and up in one matrix; or, as llama.cpp also loads
    /// them (`create_tensor_qkv`), separate query, key and value.
    static let phi3LayerKinds: [TensorRole.Kind] = [.attentionNorm, .attentionQKV, .attentionOutput, .feedForwardNorm, .feedForwardUp,
                                                    .feedForwardDown].sorted { $0.rawValue < $1.rawValue }
    static let phi3SeparateQKVLayerKinds: [TensorRole.Kind] = [.attentionNorm, .attentionQuery, .attentionKey, .attentionValue, .attentionOutput,
                                                               .feedForwardNorm, .feedForwardUp, .feedForwardDown].sorted { $0.rawValue < $1.rawValue }

    public static func open(_ path: String) throws -> ModelSpec {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw CheckpointError(.notFound, path: path, "no such file or folder")
        }
        if !isFolder.boolValue {
            return try openGGUF(path)
        }
        let folder = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
        func file(_ name: String) -> String? {
            let candidate = "\(folder)/\(name)"
            return FileManager.default.fileExists(atPath: candidate) ? candidate : nil
        }
        if let config = file("config.json") {
            let shards: SafeTensorsShardSet
            if let index = file("model.safetensors.index.json") {
                shards = try SafeTensorsShardSet(index: index)
            } else if let single = file("model.safetensors") {
                shards = try SafeTensorsShardSet(file: single)
            } else {
                throw CheckpointError(.unknownLayout, path: folder, "has config.json but neither model.safetensors nor model.safetensors.index.json")
            }
            return try openHuggingFace(folder: folder, configPath: config, shards: shards)
        }
        if let params = file("params.json"), let weights = file("consolidated.safetensors") {
            return try openMistralNative(folder: folder, paramsPath: params, shards: try SafeTensorsShardSet(file: weights))
        }
        throw CheckpointError(.unknownLayout, path: folder, "is not a model folder: expected config.json with safetensors weights (Hugging Face) or params.json with consolidated.safetensors (Mistral native)")
    }

    static func tokenizerFiles(in folder: String) -> TokenizerFiles {
        var files = TokenizerFiles(folder: folder)
        func file(_ name: String) -> String? {
            let candidate = "\(folder)/\(name)"
            return FileManager.default.fileExists(atPath: candidate) ? candidate : nil
        }
        files.tokenizerJSON = file("tokenizer.json")
        files.sentencePieceModel = file("tokenizer.model")
        files.addedTokens = file("added_tokens.json")
        files.tekken = file("tekken.json")
        files.tokenizerConfig = file("tokenizer_config.json")
        files.chatTemplate = file("chat_template.jinja") ?? file("chat_template.json")
        files.specialTokensMap = file("special_tokens_map.json")
        files.generationConfig = file("generation_config.json")
        return files
    }

    // Package-visible for the fuzz targets, which read many configurations over shards opened once.
    package static func openHuggingFace(folder: String, configPath: String, shards: SafeTensorsShardSet) throws -> ModelSpec {
        let config = try JSON.read(contentsOf: configPath)
        guard let architecture = config["architectures"]?[0]?.stringValue else {
            throw CheckpointError(.invalidConfig, path: configPath, "has no \"architectures\" entry")
        }
        guard let family = ModelFamily(huggingFaceArchitecture: architecture) else {
            throw CheckpointError(.unsupportedArchitecture, path: configPath, "architecture \(architecture) is not supported (Kiln reads \(ModelFamily.huggingFaceArchitectures.joined(separator: ", ")))")
        }
        let names = Set(shards.entries.map(\.info.name))
        var layout = CheckpointLayout.huggingFace
        var text: TextModelParameters
        var vision: VisionModelParameters?
        if architecture == "LlavaForConditionalGeneration" {
            let textConfig = config["text_config"] ?? .object([])
            text = try HuggingFaceConfig.textParameters(textConfig, modelType: textConfig["model_type"]?.stringValue ?? "llama", path: configPath,
                                                        prefix: "text_config.")
            if config["text_config"]?["tie_word_embeddings"] == nil, let tied = config["tie_word_embeddings"]?.boolValue {
                text.tiedEmbeddings = tied
            }
            if let visionConfig = config["vision_config"] {
                vision = try HuggingFaceConfig.visionParameters(visionConfig, root: config, path: configPath,
                                                                projectionSize: text.hiddenSize, folder: folder)
            }
            let newStyle = names.contains { $0.hasPrefix("model.language_model.") }
            layout = newStyle
                ? .llava(decoderPrefix: "model.language_model.", head: "lm_head")
                : .llava(decoderPrefix: "language_model.model.", head: "language_model.lm_head")
        } else if family == .gemma3 {
            // Gemma3ForConditionalGeneration keeps the text model's configuration under text_config.
            let nested = architecture == "Gemma3ForConditionalGeneration"
            let textConfig = nested ? config["text_config"] ?? .object([]) : config
            text = try HuggingFaceConfig.textParameters(textConfig, modelType: "gemma3_text", path: configPath, prefix: nested ? "text_config." : "")
            layout = !nested ? .gemma(decoderPrefix: "model.")
                : names.contains { $0.hasPrefix("model.language_model.") } ? .gemma(decoderPrefix: "model.language_model.")
                : .gemma(decoderPrefix: "language_model.model.")
        } else if family == .gemma2 {
            text = try HuggingFaceConfig.textParameters(config, modelType: "gemma2", path: configPath)
            layout = .gemma(decoderPrefix: "model.")
        } else if family == .phi3 {
            text = try HuggingFaceConfig.textParameters(config, modelType: "phi3", path: configPath)
            try HuggingFaceConfig.phi3Parameters(&text, config: config, path: configPath)
            layout = .phi3
        } else {
            text = try HuggingFaceConfig.textParameters(config, modelType: config["model_type"]?.stringValue ?? "llama", path: configPath)
        }
        let tensors = try modelTensors(shards, layout: layout, path: folder)
        let spec = ModelSpec(path: folder, layout: layout, architecture: architecture, family: family, text: text, vision: vision,
                             tokenizerFiles: tokenizerFiles(in: folder), configuration: config, tensors: tensors)
        try validate(spec)
        return spec
    }

    package static func openMistralNative(folder: String, paramsPath: String, shards: SafeTensorsShardSet) throws -> ModelSpec {
        let params = try JSON.read(contentsOf: paramsPath)
        func int(_ key: String, _ range: ClosedRange<Int>) throws -> Int {
            guard let v = try params.integer(key, in: range, path: paramsPath) else {
                throw CheckpointError(.invalidConfig, path: paramsPath, "\"\(key)\" is missing")
            }
            return v
        }
        let heads = try int("n_heads", ValueLimits.heads)
        let kvHeads = try params.integer("n_kv_heads", in: ValueLimits.heads, path: paramsPath) ?? heads
        guard heads % kvHeads == 0 else {
            throw CheckpointError(.invalidConfig, path: paramsPath, "\(heads) attention heads cannot be grouped over \(kvHeads) key/value heads")
        }
        let text = TextModelParameters(
            layerCount: try int("n_layers", ValueLimits.layers), hiddenSize: try int("dim", ValueLimits.width),
            intermediateSize: try int("hidden_dim", ValueLimits.width), headCount: heads, keyValueHeadCount: kvHeads,
            explicitHeadDimension: try params.integer("head_dim", in: ValueLimits.width, path: paramsPath),
            vocabularySize: try int("vocab_size", ValueLimits.vocabulary),
            contextLength: try params.integer("max_seq_len", in: ValueLimits.contextLength, path: paramsPath)
                ?? params.integer("max_position_embeddings", in: ValueLimits.contextLength, path: paramsPath),
            rmsNormEpsilon: try params.positiveNumber("norm_eps", below: 1, path: paramsPath) ?? 1e-5,
            ropeTheta: try params.positiveNumber("rope_theta", path: paramsPath) ?? 10000,
            ropeScaling: try RopeScaling(mistralNative: params, path: paramsPath),
            tiedEmbeddings: params["tied_embeddings"]?.boolValue ?? false
        )
        var vision: VisionModelParameters?
        if let encoder = params["vision_encoder"], !encoder.isNull {
            func vint(_ key: String, _ range: ClosedRange<Int>) throws -> Int {
                guard let v = try encoder.integer(key, in: range, path: paramsPath, name: "vision_encoder.\(key)") else {
                    throw CheckpointError(.invalidConfig, path: paramsPath, "\"vision_encoder.\(key)\" is missing")
                }
                return v
            }
            vision = VisionModelParameters(
                hiddenSize: try vint("hidden_size", ValueLimits.width), intermediateSize: try vint("intermediate_size", ValueLimits.width),
                layerCount: try vint("num_hidden_layers", ValueLimits.layers), headCount: try vint("num_attention_heads", ValueLimits.heads),
                imageSize: try vint("image_size", ValueLimits.width), patchSize: try vint("patch_size", ValueLimits.width),
                channelCount: try vint("num_channels", ValueLimits.width),
                ropeTheta: try encoder.positiveNumber("rope_theta", path: paramsPath, name: "vision_encoder.rope_theta") ?? 10000,
                activation: "silu", projectorActivation: "gelu", projectionSize: text.hiddenSize, layerNormEpsilon: text.rmsNormEpsilon
            )
            // params.json may hold -1 placeholders; tekken.json's special tokens then know the ids.
            var tekkenIDs: [String: Int]?
            func tokenID(_ key: String, _ token: String) throws -> Int? {
                if let id = encoder[key]?.intValue, id >= 0 {
                    return try InvalidValue.checked(id, key: "vision_encoder.\(key)", in: ValueLimits.tokenID, path: paramsPath)
                }
                if tekkenIDs == nil {
                    let tekken = "\(folder)/tekken.json"
                    let specials = FileManager.default.fileExists(atPath: tekken)
                        ? try JSON.read(contentsOf: tekken, rejectDuplicateKeys: false)["special_tokens"]?.arrayValue ?? [] : []
                    tekkenIDs = Dictionary(specials.compactMap { entry in entry["token_str"]?.stringValue.flatMap { name in entry["rank"]?.intValue.flatMap { ValueLimits.tokenID.contains($0) ? (name, $0) : nil } } },
                                           uniquingKeysWith: { first, _ in first })
                }
                return tekkenIDs?[token]
            }
            vision?.imageTokenId = try tokenID("image_token_id", "[IMG]")
            vision?.imageBreakTokenId = try tokenID("image_break_token_id", "[IMG_BREAK]")
            vision?.imageEndTokenId = try tokenID("image_end_token_id", "[IMG_END]")
        }
        let tensors = try modelTensors(shards, layout: .mistralNative, path: folder)
        let spec = ModelSpec(path: folder, layout: .mistralNative, architecture: "Mistral native", text: text, vision: vision,
                             tokenizerFiles: tokenizerFiles(in: folder), configuration: params, tensors: tensors)
        try validate(spec)
        return spec
    }

    private static func modelTensors(_ shards: SafeTensorsShardSet, layout: CheckpointLayout, path: String) throws -> [ModelTensor] {
        var tensors: [ModelTensor] = []
        for entry in shards.entries {
            // Old Llama exports carry precomputed RoPE tables; they are derived state, not weights.
            if entry.info.name.hasSuffix("rotary_emb.inv_freq") { continue }
            guard let role = layout.role(of: entry.info.name) else {
                throw CheckpointError(.unknownTensor, path: entry.file.path, "tensor \"\(entry.info.name)\" is not part of a \(layout) checkpoint")
            }
            tensors.append(ModelTensor(name: entry.info.name, role: role, shape: entry.info.shape,
                                       encoding: .safetensors(entry.info.dtype), source: .mapped(entry.file.mapping, entry.info.byteRange)))
        }
        return tensors
    }

    private static func openGGUF(_ path: String) throws -> ModelSpec {
        let file = try GGUFFile(path: path)
        let metadata = file.metadata
        guard let architecture = file.architecture else {
            throw CheckpointError(.invalidConfig, path: path, "GGUF has no general.architecture")
        }
        guard let family = ModelFamily(ggufArchitecture: architecture) else {
            throw CheckpointError(.unsupportedArchitecture, path: path, "GGUF architecture \"\(architecture.escapedForMessage(limit: 40))\" is not supported (Kiln reads \(ModelFamily.allCases.map(\.ggufArchitecture).joined(separator: ", ")))")
        }
        var tensors: [ModelTensor] = []
        for info in file.tensors {
            guard let role = CheckpointLayout.gguf.role(of: info.name) else {
                throw CheckpointError(.unknownTensor, path: path, "tensor \"\(info.name)\" is not part of a \(architecture) GGUF")
            }
            let start = file.dataOffset + info.offset
            tensors.append(ModelTensor(name: info.name, role: role, shape: info.dimensions.reversed(),
                                       encoding: .ggml(info.type), source: .mapped(file.mapping, start..<start + info.byteCount)))
        }
        let text = try TextModelParameters(gguf: metadata, architecture: architecture, tensors: tensors, path: path)
        let spec = ModelSpec(path: path, layout: .gguf, architecture: architecture, family: family, text: text, ggufMetadata: metadata, tensors: tensors)
        try validate(spec)
        return spec
    }

    /// Checks that every decoder tensor is present once with the shape the hyper-parameters imply. The
    /// work is bounded by the tensors the file holds, not by the layer count it claims (a 4 KB file may
    /// claim 65,536 layers).
    static func validate(_ spec: ModelSpec) throws {
        let p = spec.text
        let qWidth = p.headCount * p.headDimension
        let kvWidth = p.keyValueHeadCount * p.headDimension
        func expectedShape(_ role: TensorRole) -> [Int]? {
            if role.parameter == "bias" {  // Qwen2's attention biases; other biases are not checked
                guard spec.family == .qwen2, role.layer != nil else { return nil }
                switch role.kind {
                case .attentionQuery: return [qWidth]
                case .attentionKey, .attentionValue: return [kvWidth]
                default: return nil
                }
            }
            guard role.parameter == "weight", (role.layer == nil) == globalKinds.contains(role.kind) else { return nil }
            switch role.kind {
            case .tokenEmbedding: return [p.vocabularySize, p.hiddenSize]
            case .output: return p.tiedEmbeddings ? nil : [p.vocabularySize, p.hiddenSize]
            case .outputNorm, .attentionNorm, .feedForwardNorm: return [p.hiddenSize]
            case .postAttentionNorm, .postFeedForwardNorm: return spec.family.hasPostNorms ? [p.hiddenSize] : nil
            case .attentionQuery: return [qWidth, p.hiddenSize]
            case .attentionQKV: return spec.family == .phi3 ? [qWidth + 2 * kvWidth, p.hiddenSize] : nil
            case .attentionKey, .attentionValue: return [kvWidth, p.hiddenSize]
            case .attentionOutput: return [p.hiddenSize, qWidth]
            case .feedForwardUp where spec.family == .phi3: return [2 * p.intermediateSize, p.hiddenSize]
            case .feedForwardGate, .feedForwardUp: return [p.intermediateSize, p.hiddenSize]
            case .feedForwardDown: return [p.hiddenSize, p.intermediateSize]
            case .attentionQueryNorm, .attentionKeyNorm: return spec.family.hasQueryKeyNorms ? [p.headDimension] : nil
            case .ropeFrequencies, .ropeLongFactors, .ropeShortFactors, .multimodal: return nil  // the runtime checks their lengths
            }
        }
        var seen = Set<TensorRole>()
        for tensor in spec.tensors where tensor.role.kind != .multimodal {
            guard seen.insert(tensor.role).inserted else {
                throw CheckpointError(.unknownTensor, path: spec.path, "tensor \"\(tensor.name)\" duplicates another name for \(tensor.role)")
            }
            if let layer = tensor.role.layer, layer >= p.layerCount {
                throw CheckpointError(.unknownTensor, path: spec.path, "tensor \"\(tensor.name)\" belongs to layer \(layer) but the model has \(p.layerCount) layers")
            }
            if let shape = expectedShape(tensor.role), shape != tensor.shape {
                throw CheckpointError(.shapeMismatch, path: spec.path, "tensor \"\(tensor.name)\" has shape \(tensor.shape) but the configuration implies \(shape)")
            }
        }
        // The tensors only some families have in every layer.
        func familyRoles(layer: Int) -> [TensorRole] {
            switch spec.family {
            case .llama: []
            case .qwen2: [.attentionQuery, .attentionKey, .attentionValue].map { TensorRole($0, layer: layer, parameter: "bias") }
            case .qwen3: [.attentionQueryNorm, .attentionKeyNorm].map { TensorRole($0, layer: layer) }
            case .gemma3: [.attentionQueryNorm, .attentionKeyNorm, .postAttentionNorm, .postFeedForwardNorm].map { TensorRole($0, layer: layer) }
            case .gemma2: [.postAttentionNorm, .postFeedForwardNorm].map { TensorRole($0, layer: layer) }
            case .phi3: []
            }
        }
        // The first missing tensor in (layer, kind) order; the search ends there.
        func firstMissing() -> TensorRole? {
            for role in globalKinds.map({ TensorRole($0) }) where expectedShape(role) != nil && !seen.contains(role) { return role }
            for layer in 0..<p.layerCount {
                let separateQKV = seen.contains(TensorRole(.attentionQuery, layer: layer)) && !seen.contains(TensorRole(.attentionQKV, layer: layer))
                let kinds = spec.family != .phi3 ? layerKinds : separateQKV ? phi3SeparateQKVLayerKinds : phi3LayerKinds
                for kind in kinds where !seen.contains(TensorRole(kind, layer: layer)) {
                    return TensorRole(kind, layer: layer)
                }
                for role in familyRoles(layer: layer) where !seen.contains(role) { return role }
            }
            return nil
        }
        if let missing = firstMissing() {
            throw CheckpointError(.missingTensor, path: spec.path, "tensor \"\(spec.layout.name(of: missing))\" is missing")
        }
        if let vision = spec.vision {
            for (name, id) in [("[IMG]", vision.imageTokenId), ("[IMG_BREAK]", vision.imageBreakTokenId), ("[IMG_END]", vision.imageEndTokenId)] {
                if let id, !(0..<p.vocabularySize).contains(id) {
                    throw CheckpointError(.invalidConfig, path: spec.path, "\(name) token id \(id) is outside the vocabulary of \(p.vocabularySize)")
                }
            }
            try spec.visionSpec?.validate()
        }
    }
}
