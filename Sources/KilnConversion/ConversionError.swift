import KilnCore

/// Why a model cannot be converted as asked.
public struct ConversionError: FileInputError, Sendable {
    public let path: String
    public let message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

}
