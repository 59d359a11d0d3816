import ArgumentParser

/// Range checks of option values, run by the commands' `validate()` so a bad value is a usage error
/// (one line, exit status 2) before any file is opened.
enum OptionCheck {
    /// More worker threads than this is a typo, not a machine.
    static let threads = 1...1024
    /// Positions in one context or tokens to generate: 2^20 (far beyond a CPU runtime's reach; the
    /// model's own context length and the memory for the cache bound it further).
    static let positions = 1...(1 << 20)

    static func integer(_ value: Int?, _ option: String, in range: ClosedRange<Int>) throws {
        guard let value else { return }
        guard range.contains(value) else { throw ValidationError("\(option) must be between \(range.lowerBound) and \(range.upperBound), not \(value)") }
    }

    /// NaN fails as any other value outside `range`.
    static func number<Value: BinaryFloatingPoint>(_ value: Value?, _ option: String, in range: ClosedRange<Value>) throws {
        guard let value else { return }
        guard range.contains(value) else { throw ValidationError("\(option) must be between \(range.lowerBound) and \(range.upperBound), not \(value)") }
    }

    /// A finite number of at least `lowerBound`: NaN and infinities are refused.
    static func number(_ value: Double?, _ option: String, atLeast lowerBound: Double) throws {
        guard let value else { return }
        guard value.isFinite, value >= lowerBound else { throw ValidationError("\(option) must be a finite number of at least \(lowerBound), not \(value)") }
    }
}
