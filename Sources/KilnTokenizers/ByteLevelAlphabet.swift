/// GPT-2's reversible map between bytes and printable Unicode scalars.
///
/// Byte-level BPE vocabularies (tokenizer.json, GGUF `gpt2`) spell every token with these scalars,
/// so a raw byte string becomes a token string by mapping each byte.
public enum ByteLevelAlphabet {
    /// `scalars[b]` is the scalar that spells byte `b`.
    public static let scalars: [Unicode.Scalar] = {
        var printable = Array(UInt32(0x21)...0x7e) + Array(UInt32(0xa1)...0xac) + Array(UInt32(0xae)...0xff)
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        for b in printable { table[Int(b)] = Unicode.Scalar(b)! }
        var extra: UInt32 = 0
        for b in 0..<256 where !printable.contains(UInt32(b)) {
            table[b] = Unicode.Scalar(256 + extra)!
            extra += 1
            printable.append(UInt32(b))
        }
        return table
    }()

    /// The byte each alphabet scalar spells.
    public static let bytes: [Unicode.Scalar: UInt8] = {
        Dictionary(uniqueKeysWithValues: scalars.enumerated().map { ($1, UInt8($0)) })
    }()

    public static func encode<S: Sequence>(_ raw: S) -> String where S.Element == UInt8 {
        var s = String.UnicodeScalarView()
        for byte in raw { s.append(scalars[Int(byte)]) }
        return String(s)
    }

    /// The raw bytes a token string spells, or nil if it uses scalars outside the alphabet.
    public static func decode(_ token: String) -> [UInt8]? {
        var out: [UInt8] = []
        for scalar in token.unicodeScalars {
            guard let byte = bytes[scalar] else { return nil }
            out.append(byte)
        }
        return out
    }
}
