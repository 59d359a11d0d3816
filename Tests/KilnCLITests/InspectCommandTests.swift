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

    /// The file type by name, shapes in ggml order as gguf-dump prints them (and said so), names whole,
    /// metadata arrays previewed.
    @Test func namesTheFileTypeAndShowsShapesAsGGUFDump() throws {
        let folder = TemporaryDirectory()
        let f16 = folder.file("f16.gguf"), q4 = folder.file("q4.gguf")
        #expect(try KilnProcess.run(["convert", Fixtures.tinyPixtral, "--outtype", "f16", "-o", f16]).status == 0)
        #expect(try KilnProcess.run(["quantize", f16, q4, "Q4_K_M"]).status == 0)
        let json = try JSON.parse(try KilnProcess.run(["inspect", q4, "--json", "--tensors"]).stdout)
        #expect(json["file_type"]?.stringValue == "Q4_K_M" && json["shape_order"]?.stringValue == "ggml")
        // token_embd is [vocab, hidden] in PyTorch; ggml (and gguf-dump) write the row length first.
        let embedding = try #require(json["tensors"]?.arrayValue?.first { $0["name"]?.stringValue == "token_embd.weight" })
        #expect(embedding["shape"] == .array([.number("64"), .number("1024")]), "\(embedding)")
        let tokens = try #require(json["metadata"]?["tokenizer.ggml.tokens"])
        #expect(tokens["count"]?.intValue == 1024 && tokens["preview"]?.arrayValue?.count == 8)

        let text = try KilnProcess.run(["inspect", q4, "--tensors"]).stdout
        #expect(text.contains("file type:       Q4_K_M"))
        #expect(text.contains("shapes in ggml order"))
        #expect(text.contains("token_embd.weight") && text.contains("[64, 1024]"))
        // The first tokens of the vocabulary are shown, with the count.
        let vocabulary = try #require(text.split(separator: "\n").first { $0.contains("tokenizer.ggml.tokens") })
        #expect(vocabulary.contains("(1024 str)") && vocabulary.contains("\"<unk>\""), "\(vocabulary)")

        // A folder's shapes are PyTorch's, outermost first.
        let folderJSON = try JSON.parse(try KilnProcess.run(["inspect", Fixtures.tinyPixtral, "--json"]).stdout)
        #expect(folderJSON["shape_order"]?.stringValue == "row-major" && folderJSON["file_type"]?.stringValue == "BF16")
    }

    /// A tensor name longer than any column is printed whole.
    @Test func longNamesAreNeverCut() throws {
        let folder = TemporaryDirectory()
        let name = "model.layers.0." + String(repeating: "very_long_component.", count: 5) + "weight"
        let path = folder.file("long.safetensors")
        let header = #"{"\#(name)":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}"#
        try RawSafeTensors(header: header, data: [UInt8](repeating: 0, count: 16)).write(to: path)
        let text = try KilnProcess.run(["inspect", path, "--tensors"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains(name + "  F32"), "\(text.stdout)")
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
