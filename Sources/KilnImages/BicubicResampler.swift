import KilnCore

/// Whose fixed-point arithmetic the bicubic resampler reproduces. Both use Pillow's antialiased
/// bicubic filter (a = −0.5, support widened by the downscaling factor) and round every pass to
/// 8 bits; they differ in the weights' precision and the order of the two passes, which moves
/// some output pixels by one step.
public enum BicubicArithmetic: Sendable {
    /// Pillow's `Image.resize(…, BICUBIC)` (Resample.c): 22-bit weights; the vertical pass first
    /// when the height shrinks by more than twice what the width does. What transformers'
    /// `PixtralImageProcessorPil` computes.
    case pillow
    /// torch's uint8 antialiased interpolation (what torchvision's `resize` runs on CPU for uint8
    /// images): int16 weights at the largest precision that keeps the heaviest weight below 2¹⁵,
    /// horizontal pass first. What transformers' default `PixtralImageProcessor` computes.
    case torchvision
}

/// Separable antialiased bicubic resampling of 8-bit RGB, bit-exact with Pillow or torch.
enum BicubicResampler {
    static func resize(_ image: RGBImage, width: Int, height: Int, arithmetic: BicubicArithmetic) -> RGBImage {
        let shrinkRows = image.height - height, shrinkColumns = image.width - width
        let verticalFirst = arithmetic == .pillow && shrinkRows > 0 && shrinkRows > shrinkColumns * 2
        var pixels = image.pixels, currentWidth = image.width, currentHeight = image.height
        func horizontal() {
            guard width != currentWidth else { return }
            let axis = ConvolutionAxis(inputSize: currentWidth, outputSize: width, arithmetic: arithmetic)
            pixels = axis.apply(pixels, lines: currentHeight, sampleBytes: 3)
            currentWidth = width
        }
        func vertical() {
            guard height != currentHeight else { return }
            let axis = ConvolutionAxis(inputSize: currentHeight, outputSize: height, arithmetic: arithmetic)
            pixels = axis.apply(pixels, lines: 1, sampleBytes: currentWidth * 3)
            currentHeight = height
        }
        if verticalFirst { vertical(); horizontal() } else { horizontal(); vertical() }
        return RGBImage(width: width, height: height, pixels: pixels)
    }
}

/// The fixed-point weights of one axis: for each output position the first input position and
/// the integer weights of the inputs it mixes.
struct ConvolutionAxis {
    let starts: [Int]
    let counts: [Int]
    let kernelSize: Int
    let weights: [Int]
    let precision: Int

    init(inputSize: Int, outputSize: Int, arithmetic: BicubicArithmetic) {
        // Pillow passes the extent as a C float (its crop box), torch as a double; equal below 2²⁴.
        let extent = arithmetic == .pillow ? Double(Float(inputSize)) : Double(inputSize)
        let scale = extent / Double(outputSize)
        let filterScale = max(scale, 1)
        let support = 2 * filterScale
        let kernelSize = Int(support.rounded(.up)) * 2 + 1
        let inverseFilterScale = 1 / filterScale
        var starts = [Int](repeating: 0, count: outputSize), counts = starts
        var real = [Double](repeating: 0, count: outputSize * kernelSize)
        var heaviest = 0.0
        for output in 0..<outputSize {
            let center = (Double(output) + 0.5) * scale
            let start = max(Int(center - support + 0.5), 0)
            let count = min(Int(center + support + 0.5), inputSize) - start
            var total = 0.0
            for tap in 0..<count {
                let weight = Self.bicubic((Double(tap + start) - center + 0.5) * inverseFilterScale)
                real[output * kernelSize + tap] = weight
                total += weight
            }
            if total != 0 {
                for tap in 0..<count {
                    real[output * kernelSize + tap] /= total
                    heaviest = max(heaviest, real[output * kernelSize + tap])
                }
            }
            starts[output] = start
            counts[output] = count
        }
        var precision = 22
        if arithmetic == .torchvision {
            precision = 0
            while precision < 22, Int(0.5 + heaviest * Double(1 << (precision + 1))) < 1 << 15 { precision += 1 }
        }
        let unit = Double(1 << precision)
        self.weights = real.map { $0 < 0 ? Int(-0.5 + $0 * unit) : Int(0.5 + $0 * unit) }
        self.starts = starts
        self.counts = counts
        self.kernelSize = kernelSize
        self.precision = precision
    }

    /// Pillow's `bicubic_filter` (Keys, a = −0.5).
    static func bicubic(_ x: Double) -> Double {
        let a = -0.5, x = abs(x)
        if x < 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
        if x < 2 { return (((x - 5) * x + 8) * x - 4) * a }
        return 0
    }

    /// Convolves `lines` independent lines of `inputSize` samples of `sampleBytes` bytes each
    /// (a row of RGB pixels: 3-byte samples; the whole image top to bottom: one line of rows):
    /// byte b of output sample o is Σ byte b of input sample (start + tap) × weight, rounded and
    /// clamped to 0…255.
    func apply(_ input: [UInt8], lines: Int, sampleBytes: Int) -> [UInt8] {
        let outputSize = starts.count, inputSize = input.count / (lines * sampleBytes)
        var output = [UInt8](repeating: 0, count: lines * outputSize * sampleBytes)
        // Sums fit in 32 bits: the weights' magnitudes add up to under 1.3 × 2^precision ≤ 1.3 × 2²²,
        // times 255 (Pillow's own accumulators are 32-bit).
        let half = Int32(1 << (precision - 1)), shift = Int32(precision)
        let weights = weights.map { Int32($0) }
        input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                nonisolated(unsafe) let destination = destination
                parallelChunks(lines * outputSize, threads: availableCores, minimumChunk: max(1, 4096 / sampleBytes)) { range in
                    var sums = [Int32](repeating: 0, count: sampleBytes)
                    sums.withUnsafeMutableBufferPointer { sums in
                        for item in range {
                            let (line, position) = item.quotientAndRemainder(dividingBy: outputSize)
                            let first = (line * inputSize + starts[position]) * sampleBytes, row = position * kernelSize
                            for byte in 0..<sampleBytes { sums[byte] = half }
                            for tap in 0..<counts[position] {
                                let weight = weights[row + tap], sample = first + tap * sampleBytes
                                for byte in 0..<sampleBytes { sums[byte] &+= Int32(source[sample + byte]) &* weight }
                            }
                            let target = (line * outputSize + position) * sampleBytes
                            for byte in 0..<sampleBytes { destination[target + byte] = UInt8(clamping: sums[byte] >> shift) }
                        }
                    }
                }
            }
        }
        return output
    }
}
