/// SentencePiece BPE as Llama runs it (the `sentencepiece` package, llama.cpp's `llama` vocabulary):
/// spaces become "▁", a "▁" is prefixed to each run of text, adjacent pieces merge by highest
/// score, and characters outside the vocabulary fall back to `<0xXX>` byte pieces.
public struct SentencePieceTokenizer: TextTokenizer {
    static let space: Unicode.Scalar = "\u{2581}"

    let pieces: [SentencePieceModel.Piece]
    /// Normal pieces by their text, for the first segmentation into characters.
    let idsByCharacter: [Unicode.Scalar: Int]
    /// The `<0xXX>` piece of each byte, or nil without byte fallback.
    let byteIDs: [Int?]
    let unknownID: Int?
    let merges: PairMerges
    let addedTokens: AddedTokenSplitter
    /// SentencePiece's `add_dummy_prefix`: text starts with "▁", as does text after a special token.
    let addsSpacePrefix: Bool
    public let bosID: Int?
    public let eosID: Int?
    public let addsBOS: Bool

    /// - Parameter stripsAfterSpecialTokens: drop the whitespace after added tokens as llama.cpp does
    ///   for Phi-3 (``phi3RightStripped``).
    init(pieces: [SentencePieceModel.Piece], addsSpacePrefix: Bool, bosID: Int?, eosID: Int?, addsBOS: Bool,
         stripsAfterSpecialTokens: Bool = false) {
        self.pieces = pieces
        var characters: [Unicode.Scalar: Int] = [:]
        var bytes: [String: Int] = [:]
        for (id, piece) in pieces.enumerated() {
            let scalars = piece.text.unicodeScalars
            if piece.type == .normal, scalars.count == 1 { characters[scalars.first!] = characters[scalars.first!] ?? id }
            if piece.type == .byte { bytes[piece.text] = id }
        }
        idsByCharacter = characters
        byteIDs = (0...255).map { byte in bytes["<0x" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true) + ">"] }
        unknownID = pieces.firstIndex { $0.type == .unknown }
        merges = PairMerges(spellings: pieces.map { Array($0.text.unicodeScalars) },
                            priority: { pieces[$0].type == .normal ? -Double(pieces[$0].score) : nil })
        addedTokens = AddedTokenSplitter(pieces.enumerated().compactMap { id, piece in
            let strips = stripsAfterSpecialTokens && Self.phi3RightStripped(piece)
            switch piece.type {
            case .control, .unknown: return .init(text: piece.text, id: id, special: true, stripsFollowingWhitespace: strips)
            case .userDefined: return .init(text: piece.text, id: id, special: false, stripsFollowingWhitespace: strips)
            default: return nil
            }
        })
        self.addsSpacePrefix = addsSpacePrefix
        self.bosID = bosID
        self.eosID = eosID
        self.addsBOS = addsBOS
    }

    /// llama.cpp (`llama_vocab::load`, for a model whose `general.name` says Phi-3) strips the whitespace
    /// after every control, user-defined and unknown token and `</s>`, except `<unk>`, `<s>` and
    /// `<|endoftext|>`, as Phi-3's tokenizer.json marks its added tokens `rstrip`.
    static func phi3RightStripped(_ piece: SentencePieceModel.Piece) -> Bool {
        if ["<unk>", "<s>", "<|endoftext|>"].contains(piece.text) { return false }
        return piece.text == "</s>" || [.control, .userDefined, .unknown].contains(piece.type)
    }

    public var vocabularySize: Int { pieces.count }

    public func encode(_ text: String, addBOS: Bool, parseSpecial: Bool) -> [Int] {
        var ids: [Int] = []
        if addBOS, let bosID { ids.append(bosID) }
        var afterToken = true
        for segment in addedTokens.segments(text, parseSpecial: parseSpecial) {
            switch segment {
            case let .token(id):
                ids.append(id)
                afterToken = true
            case let .text(text):
                encodeText(text, spacePrefix: addsSpacePrefix && afterToken, into: &ids)
                afterToken = false
            }
        }
        return ids
    }

    private func encodeText(_ text: Substring, spacePrefix: Bool, into ids: inout [Int]) {
        var characters = spacePrefix ? [Self.space] : []
        characters += text.unicodeScalars.map { $0 == " " ? Self.space : $0 }
        // A character outside the vocabulary is the negative symbol −(index + 1): it never merges.
        let symbols = characters.enumerated().map { index, character in idsByCharacter[character] ?? -(index + 1) }
        for symbol in merges.apply(symbols) {
            guard symbol < 0 else {
                ids.append(symbol)
                continue
            }
            for byte in String(characters[-symbol - 1]).utf8 {
                if let id = byteIDs[Int(byte)] ?? unknownID { ids.append(id) }
            }
        }
    }

    /// The text of `ids`. The "▁" that encoding prefixes to each run of text (at the start and after
    /// a token cut out whole) is removed again, so decoding inverts encoding.
    public func decode(_ ids: [Int]) -> String {
        var bytes: [UInt8] = []
        var runStart = true
        for id in ids where pieces.indices.contains(id) {
            let piece = pieces[id]
            switch piece.type {
            case .byte:
                bytes.append(UInt8(piece.text.dropFirst(3).prefix(2), radix: 16) ?? 0)
                runStart = false
            case .normal:
                var scalars = piece.text.unicodeScalars[...]
                if runStart && addsSpacePrefix && scalars.first == Self.space { scalars = scalars.dropFirst() }
                bytes += scalars.flatMap { $0 == Self.space ? [UInt8(ascii: " ")] : Array(String($0).utf8) }
                runStart = false
            default:
                bytes += Array(piece.text.utf8)
                runStart = true
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
