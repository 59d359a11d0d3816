import Foundation
import KilnCore

extension HuggingFaceConfig {
    /// What `Phi3MiniModel` reads beyond a Llama-style config: the original context (required, from
    /// `rope_parameters`/`rope_scaling` or the top level), the rotated share of each head, the sliding
    /// window it records, and long-rope factors with the attention factor it derives from them.
    static func phi3Parameters(_ parameters: inout TextModelParameters, config: JSON, path: String) throws {
        let rope = [config["rope_parameters"], config["rope_scaling"]].lazy.compactMap { $0 }.first { !$0.isNull }
        guard let original = try rope?.integer("original_max_position_embeddings", in: ValueLimits.contextLength, path: path)
            ?? config.integer("original_max_position_embeddings", in: ValueLimits.contextLength, path: path) else {
            throw CheckpointError(.invalidConfig, path: path, "\"original_max_position_embeddings\" is missing (Phi-3 needs it)")
        }
        parameters.originalContextLength = original
        let share = try rope?.positiveNumber("partial_rotary_factor", below: 1.000_001, path: path)
            ?? config.positiveNumber("partial_rotary_factor", below: 1.000_001, path: path) ?? 1
        let dimensions = Int(share * Double(parameters.hiddenSize)) / max(parameters.headCount, 1)
        parameters.ropeDimensionCount = dimensions == parameters.headDimension ? nil : dimensions
        parameters.recordedSlidingWindow = try config.integer("sliding_window", in: 0...Int(Int32.max), path: path) ?? 0
        guard let rope, let long = rope["long_factor"], !long.isNull else { return }
        let type = (rope["rope_type"] ?? rope["type"])?.stringValue?.lowercased() ?? ""
        guard let contextLength = parameters.contextLength else {
            throw CheckpointError(.invalidConfig, path: path, "\"max_position_embeddings\" is missing")
        }
        let scale = Double(contextLength) / Double(original)
        switch type {
        case "su", "longrope": parameters.ropeAttentionFactor = scale > 1 ? (1 + log(scale) / log(Double(original))).squareRoot() : 1
        case "yarn": parameters.ropeAttentionFactor = scale > 1 ? 0.1 * log(scale) + 1 : 1
        case "": throw CheckpointError(.invalidConfig, path: path, "rope scaling has long_factor but no type")
        default: throw CheckpointError(.invalidConfig, path: path, "rope scaling type \"\(type.escapedForMessage(limit: 40))\" with long_factor is not supported (Phi-3 reads longrope, su and yarn)")
        }
        func factors(_ key: String) throws -> [Double] {
            let count = (dimensions / 2)
            guard let values = rope[key]?.arrayValue?.compactMap(\.doubleValue), values.count == rope[key]?.arrayValue?.count,
                  values.count == count, values.allSatisfy({ $0.isFinite && $0 > 0 }) else {
                throw CheckpointError(.invalidConfig, path: path, "rope scaling \"\(key)\" must be \(count) positive numbers, one per rotary pair")
            }
            return values
        }
        var scaling = parameters.ropeScaling ?? RopeScaling(type: type, factor: scale, originalContextLength: original)
        scaling.longFactors = try factors("long_factor")
        scaling.shortFactors = try factors("short_factor")
        parameters.ropeScaling = scaling
    }
}
