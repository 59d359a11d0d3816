import KilnCore

/// Why a transform cannot be applied as asked (a request, not a file, is wrong).
public struct TransformError: InputError, Sendable {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
