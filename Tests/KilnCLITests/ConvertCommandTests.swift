import Foundation
import KilnCore
import KilnGGUF
import KilnTestSupport
import Testing

/// A model folder broken in one way, and the words the one-line error must contain.
struct BrokenModel: CustomTestStringConvertible, Sendable {
    let name: String
    let mentions: [String]
    /// Breaks a healthy copy of the fixture in `folder`.
    let breakIt: @Sendable (String) throws -> Void
    var testDescription: String { name }

    static let shard = "model-00002-of-00002.safetensors"

    static func patchShard(_ folder: String, _ body: (inout [UInt8]) -> Void) throws {
        let path = "\(folder)/\(shard)"
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        body(&bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    static func headerLength(_ bytes: [UInt8]) -> Int { Int(bytes[0..<8].withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }) }

    static func editHeader(_ folder: String, _ edit: @escaping (String) -> String) throws {
        try patchShard(folder) { bytes in
            let length = headerLength(bytes)
            let header = edit(String(decoding: bytes[8..<8 + length], as: UTF8.self))
            var padded = Array(header.utf8)
            precondition(padded.count <= length, "edited header must not grow")
            padded += [UInt8](repeating: 0x20, count: length - padded.count)
            bytes.replaceSubrange(8..<8 + length, with: padded)
        }
    }

    static let all: [BrokenModel] = [
        BrokenModel(name: "truncated shard", mentions: [shard, "truncated"]) { folder in try patchShard(folder) { $0.removeLast(1000) } },
        BrokenModel(name: "header length past EOF", mentions: [shard, "past the end"]) { folder in
            try patchShard(folder) { bytes in bytes.replaceSubrange(0..<8, with: withUnsafeBytes(of: UInt64(bytes.count).littleEndian, Array.init)) }
        },
        BrokenModel(name: "header length of 200 MB", mentions: [shard, "200000000"]) { folder in
            try patchShard(folder) { bytes in bytes.replaceSubrange(0..<8, with: withUnsafeBytes(of: UInt64(200_000_000).littleEndian, Array.init)) }
        },
        BrokenModel(name: "invalid JSON", mentions: [shard, "JSON"]) { folder in try editHeader(folder) { "[" + $0.dropFirst() } },
        BrokenModel(name: "unknown dtype", mentions: [shard, "BF17"]) { folder in
            try editHeader(folder) { $0.replacingOccurrences(of: "\"BF16\"", with: "\"BF17\"") }
        },
        BrokenModel(name: "shape disagrees with the bytes", mentions: [shard, "data_offsets span"]) { folder in
            try editHeader(folder) { $0.replacingOccurrences(of: "[64,256]", with: "[64,255]") }
        },
        BrokenModel(name: "overlapping offsets", mentions: [shard, "overlapping"]) { folder in
            try editHeader(folder) { header in
                // Move the second tensor's range to start inside the first one (same length, so the size check passes).
                let ranges = try! NSRegularExpression(pattern: #""data_offsets":\[(\d+),(\d+)\]"#).matches(in: header, range: NSRange(header.startIndex..., in: header))
                let sorted = ranges.map { m -> (Int, Int, NSRange) in
                    (Int((header as NSString).substring(with: m.range(at: 1)))!, Int((header as NSString).substring(with: m.range(at: 2)))!, m.range)
                }.sorted { $0.0 < $1.0 }
                let (begin, end, range) = sorted[1]
                let shifted = "\"data_offsets\":[\(begin - 2),\(end - 2)]"
                return (header as NSString).replacingCharacters(in: range, with: shifted)
            }
        },
        BrokenModel(name: "trailing bytes", mentions: [shard, "trailing"]) { folder in try patchShard(folder) { $0 += [1, 2, 3, 4] } },
        BrokenModel(name: "shard name escaping the folder", mentions: ["model.safetensors.index.json", "../"]) { folder in
            let index = "\(folder)/model.safetensors.index.json"
            let text = try String(contentsOfFile: index, encoding: .utf8)
            try text.replacingOccurrences(of: "\"\(shard)\"", with: "\"../\(shard)\"").write(toFile: index, atomically: true, encoding: .utf8)
        },
        BrokenModel(name: "tensor missing from every shard", mentions: ["model.safetensors.index.json", "language_model.model.layers.99.mlp.up_proj.weight"]) { folder in
            let index = "\(folder)/model.safetensors.index.json"
            let text = try String(contentsOfFile: index, encoding: .utf8)
            try text.replacingOccurrences(of: "\"weight_map\": {", with: "\"weight_map\": {\"language_model.model.layers.99.mlp.up_proj.weight\": \"\(shard)\", ")
                .write(toFile: index, atomically: true, encoding: .utf8)
        },
    ]
}

@Suite struct ConvertCommandTests {
    func copyOfFixture(in folder: TemporaryDirectory) throws -> String {
        let copy = folder.file("model")
        try FileManager.default.copyItem(atPath: Fixtures.tinyPixtral, toPath: copy)
        return copy
    }

    @Test func convertsTheFixture() throws {
        let folder = TemporaryDirectory()
        let result = try KilnProcess.run(["convert", Fixtures.tinyPixtral, "-o", folder.file("out.gguf")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("363 tensors"))
        let file = try GGUFFile(path: folder.file("out.gguf"))
        #expect(file.metadata["llama.block_count"] == .uint32(40))
        #expect(folder.contents == ["out.gguf"])
    }

    @Test(arguments: BrokenModel.all)
    func rejectsABrokenModelWithOneClearLine(_ broken: BrokenModel) throws {
        let folder = TemporaryDirectory()
        let model = try copyOfFixture(in: folder)
        try broken.breakIt(model)
        let output = folder.file("out.gguf")
        let result = try KilnProcess.run(["convert", model, "-o", output])
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "one line, got: \(result.stderr)")
        for word in broken.mentions { #expect(result.stderr.contains(word), "\(result.stderr) should mention \(word)") }
        #expect(folder.contents == ["model"], "no output and no temporary file left behind")
    }

    @Test func rejectsAnUnknownOutputTypeAsUsage() throws {
        let result = try KilnProcess.run(["convert", Fixtures.tinyPixtral, "-o", "/tmp/never.gguf", "--outtype", "q9"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("outtype"))
    }

    @Test func reportsAMissingModelFolder() throws {
        let result = try KilnProcess.run(["convert", "/no/such/model", "-o", "/tmp/never.gguf"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("/no/such/model"))
    }
}
