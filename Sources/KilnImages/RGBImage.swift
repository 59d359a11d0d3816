import KilnCore

/// An 8-bit RGB image: `height` rows of `width` pixels, each pixel three bytes (R, G, B).
///
/// Decoding gives the bytes Pillow gives for the same file after transformers' `convert_to_rgb`:
/// grey is repeated into the three channels, a palette is looked up, transparency (an alpha
/// channel or a tRNS chunk) is composited onto white with Pillow's integer formula, CMYK is
/// converted as Pillow converts it, 16-bit samples keep their high byte (16-bit grey is clamped
/// to 255 as Pillow's `I;16` → `RGB` conversion does).
public struct RGBImage: Equatable, Sendable {
    /// The largest image decoded unless the caller asks for more: 64 megapixels (2²⁶ pixels,
    /// 192 MiB of RGB). A header promising more is refused before anything is allocated.
    public static let defaultMaximumPixels = 1 << 26

    public let width: Int
    public let height: Int
    /// Interleaved R, G, B bytes, row after row; `width * height * 3` of them.
    public let pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0 && pixels.count == width * height * 3, "RGB pixel count does not match the size")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// Decodes a JPEG or PNG file, recognized by its first bytes whatever its name.
    ///
    /// Every failure (not a regular file, unreadable, neither format, damaged, too large) is one
    /// ``ImageError`` or ``FileError`` naming the file.
    public init(contentsOf path: String, maximumPixels: Int = RGBImage.defaultMaximumPixels) throws {
        let file = try MappedFile(path: path)
        try self.init(decoding: file.bytes, path: path, maximumPixels: maximumPixels)
    }

    /// Decodes JPEG or PNG bytes; `path` only names the source in errors.
    public init(decoding bytes: UnsafeRawBufferPointer, path: String, maximumPixels: Int = RGBImage.defaultMaximumPixels) throws {
        guard !bytes.isEmpty else { throw ImageError(path: path, message: "is empty, not an image") }
        switch ImageFormat(magic: bytes) {
        case .jpeg: self = try JPEGDecoder.decode(bytes, path: path, maximumPixels: maximumPixels)
        case .png: self = try PNGDecoder.decode(bytes, path: path, maximumPixels: maximumPixels)
        case nil:
            let start = bytes.prefix(4).map { String($0, radix: 16, uppercase: true) }.map { $0.count == 1 ? "0" + $0 : $0 }
            throw ImageError(path: path, message: "is not a JPEG or PNG image (it starts with bytes \(start.joined(separator: " ")))")
        }
    }

    /// The header's size, checked before any pixel memory is allocated.
    static func checkedSize(width: UInt32, height: UInt32, path: String, maximumPixels: Int) throws -> (width: Int, height: Int) {
        let (width, height) = (Int(width), Int(height))
        guard width > 0, height > 0 else {
            throw ImageError(path: path, message: "has no pixels: its header says \(width)×\(height)")
        }
        let pixels = width.multipliedReportingOverflow(by: height)
        guard !pixels.overflow, pixels.partialValue <= maximumPixels, width <= maximumPixels, height <= maximumPixels else {
            throw ImageError(path: path, message: "is \(width)×\(height) pixels, more than the limit of \(maximumPixels) pixels (a decompression bomb?)")
        }
        return (width, height)
    }
}
