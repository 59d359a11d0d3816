import Foundation
import KilnCore
import KilnTestSupport
import Testing

@Suite struct InspectCommandTests {
    @Test func describesAModelFolderAsJSON() throws {
        let result = try KilnProcess.run(["inspect", Fixtures.tinyPixtral, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSON.parse(result.stdout)
        #expect(json["architecture"]?.stringValue == "LlavaForConditionalGeneration")
        #expect(json["layers"]?.intValue == 40)
        #expect(json["heads"]?.intValue == 4)
        #expect(json["kv_heads"]?.intValue == 2)
        #expect(json["types"]?["BF16"]?.intValue == json["tensor_count"]?.intValue)
        #expect(json["bits_per_weight"]?.doubleValue == 16)
        #expect(json["tensors"] == nil)
    }

    @Test func describesAGGUFFileWithTensors() throws {
        let folder = TemporaryDirectory()
        #expect(try KilnProcess.run(["convert", Fixtures.tinyPixtral, "-o", folder.file("m.gguf")]).status == 0)
        let result = try KilnProcess.run(["inspect", folder.file("m.gguf"), "--json", "--tensors"])
        let json = try JSON.parse(result.stdout)
        #expect(json["format"]?.stringValue == "GGUF v3")
        #expect(json["layers"]?.intValue == 40)
        #expect(json["types"]?["F32"]?.intValue == 81)
        #expect(json["metadata"]?["tokenizer.ggml.pre"]?.stringValue == "tekken")
        let tensors = try #require(json["tensors"]?.arrayValue)
        #expect(tensors.count == 363)
        let parameters = tensors.reduce(0) { $0 + ($1["shape"]?.arrayValue?.reduce(1) { $0 * ($1.intValue ?? 0) } ?? 0) }
        #expect(json["parameters"]?.intValue == parameters)

        let text = try KilnProcess.run(["inspect", folder.file("m.gguf")])
        #expect(text.stdout.contains("architecture:    llama"))
        #expect(text.stdout.contains("BF16 ×282"))
    }

    @Test func describesASafetensorsFile() throws {
        let result = try KilnProcess.run(["inspect", Fixtures.tinyPixtral + "/model-00001-of-00002.safetensors", "--json"])
        let json = try JSON.parse(result.stdout)
        #expect(json["format"]?.stringValue == "safetensors")
        #expect(json["metadata"]?["format"]?.stringValue == "pt")
    }

    @Test func rejectsAFileThatIsNeitherFormat() throws {
        let folder = TemporaryDirectory()
        try Data("hello".utf8).write(to: URL(fileURLWithPath: folder.file("notes.gguf")))
        let result = try KilnProcess.run(["inspect", folder.file("notes.gguf")])
        #expect(result.status == 2)
        #expect(result.stderr.contains("notes.gguf"))
    }
}
