import KilnCore

extension RopeScaling {
    /// The scaling of a Mistral native params.json: its `yarn` block (`factor`,
    /// `original_max_position_embeddings`, and `beta`/`alpha` for β fast/slow, which llama.cpp's converter
    /// writes as `yarn_beta_fast`/`yarn_beta_slow`), nil without one. The runtime uses what llama.cpp's
    /// loader takes from the converted Llama GGUF: the factor and the original context, not the βs
    /// nor `apply_scale` (the converter's `yarn_log_multiplier`), so folder and GGUF rotate alike.
    /// `llama_4_scaling` is refused: llama.cpp converts such a model as architecture `mistral3`, whose
    /// attention temperature Kiln does not model.
    init?(mistralNative params: JSON, path: String) throws {
        if let scaling = params["llama_4_scaling"], !scaling.isNull {
            throw CheckpointError(.invalidConfig, path: path, "has llama_4_scaling: llama.cpp converts such a model as architecture mistral3, which Kiln does not read")
        }
        guard let yarn = params["yarn"], !yarn.isNull else { return nil }
        func number(_ key: String) throws -> Double {
            try InvalidValue.checkedPositive(yarn[key]?.doubleValue, key: "yarn.\(key)", below: 1e6, path: path)
        }
        self.init(type: "yarn", factor: try number("factor"),
                  originalContextLength: try InvalidValue.checked(yarn["original_max_position_embeddings"]?.intValue,
                                                                  key: "yarn.original_max_position_embeddings",
                                                                  in: ValueLimits.contextLength, path: path),
                  betaFast: try number("beta"), betaSlow: try number("alpha"))
    }
}
