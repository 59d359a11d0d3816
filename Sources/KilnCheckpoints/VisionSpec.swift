import Foundation
import KilnSafeTensors

/// The vision tower and projector of a multimodal model, whatever it came from: a model folder
/// (Hugging Face Llava or Mistral native) or an mmproj GGUF.
///
/// The mmproj writer and the vision runtime work on this value, as the text pipeline works on
/// ``ModelSpec``.
public struct VisionSpec: Sendable {
    /// The folder or file the vision tower was read from.
    public var path: String
    public var parameters: VisionModelParameters
    /// How Q/K rows of the encoder's attention pair rotary dimensions: Hugging Face weights pair
    /// halves; Mistral native weights and mmproj files (permuted by the converter) interleave.
    public var rotaryPairing: CheckpointLayout.RotaryPairing
    /// Encoder and projector tensors, each with `role.vision` set, and the `[IMG_BREAK]` embedding
    /// when the source has one.
    public var tensors: [ModelTensor]

    public init(path: String, parameters: VisionModelParameters, rotaryPairing: CheckpointLayout.RotaryPairing, tensors: [ModelTensor]) {
        self.path = path
        self.parameters = parameters
        self.rotaryPairing = rotaryPairing
        self.tensors = tensors
    }

    public func tensor(_ role: VisionTensorRole) -> ModelTensor? { tensors.first { $0.role.vision == role } }

    /// The text embedding that llama.cpp inserts after each row of image patches but the last:
    /// `[projectionSize]` values.
    public var imageBreakEmbedding: ModelTensor? { tensor(VisionTensorRole(.imageBreakEmbedding)) }

    /// The shape (outermost first) each role must have, from the parameters; projector biases and the
    /// `[IMG_BREAK]` embedding are optional.
    public var expectedShapes: [VisionTensorRole: [Int]] {
        let p = parameters
        var shapes: [VisionTensorRole: [Int]] = [
            VisionTensorRole(.patchEmbedding): [p.hiddenSize, p.channelCount, p.patchSize, p.patchSize],
            VisionTensorRole(.preNorm): [p.hiddenSize],
            VisionTensorRole(.projectorIn): [p.projectionSize, p.hiddenSize],
            VisionTensorRole(.projectorOut): [p.projectionSize, p.projectionSize],
        ]
        for layer in 0..<p.layerCount {
            shapes[VisionTensorRole(.attentionNorm, layer: layer)] = [p.hiddenSize]
            for kind in [VisionTensorRole.Kind.attentionQuery, .attentionKey, .attentionValue, .attentionOutput] {
                shapes[VisionTensorRole(kind, layer: layer)] = [p.hiddenSize, p.hiddenSize]
            }
            shapes[VisionTensorRole(.feedForwardNorm, layer: layer)] = [p.hiddenSize]
            shapes[VisionTensorRole(.feedForwardGate, layer: layer)] = [p.intermediateSize, p.hiddenSize]
            shapes[VisionTensorRole(.feedForwardUp, layer: layer)] = [p.intermediateSize, p.hiddenSize]
            shapes[VisionTensorRole(.feedForwardDown, layer: layer)] = [p.hiddenSize, p.intermediateSize]
        }
        return shapes
    }

    /// Shapes of the tensors that may be absent.
    var optionalShapes: [VisionTensorRole: [Int]] {
        let p = parameters
        return [
            VisionTensorRole(.projectorIn, parameter: "bias"): [p.projectionSize],
            VisionTensorRole(.projectorOut, parameter: "bias"): [p.projectionSize],
            VisionTensorRole(.imageBreakEmbedding): [p.projectionSize],
        ]
    }

    /// The most patches one image may have: Pixtral-12B's 1024-pixel images in 16-pixel patches give
    /// 4096; the bound keeps a hostile configuration from sizing gigabytes of activations.
    public static let maximumPatchesPerImage = 1 << 16

    /// Checks the parameters (before any shape or buffer is computed from them), then that every
    /// tensor is known, present once, and shaped as the parameters imply.
    public func validate() throws {
        let p = parameters
        func check(_ condition: Bool, _ message: @autoclosure () -> String) throws {
            guard condition else { throw CheckpointError(.invalidConfig, path: path, "vision tower: " + message()) }
        }
        try check([p.hiddenSize, p.intermediateSize, p.projectionSize, p.layerCount, p.headCount, p.patchSize, p.imageSize].allSatisfy { $0 > 0 },
                  "sizes and counts must be positive")
        try check(p.hiddenSize <= 1 << 16 && p.intermediateSize <= 1 << 18 && p.projectionSize <= 1 << 18 && p.layerCount <= 1024,
                  "\(p.hiddenSize) channels, \(p.intermediateSize) MLP channels, \(p.projectionSize) projected channels and \(p.layerCount) layers exceed what any vision tower has")
        try check(p.headCount <= p.hiddenSize && p.hiddenSize % p.headCount == 0 && (p.hiddenSize / p.headCount) % 4 == 0,
                  "\(p.hiddenSize) channels do not split into \(p.headCount) heads of a dimension divisible by 4 (2-D rotary positions)")
        try check(p.channelCount == 3, "\(p.channelCount) input channels; images are RGB")
        try check(p.patchSize <= p.imageSize && p.imageSize <= 1 << 15
                  && (p.imageSize / p.patchSize) * (p.imageSize / p.patchSize) <= Self.maximumPatchesPerImage,
                  "images of \(p.imageSize) pixels in \(p.patchSize)-pixel patches exceed \(Self.maximumPatchesPerImage) patches")
        try check(p.ropeTheta.isFinite && p.ropeTheta > 0, "rope theta \(p.ropeTheta) is not a positive number")
        try check(p.layerNormEpsilon.isFinite && p.layerNormEpsilon > 0 && p.layerNormEpsilon < 1, "norm epsilon \(p.layerNormEpsilon) is not in (0, 1)")
        let required = expectedShapes
        let optional = optionalShapes
        var seen = Set<VisionTensorRole>()
        for tensor in tensors {
            guard let role = tensor.role.vision else {
                throw CheckpointError(.unknownTensor, path: path, "tensor \"\(tensor.name)\" is not part of a Pixtral vision tower or projector")
            }
            guard seen.insert(role).inserted else {
                throw CheckpointError(.unknownTensor, path: path, "tensor \"\(tensor.name)\" duplicates another name for \(role)")
            }
            if let layer = role.layer, layer >= parameters.layerCount {
                throw CheckpointError(.unknownTensor, path: path, "tensor \"\(tensor.name)\" belongs to vision layer \(layer) but the vision tower has \(parameters.layerCount) layers")
            }
            guard let shape = required[role] ?? optional[role] else {
                throw CheckpointError(.unknownTensor, path: path, "tensor \"\(tensor.name)\" (\(role)) is not part of a Pixtral vision tower or projector")
            }
            guard shape == tensor.shape else {
                throw CheckpointError(.shapeMismatch, path: path, "tensor \"\(tensor.name)\" has shape \(tensor.shape) but the vision configuration implies \(shape)")
            }
        }
        if let missing = required.keys.filter({ !seen.contains($0) }).min(by: { ($0.layer ?? -1, $0.kind.rawValue) < ($1.layer ?? -1, $1.kind.rawValue) }) {
            throw CheckpointError(.missingTensor, path: path, "\(missing) is missing")
        }
    }
}

extension ModelSpec {
    /// A model folder's `preprocessor_config.json` (image size, normalization), when it has one.
    public var preprocessorConfig: String? {
        guard let folder = tokenizerFiles?.folder else { return nil }
        let path = "\(folder)/preprocessor_config.json"
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// The vision tower of a multimodal checkpoint, nil for a text-only model. The `[IMG_BREAK]`
    /// embedding is a view of that row of the token embedding, named `<embedding>[<id>]`.
    public var visionSpec: VisionSpec? {
        guard let vision else { return nil }
        var visionTensors = tensors.filter { $0.role.vision != nil }
        if let row = vision.imageBreakTokenId, let embedding = tensor(TensorRole(.tokenEmbedding)),
           let view = embedding.rowView(row, role: .multimodal("\(embedding.name)[\(row)]", vision: VisionTensorRole(.imageBreakEmbedding))) {
            visionTensors.append(view)
        }
        return VisionSpec(path: path, parameters: vision, rotaryPairing: layout.rotaryPairing, tensors: visionTensors)
    }
}

extension ModelTensor {
    /// One row of a 2-D safetensors tensor as a 1-D tensor over the same bytes, nil when the row is
    /// out of range or the rows are not plain elements.
    func rowView(_ row: Int, role: TensorRole) -> ModelTensor? {
        guard shape.count == 2, row >= 0, row < shape[0], case let .safetensors(dtype) = encoding else { return nil }
        let rowBytes = shape[1] * dtype.byteSize
        let source: TensorSource
        switch self.source {
        case let .mapped(file, range): source = .mapped(file, range.lowerBound + row * rowBytes..<range.lowerBound + (row + 1) * rowBytes)
        case .zeros: source = .zeros
        case let .values(bytes): source = .values(Array(bytes[row * rowBytes..<(row + 1) * rowBytes]))
        }
        return ModelTensor(name: role.multimodalName ?? name, role: role, shape: [shape[1]], encoding: encoding, source: source)
    }
}
