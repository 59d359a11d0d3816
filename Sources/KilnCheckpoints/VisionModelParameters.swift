import KilnImages

/// Hyper-parameters of a Pixtral vision tower, its Llava projector and the image preprocessing they
/// were trained with.
public struct VisionModelParameters: Sendable, Equatable {
    public var hiddenSize: Int
    public var intermediateSize: Int
    public var layerCount: Int
    public var headCount: Int
    public var imageSize: Int
    public var patchSize: Int
    public var channelCount: Int
    public var ropeTheta: Double
    /// The encoder MLP's gate activation (`silu` for Pixtral, transformers' default `gelu`).
    public var activation: String
    public var projectorActivation: String
    /// Width of the projector's output: the text model's hidden size.
    public var projectionSize: Int
    /// Epsilon of the encoder's RMSNorms (transformers hard-codes 1e-5; Mistral's params.json says `norm_eps`).
    public var layerNormEpsilon: Double
    /// Per-channel normalization of pixel values after rescaling to [0, 1].
    public var imageMean: [Double]
    public var imageStd: [Double]
    /// Text token ids of `[IMG]`, `[IMG_BREAK]` and `[IMG_END]`, when the source names them (a model
    /// folder does; an mmproj file does not, its text GGUF's vocabulary does).
    public var imageTokenId: Int?
    public var imageBreakTokenId: Int?
    public var imageEndTokenId: Int?

    /// OpenAI CLIP's normalization, which Pixtral uses (`PixtralImageProcessor`'s and mistral_common's defaults).
    /// (The numbers live once, with the image processor that defaults to them.)
    public static let clipImageMean = PixtralImageProcessor.pixtralMean
    public static let clipImageStd = PixtralImageProcessor.pixtralStandardDeviation

    public init(hiddenSize: Int, intermediateSize: Int, layerCount: Int, headCount: Int, imageSize: Int, patchSize: Int,
                channelCount: Int, ropeTheta: Double, activation: String, projectorActivation: String, projectionSize: Int,
                layerNormEpsilon: Double = 1e-5, imageMean: [Double] = clipImageMean, imageStd: [Double] = clipImageStd,
                imageTokenId: Int? = nil, imageBreakTokenId: Int? = nil, imageEndTokenId: Int? = nil) {
        self.hiddenSize = hiddenSize
        self.intermediateSize = intermediateSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.imageSize = imageSize
        self.patchSize = patchSize
        self.channelCount = channelCount
        self.ropeTheta = ropeTheta
        self.activation = activation
        self.projectorActivation = projectorActivation
        self.projectionSize = projectionSize
        self.layerNormEpsilon = layerNormEpsilon
        self.imageMean = imageMean
        self.imageStd = imageStd
        self.imageTokenId = imageTokenId
        self.imageBreakTokenId = imageBreakTokenId
        self.imageEndTokenId = imageEndTokenId
    }

    public var headDimension: Int { hiddenSize / max(headCount, 1) }
}
