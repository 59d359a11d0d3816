/// Pillow's integer colour conversions, as transformers' `convert_to_rgb` reaches them.
///
/// Each works on whole images of interleaved 8-bit samples and returns interleaved RGB.
enum PillowConversion {
    /// `L` → `RGB`: the grey value in all three channels.
    static func greyToRGB(_ grey: [UInt8]) -> [UInt8] {
        var rgb = [UInt8](repeating: 0, count: grey.count * 3)
        for (index, value) in grey.enumerated() {
            rgb[3 * index] = value
            rgb[3 * index + 1] = value
            rgb[3 * index + 2] = value
        }
        return rgb
    }

    /// `I;16` → `RGB` (Pillow's `I16_RGB`): a big-endian 16-bit sample above 255 becomes 255.
    /// `withAlpha`: each sample is followed by the alpha libpng made from a tRNS grey value (0 for
    /// that value, else opaque); Pillow makes those pixels transparent, so white after compositing.
    static func sixteenBitGreyToRGB(_ samples: [UInt8], withAlpha: Bool) -> [UInt8] {
        let stride = withAlpha ? 4 : 2
        let grey = (0..<samples.count / stride).map { pixel -> UInt8 in
            let sample = pixel * stride
            if withAlpha && samples[sample + 2] == 0 && samples[sample + 3] == 0 { return 255 }
            return samples[sample] == 0 ? samples[sample + 1] : 255
        }
        return greyToRGB(grey)
    }

    /// Pillow's JPEG reader takes 4 components as `CMYK;I` (Adobe's inverted storage), then
    /// `cmyk2rgb`: with c = 255 − stored, k = 255 − stored k, R = (255 − k) − (c·(255 − k))/255.
    static func invertedCMYKToRGB(_ stored: [UInt8]) -> [UInt8] {
        var rgb = [UInt8](repeating: 0, count: stored.count / 4 * 3)
        for pixel in 0..<stored.count / 4 {
            let notBlack = Int(stored[4 * pixel + 3])
            for channel in 0..<3 {
                let ink = 255 - Int(stored[4 * pixel + channel])
                rgb[3 * pixel + channel] = UInt8(clamping: notBlack - multiplyDivide255(ink, notBlack))
            }
        }
        return rgb
    }

    /// Grey + alpha → `RGBA` (grey repeated) → composited onto white.
    static func compositeGreyAlphaOnWhite(_ samples: [UInt8]) -> [UInt8] {
        var rgb = [UInt8](repeating: 0, count: samples.count / 2 * 3)
        for pixel in 0..<samples.count / 2 {
            let value = compositeOnWhite(samples[2 * pixel], alpha: samples[2 * pixel + 1])
            rgb[3 * pixel] = value
            rgb[3 * pixel + 1] = value
            rgb[3 * pixel + 2] = value
        }
        return rgb
    }

    /// `Image.alpha_composite(white, image).convert("RGB")`, transformers' treatment of alpha.
    static func compositeRGBAOnWhite(_ samples: [UInt8]) -> [UInt8] {
        var rgb = [UInt8](repeating: 0, count: samples.count / 4 * 3)
        for pixel in 0..<samples.count / 4 {
            let alpha = samples[4 * pixel + 3]
            for channel in 0..<3 {
                rgb[3 * pixel + channel] = compositeOnWhite(samples[4 * pixel + channel], alpha: alpha)
            }
        }
        return rgb
    }

    /// One channel of Pillow's `ImagingAlphaComposite` with an opaque white destination: 7 extra
    /// bits of precision and rounded divisions by 255, exactly as AlphaComposite.c computes them.
    static func compositeOnWhite(_ value: UInt8, alpha: UInt8) -> UInt8 {
        if alpha == 0 { return 255 }
        let precisionBits: UInt32 = 7
        let sourceAlpha = UInt32(alpha)
        let blend = 255 * (255 - sourceAlpha)
        let outputAlpha255 = sourceAlpha * 255 + blend
        let sourceWeight = sourceAlpha * 255 * 255 * (1 << precisionBits) / outputAlpha255
        let destinationWeight = 255 * (1 << precisionBits) - sourceWeight
        let sum = UInt32(value) * sourceWeight + 255 * destinationWeight + (0x80 << precisionBits)
        return UInt8(shiftDivide255(sum) >> precisionBits)
    }

    /// Pillow's `MULDIV255`: a·b/255 rounded, by shifts.
    private static func multiplyDivide255(_ a: Int, _ b: Int) -> Int {
        let product = a * b + 128
        return ((product >> 8) + product) >> 8
    }

    /// Pillow's `SHIFTFORDIV255`.
    private static func shiftDivide255(_ value: UInt32) -> UInt32 { ((value >> 8) + value) >> 8 }
}
