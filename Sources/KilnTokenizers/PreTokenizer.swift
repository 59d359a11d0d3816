/// Splits text into the words BPE runs on: a sequence of regexes, each applied to the pieces the
/// previous one left, keeping both the matches and the text between them (Hugging Face's Split
/// with behavior "isolated", and llama.cpp's `unicode_regex_split`).
struct PreTokenizer: @unchecked Sendable {
    // Regex is not Sendable, but a compiled regex is immutable and matching does not mutate it.
    private let regexes: [Regex<AnyRegexOutput>]

    init(patterns: [String]) throws {
        // Scalar semantics: the reference tokenizers match code points, never grapheme clusters.
        regexes = try patterns.map { try Regex($0).matchingSemantics(.unicodeScalar) }
    }

    /// The words of `text`, each a slice of it.
    func split(_ text: Substring) -> [Substring] {
        var pieces = [text]
        for regex in regexes {
            var refined: [Substring] = []
            for piece in pieces {
                var start = piece.startIndex
                for match in piece.matches(of: regex) where !match.range.isEmpty {
                    if start < match.range.lowerBound { refined.append(piece[start..<match.range.lowerBound]) }
                    refined.append(piece[match.range])
                    start = match.range.upperBound
                }
                if start < piece.endIndex { refined.append(piece[start...]) }
            }
            pieces = refined
        }
        return pieces
    }
}
