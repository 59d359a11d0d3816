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

    public var ggufVocabulary: Vocabulary {
        Vocabulary(model: "llama", preTokenizer: "default", tokens: pieces.map(\.text), types: pieces.map(\.type), scores: pieces.map(\.score))
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
