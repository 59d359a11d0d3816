import KilnCheckpoints

/// A rule that grows a decoder of n layers to s layers (depth upscaling).
///
/// No public source says which layers Apriel-1.5 repeated when it grew Pixtral-12B from 40 to 48
/// layers, so Kiln offers the published schedules and leaves the choice to the user.
public enum UpscaleMethod: String, CaseIterable, Sendable {
    /// SOLAR depth up-scaling (arXiv 2312.15166): two copies of the stack, the last m layers dropped
    /// from the first and the first m from the second, so s = 2(n − m). 40→48 is layers 0–23 then 16–39.
    case solar
    /// After every k-th layer, a copy of it (k = n / (s − n)). 40→48 repeats layers 4, 9, …, 39 at
    /// new positions 5, 11, …, 47.
    case interleave
    /// LLaMA-Pro block expansion (arXiv 2401.02415): as ``interleave``, but each inserted copy writes
    /// nothing into the residual stream (attention output and MLP down projection zeroed), so the
    /// upscaled model computes exactly what the original did.
    case identity

    /// The method of that name; the error lists the ones there are.
    public init(named name: String) throws {
        guard let method = UpscaleMethod(rawValue: name) else {
            throw TransformError("unknown upscale method \"\(name)\" (use \(UpscaleMethod.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        self = method
    }

    /// The layer counts this method can make from `n` layers, smallest first.
    public func reachableLayerCounts(from n: Int) -> [Int] {
        guard n > 0 else { return [] }
        switch self {
        case .solar: return (n + 1...2 * n).filter { $0 % 2 == 0 }
        case .interleave, .identity: return (1...n).filter { n % $0 == 0 }.map { n + $0 }
        }
    }

    /// The output layers for `n` → `s`, where `s` is one of ``reachableLayerCounts(from:)``.
    func layers(from n: Int, to s: Int) throws -> [UpscalePlan.Layer] {
        let reachable = reachableLayerCounts(from: n)
        guard reachable.contains(s) else {
            throw TransformError("\(rawValue) cannot make \(s) layers from \(n): it makes \(Self.list(reachable))")
        }
        switch self {
        case .solar:
            let m = n - s / 2
            return (Array(0..<n - m) + Array(m..<n)).map { UpscalePlan.Layer(source: $0) }
        case .interleave, .identity:
            let every = n / (s - n)
            let zeroed: [TensorRole.Kind] = self == .identity ? [.attentionOutput, .feedForwardDown] : []
            return stride(from: 0, to: n, by: every).flatMap { start in
                (start..<start + every).map { UpscalePlan.Layer(source: $0) }
                    + [UpscalePlan.Layer(source: start + every - 1, zeroed: zeroed)]
            }
        }
    }

    /// "42, 44 or 80", shortened to "an even count from 42 to 80" when the list is long.
    private static func list(_ counts: [Int]) -> String {
        guard let first = counts.first, let last = counts.last else { return "no larger count" }
        if counts.count > 8, counts.allSatisfy({ $0 % 2 == 0 }), counts.count == (last - first) / 2 + 1 {
            return "an even count from \(first) to \(last)"
        }
        if counts.count == 1 { return "only \(first)" }
        return counts.dropLast().map(String.init).joined(separator: ", ") + " or \(last)"
    }
}
