import KilnCore

/// Why a tokenizer file could not be read.
public struct TokenizerError: FileInputError, Sendable {
    public let path: String
    public let message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

}
