import CImageCodecs

/// JPEG through libjpeg(-turbo), with Pillow's choices: islow IDCT and fancy upsampling (the
/// library defaults), 4-component files read as Adobe-inverted CMYK.
enum JPEGDecoder {
    static func decode(_ bytes: UnsafeRawBufferPointer, path: String, maximumPixels: Int) throws -> RGBImage {
        guard let decoder = kiln_jpeg_create(bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count) else {
            throw ImageError(path: path, message: "out of memory starting the JPEG decoder")
        }
        defer { kiln_jpeg_destroy(decoder) }
        func failure() -> ImageError {
            ImageError(path: path, message: "is not a valid JPEG image: \(String(cString: kiln_jpeg_message(decoder)))")
        }
        var header = kiln_jpeg_header()
        guard kiln_jpeg_read_header(decoder, &header) == 1 else { throw failure() }
        let (width, height) = try RGBImage.checkedSize(width: header.width, height: header.height, path: path, maximumPixels: maximumPixels)
        let components = Int(header.components)
        var samples = [UInt8](repeating: 0, count: width * height * components)
        let decoded = samples.withUnsafeMutableBufferPointer { kiln_jpeg_read_pixels(decoder, $0.baseAddress, $0.count) }
        guard decoded == 1 else { throw failure() }
        switch components {
        case 1: return RGBImage(width: width, height: height, pixels: PillowConversion.greyToRGB(samples))
        case 3: return RGBImage(width: width, height: height, pixels: samples)
        default: return RGBImage(width: width, height: height, pixels: PillowConversion.invertedCMYKToRGB(samples))
        }
    }
}
