/// GGUF metadata key names, each spelled once (gguf-py's `constants.py` `Keys`).
public enum GGUFKey {
    public enum General {
        public static let architecture = "general.architecture"
        public static let type = "general.type"
        public static let fileType = "general.file_type"
        public static let quantizationVersion = "general.quantization_version"
    }

    /// Kiln's own keys.
    public enum Kiln {
        /// The mix `kiln quantize --budget` chose (a recipe's JSON: base type and each tensor's type).
        public static let recipe = "kiln.quantize.recipe"
    }

    /// llama.cpp's importance-matrix files (`general.type` `imatrix`, written by llama-imatrix).
    public enum Imatrix {
        /// `general.type` of an importance-matrix file.
        public static let fileType = "imatrix"
        public static let datasets = "imatrix.datasets"
        public static let chunkCount = "imatrix.chunk_count"
        public static let chunkSize = "imatrix.chunk_size"
        /// Tensor-name suffixes: Σx² per input column, and the tokens counted.
        public static let sumSuffix = ".in_sum2"
        public static let countSuffix = ".counts"
    }

    /// llama.cpp's multimodal projector files (`general.architecture` `clip`, read by `tools/mtmd/clip.cpp`).
    public enum Clip {
        public static let architecture = "clip"
        /// `general.type` of a projector file.
        public static let fileType = "mmproj"
        public static let hasVisionEncoder = "clip.has_vision_encoder"
        public static let projectorType = "clip.projector_type"
        public static let useSilu = "clip.use_silu"
        public static let useGelu = "clip.use_gelu"
        public static let ropeFrequencyBase = "clip.rope.freq_base"

        public enum Vision {
            public static let projectionDimension = "clip.vision.projection_dim"
            public static let imageSize = "clip.vision.image_size"
            public static let patchSize = "clip.vision.patch_size"
            public static let embeddingLength = "clip.vision.embedding_length"
            public static let feedForwardLength = "clip.vision.feed_forward_length"
            public static let blockCount = "clip.vision.block_count"
            public static let headCount = "clip.vision.attention.head_count"
            public static let layerNormEpsilon = "clip.vision.attention.layer_norm_epsilon"
            public static let imageMean = "clip.vision.image_mean"
            public static let imageStd = "clip.vision.image_std"
            public static let spatialMergeSize = "clip.vision.spatial_merge_size"
        }
    }
}
