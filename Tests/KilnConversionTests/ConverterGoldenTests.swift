import Foundation
import KilnCheckpoints
import KilnConversion
import KilnCore
import KilnGGUF
import KilnTestSupport
import Testing

/// Our GGUF against llama.cpp's `convert_hf_to_gguf.py` output for the same fixture, recorded by
/// `Scripts/oracle/make_convert_goldens.py` in `Fixtures/goldens/convert/`.
@Suite struct ConverterGoldenTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let golden: String
        let model: String
        let outputType: OutputType
        var testDescription: String { golden }
    }

    static let cases = [
        Case(golden: "hf-auto", model: Fixtures.tinyPixtral, outputType: .auto),
        Case(golden: "hf-f16", model: Fixtures.tinyPixtral, outputType: .f16),
        Case(golden: "hf-f32", model: Fixtures.tinyPixtral, outputType: .f32),
        Case(golden: "native-auto", model: Fixtures.tinyPixtralNative, outputType: .auto),
        Case(golden: "wide-auto", model: Fixtures.wideLlama, outputType: .auto),
        Case(golden: "wide-f16", model: Fixtures.wideLlama, outputType: .f16),
    ]

    @Test(arguments: cases)
    func matchesLlamaCppsConverter(_ c: Case) throws {
        let folder = TemporaryDirectory()
        let path = folder.file("out.gguf")
        try GGUFConversion.write(try GGUFConversion.plan(try CheckpointReader.open(c.model), outputType: c.outputType), to: path)
        try Self.expectIdentical(try GGUFFile(path: path), toGolden: c.golden)
    }

    static func golden(_ name: String) throws -> JSON { try golden(at: "convert/\(name)") }

    /// A golden by its path under Fixtures/goldens, without `.json`.
    static func golden(at path: String) throws -> JSON {
        try JSON.parse(Array(try Data(contentsOf: URL(fileURLWithPath: "\(Fixtures.goldens)/\(path).json"))))
    }

    static func expectIdentical(_ file: GGUFFile, toGolden name: String) throws {
        try expectIdentical(file, toGoldenAt: "convert/\(name)")
    }

    /// Keys, values, tensor names, order, types, shapes, offsets, bytes and the whole file equal the golden's.
    static func expectIdentical(_ file: GGUFFile, toGoldenAt path: String) throws {
        let golden = try golden(at: path)
        let expectedKeys = golden["kv"]?.arrayValue?.compactMap { $0["key"]?.stringValue } ?? []
        #expect(file.metadata.keys == expectedKeys, "metadata keys and their order")
        for entry in golden["kv"]?.arrayValue ?? [] {
            let key = entry["key"]!.stringValue!
            guard let value = file.metadata[key] else { continue }
            #expect(GoldenValue.describe(value) == GoldenValue.expected(entry), "\(key)")
        }

        let tensors = golden["tensors"]?.arrayValue ?? []
        #expect(file.tensors.count == tensors.count)
        for (tensor, expected) in zip(file.tensors, tensors) {
            #expect(tensor.name == expected["name"]?.stringValue)
            #expect(Int(tensor.type.rawValue) == expected["ggml_type"]?.intValue, "\(tensor.name)")
            #expect(tensor.dimensions == expected["ne"]?.arrayValue?.compactMap(\.intValue), "\(tensor.name)")
            #expect(tensor.offset == expected["offset"]?.intValue, "\(tensor.name)")
            #expect(SHA256.hex(file.bytes(of: tensor)) == expected["sha256"]?.stringValue, "\(tensor.name) bytes")
        }
        #expect(file.dataOffset == golden["header"]?["data_offset"]?.intValue)
        #expect(SHA256.hex(file.mapping.bytes) == golden["header"]?["file_sha256"]?.stringValue, "the whole file is byte-identical")
    }
}

/// The golden's description of a metadata value: scalars as written, floats by their bits, arrays by
/// count and the SHA-256 of their GGUF encoding.
enum GoldenValue {
    static let typeNames: [GGUFValueType: String] = [
        .uint8: "UINT8", .int8: "INT8", .uint16: "UINT16", .int16: "INT16", .uint32: "UINT32", .int32: "INT32",
        .float32: "FLOAT32", .bool: "BOOL", .string: "STRING", .array: "ARRAY", .uint64: "UINT64", .int64: "INT64", .float64: "FLOAT64",
    ]

    static func expected(_ entry: JSON) -> String {
        let type = entry["type"]?.stringValue ?? "?"
        if type == "ARRAY" {
            return "ARRAY \(entry["element_type"]?.stringValue ?? "?") \(entry["count"]?.intValue ?? -1) \(entry["sha256"]?.stringValue ?? "")"
        }
        if let bits = entry["bits"]?.stringValue { return "\(type) bits \(bits)" }
        return "\(type) \(entry["value"].map(plain) ?? "")"
    }

    static func describe(_ value: GGUFValue) -> String {
        let type = typeNames[value.type]!
        switch value {
        case let .array(array):
            return "ARRAY \(typeNames[array.elementType]!) \(array.count) \(SHA256.hex(encoding(array)))"
        case let .float32(f):
            return "\(type) bits \(withUnsafeBytes(of: f.bitPattern.littleEndian) { $0.map { String(format: "%02x", $0) }.joined() })"
        case let .float64(f):
            return "\(type) bits \(withUnsafeBytes(of: f.bitPattern.littleEndian) { $0.map { String(format: "%02x", $0) }.joined() })"
        case let .string(s): return "\(type) \(s)"
        case let .bool(b): return "\(type) \(b ? "true" : "false")"
        default: return "\(type) \(value.intValue.map(String.init) ?? "?")"
        }
    }

    static func plain(_ json: JSON) -> String {
        switch json {
        case let .string(s): s
        case let .bool(b): b ? "true" : "false"
        case let .number(n): n
        default: json.serialized
        }
    }

    /// Elements as GGUF stores them (strings with their u64 length), without the array header.
    static func encoding(_ array: GGUFArray) -> [UInt8] {
        var out: [UInt8] = []
        func le<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        switch array {
        case let .uint8(a): out += a
        case let .int8(a): a.forEach { le($0) }
        case let .uint16(a): a.forEach { le($0) }
        case let .int16(a): a.forEach { le($0) }
        case let .uint32(a): a.forEach { le($0) }
        case let .int32(a): a.forEach { le($0) }
        case let .float32(a): a.forEach { le($0.bitPattern) }
        case let .bool(a): a.forEach { out.append($0 ? 1 : 0) }
        case let .string(a): a.forEach { le(UInt64($0.utf8.count)); out += $0.utf8 }
        case let .uint64(a): a.forEach { le($0) }
        case let .int64(a): a.forEach { le($0) }
        case let .float64(a): a.forEach { le($0.bitPattern) }
        }
        return out
    }
}
