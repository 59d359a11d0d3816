/// The container formats KilnImages decodes, told apart by their first bytes (never the name).
enum ImageFormat {
    case jpeg
    case png

    private static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    init?(magic bytes: UnsafeRawBufferPointer) {
        if bytes.count >= 3, bytes[0] == 0xFF, bytes[1] == 0xD8, bytes[2] == 0xFF {
            self = .jpeg
        } else if bytes.count >= 8, zip(bytes.prefix(8), Self.pngSignature).allSatisfy({ $0 == $1 }) {
            self = .png
        } else {
            return nil
        }
    }
}
