import KilnCore

/// Why a quantization request or its inputs cannot be honoured.
public struct QuantizationError: FileInputError, Sendable {
    public let path: String
    public let message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

}
