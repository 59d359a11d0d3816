import KilnCore

/// A `--tensor-type` pattern that is not a valid regular expression.
public struct QuantizationMixError: InputError, Sendable {
    public let pattern: String
    public var description: String { "invalid --tensor-type pattern '\(pattern)'" }
}
