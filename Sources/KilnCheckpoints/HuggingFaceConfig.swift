import Foundation
import KilnCore

/// Reads `config.json` the way transformers does, filling the defaults a config may omit.
///
/// Pixtral's published config, for one, leaves out the text head count and every vision size.
enum HuggingFaceConfig {
    static let supportedArchitectures = ["LlamaForCausalLM", "MistralForCausalLM", "LlavaForConditionalGeneration"]

    /// Defaults of transformers' `MistralConfig` and `LlamaConfig`.
    private static func textDefaults(modelType: String) -> [String: JSON] {
        let common: [String: JSON] = [
            "vocab_size": .number("32000"), "hidden_size": .number("4096"), "num_hidden_layers": .number("32"),
            "num_attention_heads": .number("32"), "rms_norm_eps": .number("1e-6"), "rope_theta": .number("10000.0"),
            "tie_word_embeddings": .bool(false),
        ]
        if modelType == "mistral" {
            return common.merging(["intermediate_size": .number("14336"), "num_key_value_heads": .number("8"),
                                   "max_position_embeddings": .number("131072")]) { $1 }
        }
        return common.merging(["intermediate_size": .number("11008"), "max_position_embeddings": .number("2048")]) { $1 }
    }

    /// Defaults of transformers' `PixtralVisionConfig`.
    private static let visionDefaults: [String: JSON] = [
        "hidden_size": .number("1024"), "intermediate_size": .number("4096"), "num_hidden_layers": .number("24"),
        "num_attention_heads": .number("16"), "num_channels": .number("3"), "image_size": .number("1024"),
        "patch_size": .number("16"), "hidden_act": .string("gelu"), "rope_theta": .number("10000.0"),
    ]

    static func textParameters(_ config: JSON, modelType: String, path: String) throws -> TextModelParameters {
        let defaults = textDefaults(modelType: modelType)
        func value(_ key: String) -> JSON? {
            if let v = config[key], !v.isNull { return v }
            return defaults[key]
        }
        func int(_ key: String) throws -> Int {
            guard let v = value(key)?.intValue, v >= 0 else {
                throw CheckpointError(.invalidConfig, path: path, "\"\(key)\" is missing or not a non-negative integer")
            }
            return v
        }
        func double(_ key: String) throws -> Double {
            guard let v = value(key)?.doubleValue else {
                throw CheckpointError(.invalidConfig, path: path, "\"\(key)\" is missing or not a number")
            }
            return v
        }
        let heads = try int("num_attention_heads")
        let kvHeads = value("num_key_value_heads")?.intValue ?? heads
        // transformers 5 moved rope settings into `rope_parameters`.
        let ropeParameters = config["rope_parameters"]
        let ropeTheta = try ropeParameters?["rope_theta"]?.doubleValue ?? double("rope_theta")
        var scaling: RopeScaling?
        if let s = config["rope_scaling"].flatMap({ $0.isNull ? nil : $0 }) ?? ropeParameters,
           let type = (s["rope_type"] ?? s["type"])?.stringValue, type != "default", let factor = s["factor"]?.doubleValue {
            scaling = RopeScaling(type: type, factor: factor, lowFrequencyFactor: s["low_freq_factor"]?.doubleValue,
                                  highFrequencyFactor: s["high_freq_factor"]?.doubleValue,
                                  originalContextLength: (s["original_max_position_embeddings"] ?? config["original_max_position_embeddings"])?.intValue,
                                  extrapolationFactor: s["extrapolation_factor"]?.doubleValue,
                                  attentionFactor: (s["attention_factor"] ?? s["attn_factor"])?.doubleValue,
                                  betaFast: s["beta_fast"]?.doubleValue, betaSlow: s["beta_slow"]?.doubleValue)
        }
        let parameters = TextModelParameters(
            layerCount: try int("num_hidden_layers"), hiddenSize: try int("hidden_size"),
            intermediateSize: try int("intermediate_size"), headCount: heads, keyValueHeadCount: kvHeads,
            explicitHeadDimension: config["head_dim"]?.intValue, vocabularySize: try int("vocab_size"),
            contextLength: try int("max_position_embeddings"), rmsNormEpsilon: try double("rms_norm_eps"),
            ropeTheta: ropeTheta, ropeScaling: scaling, tiedEmbeddings: value("tie_word_embeddings")?.boolValue ?? false
        )
        guard heads > 0, kvHeads > 0, heads % kvHeads == 0 else {
            throw CheckpointError(.invalidConfig, path: path, "\(heads) attention heads cannot be grouped over \(kvHeads) key/value heads")
        }
        return parameters
    }

    /// The vision tower's parameters; `projectionSize` is the text hidden size, image mean/std come
    /// from `preprocessor_config.json` overlaid by `processor_config.json` (as llama.cpp's converter
    /// reads them) and the image token ids from `config.json` and the tokenizer's added tokens.
    static func visionParameters(_ config: JSON, root: JSON, path: String, projectionSize: Int, folder: String) throws -> VisionModelParameters {
        func value(_ key: String) -> JSON? {
            if let v = config[key], !v.isNull { return v }
            return visionDefaults[key]
        }
        func int(_ key: String) throws -> Int {
            guard let v = value(key)?.intValue, v > 0 else {
                throw CheckpointError(.invalidConfig, path: path, "vision_config \"\(key)\" is missing or invalid")
            }
            return v
        }
        var parameters = VisionModelParameters(
            hiddenSize: try int("hidden_size"), intermediateSize: try int("intermediate_size"),
            layerCount: try int("num_hidden_layers"), headCount: try int("num_attention_heads"),
            imageSize: try int("image_size"), patchSize: try int("patch_size"), channelCount: try int("num_channels"),
            ropeTheta: value("rope_theta")?.doubleValue ?? 10000, activation: value("hidden_act")?.stringValue ?? "gelu",
            projectorActivation: root["projector_hidden_act"]?.stringValue ?? "gelu", projectionSize: projectionSize,
            layerNormEpsilon: config["layer_norm_eps"]?.doubleValue ?? 1e-5,
            imageTokenId: (root["image_token_index"] ?? root["image_token_id"])?.intValue
        )
        let (mean, std) = try imageNormalization(folder: folder)
        parameters.imageMean = mean ?? parameters.imageMean
        parameters.imageStd = std ?? parameters.imageStd
        let ids = try addedTokenIDs(["[IMG]", "[IMG_BREAK]", "[IMG_END]"], folder: folder)
        parameters.imageTokenId = parameters.imageTokenId ?? ids["[IMG]"]
        parameters.imageBreakTokenId = ids["[IMG_BREAK]"]
        parameters.imageEndTokenId = ids["[IMG_END]"]
        return parameters
    }

    /// `image_mean` / `image_std` of the image processor, nil where no file states them.
    private static func imageNormalization(folder: String) throws -> (mean: [Double]?, std: [Double]?) {
        var mean: [Double]?
        var std: [Double]?
        for (name, nested) in [("preprocessor_config.json", "media_proc_cfg"), ("processor_config.json", "image_processor")] {
            let path = "\(folder)/\(name)"
            guard FileManager.default.fileExists(atPath: path) else { continue }
            let config = try JSON.read(contentsOf: path, rejectDuplicateKeys: false)
            for scope in [config, config[nested]].compactMap({ $0 }) {
                func triple(_ key: String) throws -> [Double]? {
                    guard let entry = scope[key], !entry.isNull else { return nil }
                    guard let values = entry.arrayValue?.compactMap(\.doubleValue), values.count == 3, values.count == entry.arrayValue?.count,
                          values.allSatisfy(\.isFinite) else {
                        throw CheckpointError(.invalidConfig, path: path, "\"\(key)\" must be three numbers (one per RGB channel)")
                    }
                    return values
                }
                mean = try triple("image_mean") ?? mean
                std = try triple("image_std") ?? std
            }
        }
        if let std, std.contains(where: { $0 <= 0 }) {
            throw CheckpointError(.invalidConfig, path: folder, "image_std \(std) must be positive")
        }
        return (mean, std)
    }

    /// Ids of added tokens by their text, from `tokenizer_config.json`'s `added_tokens_decoder`, then
    /// `tokenizer.json`'s `added_tokens` (llama.cpp's converter looks in that order).
    private static func addedTokenIDs(_ contents: [String], folder: String) throws -> [String: Int] {
        var found: [String: Int] = [:]
        let configPath = "\(folder)/tokenizer_config.json"
        if FileManager.default.fileExists(atPath: configPath),
           case let .object(decoder)? = try JSON.read(contentsOf: configPath, rejectDuplicateKeys: false)["added_tokens_decoder"] {
            for (id, token) in decoder {
                if let content = token["content"]?.stringValue, contents.contains(content), found[content] == nil, let id = Int(id) {
                    found[content] = id
                }
            }
        }
        let tokenizerPath = "\(folder)/tokenizer.json"
        if found.count < contents.count, FileManager.default.fileExists(atPath: tokenizerPath) {
            for token in try JSON.read(contentsOf: tokenizerPath, rejectDuplicateKeys: false)["added_tokens"]?.arrayValue ?? [] {
                if let content = token["content"]?.stringValue, contents.contains(content), found[content] == nil, let id = token["id"]?.intValue {
                    found[content] = id
                }
            }
        }
        return found
    }
}
