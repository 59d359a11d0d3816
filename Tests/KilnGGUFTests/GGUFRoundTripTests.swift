import Foundation
import KilnGGUF
import KilnTestSupport
import Testing

@Suite struct GGUFRoundTripTests {
    static let everyValueType = GGUFMetadata([
        ("general.architecture", .string("llama")),
        ("u8", .uint8(200)), ("i8", .int8(-100)), ("u16", .uint16(60000)), ("i16", .int16(-30000)),
        ("u32", .uint32(4_000_000_000)), ("i32", .int32(-2_000_000_000)), ("f32", .float32(1e9)), ("bool", .bool(true)),
        ("str", .string("ünïcödé ✓")), ("u64", .uint64(.max)), ("i64", .int64(.min)), ("f64", .float64(-0.125)),
        ("arr.u8", .array(.uint8([1, 2, 3]))), ("arr.i8", .array(.int8([-1]))), ("arr.u16", .array(.uint16([7]))),
        ("arr.i16", .array(.int16([-7]))), ("arr.u32", .array(.uint32([9, 10]))), ("arr.i32", .array(.int32([-9, 1, 3]))),
        ("arr.f32", .array(.float32([0.5, -2]))), ("arr.bool", .array(.bool([true, false]))),
        ("arr.str", .array(.string(["a b", "", "ĠThe"]))), ("arr.u64", .array(.uint64([1 << 40]))),
        ("arr.i64", .array(.int64([-1 << 40]))), ("arr.f64", .array(.float64([1e300]))), ("arr.empty", .array(.int32([]))),
    ])

    @Test func writesAndReadsEveryValueTypeAndTensor() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("model.gguf")
        let tensors = [
            GGUFTensorDescriptor(name: "a", dimensions: [3], type: .f32),
            GGUFTensorDescriptor(name: "b", dimensions: [32, 2], type: .q8_0),
            GGUFTensorDescriptor(name: "c", dimensions: [5, 1, 1], type: .f16),
        ]
        let writer = try GGUFWriter(path: path, metadata: Self.everyValueType, tensors: tensors)
        let payloads: [[UInt8]] = [Array(0..<12), Array(repeating: 0xab, count: 68), Array(100..<110)]
        for payload in payloads { try payload.withUnsafeBytes { try writer.write($0) } }
        try writer.finish()

        let file = try GGUFFile(path: path)
        #expect(file.version == 3)
        #expect(file.metadata == Self.everyValueType)
        #expect(file.tensors.map(\.name) == ["a", "b", "c"])
        #expect(file.tensors.map(\.dimensions) == [[3], [32, 2], [5, 1, 1]])
        #expect(file.tensors.map(\.offset) == [0, 32, 128], "each tensor starts on a 32-byte boundary")
        #expect(file.dataOffset % 32 == 0)
        for (tensor, payload) in zip(file.tensors, payloads) { #expect(Array(file.bytes(of: tensor)) == payload) }
        #expect(file.mapping.count == file.dataOffset + 160, "padding follows the last tensor too")
    }

    @Test func honoursACustomAlignment() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("aligned.gguf")
        var metadata = GGUFMetadata([("general.architecture", .string("llama"))])
        metadata["general.alignment"] = .uint32(64)
        let writer = try GGUFWriter(path: path, metadata: metadata, tensors: [.init(name: "x", dimensions: [3], type: .f32), .init(name: "y", dimensions: [1], type: .f32)])
        for size in [12, 4] { try [UInt8](repeating: 1, count: size).withUnsafeBytes { try writer.write($0) } }
        try writer.finish()
        let file = try GGUFFile(path: path)
        #expect(file.alignment == 64)
        #expect(file.tensors[1].offset == 64)
        #expect(file.dataOffset % 64 == 0)
    }

    @Test func outputIsDeterministic() throws {
        let folder = TemporaryDirectory()
        var outputs: [Data] = []
        for name in ["one.gguf", "two.gguf"] {
            let writer = try GGUFWriter(path: folder.file(name), metadata: Self.everyValueType, tensors: [.init(name: "t", dimensions: [4], type: .f32)])
            try [UInt8](repeating: 3, count: 16).withUnsafeBytes { try writer.write($0) }
            try writer.finish()
            outputs.append(try Data(contentsOf: URL(fileURLWithPath: folder.file(name))))
        }
        #expect(outputs[0] == outputs[1])
    }

    @Test func leavesNothingBehindWhenAbandoned() throws {
        let folder = TemporaryDirectory()
        do {
            let writer = try GGUFWriter(path: folder.file("x.gguf"), metadata: Self.everyValueType, tensors: [.init(name: "t", dimensions: [4], type: .f32)])
            try [UInt8](repeating: 3, count: 4).withUnsafeBytes { try writer.write($0) }
        }
        #expect(folder.contents.isEmpty)
    }

    @Test func refusesNamesLlamaCppCannotLoad() throws {
        let folder = TemporaryDirectory()
        let long = String(repeating: "n", count: 64)
        #expect(throws: GGUFError.self) {
            try GGUFWriter(path: folder.file("x.gguf"), metadata: GGUFMetadata(), tensors: [.init(name: long, dimensions: [4], type: .f32)])
        }
        #expect(throws: GGUFError.self) {
            try GGUFWriter(path: folder.file("x.gguf"), metadata: GGUFMetadata(), tensors: [.init(name: "q", dimensions: [31], type: .q4_0)])
        }
        #expect(folder.contents.isEmpty)
    }
}
