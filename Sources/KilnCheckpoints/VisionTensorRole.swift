/// What a tensor of a Pixtral vision tower or its Llava projector is, whatever the layout calls it.
///
/// The converter, the mmproj writer and the vision runtime look tensors up by this role; each layout
/// (``VisionTensorNaming``) translates it to and from its own names.
public struct VisionTensorRole: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        /// The patch convolution, `[hidden, channels, patch, patch]`.
        case patchEmbedding
        /// RMSNorm before the first layer (`ln_pre`).
        case preNorm
        case attentionNorm, attentionQuery, attentionKey, attentionValue, attentionOutput
        case feedForwardNorm, feedForwardGate, feedForwardUp, feedForwardDown
        /// The Llava projector: linear → GELU → linear.
        case projectorIn, projectorOut
        /// The text embedding of `[IMG_BREAK]`, which separates rows of image patches: its own tensor in
        /// an mmproj file, a row of the token embedding in a model folder.
        case imageBreakEmbedding
    }

    public var kind: Kind
    /// Encoder layer index for per-layer tensors.
    public var layer: Int?
    /// `weight` or `bias`.
    public var parameter: String

    public init(_ kind: Kind, layer: Int? = nil, parameter: String = "weight") {
        self.kind = kind
        self.layer = layer
        self.parameter = parameter
    }

    public var isNorm: Bool { [.preNorm, .attentionNorm, .feedForwardNorm].contains(kind) }

    public var description: String { "vision " + (layer.map { "layer \($0) " } ?? "") + "\(kind.rawValue).\(parameter)" }
}
