/// Splits text into the words BPE runs on: a sequence of regexes, each applied to the pieces the
/// previous one left, keeping both the matches and the text between them (Hugging Face's Split
/// with behavior "isolated", and llama.cpp's `unicode_regex_split`).
///
/// Only the patterns of the pre-tokenizers Kiln knows (``PreTokenizerKind``) are run. A pattern from
/// a tokenizer file is otherwise code from the file: a backtracking engine can spend years on
/// `(a+)+$` against a line of `a`s, so an unknown pattern is refused rather than run.
struct PreTokenizer: @unchecked Sendable {
    // Regex is not Sendable, but a compiled regex is immutable and matching does not mutate it.
    private let regexes: [Regex<AnyRegexOutput>]

    /// Every pattern Kiln runs (llama.cpp's, and the files' own where llama.cpp rewrites them); each is
    /// linear in the text on the backtracking engine.
    static let knownPatterns = Set(PreTokenizerKind.allCases.flatMap(\.splitPatterns) + PreTokenizerKind.defaultPatterns
                                   + [#"\p{N}"#, PreTokenizerKind.tekkenPattern]
                                   + [PreTokenizerKind.llama3Pattern, PreTokenizerKind.qwen2Pattern, PreTokenizerKind.o200kPattern].map(PreTokenizerKind.foldingLongS))

    init(patterns: [String]) throws {
        if let unknown = patterns.first(where: { !Self.knownPatterns.contains($0) }) {
            throw UnknownPattern(pattern: unknown)
        }
        // Scalar semantics: the reference tokenizers match code points, never grapheme clusters.
        regexes = try patterns.map { try Regex($0).matchingSemantics(.unicodeScalar) }
    }

    struct UnknownPattern: Error, CustomStringConvertible {
        let pattern: String
        var description: String {
            "pre-tokenizer pattern \(pattern.escapedForMessage(limit: 120)) is not one Kiln knows (\(PreTokenizerKind.allCases.map(\.rawValue).joined(separator: ", "))); "
                + "patterns from files are not run"
        }
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
