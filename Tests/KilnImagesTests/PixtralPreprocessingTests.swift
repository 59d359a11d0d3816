@testable import KilnImages
import KilnTestSupport
import Testing

/// Pixel values equal transformers' `PixtralImageProcessor` (torchvision backend, what
/// `AutoProcessor` gives for the fixture) and `PixtralImageProcessorPil` on every committed image.
@Suite struct PixtralPreprocessingTests {
    static func processor(_ golden: ImageGoldens.Preprocessed) throws -> PixtralImageProcessor {
        var processor = try PixtralImageProcessor(preprocessorConfig: Fixtures.path("tiny-pixtral/preprocessor_config.json"),
                                                  imageSize: 1024, patchSize: 14, arithmetic: golden.backend == "pillow" ? .pillow : .torchvision)
        processor.longestEdge = golden.longestEdge
        return processor
    }

    @Test(arguments: ImageGoldens.shared.preprocessed)
    func pixelValuesEqualTransformers(_ golden: ImageGoldens.Preprocessed) throws {
        let processor = try Self.processor(golden)
        #expect(processor.patchHeight == golden.patchSize && processor.patchWidth == golden.patchSize)
        let pixels = try processor.preprocess(try RGBImage(contentsOf: "\(ImageGoldens.images)/\(golden.file)"))
        #expect([pixels.channels, pixels.height, pixels.width] == golden.shape)
        #expect(pixels.patchRows * golden.patchSize == pixels.height && pixels.patchColumns * golden.patchSize == pixels.width)
        try #require(pixels.values.count == golden.values.count)
        let largest = zip(pixels.values, golden.values).map { abs($0 - $1) }.max() ?? 0
        // Both backends' integer resampling is reproduced bit for bit, and the normalization runs
        // the same float32 operations in the same order: the values are identical.
        #expect(largest == 0, "largest difference \(largest)")
        #expect(largest <= 1e-6)
    }

    /// The float of each byte value (rescale and normalize) equals the backend's, bit for bit.
    @Test(arguments: ImageGoldens.shared.preprocessed.filter { $0.file == "rgb.png" })
    func normalizedByteValuesEqualTransformers(_ golden: ImageGoldens.Preprocessed) throws {
        #expect(try Self.processor(golden).valueTable() == golden.table)
    }

    @Test func sizeRuleMatchesTransformers() {
        let processor = PixtralImageProcessor(imageSize: 64, patchSize: 16)
        // Longer edge above 64: scaled by the ratio with floor, then rounded up to whole patches.
        #expect(processor.outputSize(width: 97, height: 61) == (64, 48))   // 64 × 40.24… → 64 × 40 → 64 × 48
        #expect(processor.outputSize(width: 50, height: 70) == (48, 64))   // 45.7 → 45 → 48
        // Smaller images are only rounded up (an upscale to whole patches).
        #expect(processor.outputSize(width: 20, height: 13) == (32, 16))
        #expect(processor.outputSize(width: 64, height: 64) == (64, 64))
    }

    @Test func imageThatShrinksToNothingIsAnError() throws {
        let processor = PixtralImageProcessor(imageSize: 64, patchSize: 16)
        let sliver = RGBImage(width: 1000, height: 1, pixels: [UInt8](repeating: 7, count: 3000))
        let error = #expect(throws: ImageError.self) { try processor.preprocess(sliver, path: "sliver.png") }
        #expect(error?.description == "sliver.png: the image is 1000×1 pixels: fitting its longer edge to 64 leaves no rows or columns")
    }

    @Test func configurationFallsBackToTheModelsSizes() throws {
        let processor = try PixtralImageProcessor(preprocessorConfig: nil, imageSize: 1024, patchSize: 16)
        #expect(processor.longestEdge == 1024 && processor.patchHeight == 16)
        #expect(processor.mean == PixtralImageProcessor.pixtralMean)
    }

    @Test func unusableConfigurationIsAnInputError() throws {
        let folder = TemporaryDirectory()
        for (name, text) in [("resample", #"{"resample": 2}"#), ("size", #"{"size": {"height": 64, "width": 64}}"#),
                             ("mean", #"{"image_mean": [0.5, 0.5]}"#), ("std", #"{"image_std": [0.5, 0, 0.5]}"#),
                             ("patch", #"{"patch_size": -3}"#)] {
            let path = folder.file("\(name).json")
            try writeFile(path, Array(text.utf8))
            let error = #expect(throws: (any Error).self) { try PixtralImageProcessor(preprocessorConfig: path, imageSize: 64, patchSize: 16) }
            #expect("\(error!)".hasPrefix(path), "\(name): \(error!)")
        }
    }
}
