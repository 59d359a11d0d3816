import KilnCore
import KilnGGUF

extension RopeScaling {
    /// The scaling llama.cpp's loader takes from a Llama GGUF (`llama_model::load_hparams`):
    /// `rope.scaling.type` (linear when absent) and `rope.scaling.factor` (or the older
    /// `rope.scale_linear`), with YaRN's `rope.scaling.original_context_length`. Nil when the file
    /// scales nothing: no factor, a factor of 1, type `none`, or a type Kiln's runtime does not model.
    /// llama3 scaling is no key but the `rope_freqs` tensor; the `yarn_*` keys are read only for other
    /// architectures, so Llama's YaRN keeps llama.cpp's defaults (β 32 and 1, its own magnitude).
    public init?(gguf metadata: GGUFMetadata, architecture: String, path: String) throws {
        let typeKey = "\(architecture).rope.scaling.type"
        guard let factor = try metadata.positiveNumber("\(architecture).rope.scaling.factor", below: 1e6, path: path)
            ?? metadata.positiveNumber("\(architecture).rope.scale_linear", below: 1e6, path: path), factor != 1 else { return nil }
        let type = metadata[typeKey]?.stringValue ?? "linear"
        guard type == "linear" || type == "yarn" else { return nil }
        self.init(type: type, factor: factor,
                  originalContextLength: try metadata.integer("\(architecture).rope.scaling.original_context_length",
                                                              in: ValueLimits.contextLength, path: path))
    }
}
