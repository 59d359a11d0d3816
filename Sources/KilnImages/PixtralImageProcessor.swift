import KilnCore

/// transformers' `PixtralImageProcessor`: resize so the longer edge fits (never upscaling by the
/// ratio), round each side up to whole patches, bicubic resampling, rescale by 1/255, normalize
/// with the model's mean and standard deviation.
public struct PixtralImageProcessor: Sendable {
    /// Pixtral's (CLIP's) defaults, used when `preprocessor_config.json` does not say.
    public static let pixtralMean = [0.48145466, 0.4578275, 0.40821073]
    public static let pixtralStandardDeviation = [0.26862954, 0.26130258, 0.27577711]

    /// The longest edge after resizing (`size.longest_edge`).
    public var longestEdge: Int
    public var patchHeight: Int
    public var patchWidth: Int
    public var mean: [Double]
    public var standardDeviation: [Double]
    public var rescaleFactor: Double
    public var resizes: Bool
    public var rescales: Bool
    public var normalizes: Bool
    /// `.torchvision` gives what `AutoProcessor`/`PixtralImageProcessor` give in transformers 5
    /// (its torchvision backend); `.pillow` what `PixtralImageProcessorPil` gives.
    public var arithmetic: BicubicArithmetic

    /// The processor for a model whose vision config has `image_size` and `patch_size`, with
    /// Pixtral's defaults for everything else.
    public init(imageSize: Int, patchSize: Int, arithmetic: BicubicArithmetic = .torchvision) {
        precondition(imageSize > 0 && patchSize > 0, "image and patch sizes must be positive")
        longestEdge = imageSize
        patchHeight = patchSize
        patchWidth = patchSize
        mean = Self.pixtralMean
        standardDeviation = Self.pixtralStandardDeviation
        rescaleFactor = 1.0 / 255
        resizes = true
        rescales = true
        normalizes = true
        self.arithmetic = arithmetic
    }

    /// Reads `preprocessor_config.json` (when `path` is not nil) over the defaults for
    /// `imageSize`/`patchSize`; a field that is present but unusable is an ``InvalidJSONFile``.
    public init(preprocessorConfig path: String?, imageSize: Int, patchSize: Int, arithmetic: BicubicArithmetic = .torchvision) throws {
        self.init(imageSize: imageSize, patchSize: patchSize, arithmetic: arithmetic)
        guard let path else { return }
        let config = try JSON.read(contentsOf: path)
        func invalid(_ message: String) -> InvalidJSONFile { InvalidJSONFile(path: path, message: message) }
        func positive(_ value: JSON?, _ name: String) throws -> Int? {
            guard let value else { return nil }
            guard let number = value.intValue, number > 0, number <= 1 << 16 else { throw invalid("\(name) must be a positive integer up to 65536") }
            return number
        }
        func triple(_ name: String, nonZero: Bool) throws -> [Double]? {
            guard let value = config[name] else { return nil }
            let numbers = value.arrayValue?.compactMap(\.doubleValue) ?? value.doubleValue.map { [$0, $0, $0] } ?? []
            guard numbers.count == 3, numbers.allSatisfy({ $0.isFinite && (!nonZero || $0 != 0) }) else {
                throw invalid("\(name) must be three finite numbers\(nonZero ? ", none zero" : "")")
            }
            return numbers
        }
        if let size = config["size"] {
            guard let edge = try positive(size["longest_edge"], "size.longest_edge") else {
                throw invalid("size must give longest_edge (Pixtral resizes by the longest edge)")
            }
            longestEdge = edge
        }
        if let patch = config["patch_size"] {
            if patch.intValue != nil, let side = try positive(patch, "patch_size") {
                (patchHeight, patchWidth) = (side, side)
            } else {
                guard let height = try positive(patch["height"], "patch_size.height"), let width = try positive(patch["width"], "patch_size.width") else {
                    throw invalid("patch_size must be an integer or {height, width}")
                }
                (patchHeight, patchWidth) = (height, width)
            }
        }
        if let resample = config["resample"], resample.intValue != 3 {
            throw invalid("resample \(resample.serialized) is not supported: Kiln implements 3 (bicubic), Pixtral's")
        }
        mean = try triple("image_mean", nonZero: false) ?? mean
        standardDeviation = try triple("image_std", nonZero: true) ?? standardDeviation
        if let factor = config["rescale_factor"] {
            guard let value = factor.doubleValue, value.isFinite, value > 0 else { throw invalid("rescale_factor must be a positive number") }
            rescaleFactor = value
        }
        for (key, flag) in [("do_resize", \Self.resizes), ("do_rescale", \Self.rescales), ("do_normalize", \Self.normalizes)] as [(String, WritableKeyPath<Self, Bool>)] {
            guard let value = config[key] else { continue }
            guard let bool = value.boolValue else { throw invalid("\(key) must be true or false") }
            self[keyPath: flag] = bool
        }
    }

    /// The size an image of `width` × `height` is resized to: transformers' Pixtral rule.
    public func outputSize(width: Int, height: Int) -> (width: Int, height: Int) {
        var (width, height) = (width, height)
        guard resizes else { return (width, height) }
        let ratio = max(Double(height) / Double(longestEdge), Double(width) / Double(longestEdge))
        if ratio > 1 {
            // transformers floors (the reference implementation's banker's rounding could overshoot).
            height = Int((Double(height) / ratio).rounded(.down))
            width = Int((Double(width) / ratio).rounded(.down))
        }
        return (Self.roundUp(width, to: patchWidth), Self.roundUp(height, to: patchHeight))
    }

    /// Resizes, rescales and normalizes one image. Fails only for an image so elongated that one
    /// side shrinks to no pixels (transformers fails on it too); `path` names it in that error.
    public func preprocess(_ image: RGBImage, path: String = "") throws -> ImagePixels {
        let (width, height) = outputSize(width: image.width, height: image.height)
        guard width > 0, height > 0 else {
            throw ImageError(path: path, message: "the image is \(image.width)×\(image.height) pixels: fitting its longer edge to \(longestEdge) leaves no rows or columns")
        }
        let resized = (width, height) == (image.width, image.height) ? image
            : BicubicResampler.resize(image, width: width, height: height, arithmetic: arithmetic)
        let table = valueTable()
        let plane = width * height
        var values = [Float](repeating: 0, count: 3 * plane)
        resized.pixels.withUnsafeBufferPointer { pixels in
            for pixel in 0..<plane {
                for channel in 0..<3 {
                    values[channel * plane + pixel] = table[channel * 256 + Int(pixels[3 * pixel + channel])]
                }
            }
        }
        return ImagePixels(channels: 3, height: height, width: width, values: values,
                           patchRows: height / patchHeight, patchColumns: width / patchWidth)
    }

    /// The float each byte value becomes in each channel, computed in float32 with the operations
    /// (and their order) of the chosen transformers backend.
    func valueTable() -> [Float] {
        var table = [Float](repeating: 0, count: 3 * 256)
        for channel in 0..<3 {
            let mean = Float(mean[channel]), deviation = Float(standardDeviation[channel])
            for byte in 0..<256 {
                let value: Float
                switch (arithmetic, rescales, normalizes) {
                case (_, false, false): value = Float(byte)
                case (.torchvision, true, false): value = Float(byte) * Float(rescaleFactor)
                // torchvision's backend folds the rescale into the normalization: mean/factor, std/factor.
                case (.torchvision, true, true): value = (Float(byte) - mean * Float(1 / rescaleFactor)) / (deviation * Float(1 / rescaleFactor))
                case (.pillow, true, _):
                    let rescaled = Float(Double(byte) * rescaleFactor)
                    value = normalizes ? (rescaled - mean) / deviation : rescaled
                case (_, false, true): value = (Float(byte) - mean) / deviation
                }
                table[channel * 256 + byte] = value
            }
        }
        return table
    }

    private static func roundUp(_ size: Int, to patch: Int) -> Int { size <= 0 ? 0 : ((size - 1) / patch + 1) * patch }
}
