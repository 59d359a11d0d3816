/// A ggml tensor type id as stored in GGUF tensor infos (`enum ggml_type` in ggml.h).
public struct GGMLType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let f32 = GGMLType(rawValue: 0)
    public static let f16 = GGMLType(rawValue: 1)
    public static let q4_0 = GGMLType(rawValue: 2)
    public static let q4_1 = GGMLType(rawValue: 3)
    public static let q5_0 = GGMLType(rawValue: 6)
    public static let q5_1 = GGMLType(rawValue: 7)
    public static let q8_0 = GGMLType(rawValue: 8)
    public static let q8_1 = GGMLType(rawValue: 9)
    public static let q2_K = GGMLType(rawValue: 10)
    public static let q3_K = GGMLType(rawValue: 11)
    public static let q4_K = GGMLType(rawValue: 12)
    public static let q5_K = GGMLType(rawValue: 13)
    public static let q6_K = GGMLType(rawValue: 14)
    public static let q8_K = GGMLType(rawValue: 15)
    public static let iq2_xxs = GGMLType(rawValue: 16)
    public static let iq2_xs = GGMLType(rawValue: 17)
    public static let iq3_xxs = GGMLType(rawValue: 18)
    public static let iq1_s = GGMLType(rawValue: 19)
    public static let iq4_nl = GGMLType(rawValue: 20)
    public static let iq3_s = GGMLType(rawValue: 21)
    public static let iq2_s = GGMLType(rawValue: 22)
    public static let iq4_xs = GGMLType(rawValue: 23)
    public static let i8 = GGMLType(rawValue: 24)
    public static let i16 = GGMLType(rawValue: 25)
    public static let i32 = GGMLType(rawValue: 26)
    public static let i64 = GGMLType(rawValue: 27)
    public static let f64 = GGMLType(rawValue: 28)
    public static let iq1_m = GGMLType(rawValue: 29)
    public static let bf16 = GGMLType(rawValue: 30)
    public static let tq1_0 = GGMLType(rawValue: 34)
    public static let tq2_0 = GGMLType(rawValue: 35)
    public static let mxfp4 = GGMLType(rawValue: 39)

    private struct Traits { let name: String; let blockSize: Int; let typeSize: Int }

    private static let traits: [UInt32: Traits] = [
        0: Traits(name: "F32", blockSize: 1, typeSize: 4),
        1: Traits(name: "F16", blockSize: 1, typeSize: 2),
        2: Traits(name: "Q4_0", blockSize: 32, typeSize: 18),
        3: Traits(name: "Q4_1", blockSize: 32, typeSize: 20),
        6: Traits(name: "Q5_0", blockSize: 32, typeSize: 22),
        7: Traits(name: "Q5_1", blockSize: 32, typeSize: 24),
        8: Traits(name: "Q8_0", blockSize: 32, typeSize: 34),
        9: Traits(name: "Q8_1", blockSize: 32, typeSize: 36),
        10: Traits(name: "Q2_K", blockSize: 256, typeSize: 84),
        11: Traits(name: "Q3_K", blockSize: 256, typeSize: 110),
        12: Traits(name: "Q4_K", blockSize: 256, typeSize: 144),
        13: Traits(name: "Q5_K", blockSize: 256, typeSize: 176),
        14: Traits(name: "Q6_K", blockSize: 256, typeSize: 210),
        15: Traits(name: "Q8_K", blockSize: 256, typeSize: 292),
        16: Traits(name: "IQ2_XXS", blockSize: 256, typeSize: 66),
        17: Traits(name: "IQ2_XS", blockSize: 256, typeSize: 74),
        18: Traits(name: "IQ3_XXS", blockSize: 256, typeSize: 98),
        19: Traits(name: "IQ1_S", blockSize: 256, typeSize: 50),
        20: Traits(name: "IQ4_NL", blockSize: 32, typeSize: 18),
        21: Traits(name: "IQ3_S", blockSize: 256, typeSize: 110),
        22: Traits(name: "IQ2_S", blockSize: 256, typeSize: 82),
        23: Traits(name: "IQ4_XS", blockSize: 256, typeSize: 136),
        24: Traits(name: "I8", blockSize: 1, typeSize: 1),
        25: Traits(name: "I16", blockSize: 1, typeSize: 2),
        26: Traits(name: "I32", blockSize: 1, typeSize: 4),
        27: Traits(name: "I64", blockSize: 1, typeSize: 8),
        28: Traits(name: "F64", blockSize: 1, typeSize: 8),
        29: Traits(name: "IQ1_M", blockSize: 256, typeSize: 56),
        30: Traits(name: "BF16", blockSize: 1, typeSize: 2),
        34: Traits(name: "TQ1_0", blockSize: 256, typeSize: 54),
        35: Traits(name: "TQ2_0", blockSize: 256, typeSize: 66),
        39: Traits(name: "MXFP4", blockSize: 32, typeSize: 17),
    ]

    /// Every type Kiln knows the layout of, in id order.
    public static var allKnown: [GGMLType] { traits.keys.sorted().map(GGMLType.init(rawValue:)) }

    public init?(name: String) {
        guard let id = GGMLType.traits.first(where: { $0.value.name.lowercased() == name.lowercased() })?.key else { return nil }
        self.init(rawValue: id)
    }

    public var isKnown: Bool { GGMLType.traits[rawValue] != nil }
    /// Elements per block (1 for plain types).
    public var blockSize: Int { GGMLType.traits[rawValue]!.blockSize }
    /// Bytes per block.
    public var typeSize: Int { GGMLType.traits[rawValue]!.typeSize }
    public var name: String { GGMLType.traits[rawValue]?.name ?? "type\(rawValue)" }
    public var description: String { name }
    public var isQuantized: Bool { blockSize > 1 }
    /// Average bits per weight of this encoding.
    public var bitsPerWeight: Double { Double(typeSize * 8) / Double(blockSize) }

    /// Bytes a row of `elements` values takes, or nil when it is not a whole number of blocks.
    public func rowSize(_ elements: Int) -> Int? {
        elements % blockSize == 0 ? elements / blockSize * typeSize : nil
    }
}
