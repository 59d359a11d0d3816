import Foundation
import KilnGGUF
import KilnTestSupport
import Testing

@Suite struct MalformedGGUFTests {
    /// A valid two-tensor file to break in different ways.
    func validBytes() throws -> [UInt8] {
        let folder = TemporaryDirectory()
        let path = folder.file("base.gguf")
        let writer = try GGUFWriter(path: path, metadata: GGUFMetadata([("general.architecture", .string("llama")), ("k", .array(.string(["x", "y"])))]),
                                    tensors: [.init(name: "a", dimensions: [4], type: .f32), .init(name: "b", dimensions: [2], type: .f32)])
        for size in [16, 8] { try [UInt8](repeating: 1, count: size).withUnsafeBytes { try writer.write($0) } }
        try writer.finish()
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    func expectRejected(_ bytes: [UInt8], _ code: GGUFError.Code, mentioning word: String) throws {
        let folder = TemporaryDirectory()
        let path = folder.file("broken.gguf")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: GGUFError.self) { try GGUFFile(path: path) }
        #expect(error?.code == code)
        #expect(error?.description.hasPrefix(path) == true)
        #expect(error?.message.contains(word) == true, "\(error?.message ?? "") should mention \(word)")
    }

    /// Cut anywhere before the last tensor's bytes end (its trailing padding is not needed to load it).
    @Test func rejectsTruncationAnywhere() throws {
        let bytes = try validBytes()
        for length in [0, 3, 7, 20, 40, bytes.count / 2, bytes.count - 25] {
            try expectRejected(Array(bytes.prefix(length)), .truncated, mentioning: "truncated")
        }
    }

    @Test func rejectsABadMagic() throws {
        var bytes = try validBytes()
        bytes[0] = UInt8(ascii: "X")
        try expectRejected(bytes, .notGGUF, mentioning: "magic")
    }

    @Test func rejectsAnUnsupportedVersion() throws {
        var bytes = try validBytes()
        bytes[4] = 1
        try expectRejected(bytes, .unsupportedVersion, mentioning: "version 1")
    }

    @Test func rejectsATensorAtTheWrongOffset() throws {
        var bytes = try validBytes()
        // The second tensor info ends with its u64 offset (32); make it 0, overlapping the first.
        let infoEnd = bytes.indices.first { i in i + 8 <= bytes.count && bytes[i..<i + 8] == [32, 0, 0, 0, 0, 0, 0, 0] }!
        bytes[infoEnd] = 0
        try expectRejected(bytes, .misplacedTensor, mentioning: "expected 32")
    }

    @Test func rejectsADuplicateKey() throws {
        var bytes: [UInt8] = Array("GGUF".utf8) + le(UInt32(3)) + le(Int64(0)) + le(Int64(2))
        for _ in 0..<2 { bytes += le(UInt64(1)) + [UInt8(ascii: "k")] + le(UInt32(4)) + le(UInt32(7)) }
        try expectRejected(bytes, .duplicateKey, mentioning: "\"k\"")
    }

    @Test func rejectsAnAlignmentThatIsNotAPowerOfTwo() throws {
        var bytes: [UInt8] = Array("GGUF".utf8) + le(UInt32(3)) + le(Int64(0)) + le(Int64(1))
        bytes += le(UInt64(17)) + Array("general.alignment".utf8) + le(UInt32(4)) + le(UInt32(48))
        try expectRejected(bytes, .invalidAlignment, mentioning: "power of two")
    }

    @Test func rejectsANegativeOrHugeCount() throws {
        let huge: [UInt8] = Array("GGUF".utf8) + le(UInt32(3)) + le(Int64.max) + le(Int64(0))
        try expectRejected(huge, .invalidMetadata, mentioning: "more than the file can hold")
    }

    @Test func rejectsAnUnknownTensorType() throws {
        var e: [UInt8] = Array("GGUF".utf8) + le(UInt32(3)) + le(Int64(1)) + le(Int64(0))
        e += le(UInt64(1)) + [UInt8(ascii: "t")] + le(UInt32(1)) + le(Int64(4)) + le(UInt32(99)) + le(UInt64(0))
        try expectRejected(e + [UInt8](repeating: 0, count: 64), .unknownType, mentioning: "99")
    }

    func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
}
