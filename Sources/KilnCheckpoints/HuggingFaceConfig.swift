import Foundation
import KilnCore

/// Reads `config.json` the way transformers does, filling the defaults a config may omit.
///
/// Pixtral's published config, for one, leaves out the text head count and every vision size.
enum HuggingFaceConfig {
    /// Defaults of transformers' `MistralConfig`, `LlamaConfig`, `Qwen2Config`, `Qwen3Config`,
    /// `Gemma3TextConfig` and `Gemma2Config`.
    private static func textDefaults(modelType: String) -> [String: JSON] {
        let common: [String: JSON] = [
            "vocab_size": .number("32000"), "hidden_size": .number("4096"), "num_hidden_layers": .number("32"),
            "num_attention_heads": .number("32"), "rms_norm_eps": .number("1e-6"), "rope_theta": .number("10000.0"),
            "tie_word_embeddings": .bool(false),
        ]
        switch modelType {
        case "qwen2":
            return common.merging(["vocab_size": .number("151936"), "intermediate_size": .number("22016"),
                                   "max_position_embeddings": .number("32768")]) { $1 }
        case "qwen3":
            return common.merging(["vocab_size": .number("151936"), "intermediate_size": .number("22016"),
                                   "max_position_embeddings": .number("32768"), "head_dim": .number("128")]) { $1 }
        case "gemma3_text":
            return common.merging(["vocab_size": .number("262208"), "hidden_size": .number("2304"), "intermediate_size": .number("9216"),
                                   "num_hidden_layers": .number("26"), "num_attention_heads": .number("8"), "head_dim": .number("256"),
                                   "max_position_embeddings": .number("131072"), "rope_theta": .number("1000000.0"),
                                   "tie_word_embeddings": .bool(true)]) { $1 }
        case "gemma2":
            return common.merging(["vocab_size": .number("256000"), "hidden_size": .number("2304"), "intermediate_size": .number("9216"),
                                   "num_hidden_layers": .number("26"), "num_attention_heads": .number("8"),
                                   "head_dim": .number("256"), "max_position_embeddings": .number("8192"), "tie_word_embeddings": .bool(true)]) { $1 }
        case "mistral":
            return common.merging(["intermediate_size": .number("14336"), "num_key_value_heads": .number("8"),
                                   "max_position_embeddings": .number("131072")]) { $1 }
        default:
            return common.merging(["intermediate_size": .number("11008"), "max_position_embeddings": .number("2048")]) { $1 }
        }
    }

    /// Defaults of transformers' `PixtralVisionConfig`.
    private static let visionDefaults: [String: JSON] = [
        "hidden_size": .number("1024"), "intermediate_size": .number("4096"), "num_hidden_layers": .number("24"),
        "num_attention_heads": .number("16"), "num_channels": .number("3"), "image_size": .number("1024"),
        "patch_size": .number("16"), "hidden_act": .string("gelu"), "rope_theta": .number("10000.0"),
    ]

    /// - Parameter prefix: where `config` sits in the file (`text_config.` for Llava), for messages.
    static func textParameters(_ config: JSON, modelType: String, path: String, prefix: String = "") throws -> TextModelParameters {
        let defaults = textDefaults(modelType: modelType)
        func int(_ key: String, _ range: ClosedRange<Int>) throws -> Int {
            guard let v = try config.integer(key, in: range, path: path, name: prefix + key) ?? defaults[key]?.intValue else {
                throw CheckpointError(.invalidConfig, path: path, "\"\(prefix + key)\" is missing")
            }
            return v
        }
        func positive(_ json: JSON?, _ key: String, below limit: Double? = nil, name: String? = nil) throws -> Double? {
            try json?.positiveNumber(key, below: limit, path: path, name: name ?? prefix + key)
        }
        let heads = try int("num_attention_heads", ValueLimits.heads)
        let kvHeads = try config.integer("num_key_value_heads", in: ValueLimits.heads, path: path, name: prefix + "num_key_value_heads") ?? heads
        // transformers 5 moved rope settings into `rope_parameters` (per attention type for Gemma 3).
        let ropeParameters = config["rope_parameters"]?["full_attention"] ?? config["rope_parameters"]
        guard let ropeTheta = try positive(ropeParameters, "rope_theta", name: prefix + "rope_parameters.rope_theta")
            ?? positive(config, "rope_theta") ?? defaults["rope_theta"]?.doubleValue
        else { throw CheckpointError(.invalidConfig, path: path, "\"\(prefix)rope_theta\" is missing") }
        var scaling: RopeScaling?
        let scalingKey = config["rope_scaling"].flatMap({ $0.isNull ? nil : $0 }) != nil ? "rope_scaling" : "rope_parameters"
        if let s = config["rope_scaling"].flatMap({ $0.isNull ? nil : $0 }) ?? ropeParameters,
           let type = (s["rope_type"] ?? s["type"])?.stringValue, type != "default",
           let factor = try positive(s, "factor", name: "\(prefix)\(scalingKey).factor") {
            func scalingValue(_ key: String) throws -> Double? { try positive(s, key, name: "\(prefix)\(scalingKey).\(key)") }
            scaling = RopeScaling(type: type, factor: factor, lowFrequencyFactor: try scalingValue("low_freq_factor"),
                                  highFrequencyFactor: try scalingValue("high_freq_factor"),
                                  originalContextLength: try s.integer("original_max_position_embeddings", in: ValueLimits.contextLength, path: path,
                                                                       name: "\(prefix)\(scalingKey).original_max_position_embeddings")
                                      ?? config.integer("original_max_position_embeddings", in: ValueLimits.contextLength, path: path,
                                                        name: prefix + "original_max_position_embeddings"),
                                  extrapolationFactor: try scalingValue("extrapolation_factor"),
                                  attentionFactor: try scalingValue("attention_factor") ?? scalingValue("attn_factor"),
                                  betaFast: try scalingValue("beta_fast"), betaSlow: try scalingValue("beta_slow"))
        }
        guard let epsilon = try positive(config, "rms_norm_eps", below: 1) ?? defaults["rms_norm_eps"]?.doubleValue else {
            throw CheckpointError(.invalidConfig, path: path, "\"\(prefix)rms_norm_eps\" is missing")
        }
        var parameters = TextModelParameters(
            layerCount: try int("num_hidden_layers", ValueLimits.layers), hiddenSize: try int("hidden_size", ValueLimits.width),
            intermediateSize: try int("intermediate_size", ValueLimits.width), headCount: heads, keyValueHeadCount: kvHeads,
            explicitHeadDimension: try config.integer("head_dim", in: ValueLimits.width, path: path, name: prefix + "head_dim") ?? defaults["head_dim"]?.intValue,
            vocabularySize: try int("vocab_size", ValueLimits.vocabulary),
            contextLength: try int("max_position_embeddings", ValueLimits.contextLength), rmsNormEpsilon: epsilon,
            ropeTheta: ropeTheta, ropeScaling: scaling, tiedEmbeddings: (config["tie_word_embeddings"] ?? defaults["tie_word_embeddings"])?.boolValue ?? false
        )
        guard heads % kvHeads == 0 else {
            throw CheckpointError(.invalidConfig, path: path, "\(heads) attention heads cannot be grouped over \(kvHeads) key/value heads")
        }
        switch modelType {
        case "gemma3_text": try gemmaParameters(config, family: .gemma3, into: &parameters, path: path, prefix: prefix)
        case "gemma2": try gemmaParameters(config, family: .gemma2, into: &parameters, path: path, prefix: prefix)
        default: break
        }
        return parameters
    }

    /// Gemma's sliding window, local RoPE base (Gemma 3), query scale and soft-caps, and the checks that
    /// the model is the one llama.cpp runs: GELU-tanh, its fixed layer pattern, an attention soft-cap
    /// in Gemma 2 and none in Gemma 3.
    private static func gemmaParameters(_ config: JSON, family: ModelFamily, into p: inout TextModelParameters, path: String, prefix: String) throws {
        func fail(_ message: String) -> CheckpointError { CheckpointError(.unsupportedArchitecture, path: path, message) }
        func number(_ key: String) throws -> Double? {
            guard let value = config[key], !value.isNull else { return nil }
            return try config.positiveNumber(key, path: path, name: prefix + key)
        }
        let name = family == .gemma3 ? "Gemma 3" : "Gemma 2"
        p.slidingWindow = try config.integer("sliding_window", in: ValueLimits.contextLength, path: path, name: prefix + "sliding_window") ?? 4096
        p.slidingWindowPattern = family.slidingWindowPattern
        p.queryScale = try number("query_pre_attn_scalar") ?? 256
        if family == .gemma3 {
            p.slidingRopeTheta = try config["rope_parameters"]?["sliding_attention"]?.positiveNumber("rope_theta", path: path, name: prefix + "rope_parameters.sliding_attention.rope_theta")
                ?? config.positiveNumber("rope_local_base_freq", path: path, name: prefix + "rope_local_base_freq") ?? 10000
            p.finalLogitSoftcap = try number("final_logit_softcapping")
            if try number("attn_logit_softcapping") != nil { throw fail("\(prefix)attn_logit_softcapping is set; Gemma 3 has none") }
        } else {
            // transformers' defaults; llama.cpp always caps Gemma 2's attention and logits.
            let present = { (key: String) in config[key].map { !$0.isNull } ?? true }
            guard present("attn_logit_softcapping"), present("final_logit_softcapping") else {
                throw fail("\(prefix)a soft-cap is null; llama.cpp runs Gemma 2 with both attention and final logit soft-caps")
            }
            p.attentionLogitSoftcap = try number("attn_logit_softcapping") ?? 50
            p.finalLogitSoftcap = try number("final_logit_softcapping") ?? 30
        }
        let activation = (config["hidden_activation"] ?? config["hidden_act"])?.stringValue ?? "gelu_pytorch_tanh"
        guard activation == "gelu_pytorch_tanh" else { throw fail("\(prefix)hidden_activation is \(activation); Kiln runs \(name) with gelu_pytorch_tanh") }
        if let types = config["layer_types"]?.arrayValue {
            let sliding = types.map { $0.stringValue == "sliding_attention" }
            guard sliding.count == p.layerCount, sliding.indices.allSatisfy({ sliding[$0] == p.isSlidingWindowLayer($0) }) else {
                throw fail("\(prefix)layer_types is not \(name)'s pattern (\(p.slidingWindowPattern! - 1) sliding-window layers to one global), which llama.cpp assumes")
            }
        }
    }

    /// The vision tower's parameters; `projectionSize` is the text hidden size, image mean/std come
    /// from `preprocessor_config.json` overlaid by `processor_config.json` (as llama.cpp's converter
    /// reads them) and the image token ids from `config.json` and the tokenizer's added tokens.
    static func visionParameters(_ config: JSON, root: JSON, path: String, projectionSize: Int, folder: String) throws -> VisionModelParameters {
        func int(_ key: String, _ range: ClosedRange<Int>) throws -> Int {
            guard let v = try config.integer(key, in: range, path: path, name: "vision_config.\(key)") ?? visionDefaults[key]?.intValue else {
                throw CheckpointError(.invalidConfig, path: path, "\"vision_config.\(key)\" is missing")
            }
            return v
        }
        let imageToken = root["image_token_index"] != nil ? "image_token_index" : "image_token_id"
        var parameters = VisionModelParameters(
            hiddenSize: try int("hidden_size", ValueLimits.width), intermediateSize: try int("intermediate_size", ValueLimits.width),
            layerCount: try int("num_hidden_layers", ValueLimits.layers), headCount: try int("num_attention_heads", ValueLimits.heads),
            imageSize: try int("image_size", ValueLimits.width), patchSize: try int("patch_size", ValueLimits.width),
            channelCount: try int("num_channels", ValueLimits.width),
            ropeTheta: try config.positiveNumber("rope_theta", path: path, name: "vision_config.rope_theta") ?? 10000,
            activation: (config["hidden_act"] ?? visionDefaults["hidden_act"])?.stringValue ?? "gelu",
            projectorActivation: root["projector_hidden_act"]?.stringValue ?? "gelu", projectionSize: projectionSize,
            layerNormEpsilon: try config.positiveNumber("layer_norm_eps", below: 1, path: path, name: "vision_config.layer_norm_eps") ?? 1e-5,
            imageTokenId: try root.integer(imageToken, in: ValueLimits.tokenID, path: path)
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
                if let content = token["content"]?.stringValue, contents.contains(content), found[content] == nil, let id = Int(id), ValueLimits.tokenID.contains(id) {
                    found[content] = id
                }
            }
        }
        let tokenizerPath = "\(folder)/tokenizer.json"
        if found.count < contents.count, FileManager.default.fileExists(atPath: tokenizerPath) {
            for token in try JSON.read(contentsOf: tokenizerPath, rejectDuplicateKeys: false)["added_tokens"]?.arrayValue ?? [] {
                if let content = token["content"]?.stringValue, contents.contains(content), found[content] == nil,
                   let id = token["id"]?.intValue, ValueLimits.tokenID.contains(id) {
                    found[content] = id
                }
            }
        }
        return found
    }
}
