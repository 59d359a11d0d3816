import KilnCore

/// An image file Kiln cannot use: unreadable, not JPEG or PNG, damaged, or too large.
///
/// Its description is one line, `path: message`; the CLI prints it and exits with status 2.
public struct ImageError: FileInputError, Sendable {
    public let path: String
    public let message: String
}
