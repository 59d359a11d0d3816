/// Cuts added tokens (`<s>`, `[INST]`, user-defined tokens) out of the text before pre-tokenizing,
/// taking the longest token at the leftmost position, as Hugging Face's added vocabulary does.
struct AddedTokenSplitter: Sendable {
    struct Token: Sendable {
        let text: String
        let id: Int
        /// Special (control) tokens are recognised only when the caller asks; others always.
        let special: Bool
        /// The whitespace after the token is dropped (llama.cpp's `LLAMA_TOKEN_ATTR_RSTRIP`).
        var stripsFollowingWhitespace = false
    }

    enum Segment: Equatable {
        case text(Substring)
        case token(Int)
    }

    /// Tokens by their first byte, longest first.
    private let byFirstByte: [UInt8: [(bytes: [UInt8], token: Token)]]

    init(_ tokens: [Token]) {
        let spelled = tokens.filter { !$0.text.isEmpty }.map { (bytes: Array($0.text.utf8), token: $0) }
        byFirstByte = Dictionary(grouping: spelled, by: { $0.bytes[0] }).mapValues { $0.sorted { $0.bytes.count > $1.bytes.count } }
    }

    func segments(_ text: String, parseSpecial: Bool) -> [Segment] {
        guard !byFirstByte.isEmpty else { return text.isEmpty ? [] : [.text(text[...])] }
        let bytes = Array(text.utf8)
        var segments: [Segment] = []
        var textStart = 0
        var offset = 0
        func index(_ offset: Int) -> String.Index { text.utf8.index(text.startIndex, offsetBy: offset) }
        while offset < bytes.count {
            let match = byFirstByte[bytes[offset]]?.first { candidate in
                (parseSpecial || !candidate.token.special) && bytes[offset...].starts(with: candidate.bytes)
            }
            guard let match else {
                offset += 1
                continue
            }
            if textStart < offset { segments.append(.text(text[index(textStart)..<index(offset)])) }
            segments.append(.token(match.token.id))
            offset += match.bytes.count
            if match.token.stripsFollowingWhitespace {
                // C's isspace: space, \t, \n, \v, \f, \r.
                while offset < bytes.count, bytes[offset] == 0x20 || (0x09...0x0d).contains(bytes[offset]) { offset += 1 }
            }
            textStart = offset
        }
        if textStart < bytes.count { segments.append(.text(text[index(textStart)...])) }
        return segments
    }
}
