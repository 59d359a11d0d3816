import KilnTokenizers

/// Turns a growing list of ids into text pieces as they become printable: a byte-level token may
/// end in the middle of a UTF-8 character, so text ending in U+FFFD is held back until the next id.
public struct StreamingDecoder {
    let tokenizer: any TextTokenizer
    private var ids: [Int] = []
    private var emitted = 0

    public init(tokenizer: any TextTokenizer) { self.tokenizer = tokenizer }

    /// The new text after appending `id` (possibly empty).
    public mutating func append(_ id: Int) -> String {
        ids.append(id)
        let text = Array(tokenizer.decode(ids).unicodeScalars)
        if text.last == "\u{FFFD}" || text.count <= emitted { return "" }
        var piece = String.UnicodeScalarView()
        piece.append(contentsOf: text[emitted...])
        emitted = text.count
        return String(piece)
    }
}
