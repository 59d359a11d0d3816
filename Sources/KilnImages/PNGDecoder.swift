import CImageCodecs

/// PNG through libpng, giving the samples Pillow's own PNG reader gives (no gamma or colour
/// management, 16-bit samples cut to their high byte) before transformers' RGB conversion.
enum PNGDecoder {
    private enum ColorType: Int32 {
        case grey = 0, rgb = 2, palette = 3, greyAlpha = 4, rgba = 6
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, path: String, maximumPixels: Int) throws -> RGBImage {
        guard let decoder = kiln_png_create(bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count) else {
            throw ImageError(path: path, message: "out of memory starting the PNG decoder")
        }
        defer { kiln_png_destroy(decoder) }
        func failure() -> ImageError {
            ImageError(path: path, message: "is not a valid PNG image: \(String(cString: kiln_png_message(decoder)))")
        }
        var header = kiln_png_header()
        guard kiln_png_read_header(decoder, &header) == 1 else { throw failure() }
        let (width, height) = try RGBImage.checkedSize(width: header.width, height: header.height, path: path, maximumPixels: maximumPixels)
        guard let colorType = ColorType(rawValue: header.color_type) else {
            throw ImageError(path: path, message: "has PNG colour type \(header.color_type), which is not defined")
        }
        let transparency = header.has_transparency != 0
        // Pillow reads 16-bit grey as mode I;16 and converts it to RGB by clamping, so those
        // samples stay 16-bit here; every other 16-bit layout keeps the high byte as Pillow does.
        let sixteenBitGrey = colorType == .grey && header.bit_depth == 16
        // Pillow compares a tRNS colour with samples it has already rescaled (1-, 2-, 4-bit grey
        // to 8 bits, 16-bit RGB to its high bytes), so its result depends on that accident.
        if transparency && ((colorType == .rgb && header.bit_depth == 16) || (colorType == .grey && header.bit_depth < 8)) {
            throw ImageError(path: path, message: "is a \(header.bit_depth)-bit \(colorType == .rgb ? "RGB" : "grey") PNG with a tRNS transparent colour, which Kiln does not read (Pillow's reading of it is inconsistent); save it with an alpha channel instead")
        }
        let channels = switch colorType {
        case .grey: transparency ? 2 : 1
        case .greyAlpha: 2
        case .rgb, .palette: transparency ? 4 : 3
        case .rgba: 4
        }
        var samples = [UInt8](repeating: 0, count: width * height * channels * (sixteenBitGrey ? 2 : 1))
        let decoded = samples.withUnsafeMutableBufferPointer {
            kiln_png_read_pixels(decoder, sixteenBitGrey ? 1 : 0, $0.baseAddress, $0.count)
        }
        guard decoded == 1 else { throw failure() }
        let rgb: [UInt8] = switch (channels, sixteenBitGrey) {
        case (1, true), (2, true): PillowConversion.sixteenBitGreyToRGB(samples, withAlpha: channels == 2)
        case (1, false): PillowConversion.greyToRGB(samples)
        case (2, false): PillowConversion.compositeGreyAlphaOnWhite(samples)
        case (3, _): samples
        default: PillowConversion.compositeRGBAOnWhite(samples)
        }
        return RGBImage(width: width, height: height, pixels: rgb)
    }
}
