/// Splits a streamed reply into reasoning and answer at the format's markers, holding back text
/// that could be the start of a marker until the next piece decides it.
public struct AnswerSplitter: Sendable {
    public enum Part: Sendable, Equatable { case reasoning, answer }

    let begin: String, end: String
    private(set) var part: Part = .reasoning
    private var pending = ""
    private var ended = false

    public init(begin: String, end: String) {
        self.begin = begin
        self.end = end
    }

    /// Text pieces of each part that `piece` completes, in order.
    public mutating func append(_ piece: String) -> [(Part, String)] {
        pending += piece
        var out: [(Part, String)] = []
        while !ended {
            let marker = part == .reasoning ? begin : end
            if let range = pending.range(of: marker) {
                let before = String(pending[..<range.lowerBound])
                if !before.isEmpty { out.append((part, before)) }
                pending = String(pending[range.upperBound...])
                if part == .reasoning { part = .answer } else { ended = true }
                continue
            }
            // Keep the longest tail that is a prefix of the marker; everything before it is settled.
            let keep = (0...min(marker.count - 1, pending.count)).last { pending.hasSuffix(marker.prefix($0)) } ?? 0
            let settled = String(pending.dropLast(keep))
            if !settled.isEmpty { out.append((part, settled)) }
            pending = String(pending.suffix(keep))
            return out
        }
        // After the end marker everything is the answer's trailer (e.g. `<|end|>`); drop it.
        pending = ""
        return out
    }

    /// What is still held back when the reply ends.
    public mutating func finish() -> [(Part, String)] {
        defer { pending = "" }
        return pending.isEmpty || ended ? [] : [(part, pending)]
    }
}
