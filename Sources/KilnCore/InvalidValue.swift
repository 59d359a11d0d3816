/// A number read from a file that is missing, malformed or outside the range Kiln accepts.
///
/// Every count, size, id and dimension a file states passes through ``checked(_:key:in:path:)``
/// (or its floating-point twin) before it sizes an allocation, bounds a loop or is narrowed to 32
/// bits, so a hostile value is one line naming the file and the key instead of a trap or a hang.
public struct InvalidValue: FileInputError, Sendable {
    public let path: String
    public let message: String

    public init(path: String, key: String, _ problem: String) {
        self.path = path
        message = "\"\(key)\" \(problem)"
    }

    /// `value` when it lies in `range`; nil (not an integer, or too large for 64 bits) is an error too.
    public static func checked(_ value: Int?, key: String, in range: ClosedRange<Int>, path: String) throws -> Int {
        guard let value else { throw InvalidValue(path: path, key: key, "is not an integer") }
        guard range.contains(value) else {
            throw InvalidValue(path: path, key: key, "is \(value); Kiln accepts \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// `value` when it is finite and positive (and below `limit` when given); NaN, infinities, zero and
    /// negative values are errors.
    public static func checkedPositive(_ value: Double?, key: String, below limit: Double? = nil, path: String) throws -> Double {
        guard let value else { throw InvalidValue(path: path, key: key, "is not a number") }
        guard value.isFinite, value > 0, limit.map({ value < $0 }) ?? true else {
            throw InvalidValue(path: path, key: key, "is \(value); it must be a finite number above 0\(limit.map { " and below \($0)" } ?? "")")
        }
        return value
    }
}
