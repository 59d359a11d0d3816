import Foundation
import KilnSafeTensors
import KilnTestSupport
import Testing

/// One hand-made broken file and what the validator must say about it.
struct MalformedCase: CustomTestStringConvertible, Sendable {
    let name: String
    let bytes: [UInt8]
    let code: SafeTensorsError.Code
    /// Words the message must contain.
    let mentions: [String]
    var testDescription: String { name }

    static func make(_ name: String, _ code: SafeTensorsError.Code, _ mentions: [String], _ build: (inout RawSafeTensors) -> Void) -> MalformedCase {
        var file = RawSafeTensors.valid()
        build(&file)
        return MalformedCase(name: name, bytes: file.bytes, code: code, mentions: mentions)
    }

    static let all: [MalformedCase] = [
        MalformedCase(name: "file shorter than the length prefix", bytes: [1, 2, 3], code: .truncated, mentions: ["too short"]),
        make("truncated data", .trailingBytes, ["truncated"]) { $0.data.removeLast(3) },
        make("header length past end of file", .headerPastEnd, ["past the end"]) { $0.declaredHeaderLength = 5_000 },
        make("header length claiming 200 MB", .headerTooLarge, ["200000000", "limit"]) { $0.declaredHeaderLength = 200_000_000 },
        // Eight bytes of text read as a length would be a number made of an unrelated file's bytes.
        MalformedCase(name: "a text file", bytes: Array("Secret notes, not a model.\n".utf8), code: .invalidHeader, mentions: ["not a safetensors file"]),
        make("invalid JSON", .invalidHeader, ["not valid JSON"]) { $0.header = String($0.header.dropLast()) + "]" },
        MalformedCase(name: "header not UTF-8", bytes: [7, 0, 0, 0, 0, 0, 0, 0] + Array(#"{"\#u{0}":1"#.utf8).map { $0 == 0 ? 0xff : $0 } + [0x7d],
                      code: .invalidHeader, mentions: ["UTF-8"]),
        make("overlapping offsets", .offsetOverlap, ["\"b\"", "overlapping"]) {
            $0.header = $0.header.replacingOccurrences(of: "[16,24]", with: "[12,20]")
            $0.data.removeLast(4)
        },
        make("a gap between tensors", .offsetGap, ["\"b\"", "gap"]) {
            $0.header = $0.header.replacingOccurrences(of: "[16,24]", with: "[20,28]")
            $0.data += [0, 0, 0, 0]
        },
        make("trailing bytes", .trailingBytes, ["trailing"]) { $0.data += [9, 9, 9, 9] },
        make("dtype and shape disagree with the span", .sizeMismatch, ["\"a\"", "[3]"]) {
            $0.header = $0.header.replacingOccurrences(of: #""shape":[4]"#, with: #""shape":[3]"#)
        },
        make("shape product overflows", .sizeMismatch, ["\"a\"", "overflows"]) {
            $0.header = $0.header.replacingOccurrences(of: #""shape":[4]"#, with: #""shape":[4294967296,4294967296]"#)
        },
        make("unknown dtype", .unknownDType, ["\"a\"", "F31"]) {
            $0.header = $0.header.replacingOccurrences(of: #""dtype":"F32","shape":[4]"#, with: #""dtype":"F31","shape":[4]"#)
        },
        make("duplicate tensor name", .duplicateTensor, ["\"a\""]) {
            $0.header = $0.header.replacingOccurrences(of: #""b":"#, with: #""a":"#)
        },
        make("metadata value not a string", .invalidMetadata, ["__metadata__"]) {
            $0.header = $0.header.replacingOccurrences(of: #"{"format":"pt"}"#, with: #"{"format":1}"#)
        },
        make("negative offset", .invalidTensorEntry, ["data_offsets"]) {
            $0.header = $0.header.replacingOccurrences(of: "[0,16]", with: "[-16,0]")
        },
    ]
}

@Suite struct MalformedSafeTensorsTests {
    @Test(arguments: MalformedCase.all)
    func rejectsWithAClearMessage(_ malformed: MalformedCase) throws {
        let folder = TemporaryDirectory()
        let path = folder.file("broken.safetensors")
        try Data(malformed.bytes).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: SafeTensorsError.self) { try SafeTensorsFile(path: path) }
        #expect(error?.code == malformed.code)
        #expect(error?.description.hasPrefix(path) == true, "message names the file")
        for word in malformed.mentions {
            #expect(error?.message.contains(word) == true, "\(error?.message ?? "") should mention \(word)")
        }
    }

    @Test func acceptsTheValidBaseOfTheCorpus() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("good.safetensors")
        try RawSafeTensors.valid().write(to: path)
        let file = try SafeTensorsFile(path: path)
        #expect(file.tensors.map(\.name) == ["a", "b"])
        #expect(file.metadata.map(\.key) == ["format"])
        let b = file.bytes(of: file.tensor(named: "b")!)
        #expect(b.loadUnaligned(fromByteOffset: 4, as: Float.self) == 101)
    }

    @Test func acceptsEmptyAndScalarTensors() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("edge.safetensors")
        let header = #"{"empty":{"dtype":"BF16","shape":[0,7],"data_offsets":[0,0]},"scalar":{"dtype":"I64","shape":[],"data_offsets":[0,8]}}"#
        try RawSafeTensors(header: header + "   ", data: [UInt8](repeating: 1, count: 8)).write(to: path)
        let file = try SafeTensorsFile(path: path)
        #expect(file.tensor(named: "empty")?.elementCount == 0)
        #expect(file.tensor(named: "scalar")?.shape == [])
    }
}
