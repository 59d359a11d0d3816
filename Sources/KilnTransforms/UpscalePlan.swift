import Foundation
import KilnCheckpoints
import KilnCore

/// Which source layer each output layer of an upscaled decoder is, and which of its tensors are zero.
///
/// Applying a plan is a pure function ``ModelSpec`` → ``ModelSpec``: it renames and re-points tensor
/// sources without touching a byte, so `kiln upscale`, `kiln convert --upscale` (and later
/// `kiln quantize --upscale`) share it and differ only in the writer they hand the result to.
public struct UpscalePlan: Sendable, Equatable {
    public struct Layer: Sendable, Equatable {
        public let source: Int
        /// Tensor kinds written as zeros, weights and biases alike.
        public let zeroed: [TensorRole.Kind]

        public init(source: Int, zeroed: [TensorRole.Kind] = []) {
            self.source = source
            self.zeroed = zeroed
        }
    }

    public let sourceLayerCount: Int
    /// Output layers in order.
    public let layers: [Layer]
    /// How the plan was asked for ("solar", "map 0-23,16-39"), for reports.
    public let origin: String

    /// The plan `method` makes for `sourceLayerCount` → `layerCount` layers.
    public init(method: UpscaleMethod, sourceLayerCount: Int, layerCount: Int) throws {
        try Self.checkGrowth(from: sourceLayerCount, to: layerCount)
        self.init(sourceLayerCount: sourceLayerCount, layers: try method.layers(from: sourceLayerCount, to: layerCount), origin: method.rawValue)
    }

    /// A plan from an explicit list of source layers in output order: comma-separated layers and
    /// inclusive ranges, as in `0-23,16-39`.
    public init(map: String, sourceLayerCount: Int) throws {
        var sources: [Int] = []
        for item in map.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard (1...2).contains(bounds.count), let first = bounds.first!, let last = bounds.last! else {
                throw TransformError("malformed layer map \"\(map)\": \"\(item)\" is not a layer or a range like 16-39")
            }
            guard first <= last else {
                throw TransformError("malformed layer map \"\(map)\": the range \(item) runs backwards")
            }
            guard last < sourceLayerCount else {
                throw TransformError("layer map \"\(map)\" names layer \(last) but the model has layers 0-\(sourceLayerCount - 1)")
            }
            sources += first...last
        }
        try Self.checkGrowth(from: sourceLayerCount, to: sources.count)
        self.init(sourceLayerCount: sourceLayerCount, layers: sources.map { Layer(source: $0) }, origin: "map \(map)")
    }

    private init(sourceLayerCount: Int, layers: [Layer], origin: String) {
        self.sourceLayerCount = sourceLayerCount
        self.layers = layers
        self.origin = origin
    }

    private static func checkGrowth(from n: Int, to s: Int) throws {
        guard s > n else {
            throw TransformError("cannot upscale \(n) layers to \(s): the output must have more layers than the model")
        }
        guard s <= ValueLimits.layers.upperBound else {
            throw TransformError("cannot upscale \(n) layers to \(s): Kiln makes at most \(ValueLimits.layers.upperBound) layers")
        }
    }

    /// The upscaled model: decoder tensors renamed and re-pointed at their source layer (or zeros),
    /// every other tensor as it was, the layer count and the configuration document updated.
    ///
    /// The decoder layers take the place of the first decoder tensor in the model's order.
    public func apply(to spec: ModelSpec) throws -> ModelSpec {
        if let pattern = spec.family.slidingWindowPattern {
            throw TransformError("\(spec.path) is \(spec.family == .gemma3 ? "Gemma 3" : "Gemma 2"), whose global-attention layers llama.cpp places by index (every \(pattern == 2 ? "second" : "sixth")); inserted layers would move them, so Kiln does not upscale it")
        }
        guard spec.text.layerCount == sourceLayerCount else {
            throw TransformError("\(spec.path) has \(spec.text.layerCount) layers but the upscale plan was made for \(sourceLayerCount)")
        }
        var bySourceLayer: [Int: [ModelTensor]] = [:]
        for tensor in spec.tensors {
            if let layer = tensor.role.layer { bySourceLayer[layer, default: []].append(tensor) }
        }
        var decoder: [ModelTensor] = []
        for (index, layer) in layers.enumerated() {
            for var tensor in bySourceLayer[layer.source, default: []] {
                tensor.role.layer = index
                tensor.name = spec.layout.name(of: tensor.role)
                if layer.zeroed.contains(tensor.role.kind) { tensor.source = .zeros }
                decoder.append(tensor)
            }
        }
        var upscaled = spec
        let before = spec.tensors.prefix { !$0.role.isDecoderLayer }
        upscaled.tensors = Array(before) + decoder + spec.tensors.dropFirst(before.count).filter { !$0.role.isDecoderLayer }
        upscaled.text.layerCount = layers.count
        if let path = Self.layerCountPath(spec.layout.kind) {
            upscaled.configuration = spec.configuration?.setting(path, to: .number(String(layers.count)))
            // transformers 5 lists each layer's attention type beside the count; the list follows the layers.
            let typesPath = Array(path.dropLast()) + ["layer_types"]
            if let types = typesPath.reduce(spec.configuration, { $0?[$1] })?.arrayValue, types.count == sourceLayerCount {
                upscaled.configuration = upscaled.configuration?.setting(typesPath, to: .array(layers.map { types[$0.source] }))
            }
        }
        return upscaled
    }

    /// Where a layout's configuration document keeps the decoder's layer count.
    private static func layerCountPath(_ kind: CheckpointLayout.Kind) -> [String]? {
        switch kind {
        case .huggingFace: ["num_hidden_layers"]
        case .llava: ["text_config", "num_hidden_layers"]
        case .mistralNative: ["n_layers"]
        case .gguf: nil
        }
    }
}
