import CImageCodecs

/// 8-bit RGB pixels to PNG bytes through libpng (the C shim keeps libpng's longjmp out of Swift).
public enum PNGEncoder {
    /// - Parameter rgb: `width * height * 3` bytes, rows top to bottom.
    public static func encode(rgb: [UInt8], width: Int, height: Int) -> [UInt8]? {
        guard width > 0, height > 0, width <= Int(UInt32.max), height <= Int(UInt32.max), rgb.count == width * height * 3 else { return nil }
        var bytes: UnsafeMutablePointer<UInt8>?
        var size = 0
        let encoded = rgb.withUnsafeBufferPointer { kiln_png_encode_rgb($0.baseAddress, UInt32(width), UInt32(height), &bytes, &size) }
        guard encoded == 1, let bytes else { return nil }
        defer { kiln_png_free(bytes) }
        return Array(UnsafeBufferPointer(start: bytes, count: size))
    }
}
