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
    /// llama.cpp's character classes come from Unicode 15.1 (unicode-data.cpp): a code point assigned
    /// later is no letter, digit or space to it, so a GGUF's words are cut with such code points seen as
    /// U+0378 (unassigned in every version), where Swift's newer tables would keep `a\u{1C89}b` one word.
    private let llamaCppUnicode: Bool

    /// Every pattern Kiln runs (llama.cpp's, and the files' own where llama.cpp rewrites them); each is
    /// linear in the text on the backtracking engine.
    static let knownPatterns = Set(PreTokenizerKind.allCases.flatMap(\.splitPatterns) + PreTokenizerKind.defaultPatterns
                                   + [#"\p{N}"#, PreTokenizerKind.tekkenPattern]
                                   + [PreTokenizerKind.llama3Pattern, PreTokenizerKind.qwen2Pattern, PreTokenizerKind.o200kPattern].map(PreTokenizerKind.foldingLongS))

    init(patterns: [String], llamaCppUnicode: Bool = false) throws {
        if let unknown = patterns.first(where: { !Self.knownPatterns.contains($0) }) {
            throw UnknownPattern(pattern: unknown)
        }
        // Scalar semantics: the reference tokenizers match code points, never grapheme clusters.
        regexes = try patterns.map { try Regex($0).matchingSemantics(.unicodeScalar) }
        self.llamaCppUnicode = llamaCppUnicode
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
        func isNewerThanLlamaCpp(_ scalar: Unicode.Scalar) -> Bool {
            guard let age = scalar.properties.age else { return false }
            return age.major > 15 || (age.major == 15 && age.minor > 1)
        }
        guard llamaCppUnicode, text.unicodeScalars.contains(where: isNewerThanLlamaCpp) else { return splitAsIs(text) }
        let seen = String(String.UnicodeScalarView(text.unicodeScalars.map { isNewerThanLlamaCpp($0) ? "\u{378}" : $0 }))
        var start = text.unicodeScalars.startIndex
        return splitAsIs(seen[...]).map { piece in
            let end = text.unicodeScalars.index(start, offsetBy: piece.unicodeScalars.count)
            defer { start = end }
            return Substring(text.unicodeScalars[start..<end])
        }
    }

    private func splitAsIs(_ text: Substring) -> [Substring] {
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
