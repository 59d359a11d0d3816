import KilnCore

/// The value type tag of a GGUF metadata entry (`enum gguf_type`).
public enum GGUFValueType: UInt32, Sendable, CaseIterable {
    case uint8 = 0, int8 = 1, uint16 = 2, int16 = 3, uint32 = 4, int32 = 5, float32 = 6, bool = 7
    case string = 8, array = 9, uint64 = 10, int64 = 11, float64 = 12

    public var name: String {
        switch self {
        case .uint8: "u8"
        case .int8: "i8"
        case .uint16: "u16"
        case .int16: "i16"
        case .uint32: "u32"
        case .int32: "i32"
        case .float32: "f32"
        case .bool: "bool"
        case .string: "str"
        case .array: "arr"
        case .uint64: "u64"
        case .int64: "i64"
        case .float64: "f64"
        }
    }
}

/// A typed GGUF array. Arrays of arrays exist in the spec but llama.cpp rejects them, and so does Kiln.
public enum GGUFArray: Equatable, Sendable {
    case uint8([UInt8]), int8([Int8]), uint16([UInt16]), int16([Int16])
    case uint32([UInt32]), int32([Int32]), float32([Float]), bool([Bool])
    case string([String]), uint64([UInt64]), int64([Int64]), float64([Double])

    public var elementType: GGUFValueType {
        switch self {
        case .uint8: .uint8
        case .int8: .int8
        case .uint16: .uint16
        case .int16: .int16
        case .uint32: .uint32
        case .int32: .int32
        case .float32: .float32
        case .bool: .bool
        case .string: .string
        case .uint64: .uint64
        case .int64: .int64
        case .float64: .float64
        }
    }

    public var count: Int {
        switch self {
        case let .uint8(a): a.count
        case let .int8(a): a.count
        case let .uint16(a): a.count
        case let .int16(a): a.count
        case let .uint32(a): a.count
        case let .int32(a): a.count
        case let .float32(a): a.count
        case let .bool(a): a.count
        case let .string(a): a.count
        case let .uint64(a): a.count
        case let .int64(a): a.count
        case let .float64(a): a.count
        }
    }
}

extension GGUFArray {
    /// The first `n` elements as single values, for previews.
    public func prefix(_ n: Int) -> [GGUFValue] {
        switch self {
        case let .uint8(a): a.prefix(n).map(GGUFValue.uint8)
        case let .int8(a): a.prefix(n).map(GGUFValue.int8)
        case let .uint16(a): a.prefix(n).map(GGUFValue.uint16)
        case let .int16(a): a.prefix(n).map(GGUFValue.int16)
        case let .uint32(a): a.prefix(n).map(GGUFValue.uint32)
        case let .int32(a): a.prefix(n).map(GGUFValue.int32)
        case let .float32(a): a.prefix(n).map(GGUFValue.float32)
        case let .bool(a): a.prefix(n).map(GGUFValue.bool)
        case let .string(a): a.prefix(n).map(GGUFValue.string)
        case let .uint64(a): a.prefix(n).map(GGUFValue.uint64)
        case let .int64(a): a.prefix(n).map(GGUFValue.int64)
        case let .float64(a): a.prefix(n).map(GGUFValue.float64)
        }
    }
}

/// One GGUF metadata value.
public enum GGUFValue: Equatable, Sendable {
    case uint8(UInt8), int8(Int8), uint16(UInt16), int16(Int16)
    case uint32(UInt32), int32(Int32), float32(Float), bool(Bool)
    case string(String), array(GGUFArray), uint64(UInt64), int64(Int64), float64(Double)

    public var type: GGUFValueType {
        switch self {
        case .uint8: .uint8
        case .int8: .int8
        case .uint16: .uint16
        case .int16: .int16
        case .uint32: .uint32
        case .int32: .int32
        case .float32: .float32
        case .bool: .bool
        case .string: .string
        case .array: .array
        case .uint64: .uint64
        case .int64: .int64
        case .float64: .float64
        }
    }

    /// Any integer value widened to `Int` (nil for other types or values that do not fit).
    public var intValue: Int? {
        switch self {
        case let .uint8(v): Int(v)
        case let .int8(v): Int(v)
        case let .uint16(v): Int(v)
        case let .int16(v): Int(v)
        case let .uint32(v): Int(v)
        case let .int32(v): Int(v)
        case let .uint64(v): Int(exactly: v)
        case let .int64(v): Int(v)
        default: nil
        }
    }

    public var doubleValue: Double? {
        switch self {
        case let .float32(v): Double(v)
        case let .float64(v): v
        default: intValue.map(Double.init)
        }
    }

    /// Whether this value states `other`'s number at `other`'s precision, whatever the encoding
    /// (a u64 block count states a u32 one; an f64 epsilon states the f32 it rounds to).
    public func states(_ other: GGUFValue) -> Bool {
        switch other {
        case let .float32(v): doubleValue.map { Float($0) == v } ?? false
        case let .float64(v): doubleValue == v
        default: other.intValue != nil && intValue == other.intValue
        }
    }

    public var stringValue: String? {
        if case let .string(s) = self { return s }
        return nil
    }

    public var boolValue: Bool? {
        if case let .bool(b) = self { return b }
        return nil
    }

    public var arrayValue: GGUFArray? {
        if case let .array(a) = self { return a }
        return nil
    }
}

/// GGUF metadata: key–value pairs in file order, keys unique.
public struct GGUFMetadata: Sendable, Equatable, Sequence {
    public private(set) var entries: [(key: String, value: GGUFValue)] = []
    private var index: [String: Int] = [:]

    public init() {}

    public init(_ entries: [(key: String, value: GGUFValue)]) {
        for entry in entries { self[entry.key] = entry.value }
    }

    public static func == (lhs: GGUFMetadata, rhs: GGUFMetadata) -> Bool {
        lhs.entries.count == rhs.entries.count && zip(lhs.entries, rhs.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    public var count: Int { entries.count }
    public var keys: [String] { entries.map(\.key) }

    public func makeIterator() -> IndexingIterator<[(key: String, value: GGUFValue)]> { entries.makeIterator() }

    /// Reads a value; setting one replaces it in place, or appends a new key at the end; nil removes it.
    public subscript(key: String) -> GGUFValue? {
        get { index[key].map { entries[$0].value } }
        set {
            if let value = newValue {
                if let i = index[key] { entries[i].value = value } else {
                    index[key] = entries.count
                    entries.append((key, value))
                }
            } else if let i = index[key] {
                entries.remove(at: i)
                index = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.key, $0) })
            }
        }
    }

    /// Removes the key and appends it at the end, as llama.cpp's `gguf_set_val_*` does.
    public mutating func moveToEnd(_ key: String, _ value: GGUFValue) {
        self[key] = nil
        self[key] = value
    }

    public func contains(_ key: String) -> Bool { index[key] != nil }
}

extension GGUFMetadata {
    /// The integer at `key`, checked against `range`, or nil when the key is absent.
    public func integer(_ key: String, in range: ClosedRange<Int>, path: String) throws -> Int? {
        guard let value = self[key] else { return nil }
        return try InvalidValue.checked(value.intValue, key: key, in: range, path: path)
    }

    /// The finite positive number at `key` (below `limit` when given), or nil when absent.
    public func positiveNumber(_ key: String, below limit: Double? = nil, path: String) throws -> Double? {
        guard let value = self[key] else { return nil }
        return try InvalidValue.checkedPositive(value.doubleValue, key: key, below: limit, path: path)
    }
}
