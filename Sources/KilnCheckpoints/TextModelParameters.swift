/// Hyper-parameters of a Llama/Mistral-style decoder.
public struct TextModelParameters: Sendable, Equatable {
    public var layerCount: Int
    public var hiddenSize: Int
    public var intermediateSize: Int
    public var headCount: Int
    public var keyValueHeadCount: Int
    /// The head dimension when the checkpoint states it; otherwise `hiddenSize / headCount`.
    public var explicitHeadDimension: Int?
    public var vocabularySize: Int
    /// The trained context length, when the checkpoint states it (Mistral's params.json may not).
    public var contextLength: Int?
    public var rmsNormEpsilon: Double
    public var ropeTheta: Double
    public var ropeScaling: RopeScaling?
    public var tiedEmbeddings: Bool
    /// Gemma: the window of its sliding-window layers.
    public var slidingWindow: Int? = nil
    /// Gemma: every how many layers one is global, the others sliding-window (llama.cpp fixes 6 for
    /// Gemma 3, 2 for Gemma 2).
    public var slidingWindowPattern: Int? = nil
    /// Gemma 3: the RoPE base of the sliding-window layers.
    public var slidingRopeTheta: Double? = nil
    /// Gemma: queries are scaled by 1/√this (transformers' `query_pre_attn_scalar`); nil means the head dimension.
    public var queryScale: Double? = nil
    /// Gemma 2: attention scores are squashed to ±this by tanh before the softmax.
    public var attentionLogitSoftcap: Double? = nil
    /// Gemma: logits are squashed to ±this by tanh.
    public var finalLogitSoftcap: Double? = nil

    public init(
        layerCount: Int, hiddenSize: Int, intermediateSize: Int, headCount: Int, keyValueHeadCount: Int,
        explicitHeadDimension: Int?, vocabularySize: Int, contextLength: Int?, rmsNormEpsilon: Double,
        ropeTheta: Double, ropeScaling: RopeScaling? = nil, tiedEmbeddings: Bool
    ) {
        self.layerCount = layerCount
        self.hiddenSize = hiddenSize
        self.intermediateSize = intermediateSize
        self.headCount = headCount
        self.keyValueHeadCount = keyValueHeadCount
        self.explicitHeadDimension = explicitHeadDimension
        self.vocabularySize = vocabularySize
        self.contextLength = contextLength
        self.rmsNormEpsilon = rmsNormEpsilon
        self.ropeTheta = ropeTheta
        self.ropeScaling = ropeScaling
        self.tiedEmbeddings = tiedEmbeddings
    }

    public var headDimension: Int { explicitHeadDimension ?? hiddenSize / max(headCount, 1) }

    /// llama.cpp's `set_swa_pattern`: in each group of `slidingWindowPattern` layers the last is global.
    public func isSlidingWindowLayer(_ layer: Int) -> Bool {
        guard slidingWindow != nil, let pattern = slidingWindowPattern, pattern > 1 else { return false }
        return layer % pattern < pattern - 1
    }
}
