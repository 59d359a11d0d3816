import KilnCore

/// Why a model cannot be run as asked.
public struct RuntimeError: FileInputError, Sendable {
    public let path: String
    public let message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

}
