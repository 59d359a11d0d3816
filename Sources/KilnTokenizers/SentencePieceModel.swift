import Foundation
import KilnCore

/// A SentencePiece `tokenizer.model` (a protobuf `ModelProto`), read for its pieces.
public struct SentencePieceModel: Sendable {
    public struct Piece: Sendable, Equatable {
        public let text: String
        public let score: Float
        /// SentencePiece's piece type, numbered as GGUF's token types are.
        public let type: Vocabulary.TokenType
    }

    public let path: String
    public let pieces: [Piece]

    public init(path: String) throws {
        self.path = path
        let file = try MappedFile(path: path)
        pieces = try file.bytes.withUnsafeBytes { raw in
            var reader = ProtobufReader(bytes: raw, path: path)
            var pieces: [Piece] = []
            while let (field, wire) = try reader.nextField() {
                if field == 1 && wire == 2 {
                    pieces.append(try SentencePieceModel.piece(try reader.lengthDelimited(), path: path))
                } else {
                    try reader.skip(wire)
                }
            }
            return pieces
        }
        guard !pieces.isEmpty else { throw TokenizerError(path: path, "holds no pieces (not a SentencePiece model?)") }
    }

    private static func piece(_ bytes: UnsafeRawBufferPointer, path: String) throws -> Piece {
        var reader = ProtobufReader(bytes: bytes, path: path)
        var text = ""
        var score: Float = 0
        var type = Vocabulary.TokenType.normal
        while let (field, wire) = try reader.nextField() {
            switch (field, wire) {
            case (1, 2): text = String(decoding: try reader.lengthDelimited(), as: UTF8.self)
            case (2, 5): score = Float(bitPattern: try reader.fixed32())
            case (3, 0):
                let raw = try reader.varint()
                guard let t = Vocabulary.TokenType(rawValue: Int32(truncatingIfNeeded: raw)) else {
                    throw TokenizerError(path: path, "piece \"\(text)\" has unknown type \(raw)")
                }
                type = t
            default: try reader.skip(wire)
            }
        }
        return Piece(text: text, score: score, type: type)
    }

    /// A token a checkpoint adds over the model's pieces (added_tokens.json, or tokenizer_config.json's
    /// `added_tokens_decoder`, which also says whether it is special).
    public struct AddedToken: Sendable, Equatable {
        public let id: Int
        public let content: String
        public let special: Bool?

        public init(id: Int, content: String, special: Bool?) {
            self.id = id
            self.content = content
            self.special = special
        }
    }

    /// How a converter treats the tokens a checkpoint adds to its SentencePiece pieces.
    public enum AddedTokenRules: Sendable {
        /// `_create_vocab_sentencepiece`: added ids past the size are ignored; `added_tokens_decoder`
        /// entries that look special are control tokens, the others have ▁ written as a space.
        case llama
        /// `Phi3MiniModel.set_vocab`: the decoder entries (then tokenizer.json's `added_tokens`) are
        /// control tokens when marked special, user-defined otherwise, their text as written; a piece
        /// or decoder id past the size is an error (the converter's IndexError).
        case phi3
    }

    /// The GGUF vocabulary of `size` tokens as llama.cpp's `_create_vocab_sentencepiece` builds it:
    /// ids without a piece are unused `[PADn]` (score −10000), pieces past `size` are dropped,
    /// user-defined pieces count as normal, then added_tokens.json entries become user-defined and
    /// `added_tokens_decoder` entries control or user-defined (score −1000), ids past `size` ignored;
    /// `rules` `.phi3` changes the last step (see ``AddedTokenRules``).
    public func ggufVocabulary(size: Int, addedTokens: [AddedToken], addedTokensDecoder: [AddedToken],
                               rules: AddedTokenRules = .llama) throws -> Vocabulary {
        if rules == .phi3, let outside = pieces.count > size ? pieces.count - 1 : addedTokensDecoder.first(where: { !(0..<size).contains($0.id) })?.id {
            throw TokenizerError(path: path, "token id \(outside) is outside the vocabulary of \(size) the config states")
        }
        var tokens = (0..<size).map { "[PAD\($0)]" }
        var scores = [Float](repeating: -10000, count: size)
        var types = [Vocabulary.TokenType](repeating: .unused, count: size)
        for (id, piece) in pieces.prefix(size).enumerated() {
            tokens[id] = piece.text
            scores[id] = piece.score
            types[id] = piece.type == .userDefined ? .normal : piece.type
        }
        for token in addedTokens where (0..<size).contains(token.id) {
            tokens[token.id] = token.content
            scores[token.id] = -1000
            types[token.id] = .userDefined
        }
        for token in addedTokensDecoder where (0..<size).contains(token.id) {
            if rules == .phi3 {
                tokens[token.id] = token.content
                types[token.id] = token.special == true ? .control : .userDefined
            } else if token.special == true || PreTokenizerKind.looksSpecial(token.content) {
                tokens[token.id] = token.content
                types[token.id] = .control
            } else {
                // User-defined tokens are stored pre-normalized: SentencePiece's ▁ becomes a space.
                tokens[token.id] = token.content.replacingOccurrences(of: "\u{2581}", with: " ")
                types[token.id] = .userDefined
            }
            scores[token.id] = -1000
        }
        return Vocabulary(model: "llama", preTokenizer: "default", tokens: tokens, types: types, scores: scores)
    }
}

/// Just enough protobuf wire format to walk a message.
struct ProtobufReader {
    var reader: ByteReader
    let path: String

    init(bytes: UnsafeRawBufferPointer, path: String) {
        reader = ByteReader(bytes)
        self.path = path
    }

    func malformed() -> TokenizerError { TokenizerError(path: path, "malformed protobuf at byte \(reader.offset)") }

    mutating func varint() throws -> UInt64 {
        var value: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 7) {
            guard let byte = reader.read(UInt8.self) else { throw malformed() }
            value |= UInt64(byte & 0x7f) << UInt64(shift)
            if byte & 0x80 == 0 { return value }
        }
        throw malformed()
    }

    mutating func nextField() throws -> (Int, Int)? {
        guard reader.remaining > 0 else { return nil }
        let key = try varint()
        return (Int(key >> 3), Int(key & 7))
    }

    mutating func lengthDelimited() throws -> UnsafeRawBufferPointer {
        let length = try varint()
        guard length <= UInt64(reader.remaining), let bytes = reader.readBytes(Int(length)) else { throw malformed() }
        return bytes
    }

    mutating func fixed32() throws -> UInt32 {
        guard let v = reader.read(UInt32.self) else { throw malformed() }
        return v
    }

    mutating func skip(_ wire: Int) throws {
        switch wire {
        case 0: _ = try varint()
        case 1: guard reader.readBytes(8) != nil else { throw malformed() }
        case 2: _ = try lengthDelimited()
        case 5: _ = try fixed32()
        default: throw malformed()
        }
    }
}
